"""Reports between instances: the payloads the exchange layer signs and carries, and their receipt.

A payload holds natural keys only — the bureaus' division codes, the template's key, the period's label
and dates, the figures' keys with their values (as decimal text, never floats) and 口径 — never a database
id, so the other instance finds its own rows. Receipt is idempotent on the message id: the same message
twice is one revision (or one review).

- ``report_payload(report)``: the latest revision, going up to a superior on another instance.
- ``report_receive_external(...)``: on the superior's instance, a revision from a subordinate on another.
- ``review_payload(report)``: the superior's answer to the latest revision (accepted, or returned with the
  reason and the new due date), going back down.
- ``review_receive_external(...)``: on the subordinate's instance, that answer applied to its own report.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.core import workdays
from wangjian.core.errors import NotFoundError, ValidationFailed
from wangjian.org.models import Bureau
from wangjian.reporting import periods
from wangjian.reporting.choices import Outcome, ReportState
from wangjian.reporting.models import Report, ReportTemplate, Revision, RevisionFigure
from wangjian.reporting.services.common import due_after, entered, item_close, item_open, local_day, text
from wangjian.reporting.services.reports import due_rule

REPORT_KIND, REVIEW_KIND, VERSION = "reporting.report", "reporting.review", 1


def _period(report: Report) -> dict[str, str]:
    return {
        "kind": report.period_kind,
        "label": report.period_label,
        "start": report.period_start.isoformat(),
        "end": report.period_end.isoformat(),
    }


def _latest(report: Report) -> Revision:
    revision = report.revisions.order_by("-number").first()
    if revision is None:
        raise ValidationFailed("该报送尚未报送", "The report has not been submitted")
    return revision


def report_payload(report: Report) -> dict[str, Any]:
    """The latest revision as a plain dict of natural keys (for the exchange layer to sign and send up)."""
    revision = _latest(report)
    template = report.template
    return {
        "kind": REPORT_KIND,
        "version": VERSION,
        "superior": {"code": template.superior_code, "name": template.superior_name},
        "bureau": {"code": report.bureau_code, "name": report.bureau_name},
        "template": {"key": template.key, "name": template.name},
        "period": _period(report),
        "revision": revision.number,
        "submitted_at": timezone.localtime(revision.submitted_at).isoformat(),
        "submitted_by": revision.submitted_by_name,
        "late": revision.late,
        "note": revision.note,
        "figures": [
            {
                "key": f.key,
                "label": f.label,
                "unit": f.unit,
                "basis_zh": f.basis_zh,
                "basis_en": f.basis_en,
                "computed": text(f.computed) if f.computed is not None else None,
                "value": text(f.value) if f.value is not None else None,
                "correction_reason": f.correction_reason,
                "note": f.note,
            }
            for f in revision.figures.all()
        ],
    }


def _required(payload: dict, *path: str) -> Any:
    value: Any = payload
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    if value in (None, ""):
        name = ".".join(path)
        raise ValidationFailed(f"报送消息缺少 {name}", f"The message lacks {name}")
    return value


def _parse_period(payload: dict, kind: str) -> periods.ReportPeriod:
    period = periods.parse(str(_required(payload, "period", "label")))
    if period.kind != kind:
        raise ValidationFailed(
            f"报送期 {period.label} 与报送事项的周期不符", f"The period {period.label} is not a {kind}"
        )
    return period


def _moment(raw: Any) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(str(raw))
    except ValueError:
        raise ValidationFailed(f"报送时间格式有误：{raw}", f"Not an ISO time: {raw}") from None
    return moment if moment.tzinfo else timezone.make_aware(moment)


def report_receive_external(
    payload: dict[str, Any],
    *,
    sender_code: str,
    sender_name: str,
    message_id: str,
    now: dt.datetime | None = None,
) -> Report:
    """A revision from a subordinate bureau on another instance, kept as a revision of its report here.

    The sender is the bureau the payload reports for; the superior is a bureau of this instance whose template
    has the payload's key. The same message id twice is one revision."""
    now = now or timezone.now()
    message_id = (message_id or "").strip()
    if not message_id:
        raise ValidationFailed("缺少消息编号", "The message id is required")
    done = Revision.objects.filter(external_ref=message_id).select_related("report").first()
    if done is not None:
        return done.report
    if _required(payload, "kind") != REPORT_KIND:
        raise ValidationFailed("不是报送消息", "Not a report message")
    code = str(_required(payload, "bureau", "code"))
    if code != sender_code:
        raise ValidationFailed(
            f"报送单位 {code} 与发送方 {sender_code} 不一致",
            f"The report's bureau {code} is not the sender {sender_code}",
        )
    if Bureau.objects.filter(code=code).exists():
        raise ValidationFailed(
            f"行政区划代码为 {code} 的局在本系统中，应在本系统内报送",
            f"The bureau {code} is on this instance and reports here",
        )
    superior = Bureau.objects.filter(code=str(_required(payload, "superior", "code"))).first()
    template = (
        ReportTemplate.objects.filter(bureau=superior, key=str(_required(payload, "template", "key"))).first()
        if superior
        else None
    )
    if template is None:
        raise NotFoundError("本系统没有该报送事项", "No such template on this instance")
    period = _parse_period(payload, template.period_kind)
    submitted_at = _moment(_required(payload, "submitted_at"))
    figures = payload.get("figures") or []
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .filter(
                template=template, bureau__isnull=True, external_bureau_code=code, period_start=period.start
            )
            .first()
        )
        if report is None:
            due, basis, _p = due_after(period.end, template.due_days, due_rule(template))
            report = Report.objects.create(
                template=template,
                external_bureau_code=code,
                external_bureau_name=(sender_name or payload["bureau"].get("name") or code)[:100],
                period_kind=period.kind,
                period_label=period.label,
                period_start=period.start,
                period_end=period.end,
                due=due,
                due_basis=basis,
            )
        if report.state == ReportState.ACCEPTED:
            raise ValidationFailed(
                "该报送已审核通过，不再接收新的版本", "The report was accepted; no new revision"
            )
        if report.state == ReportState.SUBMITTED:
            raise ValidationFailed(
                "该报送已报送，等待审核；退回后方可重新报送",
                "The report awaits review; it is resubmitted after a return",
            )
        late = report.due is not None and timezone.localtime(submitted_at).date() > report.due
        revision = Revision.objects.create(
            report=report,
            number=report.revisions.count() + 1,
            submitted_at=submitted_at,
            submitted_by_name=str(payload.get("submitted_by") or "")[:100],
            due=report.due,
            late=late,
            note=str(payload.get("note") or ""),
            external_ref=message_id[:100],
        )
        RevisionFigure.objects.bulk_create(
            RevisionFigure(
                revision=revision,
                key=str(_required(f, "key"))[:60],
                label=str(f.get("label") or f["key"])[:100],
                unit=str(f.get("unit") or "")[:4],
                basis_zh=str(f.get("basis_zh") or "—"),
                basis_en=str(f.get("basis_en") or ""),
                computed=entered(f.get("computed"), str(f["key"])),
                value=entered(f.get("value"), str(f["key"])),
                correction_reason=str(f.get("correction_reason") or ""),
                note=str(f.get("note") or ""),
            )
            for f in figures
        )
        report.state, report.submitted_at = ReportState.SUBMITTED, submitted_at
        report.late = report.late or late
        report.external_ref = message_id[:100]
        report.save()
    return report


