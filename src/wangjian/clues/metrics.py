"""The clue loop's metric: open clues past their running deadline (``/metrics``, platform.metrics).

Overdue as the workbench shows it: the running deadline (feedback while the unit checks,
disposal after its feedback) is before today and final — a provisional deadline (a year whose
holidays are not entered yet) is never called overdue. Counted per bureau (its division code)
and deadline, so an alert can name the bureau whose 7 working days have run out.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from wangjian.clues.choices import AWAITING_DISPOSAL, AWAITING_FEEDBACK
from wangjian.clues.models import Clue
from wangjian.platform.metrics import register_metric

DEADLINES = (
    ("feedback", AWAITING_FEEDBACK, "feedback_due", "feedback_provisional"),
    ("disposal", AWAITING_DISPOSAL, "disposal_due", "disposal_provisional"),
)


def clues_overdue(today: dt.date | None = None) -> list[tuple[dict[str, str], int]]:
    today = today or timezone.localdate()
    samples = []
    for deadline, states, due, provisional in DEADLINES:
        rows = (
            Clue.objects.filter(state__in=states, **{f"{due}__lt": today, provisional: False})
            .values("bureau__code")
            .annotate(n=Count("id"))
            .order_by("bureau__code")
        )
        samples += [({"bureau": r["bureau__code"], "deadline": deadline}, r["n"]) for r in rows]
    return samples


def register() -> None:
    register_metric(
        "wangjian_clues_overdue",
        "open clues whose running deadline (feedback or disposal) has passed, per bureau",
        clues_overdue,
        labels=("bureau", "deadline"),
    )
