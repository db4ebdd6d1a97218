"""Submitting, the superior's review and the correction: revisions frozen and kept, late submissions flagged."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.reporting.conftest import FAKE, at, d
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.platform import statistics
from wangjian.platform.workitems.models import WorkItemState
from wangjian.reporting import services
from wangjian.reporting.choices import Outcome, ReportState
from wangjian.reporting.services.common import bureau_scope


def test_submit_freezes_the_figures_the_statistics_registry_gives_for_the_bureau_and_period(
    demo, staff, october
):
    report = october[demo.county.code]
    revision = services.report_submit(
        report=report, user=staff["office"], notes={FAKE: "含转办"}, now=at("2025-11-05")
    )
    frozen = {f.key: f for f in revision.figures.all()}
    scope = bureau_scope(demo.county)
    for key in (FAKE, "clues_received"):
        expected = Decimal(statistics.value(key, scope, d("2025-10-01"), d("2025-10-31")))
        assert frozen[key].computed == frozen[key].value == expected
        assert frozen[key].basis_zh == statistics.get(key).basis_zh
    assert frozen[FAKE].value == 20  # the county alone, plus October
    assert frozen[FAKE].note == "含转办"
    assert frozen["clues_received"].records_url  # the list of the records counted
    report.refresh_from_db()
    assert (report.state, report.late, revision.late) == (ReportState.SUBMITTED, False, False)
    assert report.work_item.state == WorkItemState.DONE


def test_a_return_with_its_reason_then_a_correction_keeps_both_revisions(demo, staff, october):
    report = october[demo.other_county.code]
    services.report_submit(report=report, user=staff["jixi_office"], now=at("2025-11-05"))
    with pytest.raises(ValidationFailed) as no_reason:
        services.report_review(
            report=report, user=staff["city_office"], decision=services.RETURN, now=at("2025-11-06")
        )
    assert "理由" in no_reason.value.zh
    services.report_review(
        report=report,
        user=staff["city_office"],
        decision=services.RETURN,
        reason="受理线索数与台账不一致",
        now=at("2025-11-06"),
    )
    report.refresh_from_db()
    # the work rule: 3 working days from Thursday 6 November is Tuesday 11 November
    assert (report.state, report.due) == (ReportState.RETURNED, d("2025-11-11"))
    assert "工作规则" in report.due_basis
    assert report.work_item.due == d("2025-11-11")
    with pytest.raises(ValidationFailed) as unexplained:
        services.report_submit(
            report=report,
            user=staff["jixi_office"],
            corrections={FAKE: {"value": "25"}},
            now=at("2025-11-10"),
        )
    assert "须说明理由" in unexplained.value.zh
    second = services.report_submit(
        report=report,
        user=staff["jixi_office"],
        corrections={FAKE: {"value": "25", "reason": "补录5件纸质登记"}},
        now=at("2025-11-10"),
    )
    first, second = list(report.revisions.order_by("number"))
    assert (first.outcome, first.review_comment) == (Outcome.RETURNED, "受理线索数与台账不一致")
    assert first.figures.get(key=FAKE).value == 20
    corrected = second.figures.get(key=FAKE)
    assert (corrected.computed, corrected.value, corrected.correction_reason) == (20, 25, "补录5件纸质登记")
    assert second.outcome == "" and not second.late


def test_a_submission_after_the_due_date_is_flagged_late(demo, staff, october):
    report = october[demo.county.code]
    revision = services.report_submit(report=report, user=staff["office"], now=at("2025-11-10"))
    report.refresh_from_db()
    assert revision.late and report.late


def test_a_submitted_report_is_not_submitted_again_until_returned(demo, staff, october):
    report = october[demo.county.code]
    services.report_submit(report=report, user=staff["office"], now=at("2025-11-05"))
    with pytest.raises(ValidationFailed) as refusal:
        services.report_submit(report=report, user=staff["office"], now=at("2025-11-05"))
    assert "等待上级局审核" in refusal.value.zh


def test_a_station_user_cannot_submit_and_a_sibling_bureau_cannot_review(demo, staff, october):
    report = october[demo.county.code]
    with pytest.raises(PermissionDeniedError) as station:
        services.report_submit(report=report, user=staff["station_officer"], now=at("2025-11-05"))
    assert "reporting.submit" in station.value.zh
    with pytest.raises(PermissionDeniedError):  # another bureau's office does not submit 旌德's report
        services.report_submit(report=report, user=staff["jixi_office"], now=at("2025-11-05"))
    services.report_submit(report=report, user=staff["office"], now=at("2025-11-05"))
    with pytest.raises(PermissionDeniedError) as sibling:
        services.report_review(
            report=report, user=staff["jixi_office"], decision=services.ACCEPT, now=at("2025-11-06")
        )
    assert "上级局办公室" in sibling.value.zh
    with pytest.raises(PermissionDeniedError):  # nor does the reporting bureau review itself
        services.report_review(
            report=report, user=staff["office"], decision=services.ACCEPT, now=at("2025-11-06")
        )


def test_the_overview_sums_only_the_accepted_reports(demo, staff, october, template):
    from wangjian.reporting import periods

    jingde, jixi = october[demo.county.code], october[demo.other_county.code]
    services.report_submit(report=jingde, user=staff["office"], now=at("2025-11-05"))
    services.report_review(
        report=jingde, user=staff["city_office"], decision=services.ACCEPT, now=at("2025-11-06")
    )
    services.report_submit(report=jixi, user=staff["jixi_office"], now=at("2025-11-10"))
    data = services.overview(template=template, period=periods.parse("2025-10"), today=d("2025-11-12"))
    assert data.totals[FAKE] == 20  # 旌德 only: 绩溪's is not accepted yet
    rows = {row.code: row for row in data.rows}
    assert rows[demo.county.code].state == ReportState.ACCEPTED and not rows[demo.county.code].late
    assert rows[demo.other_county.code].late  # submitted on the 10th, due on the 7th
    book = services.overview_xlsx(template=template, period=periods.parse("2025-10"), today=d("2025-11-12"))
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(book)).active
    assert sheet.cell(row=sheet.max_row, column=7).value == 20


def test_the_figures_count_submissions_for_the_bureau_and_those_on_time(demo, staff, october):
    from wangjian.reporting.services.common import bureau_scope

    services.report_submit(report=october[demo.county.code], user=staff["office"], now=at("2025-11-05"))
    services.report_submit(
        report=october[demo.other_county.code], user=staff["jixi_office"], now=at("2025-11-10")
    )
    november = (d("2025-11-01"), d("2025-11-30"))
    city, county = bureau_scope(demo.city), bureau_scope(demo.county)
    assert statistics.value("reporting_submitted", city, *november) == 2
    assert statistics.value("reporting_on_time", city, *november) == 1
    assert statistics.value("reporting_submitted", county, *november) == 1
    assert statistics.value("reporting_submitted", county, d("2025-10-01"), d("2025-10-31")) == 0