def review_payload(report: Report) -> dict[str, Any]:
    """The superior's answer to the latest revision, as natural keys (for the exchange layer to send down)."""
    revision = _latest(report)
    if not revision.outcome:
        raise ValidationFailed("该报送尚未审核", "The report has not been reviewed")
    template = report.template
    return {
        "kind": REVIEW_KIND,
        "version": VERSION,
        "superior": {"code": template.superior_code, "name": template.superior_name},
        "bureau": {"code": report.bureau_code, "name": report.bureau_name},
        "template": {"key": template.key, "name": template.name},
        "period": _period(report),
        "revision": revision.number,
        "outcome": revision.outcome,
        "reason": revision.review_comment,
        "correction_due": revision.correction_due.isoformat() if revision.correction_due else None,
        "reviewed_at": timezone.localtime(revision.reviewed_at).isoformat() if revision.reviewed_at else None,
        "reviewed_by": revision.reviewed_by_name,
    }


def review_receive_external(
    payload: dict[str, Any],
    *,
    sender_code: str,
    sender_name: str,
    message_id: str,
    now: dt.datetime | None = None,
) -> Report:
    """On the subordinate's instance: the superior's answer (from another instance) applied to the local report
    of a template received from it (``ReportTemplate`` with ``external_bureau_code``). Idempotent on the message id."""
    now = now or timezone.now()
    message_id = (message_id or "").strip()
    if not message_id:
        raise ValidationFailed("缺少消息编号", "The message id is required")
    done = Revision.objects.filter(review_ref=message_id).select_related("report").first()
    if done is not None:
        return done.report
    if _required(payload, "kind") != REVIEW_KIND:
        raise ValidationFailed("不是审核消息", "Not a review message")
    if str(_required(payload, "superior", "code")) != sender_code:
        raise ValidationFailed("审核单位与发送方不一致", "The reviewing bureau is not the sender")
    template = ReportTemplate.objects.filter(
        bureau__isnull=True, external_bureau_code=sender_code, key=str(_required(payload, "template", "key"))
    ).first()
    bureau = Bureau.objects.filter(code=str(_required(payload, "bureau", "code"))).first()
    if template is None or bureau is None:
        raise NotFoundError("本系统没有该报送事项或报送单位", "No such template or bureau on this instance")
    period = _parse_period(payload, template.period_kind)
    outcome = _required(payload, "outcome")
    if outcome not in (Outcome.ACCEPTED, Outcome.RETURNED):
        raise ValidationFailed(f"未知的审核结果：{outcome}", f"Unknown outcome: {outcome}")
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .filter(template=template, bureau=bureau, period_start=period.start)
            .first()
        )
        if report is None:
            raise NotFoundError("本系统没有该报送", "No such report on this instance")
        revision = report.revisions.filter(number=int(_required(payload, "revision"))).first()
        if revision is None or revision.outcome:
            raise ValidationFailed("没有待审核的该版本报送", "No revision of that number awaits review")
        revision.outcome = outcome
        revision.reviewed_at = _moment(payload.get("reviewed_at") or now.isoformat())
        revision.reviewed_by_name = (
            f"{sender_name or sender_code} {payload.get('reviewed_by') or ''}".strip()[:100]
        )
        revision.review_comment = str(payload.get("reason") or "")
        revision.review_ref = message_id[:100]
        if outcome == Outcome.ACCEPTED:
            report.state, report.accepted_at = ReportState.ACCEPTED, revision.reviewed_at
            item_close(report, user=None, result="上级局审核通过", now=now)
        else:
            due = dt.date.fromisoformat(str(_required(payload, "correction_due")))
            basis = f"上级局（{sender_name or sender_code}）退回更正，要求 {due:%Y-%m-%d} 前重新报送"
            revision.correction_due, revision.correction_basis = due, basis
            report.state, report.due, report.due_basis = ReportState.RETURNED, due, basis
            today = local_day(now)
            days = max(1, workdays.current().working_days_between(today, due)) if due > today else 1
            item = item_open(
                report,
                start=today,
                days=days,
                title=f"更正并重新报送“{template.name}”（{report.period_label}）",
                basis=basis,
                now=now,
            )
            if item is not None:
                report.work_item = item
        revision.save()
        report.save()
    return report
