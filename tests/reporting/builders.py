"""Row builders of the reporting models for tests/platform/test_views_generated.py's ``BUILDERS``:
``from tests.reporting.builders import REPORTING_BUILDERS`` and ``**REPORTING_BUILDERS`` in the dict.

Each row is 旌德县's (``rows.county``) and visible to its office: a template of the county (for a bureau
below it), a report of the county to its city; rows are made directly (the rules are the reporting tests')."""

from __future__ import annotations

import datetime as dt


def _template(rows, n: int):  # noqa: ANN001, ANN202
    from wangjian.reporting.models import ReportTemplate

    return ReportTemplate.objects.create(
        bureau=rows.county,
        key=f"monthly-{n}",
        name=f"月度数据报送{n}",
        figures=["clues_received"],
        period_kind="month",
        due_days=5,
        starts_on=dt.date(2025, 10, 1),
    )


def _report(rows, n: int):  # noqa: ANN001, ANN202
    from wangjian.reporting.models import Report, ReportTemplate

    template = ReportTemplate.objects.create(
        bureau=rows.county.parent,
        key=f"city-monthly-{n}",
        name=f"市局月报{n}",
        figures=["clues_received"],
        period_kind="month",
        due_days=5,
        starts_on=dt.date(2025, 10, 1),
    )
    return Report.objects.create(
        template=template,
        bureau=rows.county,
        period_kind="month",
        period_label="2025-10",
        period_start=dt.date(2025, 10, 1),
        period_end=dt.date(2025, 10, 31),
        due=dt.date(2025, 11, 7),
    )


REPORTING_BUILDERS = {
    "reporting.reporttemplate": _template,
    "reporting.report": _report,
}
