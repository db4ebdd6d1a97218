"""报送: opening each bureau's report for a period, filling it in and submitting it.

The office of the reporting bureau sees the figures computed for its bureau (and the bureaus below it) and the
period from the statistics registry, each with its 口径; it may add a note to any figure and, where the
system's number is wrong, enter the right one with the reason (the computed value is kept beside it). On
submission the figures are frozen as a revision; a report returned for correction is submitted again as the
next revision, and the earlier ones stay as they were. A submission after the due date in force is flagged late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org import permissions
from wangjian.org.models import Bureau, User
from wangjian.platform.inbox.models import MessageKind
from wangjian.platform.inbox.services import notify
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.reporting import periods, selectors
from wangjian.reporting.choices import ReportState
from wangjian.reporting.models import Report, ReportTemplate, Revision, RevisionFigure
from wangjian.reporting.permissions import REPORTING_SUBMIT
from wangjian.reporting.services.common import (
    OUTBOUND,
    actor_name,
    computed,
    due_after,
    entered,
    item_close,
    item_open,
    local_day,
    lock,
)

EDITABLE = (ReportState.OPEN, ReportState.RETURNED)


def due_rule(template: ReportTemplate) -> str:
    return f"工作规则：报送事项“{template.name}”规定统计期结束后{template.due_days}个工作日内报送"


def report_open(
    *, template: ReportTemplate, bureau: Bureau, period: periods.ReportPeriod, now: dt.datetime | None = None
) -> tuple[Report, bool]:
    """The bureau's report of the template for the period (made once), due N working days after the period ends,
    with its work item. Returns the report and whether it was made now."""
    now = now or timezone.now()
    if period.kind != template.period_kind:
        raise ValidationFailed(
            f"报送事项“{template.name}”为{template.get_period_kind_display()}，报送期 {period.label} 不符",
            f"The template is reported by {template.period_kind}; {period.label} is not one",
        )
    existing = Report.objects.filter(template=template, bureau=bureau, period_start=period.start).first()
    if existing is not None:
        return existing, False
    due, basis, _provisional = due_after(period.end, template.due_days, due_rule(template))
    try:
        with transaction.atomic():
            report = Report.objects.create(
                template=template,
                bureau=bureau,
                period_kind=period.kind,
                period_label=period.label,
                period_start=period.start,
                period_end=period.end,
                due=due,
                due_basis=basis,
            )
            item = item_open(
                report,
                start=period.end,
                days=template.due_days,
                title=f"向{template.superior_name}报送“{template.name}”（{period.label_zh}）",
                basis=basis,
                now=now,
            )
            if item is not None:
                report.work_item = item
                report.due = item.due or due
                report.save(update_fields=["work_item", "due"])
    except IntegrityError:  # opened by another run at the same moment
        return Report.objects.get(template=template, bureau=bureau, period_start=period.start), False
    return report, True


def reports_open(
    *, template: ReportTemplate, period: periods.ReportPeriod, now: dt.datetime | None = None
) -> list[Report]:
    """Open the period's report of every bureau that reports on the template (those not opened yet)."""
    made = []
    for bureau in selectors.subordinates_of(template):
        report, created = report_open(template=template, bureau=bureau, period=period, now=now)
        if created:
            made.append(report)
    return made


def reporting_daily(*, today: dt.date | None = None, now: dt.datetime | None = None) -> dict[str, int]:
    """The daily job: for each template in use, the reports of the period that ended last (from its first
    period on) are opened for every bureau that reports. Reminders, overdue and 督办 are the work items'."""
    now = now or timezone.now()
    today = today or local_day(now)
    opened = 0
    for template in ReportTemplate.objects.filter(active=True).prefetch_related("subordinates"):
        period = periods.last_complete(template.period_kind, today)
        if period.start < template.starts_on:
            continue
        opened += len(reports_open(template=template, period=period, now=now))
    return {"opened": opened}


# ---------------------------------------------------------------- filling in


@dataclass
class Line:
    """One figure as the office sees it: computed now (or as frozen), reported, with its note and 口径."""

    key: str
    label: str
    unit: str
    basis_zh: str
    basis_en: str
    computed: Decimal | None
    value: Decimal | None
    reason: str = ""
    note: str = ""
    records_url: str = ""
    problem: str = ""

    @property
    def corrected(self) -> bool:
        return self.computed is not None and self.value is not None and self.value != self.computed


def lines_live(report: Report) -> list[Line]:
    """The figures of an open (or returned) report: computed now, with what the draft holds."""
    draft = (report.draft or {}).get("figures", {})
    out = []
    for c in computed(report.template, report.bureau, report.period_start, report.period_end):
        kept = draft.get(c.key, {})
        corrected = entered(kept.get("value"), c.key) if kept.get("value") not in (None, "") else None
        f = c.figure
        out.append(
            Line(
                key=c.key,
                label=f.label_zh if f else c.key,
                unit=f.unit if f else "",
                basis_zh=f.basis_zh if f else "",
                basis_en=f.basis_en if f else "",
                computed=c.value,
                value=corrected if corrected is not None else c.value,
                reason=kept.get("reason", "") if corrected is not None else "",
                note=kept.get("note", ""),
                records_url=c.records_url,
                problem=c.problem,
            )
        )
    return out


def lines_of(revision: Revision) -> list[Line]:
    return [
        Line(
            key=f.key,
            label=f.label,
            unit=f.unit,
            basis_zh=f.basis_zh,
            basis_en=f.basis_en,
            computed=f.computed,
            value=f.value,
            reason=f.correction_reason,
            note=f.note,
            records_url=f.records_url,
        )
        for f in revision.figures.all()
    ]


