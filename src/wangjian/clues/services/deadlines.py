"""The clue's deadlines as functions of the clocks: feedback N working days after assignment, disposal from feedback."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wangjian.clues import clocks
from wangjian.org.models import Bureau
from wangjian.platform.clocks.services import deadline_for

# ---------------------------------------------------------------- deadlines


@dataclass
class Deadline:
    """A computed deadline of the clue and its basis: the rule, the start, the days skipped.

    ``provisional``: the period reaches a year whose holidays are not entered yet; the date is
    counted with weekends only, shown as 暂定, and computed again once the year is entered.
    """

    due: dt.date
    basis: str
    provisional: bool = False


def _deadline(bureau: Bureau, clock: str, source_kind: str, start: dt.date, what: str) -> Deadline:
    deadline = deadline_for(bureau=bureau, clock=clock, variant=source_kind, start=start)
    return Deadline(deadline.due, deadline.basis_text(what), deadline.provisional)


def deadline_feedback(*, bureau: Bureau, source_kind: str, assigned_on: dt.date) -> Deadline:
    """Feedback is due N working days after the unit receives the task (default 7, 旌德机制二(四))."""
    return _deadline(bureau, clocks.FEEDBACK, source_kind, assigned_on, "分派")


def deadline_disposal(*, bureau: Bureau, source_kind: str, fed_back_on: dt.date) -> Deadline:
    """The disposal result has its own deadline, counted in working days from the feedback."""
    return _deadline(bureau, clocks.DISPOSAL, source_kind, fed_back_on, "反馈")
