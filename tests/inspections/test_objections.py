"""Checks of published information and objections to published results (issue 19 point 5).

A check of published information records what was compared; the office registers an entity's objection
within the period (the bureau's setting, counted from publication) and decides it: upheld corrects the
result and keeps the earlier category with the reason, and the export shows the corrected result.
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

from tests.inspections.conftest import BEIJING, VALUE
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.inspections.choices import CheckMethod, ObjectionOutcome, PublishedField, ResultCategory
from wangjian.inspections.models import InspectionItem, InspectionSettings, Plan, ResultObjection
from wangjian.inspections.services import (
    draw_publish,
    draw_value_confirm,
    draw_value_enter,
    item_save,
    objection_decide,
    objection_file,
    plan_publish,
    plan_save,
    result_record,
    results_csv,
    results_publish,
)
from wangjian.inspections.services.objections import decision_item
from wangjian.org.models import Department, DutyRule, Station
from wangjian.platform.workitems.models import WorkItemState
from wangjian.registry.models import MarketEntity
from wangjian.registry.uscc import complete

PUBLISHED = dt.datetime(2025, 8, 25, 10, 0, tzinfo=BEIJING)
DRAWN = dt.datetime(2025, 8, 28, 21, 45, tzinfo=BEIJING)
CHECKED = dt.datetime(2025, 9, 10, 10, 0, tzinfo=BEIJING)
RESULTS_PUBLISHED = dt.datetime(2025, 10, 20, 9, 0, tzinfo=BEIJING)  # objections until 2025-11-19 (30 days)
LATER = dt.datetime(2025, 11, 25, 9, 0, tzinfo=BEIJING)


@pytest.fixture
def published_result(demo):
    """A published result of a check of published information: the website the entity reported is not its own."""
    department = Department.objects.get(bureau=demo.county, name__contains="广告")
    item = item_save(
        item=InspectionItem(
            bureau=demo.county,
            department=department,
            name="年度报告公示信息检查",
            duty_rule=DutyRule.objects.get(bureau=demo.county, domain="internet_advertising", role="lead"),
            method=CheckMethod.PUBLISHED_INFO,
        ),
        user=demo.users["office"],
    )
    MarketEntity.objects.create(
        bureau=demo.county,
        uscc=complete("91341825MA2R00001"),
        name="旌德县公示信息抽查商贸有限公司",
        region_code="341825102",
    )
    plan = plan_save(
        plan=Plan(
            bureau=demo.county,
            title="2025年度企业公示信息抽查",
            year=2025,
            department=department,
            online_only=False,
            check_start=dt.date(2025, 9, 1),
            check_end=dt.date(2025, 9, 30),
            class_ratios={"-": "0.001"},
        ),
        user=demo.users["office"],
        items=[item],
        stations=[Station.objects.get(bureau=demo.county, name="旌阳市场监管所")],
    )
    plan = plan_publish(plan=plan, user=demo.users["office"], now=PUBLISHED)
    draw = draw_publish(
        plan=plan,
        user=demo.users["office"],
        source_name="演示随机源",
        source_date=DRAWN.date(),
        now=PUBLISHED,
    )
    draw_value_enter(draw=draw, user=demo.users["office"], value=VALUE, now=DRAWN)
    draw = draw_value_confirm(draw=draw, user=demo.users["ad_head"], value=VALUE, now=DRAWN)
    drawn = draw.objects_drawn.first()
    assert draw.objects_drawn.count() == 1
    with pytest.raises(ValidationFailed, match="须选择核查的公示信息项目"):
        result_record(
            drawn=drawn, item=item, category=ResultCategory.FALSE_INFO, user=demo.users["office"], now=CHECKED
        )
    result = result_record(
        drawn=drawn,
        item=item,
        category=ResultCategory.FALSE_INFO,
        checked_field=PublishedField.WEBSITE,
        published_value="https://shop.example/",
        found_value="该网址为他人经营的网店",
        user=demo.users["office"],
        now=CHECKED,
    )
    results_publish(plan=draw, user=demo.users["office"], now=RESULTS_PUBLISHED)
    result.refresh_from_db()
    return result


def _text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def _export(result) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(results_csv(result.drawn.draw.plan).lstrip("\ufeff"))))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_a_check_of_published_information_records_what_was_compared(published_result):
    assert published_result.checked_field == PublishedField.WEBSITE
    (row,) = _export(published_result)
    assert "核查项目：网站、网店" in row["说明"] and "该网址为他人经营的网店" in row["说明"]


def test_an_objection_within_the_period_is_registered_with_its_decision_due(published_result, demo):
    objection = objection_file(
        result=published_result,
        text="年报所填网址为本公司网店，提交网店后台截图",
        filed_on=dt.date(2025, 11, 19),  # the 30th day after publication
        user=demo.users["office"],
        now=LATER,
    )
    assert objection.outcome == ObjectionOutcome.PENDING
    assert objection.category_before == ResultCategory.FALSE_INFO
    item = decision_item(objection)
    assert item.state == WorkItemState.OPEN and objection.due > objection.filed_on


def test_an_objection_after_the_period_is_refused_in_both_languages(published_result, demo):
    with pytest.raises(ValidationFailed) as refused:
        objection_file(
            result=published_result,
            text="逾期提出的异议",
            filed_on=dt.date(2025, 11, 20),
            user=demo.users["office"],
            now=LATER,
        )
    assert "已超过异议期限" in refused.value.zh and "2025-11-19" in refused.value.zh
    assert "objection period ended" in refused.value.en
    assert not ResultObjection.objects.exists()


def test_the_period_is_the_bureaus_setting(published_result, demo):
    InspectionSettings.objects.create(bureau=demo.county, objection_days=10)
    with pytest.raises(ValidationFailed, match="已超过异议期限"):
        objection_file(
            result=published_result, text="异议", filed_on=dt.date(2025, 11, 10), user=None, now=LATER
        )


def test_upheld_corrects_the_category_keeps_the_earlier_and_the_export_shows_the_correction(
    published_result, demo
):
    objection = objection_file(
        result=published_result,
        text="网址属实",
        filed_on=dt.date(2025, 11, 3),
        user=demo.users["office"],
        now=LATER,
    )
    with pytest.raises(ValidationFailed, match="更正后的检查结果"):
        objection_decide(
            objection=objection,
            outcome=ObjectionOutcome.UPHELD,
            reason="核实网店经营者为该公司",
            decided_on=dt.date(2025, 11, 20),
            user=demo.users["office"],
            now=LATER,
        )
    objection_decide(
        objection=objection,
        outcome=ObjectionOutcome.UPHELD,
        reason="核实网店经营者为该公司",
        category=ResultCategory.NO_PROBLEM,
        decided_on=dt.date(2025, 11, 20),
        user=demo.users["office"],
        now=LATER,
    )
    published_result.refresh_from_db()
    objection.refresh_from_db()
    assert published_result.category == ResultCategory.NO_PROBLEM
    assert (
        objection.category_before == ResultCategory.FALSE_INFO
        and objection.reason == "核实网店经营者为该公司"
    )
    assert decision_item(objection).state == WorkItemState.DONE
    (row,) = _export(published_result)
    assert row["检查结果"] == "未发现问题"
    assert "原检查结果：公示信息隐瞒真实情况、弄虚作假" in row["说明"]
    with pytest.raises(ValidationFailed, match="该异议已处理"):
        objection_decide(
            objection=objection,
            outcome=ObjectionOutcome.REJECTED,
            reason="再议",
            decided_on=dt.date(2025, 11, 21),
            user=demo.users["office"],
            now=LATER,
        )


def test_rejected_keeps_the_result(published_result, demo):
    objection = objection_file(
        result=published_result,
        text="异议",
        filed_on=dt.date(2025, 11, 3),
        user=demo.users["office"],
        now=LATER,
    )
    objection_decide(
        objection=objection,
        outcome=ObjectionOutcome.REJECTED,
        reason="未提交证明材料",
        decided_on=dt.date(2025, 11, 20),
        user=demo.users["office"],
        now=LATER,
    )
    published_result.refresh_from_db()
    assert published_result.category == ResultCategory.FALSE_INFO
    (row,) = _export(published_result)
    assert row["检查结果"] == "公示信息隐瞒真实情况、弄虚作假" and "原检查结果" not in row["说明"]


def test_an_officer_is_refused_in_the_same_words_on_the_page_and_the_api(published_result, demo, login):
    officer = demo.users["ad_officer"]
    with pytest.raises(PermissionDeniedError) as refused:
        objection_file(
            result=published_result, text="异议", filed_on=dt.date(2025, 11, 3), user=officer, now=LATER
        )
    words = refused.value.zh
    draw = published_result.drawn.draw
    page = login(officer).post(
        reverse("inspections:draw_results", args=[draw.pk, "objection"]),
        {"result": published_result.pk, "text": "异议", "filed_on": "2025-11-03"},
        follow=True,
    )
    assert words in _text(page)
    api = APIClient()
    api.force_authenticate(officer)
    answer = api.post(
        f"/api/inspections/draws/{draw.pk}/objection/",
        {"result": published_result.pk, "text": "异议", "filed_on": "2025-11-03"},
        format="json",
    )
    assert answer.status_code == 403 and answer.json()["error"]["zh"] == words
    assert not ResultObjection.objects.exists()


def test_the_office_files_and_decides_on_the_page_and_through_the_api(published_result, demo, login, clock):
    clock(LATER)
    draw = published_result.drawn.draw
    office = login(demo.users["office"])
    page = office.get(draw.get_absolute_url()).content.decode()
    assert "登记异议" in page and "核查项目" in page
    office.post(
        reverse("inspections:draw_results", args=[draw.pk, "objection"]),
        {"result": published_result.pk, "text": "网址属实", "filed_on": "2025-11-03"},
    )
    objection = ResultObjection.objects.get()
    assert "作出异议处理" in office.get(draw.get_absolute_url()).content.decode()
    api = APIClient()
    api.force_authenticate(demo.users["office"])
    answer = api.post(
        f"/api/inspections/draws/{draw.pk}/objection-decide/",
        {
            "objection": objection.pk,
            "outcome": "upheld",
            "reason": "核实网店经营者为该公司",
            "category": "no_problem",
            "decided_on": "2025-11-20",
        },
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert (
        answer.json()["category_before"] == "false_info" and answer.json()["category_after"] == "no_problem"
    )
    page = _text(office.get(draw.get_absolute_url()))
    assert "异议成立，更正检查结果" in page and "原检查结果" in page
