"""An officer in Chromium: upload a platform's listing feed on 商品信息扫描, watch the scan end, open its findings."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import log_in
from tests.monitoring.feeds.conftest import FEED_ROWS, jsonl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_uploads_a_feed_and_the_progress_ends_in_findings(
    browser, live_server, demo, shops, task, tmp_path
):
    from wangjian.monitoring.models import FeedScan

    platform, _ = shops
    path = tmp_path / "皖南优选商品信息.jsonl"
    path.write_bytes(jsonl(FEED_ROWS))
    page = browser.new_page()
    try:
        log_in(page, live_server, "ad_officer")
        page.goto(f"{live_server.url}/monitoring/feed-scans/")
        page.click("#start-scan-button")
        page.select_option("#id_task", str(task.pk))
        page.select_option("#id_platform", str(platform.pk))
        page.set_input_files("#id_file", str(path))
        page.click("#scan-button")
        # locator assertions, not wait_for_function: the pages' CSP forbids evaluating strings
        expect(page.locator("#feed-progress")).to_have_attribute("data-status", "done", timeout=60_000)
        expect(page.locator("#listings-done")).to_have_text("3")
        expect(page.locator("#rejected-count")).to_have_text("1")
        expect(page.locator("#unknown-shops")).to_have_text("1")
        expect(page.locator("#findings-new")).not_to_have_text("0")
        expect(page.locator("#rejected-rows")).to_contain_text("缺少商品ID或标题")
        expect(page.locator("#unknown-shop-list")).to_contain_text("S9")

        page.click("#new-findings-link")
        rows = page.locator("#table-container tbody tr")
        expect(rows).to_have_count(FeedScan.objects.get().findings_new)
        expect(page.locator("#table-container")).to_contain_text("最佳")
    finally:
        page.close()
