"""A month of the campaign (专项行动) through the pages, each step by the person whose step it is.

旌德县's 2025年网络市场监管专项行动 (``tests/campaigns/conftest.py``: 广告监管股 and 旌阳市场监管所 take part)
has its September tables submitted by both units; October's are due on Tuesday 2025-10-28. Three advertising
clues came in in October, one in September.

- Monday 10-27: 钱科员 of 广告监管股 opens the campaign and his unit's October table. The 交办线索 column
  shows the system's 3; he makes it 5 — refused without a reason, kept with one — fills the entered columns
  and the month's text and submits: the table reads 已报送, 5 beside the system's 3, with its reason.
- The same day 李主任 (the office) opens October: 广告监管股 submitted, 旌阳所 not yet, nobody late.
- Wednesday 10-29: the daily job (called here as the scheduler calls it) marks 旌阳所 late; the month and
  the campaign's grid show it. The summary (总结) adds October's 5 to September's 1, and its Excel says so.
- Monday 11-03: 李主任 drafts October's 通报; its figures (3 clues, 2 more than September) are on the page and
  in the Word file.

No page error, no CSP refusal and no failed static file on any page throughout.
"""

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.campaigns.conftest import campaign  # noqa: F401 (the fixture)
from tests.clues.conftest import at, clock, intake  # noqa: F401 (fixtures the data needs)
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "含市局交办线索2件"
TEXT = "开展直播带货专项检查，检查直播间12个，约谈平台经营者2次"
HIGHLIGHTS = "（一）开展网络市场监管专项行动。广告监管股集中检查直播带货广告。"


@pytest.fixture
def september_done(campaign, intake, demo, clock):  # noqa: F811
    """The clues behind the figures, and September's tables submitted by both units on 09-26."""
    from wangjian.campaigns.services import tables

    for day in ("2025-09-26", "2025-10-09", "2025-10-15", "2025-10-20"):
        intake(domain="internet_advertising", now=at(day), facts=f"{day} 直播间使用“最佳”“第一”等绝对化用语")
    clock(at("2025-09-26", "16:00"))
    september = campaign.periods.get(kind="month", start=dt.date(2025, 9, 1))
    for unit, user in (
        (campaign.units.get(department__isnull=False), demo.users["ad_officer"]),
        (campaign.units.get(station__isnull=False), demo.users["station_officer"]),
    ):
        report = tables.report_for(period=september, unit=unit)
        entered = {c.column.key: "1" for c in tables.cells(report) if c.computed is None}
        tables.report_save(report=report, user=user, values=entered, text="九月排查辖区网店")
        tables.report_submit(report=report, user=user)
    return campaign


def _watch(page, problems: list) -> None:
    """A thrown error, a CSP refusal or a static file answered 4xx/5xx on ``page`` is a problem."""
    page.on("pageerror", lambda exc: problems.append(f"{page.url}: {exc}"))
    page.on(
        "console",
        lambda m: problems.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text else None,
    )
    page.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 and "/static/" in r.url else None,
    )


def _flash(page, refused: bool = False) -> str:
    """The message after a submit: success unless ``refused`` (then the refusal's words)."""
    page.wait_for_selector(".alert-success, .alert-danger")
    refusal = page.locator(".alert-danger")
    if refused:
        expect(refusal).to_have_count(1)
        return refusal.inner_text()
    if refusal.count():
        pytest.fail(f"refused: {refusal.first.inner_text()}")
    return page.locator(".alert-success").first.inner_text()


def _column(table, label: str) -> int:
    """The index of the column whose header starts with ``label``."""
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    return next(i for i, h in enumerate(headers) if h.startswith(label))


