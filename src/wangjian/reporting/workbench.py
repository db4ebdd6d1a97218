"""The workbench section of upward reporting: the office's reports to submit, and those awaiting its review."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wangjian.org import permissions
from wangjian.platform.workbench import register
from wangjian.reporting.choices import ReportState
from wangjian.reporting.models import Report
from wangjian.reporting.permissions import REPORTING_REVIEW, REPORTING_SUBMIT


@register
def reporting_section(user) -> dict | None:  # noqa: ANN001
    if not user.is_authenticated or not user.bureau_id:
        return None
    today = timezone.localdate()
    rows = []
    if permissions.may(user, REPORTING_SUBMIT):
        for report in Report.objects.filter(
            bureau_id=user.bureau_id, state__in=(ReportState.OPEN, ReportState.RETURNED)
        ).select_related("template")[:10]:
            rows.append(
                {
                    "label": f"{report.template.name}（{report.period_label}）{report.get_state_display()}",
                    "url": report.get_absolute_url(),
                    "due": f"{report.due:%Y-%m-%d}" if report.due else "",
                    "overdue": bool(report.due and today > report.due),
                }
            )
    if permissions.may(user, REPORTING_REVIEW):
        for report in Report.objects.filter(
            template__bureau_id=user.bureau_id, state=ReportState.SUBMITTED
        ).select_related("template", "bureau")[:10]:
            rows.append(
                {
                    "label": f"{_('待审核')}：{report.bureau_name} {report.template.name}（{report.period_label}）",
                    "url": report.get_absolute_url(),
                    "due": "",
                    "overdue": False,
                }
            )
    if not rows:
        return None
    return {"title": _("向上报送"), "items": rows, "url": reverse("reporting:report_list")}
