"""A consumer's complaint from its registration to a mediation agreement, through the pages only.

李主任 (the office) registers a phoned-in complaint about a seller in 旌阳镇; it goes to 旌阳市场监管所, whose
吴所员 accepts it, records a phone mediation and the agreement, then records that both sides were told.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _flash(page) -> None:
    page.wait_for_selector(".alert-success, .alert-danger")
    refusal = page.locator(".alert-danger")
    if refusal.count():
        pytest.fail(f"refused: {refusal.first.inner_text()}")


def _step(page, action: str, fill=None) -> str:
    before = page.inner_text("#complaint-state")
    details = page.locator(f'details[data-action="{action}"]')
    expect(details).to_have_count(1)
    details.locator("summary").click()
    form = details.locator("form")
    if fill is not None:
        fill(form)
    with page.expect_navigation():
        form.locator(f'button[name="submit-{action}"]').click()
    _flash(page)
    after = page.inner_text("#complaint-state")
    assert after != before or action in ("mediate", "notify"), f"{action}: the state stayed {before}"
    return after


def test_a_complaint_is_registered_routed_accepted_mediated_and_resolved_through_the_pages(
    browser, live_server, demo
):
    today = timezone.localdate().isoformat()
    office = browser.new_context().new_page()
    log_in(office, live_server, "office")
    office.goto(f"{live_server.url}/complaints/complaints/add/")
    form = office.locator("#complaint-form")
    form.locator("#id_kind").select_option("complaint")
    form.locator("#id_channel").select_option("phone")
    form.locator("#id_person_name").fill("张小花")
    form.locator("#id_person_phone").fill("13900001111")
    form.locator("#id_respondent_name").fill("旌德县优品百货网店")
    form.locator("#id_respondent_kind").select_option("seller")
    form.locator("#id_respondent_region").fill("341825100")
    form.locator("#id_platform_name").fill("某电商平台")
    form.locator("#id_category").fill("家用电器")
    form.locator("#id_summary").fill("购买的电水壶漏电，商家拒绝退货")
    form.locator("#id_demand").fill("退货退款")
    with office.expect_navigation():
        form.locator("button[type=submit]").click()
    _flash(office)
    expect(office.locator("#complaint-state")).to_have_text("待受理")
    assert "旌阳市场监管所" in office.inner_text("body")
    url = office.url

    station = browser.new_context().new_page()
    log_in(station, live_server, "station_officer")
    station.goto(url)
    assert (
        _step(station, "accept", lambda f: f.locator("#id_accept-accepted_on").fill(today))
        == "已受理（调解中）"
    )

    def mediate(f):
        f.locator("#id_mediate-method").select_option("phone")
        f.locator("#id_mediate-held_on").fill(today)
        f.locator("#id_mediate-record").fill("电话联系双方，商家同意退货退款")

    _step(station, "mediate", mediate)

    def resolve(f):
        f.locator("#id_resolve-agreement").fill("商家退货退款199元")
        f.locator("#id_resolve-recovered").fill("199")

    assert _step(station, "resolve", resolve) == "调解成功"
    _step(station, "notify", lambda f: f.locator("#id_notify-how").fill("电话告知投诉人"))
    assert "商家退货退款199元" in station.inner_text("body")
