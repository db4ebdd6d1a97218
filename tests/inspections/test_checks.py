"""Online checks of drawn objects, results per item and their publication (issue 19 point 4).

A check fetches the presence on loopback (the only address the tests allow) and decides as a sweep does;
a page that was not read decides nothing; a violation becomes a clue through the intake port; the results
are due within 20 working days of the end of the check, counted over the holidays.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.inspections.conftest import BEIJING
from wangjian.clues.models import Clue
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.inspections.choices import PlanState, ResultCategory
from wangjian.inspections.services import (
    check_outcome,
    check_period_end,
    check_run,
    result_record,
    results_csv,
    results_publish,
)
from wangjian.inspections.services.publication import publication_item
from wangjian.org.models import User
from wangjian.platform.workitems.models import WorkItemState
from wangjian.registry.models import Presence

# A round in September 2025: the check ends on 30 September, before 国庆 (1–8 October, 11 October worked).
CHECKED = dt.datetime(2025, 9, 10, 10, 0, tzinfo=BEIJING)
ENDED = dt.datetime(2025, 9, 30, 17, 0, tzinfo=BEIJING)

VIOLATING = "<html><body><h1>皖南特产旗舰店</h1><p>本店野生灵芝孢子粉，国家级品质，全网最佳，根治癌症。</p></body></html>"


def _text(response) -> str:
    """The page as read: tags dropped, entities unescaped (the refusal is among its messages)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def _drawn_at(draw, site, path):
    return draw.objects_drawn.get(entity__presences__url=f"{site.url}{path}")


def _inspector(drawn) -> User:
    return drawn.inspectors.order_by("rank").first().user


def _not_drawn_inspector(drawn, demo) -> User:
    drawn_ids = set(drawn.inspectors.values_list("user_id", flat=True))
    return next(
        demo.users[u]
        for u in ("ad_head", "ad_officer", "station_officer")
        if demo.users[u].pk not in drawn_ids
    )


def test_a_check_on_a_page_with_a_violation_records_the_hits_and_makes_one_clue(round_, site, demo):
    site.page("/shop", VIOLATING.encode())
    draw = round_(site, ["/shop"])
    drawn = _drawn_at(draw, site, "/shop")
    inspector = _inspector(drawn)
    [check] = check_run(
        drawn=drawn, user=inspector, record="登录店铺首页查看", now=CHECKED, delay=0, render="never"
    )
    assert check.fetch_status == "ok" and check.violation
    assert {h["matched"] for h in check.hits} & {"国家级", "最佳"}
    assert check.licence_verdict == "missing"  # no licence shown: 电子商务法第十五条
    assert check.record == "登录店铺首页查看" and check.checked_by == inspector
    assert check.capture is not None and check.capture.url.endswith("/shop")  # captured as evidence
    clue = Clue.objects.get(bureau=demo.county, number=check.clue_number)
    assert clue.source_kind == "inspection" and "双随机抽查" in clue.facts
    assert check_outcome(check) == "violation"


def test_a_failed_fetch_is_recorded_as_failed_never_as_clean(round_, site, demo):
    draw = round_(site, ["/gone"])  # the site answers 404
    drawn = _drawn_at(draw, site, "/gone")
    [check] = check_run(drawn=drawn, user=_inspector(drawn), now=CHECKED, delay=0, render="never")
    assert check.fetch_status == "failed" and not check.violation and not check.clue_number
    assert check.licence_verdict == "" and check.hits == []
    assert check_outcome(check) == "failed"
    item = draw.plan.items.get()
    with pytest.raises(ValidationFailed, match="未能完整读取页面"):
        result_record(drawn=drawn, item=item, category=ResultCategory.NO_PROBLEM, user=_inspector(drawn))


def test_an_address_the_platform_does_not_fetch_is_recorded_as_refused(round_, site, demo):
    draw = round_(site, ["/shop"])
    drawn = draw.objects_drawn.get()
    Presence.objects.filter(entity=drawn.entity).update(url="http://10.1.2.3/shop")
    [check] = check_run(drawn=drawn, user=_inspector(drawn), now=CHECKED, delay=0, render="never")
    assert check.fetch_status == "refused" and check_outcome(check) == "failed" and not check.violation


def test_results_are_recorded_per_item_in_the_fixed_categories_and_a_violation_is_never_no_problem(
    round_, site, demo
):
    site.page("/shop", VIOLATING.encode())
    draw = round_(site, ["/shop"])
    drawn = _drawn_at(draw, site, "/shop")
    item = draw.plan.items.get()
    inspector = _inspector(drawn)
    check_run(drawn=drawn, user=inspector, now=CHECKED, delay=0, render="never")
    with pytest.raises(ValidationFailed, match="不能记录为“未发现问题”"):
        result_record(drawn=drawn, item=item, category=ResultCategory.NO_PROBLEM, user=inspector)
    with pytest.raises(ValidationFailed, match="未知的检查结果类别"):
        result_record(drawn=drawn, item=item, category="fine", user=inspector)
    result = result_record(
        drawn=drawn, item=item, category=ResultCategory.PENDING, note="已转线索", user=inspector, now=CHECKED
    )
    assert result.get_category_display() == "发现问题待后续处理" and result.checked_on == dt.date(2025, 9, 10)
    again = result_record(
        drawn=drawn,
        item=item,
        category=ResultCategory.CORRECTED,
        note="已责令改正",
        user=inspector,
        now=CHECKED,
    )
    assert again.pk == result.pk and again.category == ResultCategory.CORRECTED  # one result per item


