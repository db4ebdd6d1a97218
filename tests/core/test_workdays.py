"""The working-day calendar: Mon–Fri, minus public holidays, plus make-up working days (调休)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wangjian.core import services, workdays
from wangjian.core.workdays import Calendar, UncoveredYearError

D = dt.date
PACKAGE = Calendar()  # the package alone, no entered arrangements


def test_seven_working_days_after_26_september_2025_cross_national_day_to_13_october():
    # 2025-09-28 (Sun) is a make-up working day; 10-01..10-08 is the National Day + Mid-autumn break;
    # 10-11 (Sat) is a make-up working day.
    assert PACKAGE.add_working_days(D(2025, 9, 26), 7) == D(2025, 10, 13)
    assert PACKAGE.working_days_between(D(2025, 9, 26), D(2025, 10, 13)) == 7


def test_national_day_2025_holidays_and_make_up_days():
    for day in range(1, 9):
        assert not PACKAGE.is_working_day(D(2025, 10, day)), f"2025-10-0{day} is a holiday"
    assert PACKAGE.is_working_day(D(2025, 9, 28))  # Sunday, make-up
    assert PACKAGE.is_working_day(D(2025, 10, 11))  # Saturday, make-up
    assert PACKAGE.day_name(D(2025, 10, 1)) == "国庆节"


def test_spring_festival_2025_with_make_up_sunday_and_saturday():
    for day in (28, 29, 30, 31):
        assert not PACKAGE.is_working_day(D(2025, 1, day))
    for day in range(1, 5):
        assert not PACKAGE.is_working_day(D(2025, 2, day))
    assert PACKAGE.is_working_day(D(2025, 1, 26))  # Sunday
    assert PACKAGE.is_working_day(D(2025, 2, 8))  # Saturday
    assert PACKAGE.day_name(D(2025, 1, 29)) == "春节"


def test_spring_festival_2026_nine_days_with_two_make_up_saturdays():
    for day in range(15, 24):
        assert not PACKAGE.is_working_day(D(2026, 2, day)), f"2026-02-{day}"
    assert PACKAGE.is_working_day(D(2026, 2, 14))  # Saturday
    assert PACKAGE.is_working_day(D(2026, 2, 28))  # Saturday
    # Feedback on a clue assigned on Friday 13 Feb 2026 is due 7 working days later.
    assert PACKAGE.add_working_days(D(2026, 2, 13), 7) == D(2026, 3, 2)


def test_national_day_2026_and_make_up_days():
    for day in range(1, 8):
        assert not PACKAGE.is_working_day(D(2026, 10, day))
    assert PACKAGE.is_working_day(D(2026, 9, 20))  # Sunday
    assert PACKAGE.is_working_day(D(2026, 10, 10))  # Saturday
    assert PACKAGE.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)


def test_start_day_is_not_counted_and_between_excludes_a_includes_b():
    assert PACKAGE.add_working_days(D(2025, 3, 3), 1) == D(2025, 3, 4)
    assert PACKAGE.working_days_between(D(2025, 3, 3), D(2025, 3, 4)) == 1
    assert PACKAGE.working_days_between(D(2025, 3, 3), D(2025, 3, 3)) == 0


def test_backwards_counting_for_reminders():
    assert PACKAGE.add_working_days(D(2025, 10, 13), -7) == D(2025, 9, 26)


def test_uncovered_year_is_an_error_naming_the_year_and_how_to_enter_it():
    with pytest.raises(UncoveredYearError) as exc:
        PACKAGE.add_working_days(D(2026, 12, 28), 7)
    assert exc.value.year == 2027
    assert "2027年" in exc.value.zh and "wangjian workdays import" in exc.value.zh
    assert "2027" in exc.value.en


def test_explanation_names_the_holidays_skipped():
    exp = PACKAGE.explain_add(D(2025, 9, 26), 7)
    names = {name for _, name in exp.skipped}
    assert "国庆节" in names
    assert "国庆节" in exp.skipped_text()


working_dates = st.dates(min_value=D(2010, 1, 1), max_value=D(2026, 6, 30))


@settings(max_examples=300, deadline=None)
@given(start=working_dates, n=st.integers(min_value=0, max_value=60))
def test_property_between_inverts_add(start, n):
    assert PACKAGE.working_days_between(start, PACKAGE.add_working_days(start, n)) == n


@settings(max_examples=300, deadline=None)
@given(start=working_dates, n=st.integers(min_value=1, max_value=60))
def test_property_result_is_always_a_working_day(start, n):
    assert PACKAGE.is_working_day(PACKAGE.add_working_days(start, n))


ARRANGEMENT_2027 = """
year: 2027
notice: 国务院办公厅关于2027年部分节假日安排的通知（示例）
holidays:
  - {name: 元旦, dates: 2027-01-01..2027-01-03}
  - {name: 春节, dates: 2027-02-05..2027-02-13}
workdays:
  - {name: 春节, date: 2027-02-14}
"""


@pytest.mark.django_db
def test_entered_arrangement_extends_the_calendar_to_a_new_year():
    services.arrangement_import(content=ARRANGEMENT_2027, filename="2027.yaml")
    cal = Calendar.load()
    assert not cal.is_working_day(D(2027, 2, 8))  # Monday in the break
    assert cal.is_working_day(D(2027, 2, 14))  # Sunday, make-up
    assert cal.is_working_day(D(2027, 3, 1))  # ordinary Monday
    assert workdays.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)


@pytest.mark.django_db
def test_entered_day_overrides_the_package():
    assert workdays.is_working_day(D(2026, 6, 1))
    services.calendar_day_set(date=D(2026, 6, 1), kind="holiday", name="地方安排")
    cal = Calendar.load()
    assert not cal.is_working_day(D(2026, 6, 1))
    # the rest of 2026 still comes from the package
    assert not cal.is_working_day(D(2026, 10, 1))
    assert cal.is_working_day(D(2026, 10, 10))


@pytest.mark.django_db
def test_bad_arrangement_is_rejected_whole_with_reasons():
    from wangjian.core.errors import ValidationFailed
    from wangjian.core.models import CalendarDay

    bad = "date,kind,name\n2027-01-01,holiday,元旦\n2027-13-01,holiday,x\n2027-02-14,maybe,春节\n"
    with pytest.raises(ValidationFailed) as exc:
        services.arrangement_import(content=bad, filename="2027.csv")
    rows = {str(e["row"]) for e in exc.value.detail}
    assert rows == {"3", "4"}
    assert CalendarDay.objects.count() == 0
