"""The superior's review: accept a submitted report, or return it for correction with the reason.

A return reopens the report with a new due date: by default the ``reporting.correction`` work rule of the
superior bureau (3 working days from the return, settable on the clocks page), or the number of working days
the superior gives. The revision that was returned keeps its figures and the reason; the bureau corrects
(figures computed again, or a value entered by hand with its reason) and submits the next revision.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org import permissions
from wangjian.org.models import User
from wangjian.platform.clocks.services import setting_for
from wangjian.platform.inbox.models import MessageKind
from wangjian.platform.inbox.services import notify
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.reporting import selectors
from wangjian.reporting.choices import Outcome, ReportState
from wangjian.reporting.clocks import CORRECTION
from wangjian.reporting.models import Report, Revision
from wangjian.reporting.permissions import REPORTING_REVIEW
from wangjian.reporting.services.common import OUTBOUND, actor_name, due_after, item_open, local_day, lock

ACCEPT, RETURN = "accept", "return"
MAX_CORRECTION_DAYS = 30


def review_check(user: User | None, report: Report) -> Revision:
    """Who may review (the superior's office) and what: the latest revision of a submitted report."""
    if user is not None:
        permissions.require(user, REPORTING_REVIEW)
    if not selectors.may_review(user, report):
        raise PermissionDeniedError(
            "只能由接收报送的上级局办公室审核", "Only the office of the bureau reported to reviews the report"
        )
    if report.state != ReportState.SUBMITTED:
        raise ValidationFailed(
            f"该报送{report.get_state_display()}，没有待审核的报送",
            f"The report is {report.state}; nothing awaits review",
        )
    return report.revisions.order_by("-number").first()


def correction_days(report: Report, days: object = None) -> int:
    """The working days given for the correction: the superior's ``reporting.correction`` setting unless given."""
    if days in (None, ""):
        return setting_for(bureau=report.template.bureau_id, clock=CORRECTION).length
    try:
        n = int(str(days).strip())
    except (TypeError, ValueError):
        raise ValidationFailed(
            "更正期限应为工作日数（整数）", "The correction period is a number of working days"
        ) from None
    if not 1 <= n <= MAX_CORRECTION_DAYS:
        raise ValidationFailed(
            f"更正期限应在1至{MAX_CORRECTION_DAYS}个工作日之间",
            f"The correction period is 1 to {MAX_CORRECTION_DAYS} working days",
        )
    return n


def report_review(
    *,
    report: Report,
    user: User | None,
    decision: str,
    reason: str = "",
    days: object = None,
    now: dt.datetime | None = None,
) -> Revision:
    """Accept (``accept``) or return for correction (``return``, with the reason) the submitted revision."""
    now = now or timezone.now()
    if decision not in (ACCEPT, RETURN):
        raise ValidationFailed("审核结果应为通过或退回更正", "The decision is accept or return")
    review_check(user, report)
    reason = (reason or "").strip()
    if decision == RETURN and not reason:
        raise ValidationFailed("退回更正须写明理由", "A return for correction needs its reason")
    n = correction_days(report, days) if decision == RETURN else 0
    item = None
    with transaction.atomic():
        lock(report)
        revision = review_check(user, report)
        revision.reviewed_at = now
        revision.reviewed_by = user if getattr(user, "pk", None) else None
        revision.reviewed_by_name = actor_name(user)
        revision.review_comment = reason
        if decision == ACCEPT:
            revision.outcome = Outcome.ACCEPTED
            revision.save()
            report.state, report.accepted_at = ReportState.ACCEPTED, now
            report.save()
            title = f"“{report.template.name}”（{report.period_label}）第{revision.number}版已审核通过"
        else:
            today = local_day(now)
            rule = setting_for(bureau=report.template.bureau_id, clock=CORRECTION)
            basis_rule = (
                rule.basis if n == rule.length else f"上级局退回时指定：退回之日起{n}个工作日内更正后重新报送"
            )
            due, basis, _provisional = due_after(today, n, basis_rule)
            revision.outcome = Outcome.RETURNED
            revision.correction_due, revision.correction_basis = due, basis
            revision.save()
            report.state = ReportState.RETURNED
            report.due, report.due_basis = due, basis
            item = item_open(
                report,
                start=today,
                days=n,
                title=f"更正并重新报送“{report.template.name}”（{report.period_label}）：{reason[:60]}",
                basis=basis,
                now=now,
            )
            if item is not None:
                report.work_item = item
                report.due = item.due or due
                revision.correction_due = report.due
                revision.save(update_fields=["correction_due"])
            report.save()
            title = (
                f"“{report.template.name}”（{report.period_label}）被退回更正，请于 {report.due} 前重新报送"
            )
        if (
            not report.bureau_id
        ):  # a subordinate on another instance: the answer goes back as a signed message
            OUTBOUND["reviewed"](report, user, now)
        if report.bureau_id and item is None:  # a new work item told the office already
            notify(
                key=f"reporting-report{report.pk}:rev{revision.number}:{decision}",
                users=workitem_selectors.office_users(report.bureau_id),
                kind=MessageKind.RETURNED if decision == RETURN else MessageKind.STATE,
                title=title,
                body=reason,
                subject=report,
                now=now,
            )
    return revision
