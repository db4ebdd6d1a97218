"""The decision clock (办案期限), 市场监督管理行政处罚程序规定 (2022) art. 64.

"适用普通程序办理的案件应当自立案之日起九十日内作出处理决定。因案情复杂或者其他原因，不能在规定期限内
作出处理决定的，经市场监督管理部门负责人批准，可以延长三十日。案情特别复杂或者有其他特殊情况，经延期
仍不能作出处理决定的，应当由市场监督管理部门负责人集体讨论决定是否继续延期……案件处理过程中，中止、
听证、公告和检测、检验、检疫、鉴定、权利人辨认或者鉴别、责令退还多收价款等时间不计入前款所指的案件
办理期限。"

So 90 natural days from the day of filing (not counted, art. 80); a last day on a holiday or a weekend
ends on the next working day; stopped time does not count; 30 days more by the bureau's head, more
only by collective discussion. The case keeps a copy of the platform work item's deadline.

The calendar: 国庆 2025-10-01 … 10-08 off; 元旦 2026-01-01 … 01-03 off; 2027 not yet published.
"""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from wangjian.cases import services
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.platform.workitems.followup import followups_run
from wangjian.platform.workitems.models import ClockStop

from .conftest import DECISION_DUE, at

# ---------------------------------------------------------------- 90 natural days from filing


def test_a_case_is_decided_within_90_natural_days_of_filing(filed):
    # filed Friday 2025-11-07 (not counted): + 23 = 11-30, + 31 = 12-31 (54), + 31 = 2026-01-31 (85),
    # + 5 = Thursday 2026-02-05 (90). Natural days: 元旦 and the weekends count.
    case = filed()
    assert case.decision_due == DECISION_DUE == dt.date(2026, 2, 5)
    assert case.decision_basis == (
        "《市场监督管理行政处罚程序规定》第六十四条：适用普通程序办理的案件应当自立案之日起九十日内作出处理决定。"
        "2025-11-07立案（当日不计），90日届满为 2026-02-05。"
    )
    assert case.suspended_days == 0 and case.extension_days == 0


def test_a_decision_due_in_the_national_day_holidays_moves_to_the_next_working_day(filed):
    # filed Monday 2025-07-07: + 24 = 07-31, + 31 = 08-31 (55), + 30 = 09-30 (85), + 5 = Sunday 10-05 (90),
    # inside 国庆 (10-01 … 10-08 off): the first working day after is Thursday 10-09
    case = filed(found="2025-07-02", opened="2025-07-07")
    assert case.decision_due == dt.date(2025, 10, 9)
    assert "90日届满为 2025-10-09（2025-10-05 为节假日，顺延至其后第一个工作日）" in case.decision_basis


def test_a_decision_due_on_a_weekend_moves_to_monday(filed):
    # filed Monday 2025-11-10: + 20 = 11-30, + 31 = 12-31 (51), + 31 = 2026-01-31 (82), + 8 = Sunday 02-08 (90)
    # → Monday 2026-02-09
    case = filed(opened="2025-11-10")
    assert case.decision_due == dt.date(2026, 2, 9)
    assert "2026-02-08 为节假日，顺延" in case.decision_basis


# ---------------------------------------------------------------- time that does not count


@pytest.mark.parametrize("kind", ["inspection", "suspension", "hearing"])
def test_time_stopped_moves_the_decision_by_the_days_stopped(filed, act, officer, clock, kind):
    # stopped 2025-12-01 … 12-05 (both included): 5 days do not count, so 2026-02-05 + 5 = Tuesday 02-10
    case = filed()
    clock(at("2025-12-05"))
    act(case, officer, "stop", "2025-12-01", kind=kind, start=dt.date(2025, 12, 1), note="样品送检")
    act(case, officer, "resume", "2025-12-05", "17:00", end=dt.date(2025, 12, 5))
    assert case.decision_due == dt.date(2026, 2, 10)
    assert case.suspended_days == 5
    assert "不计入期间 5 天" in case.decision_basis and "2025-12-01—2025-12-05" in case.decision_basis
    assert services.decision_item(case).due == dt.date(2026, 2, 10)
    assert [e.action for e in case.events.all()][-2:] == ["stop", "resume"]
    assert "决定期限为 2026-02-10" in case.events.get(action="resume").comment


