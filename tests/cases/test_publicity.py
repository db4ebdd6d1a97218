"""Publicity of penalty decisions (市场监督管理行政处罚信息公示规定): what, by when, how long, taken down, exported."""

from __future__ import annotations

import datetime as dt

import pytest

from wangjian.cases.models import CaseSettings
from wangjian.cases.services import publicity
from wangjian.core.errors import ValidationFailed


@pytest.fixture
def decided(filed, act, officer, legal, leader):
    """``decided(**decide_values)`` → a case decided by 王局长 on 2025-11-24 after notice on 11-14."""

    def _decided(**values):
        case = filed()
        act(case, officer, "end_investigation", "2025-11-12", report="事实清楚")
        act(case, officer, "submit_review", "2025-11-12")
        act(case, legal, "reviewed", "2025-11-13", opinion="同意")
        act(case, officer, "notify", "2025-11-14", served_on=dt.date(2025, 11, 14), fine_amount="3000")
        values.setdefault("summary", "罚款三千元")
        act(case, leader, "decide", "2025-11-24", penalised=True, **values)
        return case

    return _decided


def test_a_general_procedure_fine_is_published_within_20_working_days(decided):
    case = decided(fine_amount="3000")
    # 2025-11-24 + 20 working days: 11-25..11-28 (4), 12-01..12-05 (9), 12-08..12-12 (14), 12-15..12-19 (19), 12-22 (20)
    assert case.publicity_required and case.publicity_due == dt.date(2025, 12, 22)
    assert case.penalty_kinds == ["fine"]


def test_a_warning_alone_is_not_published(decided):
    case = decided(penalty_kinds=["warning"])
    assert not case.publicity_required and "仅给予警告" in case.publicity_note


def test_a_lower_fine_shows_three_months_a_higher_one_three_years(decided, act, officer, demo):
    low = decided(fine_amount="3000")
    act(low, officer, "publish", "2025-12-01", published_on=dt.date(2025, 12, 1))
    assert low.publicity_until == dt.date(2026, 3, 1)
    CaseSettings.objects.create(bureau=demo.county, low_fine_organisation=1000)  # the province's lower amount
    high = decided(fine_amount="3000")
    act(high, officer, "publish", "2025-12-01", published_on=dt.date(2025, 12, 1))
    assert high.publicity_until == dt.date(2028, 12, 1)


def test_publicity_is_taken_down_with_its_reason_and_leaves_the_export(decided, act, officer, demo):
    case = decided(fine_amount="3000")
    act(case, officer, "publish", "2025-12-01", published_on=dt.date(2025, 12, 1))
    rows = publicity.publicity_rows(bureau=demo.county, start=dt.date(2025, 11, 1), end=dt.date(2025, 11, 30))
    assert [r[0] for r in rows] == [case.decision_number]
    assert rows[0][11] == case.party_name and rows[0][13] == case.party_uscc
    with pytest.raises(ValidationFailed):
        act(case, officer, "unpublish", "2026-01-05", reason="")
    act(case, officer, "unpublish", "2026-01-05", reason="复议决定撤销", revoked_on=dt.date(2025, 12, 29))
    assert case.publicity_withdrawn_on == dt.date(2026, 1, 5)
    # revoked 12-29: 3 working days → 12-30, 12-31, 2026-01-04 (Sunday, a make-up working day): 01-05 is late
    assert "超过撤下期限" in case.events.filter(action="unpublish").get().comment
    assert (
        publicity.publicity_rows(bureau=demo.county, start=dt.date(2025, 11, 1), end=dt.date(2025, 11, 30))
        == []
    )


def test_a_natural_persons_name_is_masked_in_the_export(decided, demo):
    case = decided(fine_amount="3000")
    case.party_kind, case.party_name = "person", "张三丰"
    case.save()
    row = publicity.publicity_rows(bureau=demo.county, start=dt.date(2025, 11, 1), end=dt.date(2025, 11, 30))[
        0
    ]
    assert row[11] == "张**" and row[12] == "自然人" and row[13] == ""
