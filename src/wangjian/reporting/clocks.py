"""The work rule and the work-item kind of upward reporting, registered in ``ReportingConfig.ready``.

- ``reporting.correction``: a report returned for correction is submitted again within 3 working days of the
  return — **a work rule** (no regulation sets it): the superior's office may set its bureau's length on the
  clocks page, and may give another number of working days when it returns a report.
- The due date of a report is the template's: N working days after the period ends (also a work rule,
  written on the template).
- ``reporting.report``: the work item of a report due (its reminders, overdue marking and 督办 are the
  platform's follow-ups); it is closed by the submission, listed in the reporting section of the workbench.
"""

from __future__ import annotations

from wangjian.core.clocks import Unit
from wangjian.platform.clocks import catalogue
from wangjian.platform.clocks.catalogue import ClockKind, Lock
from wangjian.platform.workitems import kinds as workitem_kinds
from wangjian.reporting.models import Report

CORRECTION = "reporting.correction"
REPORT_ITEM = "reporting.report"

CLOCKS = (
    ClockKind(
        CORRECTION,
        "退回更正后重新报送",
        3,
        Unit.WORKING_DAYS,
        "工作规则：上级局退回更正之日起{n}个工作日内更正后重新报送（上级局退回时可另定期限）",
        Lock.WORK_RULE,
        "退回",
    ),
)


def _due_changed(item) -> None:  # noqa: ANN001
    """A work item's deadline moved (the national calendar changed): the report's due date follows it."""
    Report.objects.filter(work_item=item).update(due=item.due)


WORKITEM_KINDS = (
    workitem_kinds.WorkItemKind(
        REPORT_ITEM, "向上级局报送", "报送", own_section=True, on_due_changed=_due_changed
    ),
)


def register() -> None:
    for kind in CLOCKS:
        catalogue.register(kind)
    for kind in WORKITEM_KINDS:
        workitem_kinds.register(kind)