def test_a_running_stop_leaves_no_due_date_and_no_overdue_marking(filed, act, officer, clock):
    case = filed()
    clock(at("2025-12-01"))
    act(case, officer, "stop", "2025-12-01", kind="inspection", start=dt.date(2025, 12, 1), note="样品送检")
    assert case.decision_due is None and not case.decision_provisional
    assert "期限中止" in case.decision_basis
    # counted 11-08 … 11-30 (23 days) before the stop; 90 - 23 = 67 left when it ends
    assert "已计 23日" in case.decision_basis and "恢复后还剩 67日" in case.decision_basis
    # long after the 90 days would have run out, the stopped clock is still not late
    clock(at("2026-03-02"))
    report = followups_run(now=at("2026-03-02"), deliver=False)
    case.refresh_from_db()
    assert case.number not in report.overdue
    assert not case.decision_overdue and not case.overdue
    assert not case.events.filter(action="overdue").exists()


def test_a_running_stop_counts_the_days_stopped_so_far(filed, act, officer, clock):
    case = filed()
    clock(at("2025-12-01"))
    act(case, officer, "stop", "2025-12-01", kind="inspection", start=dt.date(2025, 12, 1), note="样品送检")
    assert case.days_suspended(dt.date(2025, 12, 1)) == 1  # 12-01
    clock(at("2025-12-10"))
    followups_run(now=at("2025-12-10"), deliver=False)
    out = io.StringIO()
    call_command("cases", "list", "--json", stdout=out)
    [row] = map(json.loads, out.getvalue().splitlines())
    assert row["suspended_days"] == 10  # 12-01 … 12-10


def test_a_stop_is_recorded_by_the_officers_with_its_reason(filed, act, officer, legal):
    case = filed()
    with pytest.raises(ValidationFailed):
        act(case, officer, "stop", "2025-12-01", kind="inspection", start=dt.date(2025, 12, 1), note="")
    with pytest.raises(PermissionDeniedError) as refused:
        act(case, legal, "stop", "2025-12-01", kind="inspection", start=dt.date(2025, 12, 1), note="送检")
    assert "第六十四条第二款" in refused.value.zh
    with pytest.raises(ValidationFailed):  # nothing to resume
        act(case, officer, "resume", "2025-12-05", end=dt.date(2025, 12, 5))
    assert not ClockStop.objects.exists()


# ---------------------------------------------------------------- extensions


def test_the_bureau_head_extends_the_decision_by_30_days(filed, act, leader):
    # 2026-02-05 + 30 = Saturday 03-07 (February 2026 has 28 days) → Monday 03-09
    case = filed()
    act(case, leader, "extend", "2026-01-20", days=30, reason="涉案商品批次多，需调取平台交易记录")
    assert case.decision_due == dt.date(2026, 3, 9) and case.extension_days == 30
    assert "延长30日（王局长 2026-01-20 批准，涉案商品批次多，需调取平台交易记录）" in case.decision_basis
    event = case.events.get(action="extend")
    assert event.actor == leader
    assert event.comment == "经负责人批准延长30日：涉案商品批次多，需调取平台交易记录；决定期限为 2026-03-09"


def test_more_than_30_days_needs_collective_discussion(filed, act, leader):
    case = filed()
    with pytest.raises(ValidationFailed) as refused:
        act(case, leader, "extend", "2026-01-20", days=45, reason="案情复杂")
    assert "最多延长30日" in refused.value.zh
    act(case, leader, "extend", "2026-01-20", days=30, reason="案情复杂")
    with pytest.raises(ValidationFailed):
        act(case, leader, "extend", "2026-03-02", days=20, reason="仍需鉴定")
    assert case.extension_days == 30
    # 120 days end Monday 03-09 (from 03-07); 20 more by collective discussion: 03-07 + 20 = Friday 03-27
    act(
        case,
        leader,
        "extend",
        "2026-03-02",
        days=20,
        reason="经局长办公会集体讨论，继续延期",
        collective=True,
    )
    assert case.decision_due == dt.date(2026, 3, 27) and case.extension_days == 50
    assert case.events.filter(action="extend").last().comment.startswith("经集体讨论决定延长20日")


