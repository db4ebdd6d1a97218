"""Legal clocks: working days, natural days and months across holidays and make-up days; time that does
not count; extensions; provisional deadlines in a year whose holidays are not entered yet."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wangjian.core.clocks import (
    Extension,
    Period,
    Suspension,
    Unit,
    add_months,
    compute,
    working_days_between,
)
from wangjian.core.workdays import Calendar

D = dt.date
WD, DAYS, MONTHS = Unit.WORKING_DAYS, Unit.DAYS, Unit.MONTHS
# 2025: 国庆节 and 中秋节 10-01…10-08 off; Sunday 09-28 and Saturday 10-11 worked (调休上班).


@pytest.fixture
def calendar() -> Calendar:
    return Calendar()  # the chinese-calendar package alone: no database needed


def due(calendar, start, length, unit, **kw):
    return compute(start=start, period=Period(length, unit), calendar=calendar, **kw)


# ---------------------------------------------------------------- working days


def test_fifteen_working_days_skip_the_national_day_holidays_and_count_the_make_up_days(calendar):
    deadline = due(calendar, D(2025, 9, 26), 15, WD)  # a Friday
    assert deadline.due == D(2025, 10, 23)
    assert D(2025, 9, 28) not in [d for d, _ in deadline.skipped]  # a Sunday worked counts
    assert D(2025, 10, 11) not in [d for d, _ in deadline.skipped]  # a Saturday worked counts
    assert (D(2025, 10, 1), "国庆节") in deadline.skipped
    assert not deadline.provisional and "第15个工作日为 2025-10-23" in deadline.basis_text("发现")


def test_the_first_day_is_not_counted_and_the_due_day_is_still_in_time(calendar):
    deadline = due(calendar, D(2025, 11, 3), 1, WD)  # Monday
    assert deadline.due == D(2025, 11, 4)
    assert deadline.in_time(D(2025, 11, 4)) and not deadline.in_time(D(2025, 11, 5))


def test_a_period_counted_backwards_ends_seven_working_days_before_the_hearing(calendar):
    # 听证办法 art. 20: the notice is served 7 working days before the hearing (Monday 2025-10-13)
    assert due(calendar, D(2025, 10, 13), -7, WD).due == D(2025, 9, 26)


@settings(max_examples=80, deadline=None)
@given(start=st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 11, 30)), n=st.integers(1, 20))
def test_a_working_day_deadline_is_a_working_day_with_exactly_n_working_days_after_the_start(start, n):
    calendar = Calendar()
    deadline = due(calendar, start, n, WD)
    assert calendar.is_working_day(deadline.due)
    assert calendar.working_days_between(start, deadline.due) == n
    assert calendar.working_days_between(start, deadline.due - dt.timedelta(days=1)) == n - 1


# ---------------------------------------------------------------- natural days and months


def test_natural_days_ending_on_a_holiday_end_on_the_next_working_day(calendar):
    # 程序规定 art. 80: the 15th day after 09-16 is 10-01, a holiday; the period ends on 10-09
    deadline = due(calendar, D(2025, 9, 16), 15, DAYS)
    assert deadline.due == D(2025, 10, 9) and deadline.moved_from == D(2025, 10, 1)
    assert "顺延" in deadline.basis_text("收到")


def test_the_ninety_day_case_clock_runs_in_natural_days_and_is_moved_past_the_holiday(calendar):
    assert due(calendar, D(2025, 7, 3), 90, DAYS).due == D(2025, 10, 9)
    assert due(calendar, D(2025, 3, 3), 90, DAYS).due == D(2025, 6, 3)  # 06-01 is a Sunday, 06-02 端午


def test_natural_days_ending_on_a_weekend_move_to_monday_but_a_make_up_saturday_is_a_working_day(calendar):
    assert due(calendar, D(2025, 11, 7), 15, DAYS).due == D(2025, 11, 24)  # 11-22 Sat → Mon 11-24
    assert due(calendar, D(2025, 9, 26), 15, DAYS).due == D(2025, 10, 11)  # a Saturday worked


def test_months_end_on_the_same_date_or_the_months_last_day(calendar):
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 11, 15), 3) == D(2026, 2, 15)
    deadline = due(calendar, D(2025, 11, 30), 3, MONTHS)
    assert deadline.due == D(2026, 2, 28) and deadline.moved_from is None  # 2026-02-28: a Saturday worked
    six = due(calendar, D(2025, 4, 1), 6, MONTHS)  # 2025-10-01 falls in the holiday
    assert six.due == D(2025, 10, 9) and six.moved_from == D(2025, 10, 1)


# ---------------------------------------------------------------- time that does not count, extensions


def test_time_that_does_not_count_stops_the_clock_and_it_restarts_with_the_days_left(calendar):
    start = D(2025, 9, 26)
    running = due(
        calendar, start, 15, WD, suspensions=[Suspension("inspection", D(2025, 10, 13), label="检测")]
    )
    assert running.stopped and running.due is None
    assert running.counted == 6 and running.left == 9  # 09-28 … 10-11 counted before the test began
    assert "恢复后还剩 9个工作日" in running.basis_text("发现")
    ended = due(
        calendar,
        start,
        15,
        WD,
        suspensions=[Suspension("inspection", D(2025, 10, 13), D(2025, 10, 15), "检测")],
    )
    assert ended.due == D(2025, 10, 28)  # three working days later than without the test
    assert "不计入：检测 2025-10-13—2025-10-15" in ended.basis_text("发现")


def test_suspended_days_lengthen_a_natural_day_period_day_for_day(calendar):
    plain = due(calendar, D(2025, 11, 3), 30, DAYS)
    held = due(
        calendar,
        D(2025, 11, 3),
        30,
        DAYS,
        suspensions=[Suspension("hearing", D(2025, 11, 10), D(2025, 11, 14))],
    )
    assert plain.due == D(2025, 12, 3) and held.due == D(2025, 12, 8)


def test_an_extension_adds_to_the_length_with_who_approved_it(calendar):
    ext = Extension(15, "局长 张三", D(2025, 10, 20), "情况复杂")
    deadline = due(calendar, D(2025, 9, 26), 15, WD, extensions=[ext])
    assert deadline.total == 30 and deadline.due == due(calendar, D(2025, 9, 26), 30, WD).due
    assert "延长15个工作日（局长 张三 2025-10-20 批准，情况复杂）" in deadline.basis_text("发现")


# ---------------------------------------------------------------- a year whose holidays are not entered


def test_a_period_into_an_unentered_year_is_provisional_with_weekends_only_and_says_why(calendar):
    deadline = due(calendar, D(2026, 12, 28), 7, WD)
    assert deadline.provisional and deadline.provisional_years == (2027,)
    assert deadline.due == D(2027, 1, 6)  # 01-01 counted: nobody knows yet that it is a holiday
    assert "【暂定】2027年节假日安排尚未录入" in deadline.basis_text("分派")


def test_the_provisional_deadline_becomes_final_when_the_year_is_entered():
    entered = Calendar(entered={D(2027, 1, 1): (False, "元旦")}, entered_years={2027})
    deadline = due(entered, D(2026, 12, 28), 7, WD)
    assert not deadline.provisional and deadline.due == D(2027, 1, 7)
    assert "01-01(元旦)" in deadline.basis_text("分派")


def test_a_natural_day_period_is_provisional_only_when_its_last_day_falls_in_an_unentered_year(calendar):
    assert not due(calendar, D(2026, 11, 1), 15, DAYS).provisional
    late = due(calendar, D(2026, 12, 20), 15, DAYS)  # 2027-01-04, a Monday: a working day by the guess
    assert late.provisional and late.due == D(2027, 1, 4)


def test_counting_working_days_into_an_unentered_year_says_it_guessed(calendar):
    assert working_days_between(D(2026, 12, 28), D(2027, 1, 6), calendar) == (7, True)
    assert working_days_between(D(2025, 9, 26), D(2025, 10, 23), calendar) == (15, False)