def _download(page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    with open(info.value.path(), "rb") as handle:
        return handle.read()


def test_a_campaign_month_is_reported_judged_summed_up_and_bulletined_through_the_pages(
    browser,
    live_server,
    demo,
    campaign,  # noqa: F811
    september_done,
    clock,  # noqa: F811
):
    from wangjian.campaigns.services import periods

    october = campaign.periods.get(kind="month", start=dt.date(2025, 10, 1))
    assert october.due == dt.date(2025, 10, 28)
    ad = campaign.units.get(department__name="广告监管股")
    station = campaign.units.get(station__name="旌阳市场监管所")
    problems: list[str] = []
    contexts = []

    def person(username: str):
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        _watch(page, problems)
        log_in(page, live_server, username)
        return page

    try:
        # Monday 10-27, the day before the due day: 钱科员 opens the campaign and his October table
        clock(at("2025-10-27", "10:00"))
        officer = person("ad_officer")
        officer.goto(f"{live_server.url}/campaigns/")
        officer.locator("#campaign-list").get_by_role("link", name=campaign.title).click()
        officer.wait_for_selector("#period-grid")
        grid_cell = officer.locator(f'#period-grid tr[data-period="{october.pk}"] td[data-unit="{ad.pk}"]')
        expect(grid_cell).to_have_text("未报送")
        grid_cell.locator("a").click()
        officer.wait_for_selector("#report-form")
        expect(officer.locator("#report-status")).to_contain_text("填报中")
        clues = officer.locator('#report-cells tr[data-column="clues"]')
        expect(clues.locator("td").nth(1)).to_have_text("3.00")  # the three October clues
        rows = officer.locator("#report-cells tbody tr")
        entered = [
            rows.nth(i).get_attribute("data-column")
            for i in range(rows.count())
            if rows.nth(i).locator("input[name^=r_]").count() == 0
        ]
        assert entered and "clues" not in entered  # the columns no figure computes are the unit's to enter

        def fill(reason: str) -> None:
            form = officer.locator("#report-form")
            for key in entered:
                form.locator(f'input[name="v_{key}"]').fill("2")
            form.locator('input[name="v_clues"]').fill("5")
            form.locator('input[name="r_clues"]').fill(reason)
            form.locator('textarea[name="text"]').fill(TEXT)
            with officer.expect_navigation():
                form.locator('button[name="action"][value="submit"]').click()

        # changed without a reason: refused in Chinese, nothing saved
        fill("")
        refusal = _flash(officer, refused=True)
        assert "交办线索" in refusal and "3.00" in refusal and "须填写修改理由" in refusal, refusal
        expect(officer.locator("#report-status")).to_contain_text("填报中")
        # … and what was typed is still in the form, to be corrected rather than typed again
        expect(officer.locator('#report-form input[name="v_clues"]')).to_have_value("5")
        expect(officer.locator('#report-form textarea[name="text"]')).to_have_value(TEXT)
        # with the reason: submitted, the edited value beside the system's, with its reason
        fill(REASON)
        assert _flash(officer) == "统计表已报送"
        expect(officer.locator("#report-status")).to_contain_text("已报送")
        expect(officer.locator("#late-badge")).to_have_count(0)
        cells = clues.locator("td")
        expect(cells.nth(1)).to_have_text("3.00")
        expect(cells.nth(2)).to_have_text("5.00")
        expect(cells.nth(3)).to_have_text(REASON)
        assert TEXT in officer.inner_text("#report-form")
        expect(officer.locator('#report-form button[value="submit"]')).to_have_count(0)

        # the same day 李主任 opens October: 广告监管股 submitted, 旌阳所 not yet, nobody late
        office = person("office")
        office.goto(f"{live_server.url}{campaign.get_absolute_url()}")
        office.locator(f'#period-grid tr[data-period="{october.pk}"] td').first.locator("a").click()
        office.wait_for_selector("#overview")
        ad_row = office.locator(f'#overview tr[data-unit="{ad.pk}"]')
        station_row = office.locator(f'#overview tr[data-unit="{station.pk}"]')
        expect(ad_row.locator("td").last).to_have_text("已报送")
        expect(station_row.locator("td").last).to_have_text("未报送")
        expect(office.locator("#late-units")).to_have_count(0)
        edited = ad_row.locator('td[data-column="clues"]')
        expect(edited).to_contain_text("5.00")
        expect(edited.locator(".text-warning")).to_have_text("系统 3.00")
        expect(edited.locator(".text-warning")).to_have_attribute("title", REASON)
        assert TEXT in office.inner_text("body")

        # Wednesday 10-29: the daily job marks the unit without its table late (as the scheduler runs it)
        clock(at("2025-10-29", "01:30"))
        assert periods.daily()["late"] == 1
        clock(at("2025-10-29", "09:00"))
        office.context.clear_cookies()  # a new working day: the session of the 27th has expired
        log_in(office, live_server, "office")
        office.goto(f"{live_server.url}{october.get_absolute_url()}")
        expect(office.locator("#late-units")).to_have_text("逾期未报送：旌阳市场监管所")
        expect(station_row.locator("td").last).to_have_text("未报送 逾期")
        expect(ad_row.locator("td").last).to_have_text("已报送")
        office.goto(f"{live_server.url}{campaign.get_absolute_url()}")
        row = office.locator(f'#period-grid tr[data-period="{october.pk}"]')
        expect(row.locator(f'td[data-unit="{station.pk}"]')).to_have_text("逾期未报")
        expect(row.locator(f'td[data-unit="{station.pk}"]')).to_have_class("table-danger late")
        expect(row.locator(f'td[data-unit="{ad.pk}"]')).to_have_text("已报送")

        # the summary: October's 5 added to September's 1; 旌阳所 late in October
        office.click("#summary-link")
        office.wait_for_selector("#summary-totals")
        totals = office.locator("#summary-totals")
        i = _column(totals, "交办线索")
        expect(totals.locator(f'tr[data-unit="{ad.pk}"] td').nth(i)).to_have_text("6.00")
        expect(totals.locator(f'tr[data-unit="{station.pk}"] td').last).to_have_text("2025年10月")
        expect(totals.locator(f'tr[data-unit="{ad.pk}"] td').last).to_have_text("")
        assert f"2025年10月：{TEXT}" in office.inner_text("body")
        book = load_workbook(io.BytesIO(_download(office, "#export-xlsx")))
        sheet = [list(r) for r in book["统计汇总"].iter_rows(values_only=True)]
        assert sheet[0][0] == f"{campaign.title}工作总结统计表"
        header = sheet[2]
        by_unit = {r[0]: r for r in sheet[3:]}
        assert by_unit["广告监管股"][header.index("交办线索（件）")] == 6
        assert by_unit["旌阳市场监管所"][-1] == "2025年10月"
        texts = [list(r) for r in book["文字说明"].iter_rows(values_only=True)]
        assert ["广告监管股", "2025年10月", TEXT] in texts

        # Monday 11-03, October over: 李主任 drafts October's 通报 and downloads its Word file
        clock(at("2025-11-03", "09:00"))
        office.context.clear_cookies()
        log_in(office, live_server, "office")
        office.goto(f"{live_server.url}/bulletins/")
        office.click("#bulletin-add")
        office.wait_for_selector("#bulletin-new")
        assert office.locator("#bulletin-month").input_value() == "2025-10-01"
        expect(office.locator("#bulletin-month option:checked")).to_have_text("2025年10月")
        office.fill("#bulletin-highlights", HIGHLIGHTS)
        with office.expect_navigation():
            office.click("#bulletin-new button[type=submit]")
        _flash(office)
        expect(office.locator("#bulletin-draft")).to_be_visible()
        body = office.inner_text("#bulletin-body")
        assert "关于2025年10月网络市场监管工作情况的通报" in body
        assert "现将2025年10月全域网络市场监管工作情况通报如下" in body
        assert "受理线索3件，较上月增加2件" in body, body
        clue_row = office.locator("#bulletin-figures tbody tr", has_text="线索").first
        cells = clue_row.locator("td").all_inner_texts()
        assert cells[2:4] == ["3", "1"], cells  # this month, the month before
        word = Document(io.BytesIO(_download(office, "#bulletin-docx")))
        text = "\n".join(p.text for p in word.paragraphs)
        assert "关于2025年10月网络市场监管工作情况的通报" in text
        assert "受理线索3件，较上月增加2件" in text
        annex = [[c.text for c in r.cells] for t in word.tables for r in t.rows]
        assert any(r[2:4] == ["3", "1"] and "线索" in r[0] for r in annex), annex

        assert not problems, problems
    finally:
        for context in contexts:
            context.close()
