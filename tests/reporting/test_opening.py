"""Opening reports: by the daily job the day after the period, and by ``wangjian reporting open --period``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tests.reporting.conftest import at, d
from wangjian.core.errors import ValidationFailed
from wangjian.platform.workitems.models import WorkItemState
from wangjian.reporting import periods, services
from wangjian.reporting.models import Report


def test_periods_are_named_the_way_officers_write_them():
    assert periods.parse("2025-10").end == d("2025-10-31")
    assert periods.parse("2025-Q4").start == d("2025-10-01")
    assert periods.parse("2025-H1").end == d("2025-06-30")
    assert periods.parse("2025").label == "2025"
    assert periods.last_complete("quarter", d("2025-11-03")).label == "2025-Q3"
    with pytest.raises(ValidationFailed) as refusal:
        periods.parse("2025-13")
    assert "2025-Q3" in refusal.value.zh


def test_the_daily_job_opens_last_month_for_every_child_due_five_working_days_after_the_month(demo, template):
    result = services.reporting_daily(today=d("2025-11-03"), now=at("2025-11-03", "01:00"))
    assert result == {"opened": 2}
    reports = {r.bureau.code: r for r in Report.objects.filter(template=template).select_related("bureau")}
    assert set(reports) == {demo.county.code, demo.other_county.code}
    jingde = reports[demo.county.code]
    assert (jingde.period_label, jingde.period_start, jingde.period_end) == (
        "2025-10",
        d("2025-10-01"),
        d("2025-10-31"),
    )
    # 2025-10-31 is a Friday: the fifth working day after it is Friday 7 November
    assert jingde.due == d("2025-11-07")
    assert "工作规则" in jingde.due_basis
    item = jingde.work_item
    assert (item.due, item.state, item.bureau_id) == (d("2025-11-07"), WorkItemState.OPEN, demo.county.pk)
    assert item.department == demo.county.office()
    # the next day's run opens nothing twice
    assert services.reporting_daily(today=d("2025-11-04"), now=at("2025-11-04"))["opened"] == 0


def test_nothing_is_owed_for_a_period_before_the_template_starts(template):
    assert services.reporting_daily(today=d("2025-10-02"), now=at("2025-10-02"))["opened"] == 0


def test_the_template_names_the_bureaus_that_report_or_all_direct_children(demo, staff, template):
    with pytest.raises(ValidationFailed) as refusal:
        services.template_save(
            bureau=demo.city,
            user=staff["city_office"],
            name="x",
            figures=["clues_received"],
            period_kind="month",
            subordinates=[demo.province],
        )
    assert "直属下级局" in refusal.value.zh
    template.subordinates.set([demo.other_county])
    made = services.reports_open(template=template, period=periods.parse("2025-11"), now=at("2025-12-01"))
    assert [r.bureau for r in made] == [demo.other_county]


def test_the_command_opens_a_given_period(demo, template):
    out = StringIO()
    call_command("reporting", "open", "--period", "2025-10", stdout=out)
    assert "共开启 2 份报送" in out.getvalue()
    assert Report.objects.filter(template=template, period_label="2025-10").count() == 2
