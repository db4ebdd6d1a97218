"""Upward reporting's figures (``platform.statistics``): revisions submitted, and those submitted on time.

A revision counts for the bureau that submitted it on the day it was submitted; a report returned and
submitted again counts twice (two submissions). On time: submitted no later than the due date then in force.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from wangjian.platform.statistics import Figure, Scope, in_period, register
from wangjian.reporting.models import Revision

NOTE = "按报送日期统计，计入报送单位；退回后重新报送的另计一次。"


def _revisions(scope: Scope, start: dt.date, end: dt.date) -> QuerySet:
    qs = Revision.objects.filter(
        report__bureau__isnull=False, **in_period("submitted_at", start, end, timestamp=True)
    )
    return scope.bureaus(qs, "report__bureau")


FIGURES = (
    Figure(
        "reporting_submitted",
        "向上级局报送",
        "reports submitted upward",
        f"统计期内本局向上级局报送（含更正后重新报送）的次数。{NOTE}",
        "Submissions of reports to the superior bureau within the period (resubmissions after a return count "
        "again), counted for the submitting bureau on the day submitted.",
        "件",
        "reporting",
        lambda scope, start, end: _revisions(scope, start, end).count(),
    ),
    Figure(
        "reporting_on_time",
        "按期向上级局报送",
        "reports submitted upward on time",
        f"统计期内本局向上级局报送且未超过当时报送期限的次数。{NOTE}",
        "Submissions within the period made no later than the due date then in force.",
        "件",
        "reporting",
        lambda scope, start, end: _revisions(scope, start, end).filter(late=False).count(),
    ),
)


def register_all() -> None:
    register(*FIGURES)
