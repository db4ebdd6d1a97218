"""Upward reporting across instances: a superior bureau on another wangjian instance, by signed messages.

* ``report.template``: the superior sends what it asks (the 报送事项: figures, period, due days) to a partner
  below it; the partner's instance keeps it as a template whose superior is external, and opens its own bureau's
  reports from it like any other (the daily job, the due-date work item).
* ``report.submission``: each submitted revision of such a report goes up as a message; the superior keeps it as
  a revision of the external bureau's report (the same message twice is one revision).
* ``report.review``: the superior's acceptance or return goes back down in reply; the subordinate's report is
  accepted, or reopened for correction with the new due date.

All three are 信息报送: the partner's agreement must cover it on both sides.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse

from wangjian.core.errors import ValidationFailed
from wangjian.exchange import kinds
from wangjian.exchange.models import Category, Message, Partner
from wangjian.exchange.services import agreement_problem, message_send
from wangjian.org.models import User
from wangjian.reporting.models import Report, ReportTemplate
from wangjian.reporting.services.external import (
    report_payload,
    report_receive_external,
    review_payload,
    review_receive_external,
)

TEMPLATE, SUBMISSION, REVIEW = "report.template", "report.submission", "report.review"


def _partner(bureau_id: int | None, code: str) -> Partner | None:
    partner = Partner.objects.filter(bureau_id=bureau_id, code=code, active=True).first()
    if partner is None or agreement_problem(partner, Category.REPORTING) is not None:
        return None
    return partner


def template_send(
    *, template: ReportTemplate, partner: Partner, user: User | None, now: dt.datetime | None = None
) -> Message:
    """Ask a partner bureau below this one, on another instance, to report ``template``."""
    if template.bureau_id is None or partner.bureau_id != template.bureau_id:
        raise ValidationFailed(
            "只能向本局的协作单位发送本局制定的报送事项", "Send the bureau's own template to its own partner"
        )
    body = {
        "title": f"报送事项：{template.name}",
        "key": template.key,
        "name": template.name,
        "instructions": template.instructions,
        "figures": list(template.figures),
        "records": list(template.records),
        "period_kind": template.period_kind,
        "due_days": template.due_days,
        "starts_on": template.starts_on.isoformat(),
        "active": template.active,
    }
    return message_send(bureau=template.bureau, partner=partner, kind=TEMPLATE, body=body, user=user, now=now)


def send_submission(report: Report, user: User | None, now: dt.datetime) -> Message | None:
    template = report.template
    partner = _partner(report.bureau_id, template.external_bureau_code)
    if partner is None:
        return None
    body = {
        "title": f"{report.bureau_name}：{template.name}（{report.period_label}）",
        **report_payload(report),
    }
    return message_send(bureau=report.bureau, partner=partner, kind=SUBMISSION, body=body, user=user, now=now)


def send_review(report: Report, user: User | None, now: dt.datetime) -> Message | None:
    template = report.template
    partner = _partner(template.bureau_id, report.external_bureau_code)
    if partner is None:
        return None
    body = {"title": f"审核：{template.name}（{report.period_label}）", **review_payload(report)}
    return message_send(
        bureau=template.bureau,
        partner=partner,
        kind=REVIEW,
        body=body,
        user=user,
        in_reply_to=report.external_ref,
        now=now,
    )


def receive_template(incoming: kinds.Incoming) -> kinds.Result:
    body, partner = incoming.body, incoming.partner
    key = str(body.get("key", "")).strip()
    if not key or not body.get("figures"):
        raise ValidationFailed("报送事项缺少代码或指标", "The template lacks its key or figures")
    try:
        starts_on = dt.date.fromisoformat(str(body.get("starts_on", "")))
        due_days = int(body.get("due_days") or 0)
    except (TypeError, ValueError):
        raise ValidationFailed(
            "报送事项的起报日期或期限无效", "The template's start or due days are invalid"
        ) from None
    with transaction.atomic():
        template = ReportTemplate.objects.filter(
            bureau__isnull=True, external_bureau_code=partner.code, key=key
        ).first()
        template = template or ReportTemplate(bureau=None, external_bureau_code=partner.code, key=key)
        template.external_bureau_name = partner.name
        template.external_ref = incoming.message.message_id
        template.name = str(body.get("name", key))[:200]
        template.instructions = str(body.get("instructions", ""))
        template.figures = [str(f) for f in body.get("figures", [])]
        template.records = [str(f) for f in body.get("records", [])]
        template.period_kind = str(body.get("period_kind", ""))
        template.due_days, template.starts_on = due_days, starts_on
        template.active = bool(body.get("active", True))
        template.full_clean(exclude=["created_by", "bureau"])
        template.save()
        template.subordinates.set([incoming.bureau])
    return kinds.Result(
        label=f"报送事项 {template.name}",
        url=reverse("reporting:template", args=[template.pk]),
        ref={"key": template.key},
    )


def receive_submission(incoming: kinds.Incoming) -> kinds.Result:
    report = report_receive_external(
        incoming.body,
        sender_code=incoming.partner.code,
        sender_name=incoming.partner.name,
        message_id=incoming.message.message_id,
    )
    return kinds.Result(
        label=f"报送 {report.template.name}（{report.period_label}）",
        url=reverse("reporting:report", args=[report.pk]),
        ref={"period": report.period_label},
    )


def receive_review(incoming: kinds.Incoming) -> kinds.Result:
    report = review_receive_external(
        incoming.body,
        sender_code=incoming.partner.code,
        sender_name=incoming.partner.name,
        message_id=incoming.message.message_id,
    )
    return kinds.Result(
        label=f"审核结果 {report.template.name}（{report.period_label}）：{report.get_state_display()}",
        url=reverse("reporting:report", args=[report.pk]),
        ref={"state": report.state},
    )


def register() -> None:
    from wangjian.reporting.services.common import OUTBOUND

    OUTBOUND.update(submitted=send_submission, reviewed=send_review)
    kinds.register(kinds.Kind(TEMPLATE, "报送事项（上级局要求报送）", Category.REPORTING, receive_template))
    kinds.register(kinds.Kind(SUBMISSION, "向上报送", Category.REPORTING, receive_submission))
    kinds.register(kinds.Kind(REVIEW, "报送审核结果", Category.REPORTING, receive_review))
