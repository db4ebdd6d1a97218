"""A 双随机 draw from the plan to the published results, through the pages only.

李主任 (the office of 旌德县) adds an inspection item and a plan for four online shops, publishes the plan
and its item list, then publishes the draw's inputs naming a public source that produces its value on
2025-09-10. On that evening the office enters the value and 赵股长 (head of 广告监管股), a second person,
confirms it: the draw is made, every drawn shop has two inspectors and the re-run agrees. The office
records a result for each shop, ends the check (2025-09-30: due 2025-11-04, twenty working days over
国庆) and publishes the results.

The clock is stopped at each step (the source's value cannot be entered before its day); the shops and
their presences, which no page makes, are set up in the registry directly.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BEIJING = ZoneInfo("Asia/Shanghai")
PLANNED = dt.datetime(2025, 9, 1, 9, 0, tzinfo=BEIJING)  # a Monday
SOURCE = "中国福利彩票双色球第2025104期开奖号码"
SOURCE_DAY = "2025-09-10"
DRAWN = dt.datetime(2025, 9, 10, 21, 45, tzinfo=BEIJING)
VALUE = "红球 03 08 15 21 27 33 蓝球 09"
ENDED = dt.datetime(2025, 10, 9, 9, 0, tzinfo=BEIJING)  # after the check's end (09-30) and 国庆
INSPECTORS = {"赵股长", "钱科员", "吴所员"}  # certificate holders of 广告监管股 and 旌阳市场监管所


def _shops(demo, n: int) -> list[str]:
    """n entities of 旌德县 outside 旌阳镇, each with a shop on a platform (no page makes these)."""
    from wangjian.registry.choices import PresenceKind
    from wangjian.registry.models import MarketEntity, Platform, Presence
    from wangjian.registry.uscc import complete

    platform = Platform.objects.create(bureau=demo.county, name="皖南优选", url="https://mall.example/")
    names = []
    for i in range(n):
        entity = MarketEntity.objects.create(
            bureau=demo.county,
            uscc=complete(f"91341825MA2D{i:05d}"),
            name=f"旌德县双随机第{i}号商贸有限公司",
            region_code="341825102",
        )
        Presence.objects.create(
            bureau=demo.county,
            kind=PresenceKind.PLATFORM_SHOP,
            platform=platform,
            account_id=f"d{i}",
            shop_name=f"双随机第{i}号店",
            url=f"https://mall.example/d{i}",
            entity=entity,
        )
        names.append(entity.name)
    return names


def _flash(page) -> None:
    """The page after a submit must say it succeeded; a refusal fails the test with its own words."""
    page.wait_for_selector(".alert-success, .alert-danger")
    refusal = page.locator(".alert-danger")
    if refusal.count():
        pytest.fail(f"refused: {refusal.first.inner_text()}")


def _submit(page, button) -> None:
    with page.expect_navigation():
        button.click()
    _flash(page)


def test_a_plan_is_drawn_checked_and_its_results_published_through_the_pages(
    browser, live_server, demo, monkeypatch
):
    from wangjian.org.choices import DepartmentKind
    from wangjian.org.models import Department, DutyRule, Station

    shops = _shops(demo, 4)
    advertising = Department.objects.get(bureau=demo.county, kind=DepartmentKind.ADVERTISING)
    rule = DutyRule.objects.get(bureau=demo.county, domain="internet_advertising", role="lead")
    station = Station.objects.get(bureau=demo.county, name="旌阳市场监管所")
    contexts = []

    def clock(moment: dt.datetime) -> None:
        """Stop the clock at ``moment`` for the pages (as tests/clues/conftest.py's ``clock`` does)."""
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)

    def page_of(username: str):
        """A fresh session for ``username``, logged in through the form (each step is a new visit)."""
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        log_in(page, live_server, username)
        return page

    def leave() -> None:
        while contexts:
            contexts.pop().close()

    try:
        # 2025-09-01: the office adds the item, makes the plan, publishes it and the draw's inputs
        clock(PLANNED)
        office = page_of("office")
        office.goto(f"{live_server.url}/inspections/items/add/")
        form = office.locator("#object-form")
        form.locator("#id_department").select_option(str(advertising.pk))
        form.locator("#id_name").fill("网店广告发布行为检查")
        form.locator("#id_duty_rule").select_option(str(rule.pk))
        form.locator("#id_method").select_option("online")
        _submit(office, form.locator("#save-button"))

        office.goto(f"{live_server.url}/inspections/plans/add/")
        form = office.locator("#plan-form")
        form.locator("#id_title").fill("2025年度网店广告双随机抽查")
        form.locator("#id_year").fill("2025")
        form.locator("#id_department").select_option(str(advertising.pk))
        form.locator("#id_items").select_option(label="网店广告发布行为检查")
        form.locator("#id_inspector_stations").select_option(str(station.pk))
        form.locator("#id_regions_text").fill("341825102")
        form.locator("#id_class_ratios").fill('{"-": "0.30"}')
        form.locator("#id_check_start").fill("2025-09-15")
        form.locator("#id_check_end").fill("2025-09-30")
        with office.expect_navigation():
            form.locator("button[type=submit]").click()
        if office.locator("#plan-form").count():
            pytest.fail(f"the plan was refused: {office.locator('#plan-form').inner_text()}")
        _flash(office)
        expect(office.locator("#plan-items")).to_contain_text("网店广告发布行为检查")
        _submit(office, office.locator("#publish-plan"))
        expect(office.locator("#plan-state")).to_have_text("已公布")

        publish = office.locator("#draw-publish")
        publish.locator("#id_source_name").fill(SOURCE)
        publish.locator("#id_source_date").fill(SOURCE_DAY)
        _submit(office, publish.locator("button"))
        expect(office.locator("#draw-source")).to_have_text(f"{SOURCE}（{SOURCE_DAY}）")
        assert "4 户" in office.inner_text("#draw-inputs")
        draw_url = office.url
        assert not office.locator("#draw-objects").count()
        leave()

        # the evening of 2025-09-10: the value is public; the office enters it, 赵股长 confirms it
        clock(DRAWN)
        office = page_of("office")
        office.goto(draw_url)
        enter = office.locator("#value-enter")
        enter.locator("#id_value").fill(VALUE)
        _submit(office, enter.locator("button"))
        expect(office.locator("#draw-value")).to_contain_text("录入人 李主任")
        assert not office.locator("#draw-seed").count()  # no draw until a second person confirms

        head = page_of("ad_head")
        head.goto(draw_url)
        confirm = head.locator("#value-confirm")
        confirm.locator("#id_value").fill(VALUE)
        _submit(head, confirm.locator("button"))
        expect(head.locator("#draw-value")).to_contain_text("复核人 赵股长")

        # ceil(30% × 4) = 2 shops, each with two different inspectors of the plan's section and station
        rows = head.locator("#draw-objects tbody tr")
        expect(rows).to_have_count(2)
        drawn = []
        for n in range(2):
            cells = rows.nth(n).locator("td")
            drawn.append(cells.nth(2).inner_text())
            names = cells.nth(3).inner_text().split("、")
            assert len(set(names)) == 2 and set(names) <= INSPECTORS, names
        assert set(drawn) <= set(shops) and len(set(drawn)) == 2

        head.click("#rerun")
        expect(head.locator("#rerun-result")).to_have_text("复算结果与记录一致：同样的主体和检查人员。")
        expect(head.locator("#rerun-checks")).not_to_contain_text("不一致")

        # the office records a result for each drawn shop (no online check: the shops are not reachable)
        office.goto(draw_url)
        for n, (category, note) in enumerate(
            [
                ("未发现问题", "现场核查网店页面，未发现违法广告"),
                ("发现问题经责令已改正", "已责令删除“最佳”用语"),
            ]
        ):
            form = office.locator("#draw-objects tbody tr").nth(n).locator("form.result-record")
            form.locator("select[name=category]").select_option(label=category)
            form.locator("input[name=note]").fill(note)
            _submit(office, form.locator("button"))
            expect(office.locator("#draw-objects tbody tr").nth(n)).to_contain_text(f"{category}（{note}）")
        leave()

        # 2025-10-09: the check ended on 2025-09-30; the results are due 2025-11-04, then published
        clock(ENDED)
        office = page_of("office")
        office.goto(draw_url)
        _submit(office, office.locator("#check-end button"))
        expect(office.locator("#publication-due")).to_have_text("2025-11-04")
        assert "抽查结束日期 2025-09-30" in office.inner_text("#publication")
        _submit(office, office.locator("#results-publish button"))
        expect(office.locator("#publication")).to_contain_text("抽查结果已公示")
        expect(office.locator("#publication")).to_contain_text("2025-10-09")
        assert not office.locator("form.result-record").count()
        with office.expect_navigation():
            office.locator("h5 a").first.click()  # the plan: published results end it
        expect(office.locator("#plan-state")).to_have_text("已结束")
    finally:
        leave()
