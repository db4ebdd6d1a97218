"""The office in Chromium: run a task from its page, watch the progress, open a finding, see its evidence, confirm it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import log_in
from tests.monitoring.util import make_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_run_watch_open_finding_see_evidence_and_confirm(browser, live_server, market_presences, county):
    from wangjian.monitoring.models import Finding

    task = make_task(county, market_presences[:10], evidence_threshold="high", name="浏览器测试任务")
    page = browser.new_page()
    try:
        log_in(page, live_server, "office")

        page.goto(f"{live_server.url}{task.get_absolute_url()}")
        page.click("#run-button")
        page.wait_for_selector("#run-progress")
        # locator assertions, not wait_for_function: the pages' CSP forbids evaluating strings
        expect(page.locator("#run-progress")).to_have_attribute("data-status", "done", timeout=120_000)
        assert int(page.inner_text("#pages-done")) > 0
        assert page.inner_text("#pages-remaining") == "0"
        assert page.inner_text("#findings").split("/")[0].strip() != "0"

        page.goto(f"{live_server.url}/monitoring/findings/?has_evidence=true&severity=high")
        page.click("#table-container tbody tr:first-child td:first-child a")
        page.wait_for_selector("#finding-context mark")
        evidence = page.inner_text("#finding-evidence")
        assert "取证记录" in evidence and "尚未取证" not in evidence
        page.click("#finding-evidence a")
        page.wait_for_load_state()
        assert "/evidence/" in page.url
        page.go_back()
        page.fill("#review-form textarea", "经核实属实")
        page.click("#confirm-button")
        page.wait_for_selector("#finding-clue")
        assert "确认违法" in page.content()
    finally:
        page.close()
    confirmed = Finding.objects.get(status="confirmed")
    assert confirmed.review_reason == "经核实属实" and confirmed.clue_number
    assert confirmed.rule.confirmed == 1
