"""An officer's path through the registry in Chromium: upload → preview → import → search → archive; review by keyboard."""

import pytest
from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD
from tests.registry.conftest import REGISTRY_HEADER_ZH, REGISTRY_ROWS, csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, url, username):
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#my-tasks")


def test_upload_preview_import_search_and_archive(browser, live_server, demo, tmp_path):
    path = tmp_path / "旌德县登记主体.csv"
    path.write_bytes(
        csv_bytes(
            REGISTRY_HEADER_ZH, [*REGISTRY_ROWS, ["12345", "坏代码商行", "", "", "", "", "", ""]], "gbk"
        )
    )
    page = browser.new_page()
    try:
        _login(page, live_server.url, "office")
        page.goto(f"{live_server.url}/registry/imports/upload/")
        page.select_option("#id_kind", "registry")
        page.set_input_files("#id_file", str(path))
        page.click("#upload-form button[type=submit]")
        page.wait_for_selector("#preview-table")
        assert page.inner_text("#encoding") == "gbk"
        assert "旌德县宏达商贸有限责任公司" in page.inner_text("#preview-table")
        assert page.eval_on_selector("#map_uscc", "el => el.value") == "0"  # recognised header
        page.click("#import-button")
        # the batch page follows the run (in the background on a shared database) to its end
        expect(page.locator("#batch-status")).to_contain_text("已完成", timeout=60_000)
        assert page.inner_text("#created-count") == "4"
        assert page.inner_text("#rejected-count") == "1"
        assert "应为18位" in page.content()

        page.goto(f"{live_server.url}/registry/entities/")
        page.fill("#id_q", "宏達商貿有限公司")  # traditional, without the county prefix
        expect(page.locator("#table-container")).not_to_contain_text("丽华百货")
        assert "丽华百货" not in page.inner_text("#table-container")
        page.click("#table-container a:has-text('宏达商贸')")
        page.wait_for_selector("#presences")
        assert "91341825MA2N00001" in page.content()
        assert "13855501234" not in page.content()  # masked until asked for, with a reason
        page.fill("#personal-form input[name=reason]", "核查线索")
        page.click("#personal-button")
        page.wait_for_selector("#personal-logged")
        assert "13855501234" in page.content()  # the office administrator's role may see it
    finally:
        page.close()


def test_review_queue_by_keyboard(browser, live_server, demo, registry, write):
    from wangjian.registry import services
    from wangjian.registry.models import MatchResult

    platform, _ = services.platform_get_or_create(bureau=demo.county, name="某宝")
    rows = [["A1", "茶叶店", "绿源茶叶", "", "黄山市屯溪区老街1号", "", ""]]
    services.sellers_import(
        bureau=demo.county,
        platform=platform,
        path=write(
            "s.csv",
            csv_bytes(
                ["店铺ID", "店铺名称", "主体名称", "统一社会信用代码", "地址", "电话", "店铺网址"], rows
            ),
        ),
    )
    assert MatchResult.objects.get().outcome == "review"
    page = browser.new_page()
    try:
        _login(page, live_server.url, "ad_officer")
        page.goto(f"{live_server.url}/registry/review/")
        page.wait_for_selector(".wj-review-item.wj-active")
        page.keyboard.press("a")
        page.wait_for_selector(".wj-review-item.wj-done")
        result = MatchResult.objects.get()
        assert result.decided and result.outcome == "auto"
    finally:
        page.close()
