"""The leading group's yearly assessment (考核): criteria fed by the statistics registry or scored by hand,
each unit's scores (editable with a reason, the computed one kept beside), the ranked table and its Excel file."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.core.errors import ValidationFailed
from wangjian.leadership.models import (
    AnnualPlan,
    Criterion,
    Score,
    Scoring,
)
from wangjian.leadership.services import _unit_kw, member_units, require_manage, require_read  # noqa: F401
from wangjian.org.models import Department, Station
from wangjian.platform import statistics

# ---------------------------------------------------------------- assessment (考核)


def criterion_add(
    *,
    plan: AnnualPlan,
    name: str,
    weight: Decimal | int | str,
    scoring: str = Scoring.VALUE,
    figure: str = "",
    denominator: str = "",
    note: str = "",
    user: Any,
) -> Criterion:
    require_manage(user, plan.bureau_id)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("请填写指标名称", "The criterion needs a name")
    try:
        weight = Decimal(str(weight))
    except Exception:
        raise ValidationFailed("权重应为数字", "The weight is a number") from None
    if not Decimal(0) < weight <= Decimal(100):
        raise ValidationFailed("权重应在0到100分之间", "The weight is between 0 and 100")
    if scoring not in Scoring.values:
        raise ValidationFailed("请选择计分方式", "Choose how it is scored")
    if scoring == Scoring.MANUAL:
        figure = denominator = ""
    else:
        if not figure:
            raise ValidationFailed("请选择统计指标，或改为人工评分", "Choose a figure, or score by hand")
        for key in (figure, denominator):
            if key:
                fig = statistics.get(key)
                try:
                    statistics.check_filters(fig, statistics.Scope(department_id=0))
                except ValidationFailed:
                    raise ValidationFailed(
                        f"统计指标“{fig.label_zh}”不能按科室统计，不能用于考核各单位",
                        f"The figure {key} cannot be counted per unit",
                    ) from None
    order = plan.criteria.count()
    return Criterion.objects.create(
        plan=plan,
        name=name[:100],
        weight=weight,
        scoring=scoring,
        figure=figure,
        denominator=denominator,
        note=note[:300],
        order=order,
    )


def _q(value: Decimal | float | int | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def criterion_value(
    criterion: Criterion, unit: Department | Station, start: dt.date, end: dt.date
) -> Decimal | None:
    """The criterion's figure for one unit over the period: the figure itself, or the rate in % (None: 0/0,
    or a figure that cannot be counted for this kind of unit — cases are counted by department, not station)."""
    wanted = statistics.STATION if isinstance(unit, Station) else statistics.DEPARTMENT
    for key in filter(None, (criterion.figure, criterion.denominator)):
        if wanted not in statistics.get(key).filters:
            return None
    scope = statistics.Scope(
        bureau_ids=frozenset({unit.bureau_id}),
        department_id=unit.pk if isinstance(unit, Department) else None,
        station_id=unit.pk if isinstance(unit, Station) else None,
    )
    top = statistics.value(criterion.figure, scope, start, end)
    if not criterion.denominator:
        return _q(top)
    bottom = statistics.value(criterion.denominator, scope, start, end)
    if not bottom:
        return None
    return _q(Decimal(str(top)) * 100 / Decimal(str(bottom)))


def _score_row(criterion: Criterion, unit: Department | Station) -> Score:
    kw = _unit_kw(unit)
    if kw["station"] is not None:
        row = Score.objects.filter(criterion=criterion, station=unit).first()
    else:
        row = Score.objects.filter(criterion=criterion, department=unit, station__isnull=True).first()
    return row or Score(criterion=criterion, **kw)


def assessment_compute(
    *,
    plan: AnnualPlan,
    user: Any,
    now: dt.datetime | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[Score]:
    """Each unit's value and score on each figure-fed criterion over the year (or the given period);
    scores set by hand stay, with their reason, beside the computed one."""
    require_manage(user, plan.bureau_id)
    now = now or timezone.now()
    start = start or dt.date(plan.year, 1, 1)
    end = end or dt.date(plan.year, 12, 31)
    units = member_units(plan.bureau)
    out: list[Score] = []
    with transaction.atomic():
        for criterion in plan.criteria.order_by("order", "id"):
            rows = [_score_row(criterion, unit) for unit in units]
            if criterion.scoring != Scoring.MANUAL:
                for row, unit in zip(rows, units, strict=True):
                    row.value = criterion_value(criterion, unit, start, end)
                best = max((r.value for r in rows if r.value is not None), default=None)
                for row in rows:
                    if row.value is None:
                        row.computed = None
                    elif criterion.scoring == Scoring.VALUE:
                        row.computed = row.value
                    else:
                        row.computed = _q(row.value * 100 / best) if best else _q(0)
                    row.computed_at = now
            for row in rows:
                row.save()
            out.extend(rows)
    return out


def score_set(
    *, score: Score, value: Decimal | str | None, reason: str, user: Any, now: dt.datetime | None = None
) -> Score:
    """A score set by hand: always with its reason (a computed score edited, or a criterion scored by hand)."""
    require_manage(user, score.criterion.plan.bureau_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("修改或评定得分须说明理由", "A score set by hand needs its reason")
    if value in (None, ""):
        new = None
    else:
        try:
            new = _q(Decimal(str(value)))
        except Exception:
            raise ValidationFailed("得分应为数字", "The score is a number") from None
        if not Decimal(0) <= new <= Decimal(100):
            raise ValidationFailed("得分应在0到100之间", "A score is between 0 and 100")
    score.score = new
    score.reason = reason[:300]
    score.edited_by = user if getattr(user, "pk", None) else None
    score.edited_at = now or timezone.now()
    score.save()
    return score


@dataclass
class AssessmentRow:
    rank: int
    unit: Any
    cells: list[Score | None]
    total: Decimal


def assessment_table(plan: AnnualPlan) -> tuple[list[Criterion], list[AssessmentRow]]:
    """The ranked table: total = Σ score × weight ÷ Σ weight (each score 0–100), best first."""
    criteria = list(plan.criteria.order_by("order", "id"))
    scores = Score.objects.filter(criterion__plan=plan).select_related("department", "station")
    by_unit: dict[str, dict[int, Score]] = {}
    for s in scores:
        by_unit.setdefault(s.unit_key, {})[s.criterion_id] = s
    weights = sum((c.weight for c in criteria), Decimal(0))
    rows = []
    for unit in member_units(plan.bureau):
        key = f"s{unit.pk}" if isinstance(unit, Station) else f"d{unit.pk}"
        cells = [by_unit.get(key, {}).get(c.pk) for c in criteria]
        total = sum(
            ((cell.final or Decimal(0)) * c.weight for cell, c in zip(cells, criteria, strict=True) if cell),
            Decimal(0),
        )
        rows.append(AssessmentRow(0, unit, cells, _q(total / weights) if weights else Decimal("0.00")))
    rows.sort(key=lambda r: (-r.total, str(r.unit)))
    for n, row in enumerate(rows, 1):
        row.rank = n if n == 1 or row.total != rows[n - 2].total else rows[n - 2].rank
    return criteria, rows


def assessment_xlsx(plan: AnnualPlan) -> bytes:
    """The ranked table as a workbook (Chinese headings, one sheet of scores, one of the reasons)."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    criteria, rows = assessment_table(plan)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "考核得分"
    sheet.append([f"{plan.bureau.name}{plan.year}年度线上线下一体化监管工作考核"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["名次", "单位", *[f"{c.name}（权重{c.weight}）" for c in criteria], "综合得分"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    for row in rows:
        sheet.append(
            [
                row.rank,
                str(row.unit),
                *[float(c.final) if c and c.final is not None else None for c in row.cells],
                float(row.total),
            ]
        )
    sheet.column_dimensions["B"].width = 28
    notes = book.create_sheet("评分说明")
    notes.append(["指标", "计分方式", "统计指标", "单位", "指标值", "计算得分", "评定得分", "理由"])
    for criterion, _unit_rows in zip(criteria, range(len(criteria)), strict=True):
        for row in rows:
            cell = row.cells[criteria.index(criterion)]
            if cell is None:
                continue
            notes.append(
                [
                    criterion.name,
                    criterion.get_scoring_display(),
                    "/".join(k for k in (criterion.figure, criterion.denominator) if k),
                    str(row.unit),
                    float(cell.value) if cell.value is not None else None,
                    float(cell.computed) if cell.computed is not None else None,
                    float(cell.score) if cell.score is not None else None,
                    cell.reason,
                ]
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