def test_results_are_due_twenty_working_days_after_the_end_across_national_day(round_, site, demo):
    """The check ends 2025-09-30; 10-1…10-8 are holidays and 10-11 (a Saturday) is worked: due 2025-11-04."""
    site.page("/shop", VIOLATING.encode())
    draw = round_(site, ["/shop"])
    plan = draw.plan
    item = check_period_end(plan=plan, user=demo.users["office"], now=ENDED)
    assert item.due == dt.date(2025, 11, 4) and item.state == WorkItemState.OPEN
    plan.refresh_from_db()
    assert plan.ended_on == dt.date(2025, 9, 30)
    with pytest.raises(ValidationFailed, match="未记录"):
        results_publish(plan=plan, user=demo.users["office"], now=ENDED)
    for drawn in draw.objects_drawn.all():
        result_record(
            drawn=drawn,
            item=plan.items.get(),
            category=ResultCategory.PENDING,
            user=demo.users["office"],
            now=CHECKED,
        )
    results_publish(plan=draw, user=demo.users["office"], now=dt.datetime(2025, 11, 3, 9, 0, tzinfo=BEIJING))
    plan.refresh_from_db()
    assert plan.state == PlanState.CLOSED and plan.results_published_at is not None
    assert publication_item(plan).state == WorkItemState.DONE
    assert all(r.published_at for r in draw.objects_drawn.first().results.all())
    rows = list(csv.reader(io.StringIO(results_csv(plan).lstrip("\ufeff"))))
    assert rows[0][:7] == [
        "抽查计划名称",
        "抽查任务编号",
        "统一社会信用代码",
        "市场主体名称",
        "抽查事项",
        "检查方式",
        "检查结果",
    ]
    assert rows[1][6] == "发现问题待后续处理"
    with pytest.raises(ValidationFailed, match="已公示"):
        result_record(
            drawn=draw.objects_drawn.first(),
            item=plan.items.get(),
            category=ResultCategory.CORRECTED,
            user=demo.users["office"],
        )


def test_an_inspector_not_drawn_for_the_object_is_refused_in_the_same_words_on_the_page_and_the_api(
    round_, site, demo, login
):
    site.page("/shop", VIOLATING.encode())
    draw = round_(site, ["/shop"])
    drawn = _drawn_at(draw, site, "/shop")
    other = _not_drawn_inspector(drawn, demo)
    with pytest.raises(PermissionDeniedError) as refused:
        check_run(drawn=drawn, user=other, now=CHECKED)
    words = refused.value.zh
    page = login(other).post(reverse("inspections:drawn_check", args=[drawn.pk]), follow=True)
    assert words in _text(page)
    api = APIClient()
    api.force_authenticate(other)
    answer = api.post(f"/api/inspections/draws/{draw.pk}/check/", {"drawn": drawn.pk}, format="json")
    assert answer.status_code == 403 and answer.json()["error"]["zh"] == words
    assert not drawn.checks.exists()


def test_the_table_refuses_the_legal_reviewer_in_the_same_words_on_the_page_and_the_api(
    round_, site, demo, login
):
    from wangjian.org import permissions

    draw = round_(site, ["/shop"])
    drawn = draw.objects_drawn.get()
    words = permissions.get("inspections.check.record").refusal()[0]
    page = login(demo.users["legal"]).post(
        reverse("inspections:drawn_result", args=[drawn.pk]),
        {"item": draw.plan.items.get().pk, "category": "no_problem"},
        follow=True,
    )
    assert words in _text(page)
    api = APIClient()
    api.force_authenticate(demo.users["legal"])
    answer = api.post(
        f"/api/inspections/draws/{draw.pk}/result/",
        {"drawn": drawn.pk, "item": draw.plan.items.get().pk, "category": "no_problem"},
        format="json",
    )
    assert answer.status_code == 403 and answer.json()["error"]["zh"] == words


def test_the_draw_page_runs_the_check_records_a_result_and_publishes(
    round_, site, demo, login, clock, monkeypatch
):
    site.page("/shop", VIOLATING.encode())
    draw = round_(site, ["/shop"])
    drawn = _drawn_at(draw, site, "/shop")
    clock(CHECKED)
    inspector = login(_inspector(drawn))
    page = inspector.get(draw.get_absolute_url()).content.decode()
    assert f'id="drawn-{drawn.pk}"' in page and "尚未检查" in page
    monkeypatch.setattr("wangjian.inspections.services.checks.CHECK_DELAY", 0)  # loopback needs no pause
    inspector.post(reverse("inspections:drawn_check", args=[drawn.pk]), {"record": "页面检查"})
    page = inspector.get(draw.get_absolute_url()).content.decode()
    assert "发现违法行为（已转线索）" in page and drawn.checks.get().clue_number in page
    inspector.post(
        reverse("inspections:drawn_result", args=[drawn.pk]),
        {"item": draw.plan.items.get().pk, "category": "pending", "note": "已转线索"},
    )
    assert drawn.results.get().category == "pending"
    clock(ENDED)
    office = login(demo.users["office"])
    office.post(reverse("inspections:draw_results", args=[draw.pk, "end"]))
    assert "2025-11-04" in office.get(draw.get_absolute_url()).content.decode()
    clock(dt.datetime(2025, 10, 20, 9, 0, tzinfo=BEIJING))
    office = login(demo.users["office"])
    office.post(reverse("inspections:draw_results", args=[draw.pk, "publish"]))
    draw.plan.refresh_from_db()
    assert draw.plan.results_published_at is not None
    export = office.get(reverse("inspections:draw_results_export", args=[draw.pk, "xlsx"]))
    assert export.status_code == 200 and export.content[:2] == b"PK"