@pytest.mark.parametrize("who", ["ad_head", "ad_officer", "office", "legal"])
def test_only_the_bureau_head_extends(demo, filed, act, who):
    case = filed()
    with pytest.raises(PermissionDeniedError) as refused:
        act(case, demo.users[who], "extend", "2026-01-20", days=30, reason="案情复杂")
    assert refused.value.zh.startswith("“延长办案期限”只能由局负责人操作")
    assert "程序规定第六十四条第一款" in refused.value.zh
    case.refresh_from_db()
    assert case.decision_due == DECISION_DUE and case.extension_days == 0


def test_the_case_keeps_the_days_stopped_and_added(filed, act, officer, leader, clock):
    # 5 days stopped (12-01 … 12-05) and 30 added: 2026-02-05 + 35 = Thursday 03-12
    case = filed()
    clock(at("2025-12-05"))
    act(case, officer, "stop", "2025-12-01", kind="announcement", start=dt.date(2025, 12, 1), note="公告送达")
    act(case, officer, "resume", "2025-12-05", end=dt.date(2025, 12, 5))
    act(case, leader, "extend", "2026-01-20", days=30, reason="公告期满后仍需调查")
    assert (case.suspended_days, case.extension_days) == (5, 30)
    assert case.decision_due == dt.date(2026, 3, 12)


# ---------------------------------------------------------------- a year whose holidays are not published


def test_a_deadline_in_an_unpublished_year_is_provisional_and_never_overdue(filed, clock):
    # filed Monday 2026-11-02: + 28 = 11-30, + 31 = 12-31 (59), + 31 = 2027-01-31 (90), a Sunday; 2027's
    # holidays are not published, so weekends only: Monday 2027-02-01, provisional
    case = filed(found="2026-10-28", opened="2026-11-02")
    assert case.decision_due == dt.date(2027, 2, 1)
    assert case.decision_provisional
    assert "【暂定】2027年节假日安排尚未录入" in case.decision_basis
    clock(at("2027-03-01"))
    report = followups_run(now=at("2027-03-01"), deliver=False)
    case.refresh_from_db()
    assert case.number in report.waiting_calendar and case.number not in report.overdue
    assert not case.decision_overdue and not case.overdue


# ---------------------------------------------------------------- the platform's follow-up


def test_the_follow_up_marks_a_case_overdue_the_day_after_its_decision_was_due(filed, clock):
    case = filed()
    clock(at("2026-02-05", "17:00"))
    followups_run(now=at("2026-02-05", "17:00"), deliver=False)
    case.refresh_from_db()
    assert not case.decision_overdue and not case.overdue  # the due day itself is in time (art. 84)
    clock(at("2026-02-06", "09:00"))
    report = followups_run(now=at("2026-02-06", "09:00"), deliver=False)
    case.refresh_from_db()
    assert case.number in report.overdue
    assert case.decision_overdue and case.overdue
    assert services.decision_item(case).overdue
    [event] = case.events.filter(action="overdue")
    assert event.comment == "作出处理决定的期限 2026-02-05 已过（程序规定第六十四条）"
    assert event.actor is None and event.actor_name == "系统"
    followups_run(now=at("2026-02-06", "09:05"), deliver=False)
    assert case.events.filter(action="overdue").count() == 1  # once


def test_an_extension_lifts_the_overdue_marking(filed, act, leader, clock):
    case = filed()
    clock(at("2026-02-06", "09:00"))
    followups_run(now=at("2026-02-06", "09:00"), deliver=False)
    case.refresh_from_db()
    assert case.decision_overdue
    act(case, leader, "extend", "2026-02-06", days=30, reason="鉴定结论未出")
    assert case.decision_due == dt.date(2026, 3, 9)
    assert not case.decision_overdue and not case.overdue


def test_a_decided_case_is_not_overdue(filed, advance, clock):
    case = advance(filed(), "decided")
    clock(at("2026-03-02"))
    followups_run(now=at("2026-03-02"), deliver=False)
    case.refresh_from_db()
    assert services.decision_item(case) is None
    assert not case.overdue and not case.decision_overdue and not case.clock_running
