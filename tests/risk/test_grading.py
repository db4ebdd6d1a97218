"""Grades, their explanations, the preview of new settings, the stricter treatment of 重点监控, the indicator registry."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.risk.conftest import TODAY
from wangjian.monitoring.choices import FindingStatus, Severity
from wangjian.platform import indicators
from wangjian.platform.indicators import Indicator, IndicatorValue
from wangjian.platform.workitems.models import WorkItem
from wangjian.registry.models import MarketEntity
from wangjian.risk.models import EntityGrade, GradeChange
from wangjian.risk.selectors import grades_of
from wangjian.risk.services import settings as risk_settings
from wangjian.risk.services.grading import grades_compute, grades_preview
from wangjian.risk.services.store import grades_store


def test_a_d_class_with_two_confirmed_findings_is_key_and_the_words_name_each_term(make):
    entity = make.entity()
    make.credit(entity, "D")
    make.finding(entity)
    make.finding(entity)
    grade = grades_compute(bureau=make.county, today=TODAY, entity_ids=[entity.pk])[entity.pk]
    assert grade.grade == "key"
    assert grade.score == 70
    assert grade.words == (
        "信用风险分类D类（2026年11月）+40；近90日确认违法发现2条（高2） +30；合计70分，重点监控（≥60分）"
    )
    terms = {t["indicator"]: t for t in grade.contributions}
    assert terms["credit.class"]["points"] == 40
    assert terms["monitoring.findings_confirmed"] == {
        "indicator": "monitoring.findings_confirmed",
        "label": "近90日确认违法的监测发现",
        "value": 2.0,
        "weight": 15.0,
        "points": 30.0,
        "text": "近90日确认违法发现2条（高2）",
        "capped": False,
    }


def test_an_entity_without_a_credit_class_is_graded_on_online_indicators_and_says_so(make):
    entity = make.entity()
    make.finding(entity)
    make.finding(entity, severity=Severity.MEDIUM)
    make.finding(entity, status=FindingStatus.NEW)
    grade = grades_compute(bureau=make.county, today=TODAY, entity_ids=[entity.pk])[entity.pk]
    assert grade.credit_class == ""
    assert grade.words.startswith("无信用风险分类结果，仅按线上指标评定；")
    # 15 × (1 + 0.5) confirmed, 5 × 1 awaiting review
    assert grade.score == 27.5
    assert grade.grade == "general"


def test_findings_older_than_90_days_and_stale_classes_do_not_count(make):
    entity = make.entity()
    make.finding(entity, seen=TODAY - dt.timedelta(days=91))
    make.credit(entity, "D", month=dt.date(2025, 11, 1))  # thirteen months before: no longer describes it
    grade = grades_compute(bureau=make.county, today=TODAY, entity_ids=[entity.pk])[entity.pk]
    assert (grade.score, grade.grade, grade.credit_class) == (0, "general", "")
    assert (
        grade.words == "无信用风险分类结果，仅按线上指标评定；未发现线上风险指标；合计0分，一般监控（<30分）"
    )


def test_an_indicator_is_capped_and_the_words_say_so(make):
    entity = make.entity()
    for _ in range(4):
        make.finding(entity)
    grade = grades_compute(bureau=make.county, today=TODAY, entity_ids=[entity.pk])[entity.pk]
    assert grade.score == 45
    assert "近90日确认违法发现4条（高4） +45（封顶）" in grade.words


def test_the_preview_counts_the_changes_new_thresholds_would_make_without_saving_them(make):
    d_only, c_only, nothing = make.entity(), make.entity(), make.entity()
    make.credit(d_only, "D")
    make.credit(c_only, "C")
    grades_store(bureau=make.county, today=TODAY)
    assert set(EntityGrade.objects.filter(bureau=make.county).values_list("grade", flat=True)) >= {"warning"}
    new = risk_settings.settings_build(
        bureau=make.county, values={"key_threshold": "40", "warning_threshold": "20"}
    )
    preview = grades_preview(bureau=make.county, today=TODAY, settings=new)
    assert preview.moves[("warning", "key")] == 1  # D: 40 points
    assert preview.moves[("general", "warning")] == 1  # C: 20 points
    assert preview.changed == 2
    assert ("general", "general") not in preview.moves
    # nothing was saved: the stored grades and settings are as before
    assert EntityGrade.objects.get(entity=d_only).grade == "warning"
    assert risk_settings.settings_for(make.county).pk is None
    assert EntityGrade.objects.get(entity=nothing).grade == "general"


def test_a_change_to_key_hands_the_covering_station_a_task_and_is_kept_in_the_history(make):
    entity = make.entity(region="341825107001")  # 俞村镇: 蔡家桥市场监管所
    make.credit(entity, "D")
    first = grades_store(bureau=make.county, today=TODAY)
    assert EntityGrade.objects.get(entity=entity).grade == "warning"
    assert first.tasks == 0
    make.finding(entity)
    make.finding(entity)
    second = grades_store(bureau=make.county, today=TODAY + dt.timedelta(days=1))
    assert second.moves[("warning", "key")] == 1
    change = GradeChange.objects.filter(entity=entity).order_by("on", "id").last()
    assert (change.from_grade, change.to_grade, change.on) == ("warning", "key", TODAY + dt.timedelta(days=1))
    assert change.reasons.startswith("信用风险分类D类（2026年11月）+40；近90日确认违法发现2条")
    item = WorkItem.objects.get(pk=change.work_item_id)
    assert item.kind == "risk.key_check"
    assert item.station.name == "蔡家桥市场监管所"
    assert entity.name in item.title and "转为重点监控" in item.body
    assert MarketEntity.objects.get(pk=entity.pk).risk_grade == "key"
    assert grades_of([entity.pk]) == {entity.pk: ("key", "D")}
    # graded again with nothing new: nothing written, no second task
    third = grades_store(bureau=make.county, today=TODAY + dt.timedelta(days=1))
    assert (third.written, third.tasks) == (0, 0)
    assert WorkItem.objects.filter(kind="risk.key_check").count() == 1


def test_a_first_grading_of_general_is_not_recorded_as_a_change(make):
    entity = make.entity()
    grades_store(bureau=make.county, today=TODAY)
    assert EntityGrade.objects.get(entity=entity).grade == "general"
    assert not GradeChange.objects.filter(entity=entity).exists()
    assert MarketEntity.objects.get(pk=entity.pk).risk_grade == "general"


def test_grades_of_answers_every_id_asked_for(make):
    graded, never = make.entity(), make.entity()
    make.credit(graded, "B", month=dt.date(2026, 10, 1))
    make.credit(graded, "C")
    grades_store(bureau=make.county, today=TODAY, entity_ids=[graded.pk])
    assert grades_of([graded.pk, never.pk]) == {graded.pk: ("general", "C"), never.pk: ("", "")}


@pytest.fixture
def fake_indicator():
    """An indicator registered by a test, as an app registers its own in ``ready``."""
    marked: set[int] = set()

    def compute(bureau_id, entity_ids, today):
        return {e: IndicatorValue(2.0, f"测试指标命中2次（{today:%m-%d}）") for e in marked}

    indicator = Indicator("tests.fake", "测试指标", "a test's indicator", "tests", compute)
    indicators.register(indicator)
    yield marked
    indicators.unregister("tests.fake")


def test_a_registered_indicator_is_read_by_the_grading_and_weighs_what_the_office_sets(
    make, demo, fake_indicator
):
    entity = make.entity()
    fake_indicator.add(entity.pk)
    unweighted = grades_compute(bureau=make.county, today=TODAY, entity_ids=[entity.pk])[entity.pk]
    assert "测试指标命中2次（12-07） +0（未设权重，不计分）" in unweighted.words
    assert unweighted.score == 0
    risk_settings.settings_save(
        user=demo.users["office"], bureau=make.county, values={"weights": {"tests.fake": "20"}}
    )
    weighted = grades_compute(bureau=make.county, today=TODAY, entity_ids=[entity.pk])[entity.pk]
    assert (weighted.score, weighted.grade) == (40, "warning")
    assert "测试指标命中2次（12-07） +40" in weighted.words


def test_only_the_office_sets_the_rules(make, demo):
    from wangjian.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        risk_settings.settings_save(user=demo.users["ad_officer"], bureau=make.county, values={})


def test_thresholds_must_keep_warning_below_key(make):
    from wangjian.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        risk_settings.settings_build(
            bureau=make.county, values={"key_threshold": 20, "warning_threshold": 30}
        )


def test_every_default_weight_names_a_registered_indicator():
    risk_settings.check_defaults()