def submit_check(user: User | None, report: Report) -> None:
    if user is not None:
        permissions.require(user, REPORTING_SUBMIT)
    if not selectors.may_submit(user, report):
        raise PermissionDeniedError(
            "只能由报送单位（本局）办公室填报和报送",
            "Only the reporting bureau's own office fills in and submits",
        )
    if report.state not in EDITABLE:
        if report.state == ReportState.ACCEPTED:
            raise ValidationFailed(
                "该报送已审核通过，不能再修改", "The report was accepted; it is not changed again"
            )
        raise ValidationFailed(
            "该报送已报送，等待上级局审核；如需更正请上级局退回",
            "The report was submitted and awaits review; the superior returns it for a correction",
        )


def _apply(lines: list[Line], notes: dict[str, Any], corrections: dict[str, Any]) -> list[Line]:
    """The office's notes and hand corrections on the lines: a value that differs from the system's needs a reason."""
    known = {line.key: line for line in lines}
    for key in [*notes, *corrections]:
        if key not in known:
            raise ValidationFailed(f"报送事项中没有指标“{key}”", f"The template has no figure {key!r}")
    for line in lines:
        if line.key in notes:
            line.note = str(notes[line.key] or "").strip()
        if line.key not in corrections:
            continue
        given = corrections[line.key] or {}
        value = entered(given.get("value"), line.label)
        reason = str(given.get("reason") or "").strip()
        if value is None or value == line.computed:
            line.value, line.reason = line.computed, ""
            continue
        if not reason:
            raise ValidationFailed(
                f"“{line.label}”的系统统计值为 {line.computed if line.computed is not None else '—'}，"
                f"改报 {value} 须说明理由",
                f"'{line.label}' is {line.computed} by the system; reporting {value} needs the reason",
                detail={"figure": line.key, "computed": str(line.computed)},
            )
        line.value, line.reason = value, reason
    return lines


def _draft_of(lines: list[Line], note: str) -> dict:
    return {
        "note": note,
        "figures": {
            line.key: {
                "note": line.note,
                "value": str(line.value) if line.corrected else "",
                "reason": line.reason if line.corrected else "",
            }
            for line in lines
            if line.note or line.corrected
        },
    }


def report_draft_save(
    *,
    report: Report,
    user: User | None,
    notes: dict[str, Any] | None = None,
    corrections: dict[str, Any] | None = None,
    note: str | None = None,
) -> Report:
    """Keep the office's notes and corrections without submitting (checked as a submission would be)."""
    submit_check(user, report)
    lines = _apply(lines_live(report), notes or {}, corrections or {})
    report.draft = _draft_of(lines, (note if note is not None else report.draft.get("note", "")).strip())
    report.save(update_fields=["draft", "last_updated"])
    return report


def report_submit(
    *,
    report: Report,
    user: User | None,
    notes: dict[str, Any] | None = None,
    corrections: dict[str, Any] | None = None,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> Revision:
    """Submit: the figures computed now are frozen with their 口径 as the next revision; late if after the due date."""
    now = now or timezone.now()
    submit_check(user, report)
    lines = _apply(lines_live(report), notes or {}, corrections or {})
    broken = [
        f"{line.label}（{line.problem}）" for line in lines if line.computed is None and line.value is None
    ]
    if broken:
        raise ValidationFailed(
            f"以下指标无法计算，请填写报送值并说明理由：{'；'.join(broken)}",
            "Some figures cannot be computed; enter their values with the reason",
            detail={"figures": [line.key for line in lines if line.value is None]},
        )
    note = (note if note is not None else (report.draft or {}).get("note", "")).strip()
    today = local_day(now)
    late = report.due is not None and today > report.due
    with transaction.atomic():
        lock(report)
        submit_check(user, report)
        number = report.revisions.count() + 1
        revision = Revision.objects.create(
            report=report,
            number=number,
            submitted_at=now,
            submitted_by=user if getattr(user, "pk", None) else None,
            submitted_by_name=actor_name(user),
            due=report.due,
            late=late,
            note=note,
        )
        RevisionFigure.objects.bulk_create(
            RevisionFigure(
                revision=revision,
                key=line.key,
                label=line.label[:100],
                unit=line.unit,
                basis_zh=line.basis_zh or "—",
                basis_en=line.basis_en,
                computed=line.computed,
                value=line.value,
                correction_reason=line.reason if line.corrected else "",
                note=line.note,
                records_url=line.records_url,
            )
            for line in lines
        )
        report.state = ReportState.SUBMITTED
        report.submitted_at = now
        report.late = report.late or late
        report.draft = {}
        report.save()
        item_close(report, user=user, result=f"已报送（第{number}版）", now=now)
        if (
            not report.template.bureau_id
        ):  # a superior on another instance: the revision goes as a signed message
            OUTBOUND["submitted"](report, user, now)
        if report.template.bureau_id:
            notify(
                key=f"reporting-report{report.pk}:rev{number}:submitted",
                users=workitem_selectors.office_users(report.template.bureau_id),
                kind=MessageKind.STATE,
                title=f"{report.bureau_name}报送了“{report.template.name}”（{report.period_label}，第{number}版）"
                + ("，逾期报送" if late else "")
                + "，请审核",
                subject=report,
                now=now,
            )
    return revision
