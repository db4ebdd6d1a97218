"""The units' tables: computed from the statistics registry, edited only with a reason; the month and its XLSX."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from tests.clues.conftest import at
from wangjian.campaigns.services import tables
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.platform import statistics

D = dt.date


@pytest.fixture
def october(campaign):
    return campaign.periods.get(kind="month", start=D(2025, 10, 1))


@pytest.fixture
def clues(intake, demo):
    """Three clues received in October for 广告监管股, one in September (outside the month)."""
    made = []
    for day in ("2025-10-09", "2025-10-15", "2025-10-20", "2025-09-26"):
        made.append(intake(domain="internet_advertising", now=at(day)))
    return made


def test_computed_columns_equal_the_statistics_figure_for_the_unit_and_month(campaign, october, clues):
    unit = campaign.units.get(department__name="广告监管股")
    values = tables.computed(unit, october)
    scope = statistics.Scope(bureau_ids=frozenset({campaign.bureau_id}), department_id=unit.department_id)
    expected = statistics.value("clues_received", scope, D(2025, 10, 1), D(2025, 10, 31))
    assert values["clues"] == Decimal(expected)
    assert expected >= 1  # the October clues the routing gave the department
    fines = statistics.value("cases_fines_and_confiscations", scope, D(2025, 10, 1), D(2025, 10, 31))
    assert values["fines"] == (Decimal(fines) / 10000).quantize(Decimal("0.01"))
    # figures that cannot be read for a department (presences, findings) are the unit's to enter
    assert values["presences"] is None and values["violations"] is None
    assert values["takedowns"] is None  # no figure (no record of takedowns): entered
    # a station's: the clue figures read by station; cases have no station filter, so entered
    station = campaign.units.get(station__isnull=False)
    station_values = tables.computed(station, october)
    assert station_values["clues"] == Decimal(
        statistics.value(
            "clues_received",
            statistics.Scope(bureau_ids=frozenset({campaign.bureau_id}), station_id=station.station_id),
            D(2025, 10, 1),
            D(2025, 10, 31),
        )
    )
    assert station_values["cases_opened"] is None


def test_fines_count_confiscations_and_rectifications_and_interviews_are_computed(
    campaign, october, clues, demo
):
    """罚没款 is fines and confiscations; 责令整改 the clues closed with it and the decisions ordering it;
    约谈 the clues closed with 行政指导/约谈 — for the unit and the month, no longer entered."""
    from wangjian.cases.models import Case
    from wangjian.clues.models import Clue

    unit = campaign.units.get(department__name="广告监管股")
    first, second, third, _september = (c.clue for c in clues)
    assert first.department_id == unit.department_id
    Clue.objects.filter(pk=first.pk).update(state="closed", closed_at=at("2025-10-21"), disposal="guidance")
    Clue.objects.filter(pk=second.pk).update(state="closed", closed_at=at("2025-10-22"), disposal="rectify")
    Clue.objects.filter(pk=third.pk).update(state="closed", closed_at=at("2025-11-03"), disposal="guidance")
    Case.objects.create(
        bureau=demo.county,
        department=unit.department,
        title="发布违法广告",
        domain="internet_advertising",
        procedure="general",
        state="closed",
        source_kind="monitoring",
        party_name="某公司",
        facts="绝对化用语",
        discovered_on=D(2025, 9, 15),
        opened_on=D(2025, 9, 20),
        decided_on=D(2025, 10, 24),
        penalised=True,
        fine_amount=Decimal("3000"),
        confiscated_amount=Decimal("1500"),
        rectification_order="立即停止发布违法广告",
    )
    values = tables.computed(unit, october)
    assert values["fines"] == Decimal("0.45")  # (3000 + 1500) / 10000 万元
    assert values["rectifications"] == 2  # a clue and a decision
    assert values["interviews"] == 1  # the November one counts in November
    # a station's 约谈 are its clues'; 责令整改 counts cases, which have no station: entered
    station_values = tables.computed(campaign.units.get(station__isnull=False), october)
    assert station_values["interviews"] == 0 and station_values["rectifications"] is None


def test_an_edited_computed_value_needs_a_reason_and_keeps_it(campaign, october, clues, demo):
    unit = campaign.units.get(department__name="广告监管股")
    report = tables.report_for(period=october, unit=unit)
    user = demo.users["ad_officer"]
    computed = tables.computed(unit, october)["clues"]
    with pytest.raises(ValidationFailed) as refused:
        tables.report_save(report=report, user=user, values={"clues": str(computed + 2)})
    assert "须填写修改理由" in refused.value.zh and str(computed) in refused.value.zh
    tables.report_save(
        report=report, user=user, values={"clues": str(computed + 2)}, reasons={"clues": "含市局交办线索2件"}
    )
    cell = next(c for c in tables.cells(report) if c.column.key == "clues")
    assert (cell.computed, cell.entered, cell.reason, cell.value) == (
        computed,
        computed + 2,
        "含市局交办线索2件",
        computed + 2,
    )
    stored = report.values.get(column="clues")
    assert stored.computed == computed and stored.reason == "含市局交办线索2件"
    # the same as the system's: nothing entered, no reason needed
    tables.report_save(report=report, user=user, values={"clues": str(computed)})
    assert report.values.get(column="clues").entered is None
    # submitting needs the entered columns and the text
    with pytest.raises(ValidationFailed, match="请填写"):
        tables.report_submit(report=report, user=user, now=at("2025-10-27"))
    entered = {c.column.key: "2" for c in tables.cells(report) if c.computed is None}
    tables.report_save(report=report, user=user, values=entered, text="开展直播带货专项检查")
    tables.report_submit(report=report, user=user, now=at("2025-10-27"))
    report.refresh_from_db()
    assert report.state == "submitted" and not report.late
    with pytest.raises(ValidationFailed, match="已报送"):
        tables.report_save(report=report, user=user, values={"clues": "9"}, reasons={"clues": "x"})


def test_only_the_units_own_staff_fill_its_table(campaign, october, demo):
    station_report = tables.report_for(period=october, unit=campaign.units.get(station__isnull=False))
    with pytest.raises(PermissionDeniedError, match="只能填报本单位的统计表"):
        tables.report_save(report=station_report, user=demo.users["ad_officer"], values={}, text="x")
    with pytest.raises(PermissionDeniedError, match="campaigns.report.submit"):
        tables.report_save(report=station_report, user=demo.users["auditor"], values={}, text="x")


def test_the_month_overview_has_totals_and_the_late_units_and_exports_as_xlsx(campaign, october, clues, demo):
    unit = campaign.units.get(department__name="广告监管股")
    report = tables.report_for(period=october, unit=unit)
    user = demo.users["ad_officer"]
    entered = {c.column.key: "3" for c in tables.cells(report) if c.computed is None}
    tables.report_save(report=report, user=user, values=entered, text="检查直播间12个，发现虚假宣传3处")
    tables.report_submit(report=report, user=user, now=at("2025-10-27"))
    data = tables.overview(period=october, today=D(2025, 10, 29))
    assert [str(r.unit) for r in data.late] == ["旌阳市场监管所"]
    keys = [c.key for c in data.columns]
    i = keys.index("takedowns")
    assert data.totals[i] == sum((r.cells[i].value or 0) for r in data.rows) and data.totals[i] >= 3

    body = tables.overview_xlsx(period=october, today=D(2025, 10, 29))
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "2025年网络市场监管专项行动统计表（2025年10月）"
    header = rows[2]
    assert header[0] == "单位" and "下架商品（信息）（条）" in header and "罚没款（万元）" in header
    by_unit = {r[0]: r for r in rows[3:]}
    assert by_unit["广告监管股"][header.index("状态")] == "已报送"
    assert by_unit["广告监管股"][header.index("文字说明")] == "检查直播间12个，发现虚假宣传3处"
    assert by_unit["旌阳市场监管所"][header.index("状态")] == "未报送（逾期）"
    assert by_unit["合计"][header.index("下架商品（信息）（条）")] == float(data.totals[i])
    assert by_unit["广告监管股"][header.index("交办线索（件）")] == float(
        tables.computed(unit, october)["clues"]
    )


def test_a_column_key_longer_than_a_value_keeps_is_refused_in_both_languages():
    from wangjian.campaigns import columns
    from wangjian.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        columns.parse("k" * 41 + "|名称|件")
    assert "40" in refused.value.zh and "40" in refused.value.en
    assert columns.parse("k" * 40 + "|名称|件")[0]["key"] == "k" * 40
