"""The whole loop in a browser: a confirmed finding becomes a clue, the unit feeds back and closes, the office sees it on time."""

import pytest

from tests.conftest import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser, live_server, username):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#my-tasks")
    return context, page


def step(page, action, fields=None, selects=None):
    page.click(f"details[data-action={action}] summary")
    for name, value in (selects or {}).items():
        page.select_option(f"#id_{action}-{name}", value)
    for name, value in (fields or {}).items():
        page.fill(f"#id_{action}-{name}", value)
    page.click(f"button[name=submit-{action}]")
    page.wait_for_selector(".alert-success")


def test_finding_to_clue_to_feedback_to_closed_on_time(browser, live_server, demo):
    from wangjian.clues import services

    # the monitoring app confirms a finding and hands it over (what monitoring will call)
    clue = services.clue_intake(
        bureau=demo.county,
        source_kind="monitoring",
        source_ref="finding:42",
        domain="internet_advertising",
        facts="监测发现：商品页使用“最佳”“第一”等绝对化用语",
        entity_name="旌德县徽韵茶业有限公司",
        evidence_refs=["capture:7"],
    ).clue

    context, page = log_in(browser, live_server, "ad_officer")
    try:
        assert clue.number in page.inner_text("#my-tasks")
        page.click(f"#my-tasks a:has-text('{clue.number}')")
        page.wait_for_selector("#routing-reason")
        assert "职责清单第 #" in page.inner_text("#routing-reason")
        assert "旌市场办〔2022〕116号" in page.inner_text("#routing")
        assert page.locator("details[data-action=assign]").count() == 0  # the office's step, not shown

        step(page, "accept", {"comment": "已接收"})
        assert page.inner_text("#clue-state") == "核查中"
        step(page, "feedback", {"actions": "线上检查属实，已约谈经营者"}, {"result": "true"})
        assert page.inner_text("#clue-state") == "已反馈"
        step(page, "start_disposal")
        step(page, "close", {"note": "责令删除违法用语，已整改"}, {"disposal": "rectify"})
        assert page.inner_text("#clue-state") == "已办结"
    finally:
        context.close()

    context, page = log_in(browser, live_server, "office")
    try:
        page.goto(f"{live_server.url}/clues/overview/")
        table = page.inner_text("#overview-table")
        row = next(line for line in table.splitlines() if line.startswith("广告监管股"))
        cells = row.split("\t")
        assert cells[1:5] == ["1", "1", "1", "100.0"]  # received, fed back, on time, on-time rate (%)
        assert cells[5] == "0"  # overdue
        page.goto(f"{live_server.url}/clues/clues/{clue.pk}/")
        assert page.inner_text("#clue-state") == "已办结"
        history = page.inner_text("#history")
        assert "钱科员" in history and "办结" in history
    finally:
        context.close()
