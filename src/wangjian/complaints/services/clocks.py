"""The clocks of a complaint or report: each a platform work item of the handling unit (or the handler), so
reminders, overdue marking and 督办 work as everywhere; the record keeps the dates."""

from __future__ import annotations

import datetime as dt

from wangjian.complaints.models import Complaint
from wangjian.org.models import User
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.kinds import WorkItemKind
from wangjian.platform.workitems.models import WorkItem, WorkItemState
from wangjian.platform.workitems.services import workitem_create, workitem_finish

ACCEPTANCE, MEDIATION, END_NOTICE = "complaint.acceptance", "complaint.mediation", "complaint.end_notice"
LABELS = {
    ACCEPTANCE: "决定是否受理投诉",
    MEDIATION: "调解（四十五个工作日）",
    END_NOTICE: "告知终止调解",
}
WORKITEM_KINDS = tuple(WorkItemKind(key, label, "投诉举报", clock=key) for key, label in LABELS.items())


def clock_spec(complaint: Complaint, clock: str, start: dt.date, *, title: str = "") -> dict:
    """The work item of ``clock`` for ``complaint`` from ``start``, as ``workitem_create`` takes it."""
    return {
        "bureau": complaint.bureau,
        "kind": clock,
        "title": title or LABELS[clock],
        "reference": complaint.number or complaint.source_number,
        "department": complaint.department,
        "station": complaint.station,
        "assignee": complaint.handler,
        "clock": clock,
        "start": start,
        "subject": complaint,
        "domain": complaint.domain,
    }


def clock_open(
    complaint: Complaint, clock: str, start: dt.date, now: dt.datetime, *, title: str = ""
) -> WorkItem:
    return workitem_create(**clock_spec(complaint, clock, start, title=title), now=now)


def clock_end(
    complaint: Complaint,
    clock: str,
    user: User | None,
    result: str,
    now: dt.datetime,
    *,
    cancelled: bool = False,
) -> None:
    for item in workitem_selectors.items_of(complaint).filter(kind=clock, state=WorkItemState.OPEN):
        state = WorkItemState.CANCELLED if cancelled else WorkItemState.DONE
        workitem_finish(item=item, user=None, actor=user, result=result, state=state, now=now)
