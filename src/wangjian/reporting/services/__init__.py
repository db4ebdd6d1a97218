"""Upward reporting's writes, by sub-concern; the public names re-exported here."""

from wangjian.reporting.services.external import (
    report_payload,
    report_receive_external,
    review_payload,
    review_receive_external,
)
from wangjian.reporting.services.overview import overview, overview_xlsx
from wangjian.reporting.services.reports import (
    lines_live,
    lines_of,
    report_draft_save,
    report_open,
    report_submit,
    reporting_daily,
    reports_open,
)
from wangjian.reporting.services.review import ACCEPT, RETURN, report_review
from wangjian.reporting.services.templates import template_save

__all__ = [
    "ACCEPT",
    "RETURN",
    "lines_live",
    "lines_of",
    "overview",
    "overview_xlsx",
    "report_draft_save",
    "report_open",
    "report_payload",
    "report_receive_external",
    "report_review",
    "report_submit",
    "reporting_daily",
    "reports_open",
    "review_payload",
    "review_receive_external",
    "template_save",
]
