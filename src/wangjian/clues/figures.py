"""The clue loop's figures (``platform.statistics``): received, fed back (on time), overdue, closed by result.

A clue merged into another is counted once, as the clue it joined (a merged clue counts nowhere). A
clue transferred to another bureau (移交外局) is one matter: it counts for the bureau holding it at
the end of the period (the bureau it went to, once transferred by then; the bureau it came from, if
the transfer came after), and it counts as received on the day the first bureau received it — so a
matter received in January and transferred in February is one received clue of January–February,
of the sender in January and of the receiver for the two months together, never two. The unit is
the unit handling the clue now (承办科室/基层所; reassignments within the bureau are not replayed).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate

from wangjian.clues.choices import CheckResult, ClueState, Disposal
from wangjian.clues.models import Clue
from wangjian.platform.statistics import (
    DEPARTMENT,
    DOMAIN,
    PLATFORM,
    STATION,
    Breakdown,
    Figure,
    Scope,
    counted_by,
    day_bounds,
    in_period,
    register,
)

FILTERS = frozenset({DEPARTMENT, STATION, DOMAIN, PLATFORM})
MOVED = "移交外局的线索计入期末（截止日）承办该线索的局和单位；合并的线索只按并入的线索计一次。"
MOVED_EN = (
    "A clue transferred to another bureau counts for the bureau and unit handling it at the end of the "
    "period; a merged clue counts once, as the clue it joined."
)


def _clues(scope: Scope) -> QuerySet:
    return scope.units(Clue.objects.exclude(state=ClueState.MERGED))


def received_ids(scope: Scope, start: dt.date, end: dt.date) -> set[int]:
    """The clues received in the period and held by the scope's bureaus at its end (see the module)."""
    held = (
        _clues(scope)
        .filter(found_on__range=(start, end))
        .exclude(Exists(Clue.objects.filter(transferred_from=OuterRef("pk"), found_on__lte=end)))
    )
    ids = set(held.filter(transferred_from__isnull=True).values_list("pk", flat=True))
    # received by transfer: counted by the day the first bureau received the matter (the chain's root)
    moved = dict(held.filter(transferred_from__isnull=False).values_list("pk", "transferred_from_id"))
    for pk, received_on in _first_received(moved).items():
        if start <= received_on <= end:
            ids.add(pk)
    return ids


def _first_received(parents: dict[int, int]) -> dict[int, dt.date]:
    """``{clue id: the day the first bureau of its transfer chain received the matter}``, a query per link."""
    out: dict[int, dt.date] = {}
    pending = dict(parents)
    for _ in range(50):  # a chain of transfers is short; bad data must not loop forever
        if not pending:
            break
        rows = {
            pk: (parent, found_on)
            for pk, parent, found_on in Clue.objects.filter(pk__in=set(pending.values())).values_list(
                "pk", "transferred_from_id", "found_on"
            )
        }
        following: dict[int, int] = {}
        for pk, parent_id in pending.items():
            parent, found_on = rows[parent_id]
            if parent is None:
                out[pk] = found_on
            else:
                following[pk] = parent
        pending = following
    return out


def received(scope: Scope, start: dt.date, end: dt.date) -> int:
    return len(received_ids(scope, start, end))


def _fed_back(scope: Scope, start: dt.date, end: dt.date) -> QuerySet:
    return _clues(scope).filter(**in_period("fed_back_at", start, end, timestamp=True))


def fed_back(scope: Scope, start: dt.date, end: dt.date) -> int:
    return _fed_back(scope, start, end).count()


def fed_back_by_result(scope: Scope, start: dt.date, end: dt.date) -> dict[str, int]:
    return counted_by(_fed_back(scope, start, end), "check_result")


def fed_back_on_time(scope: Scope, start: dt.date, end: dt.date) -> int:
    return (
        _fed_back(scope, start, end)
        .annotate(fed_on=TruncDate("fed_back_at"))
        .filter(Q(feedback_due__isnull=True) | Q(fed_on__lte=F("feedback_due")))
        .count()
    )


def overdue(scope: Scope, start: dt.date, end: dt.date) -> int:
    """Clues whose running deadline had passed at the end of ``end`` with the duty not done by then."""
    _lo, after = day_bounds(end, end)
    feedback = Q(assigned_at__lt=after, feedback_due__lt=end, feedback_provisional=False) & (
        Q(fed_back_at__isnull=True) | Q(fed_back_at__gte=after)
    )
    disposal = Q(fed_back_at__lt=after, disposal_due__lt=end, disposal_provisional=False) & (
        Q(closed_at__isnull=True) | Q(closed_at__gte=after)
    )
    return _clues(scope).filter(feedback | disposal).count()


def _closed(scope: Scope, start: dt.date, end: dt.date) -> QuerySet:
    return _clues(scope).filter(**in_period("closed_at", start, end, timestamp=True))


def closed(scope: Scope, start: dt.date, end: dt.date) -> int:
    return _closed(scope, start, end).count()


def closed_by_disposal(scope: Scope, start: dt.date, end: dt.date) -> dict[str, int]:
    return counted_by(_closed(scope, start, end), "disposal")


RECEIVED = Figure(
    "clues_received",
    "受理线索",
    "clues received",
    "发现/收到日期（found_on）在统计期间内的线索。"
    + MOVED
    + "移交来的线索按最初收到该线索的局的收到日期计。",
    "Clues found or received (found_on) within the period. " + MOVED_EN + " A transferred clue counts from "
    "the day the first bureau received it.",
    "件",
    "clues",
    received,
    filters=FILTERS,
)
FED_BACK = Figure(
    "clues_fed_back",
    "已反馈核查情况的线索",
    "clues fed back",
    "承办单位反馈核查情况的时间（fed_back_at）在统计期间内的线索，按核查结论分列。" + MOVED,
    "Clues whose unit fed back its check (fed_back_at) within the period, by check result. " + MOVED_EN,
    "件",
    "clues",
    fed_back,
    filters=FILTERS,
    breakdown=Breakdown(
        "check_result", "核查结论", "check result", tuple(CheckResult.choices), fed_back_by_result
    ),
)
FED_BACK_ON_TIME = Figure(
    "clues_fed_back_on_time",
    "按期反馈的线索",
    "clues fed back on time",
    "统计期间内反馈的线索中，反馈日期不晚于反馈期限（feedback_due，分派后7个工作日）的；无期限的按按期计。"
    + MOVED,
    "Of the clues fed back within the period, those fed back on or before their feedback deadline (7 working "
    "days after assignment); a clue without a deadline counts as on time. " + MOVED_EN,
    "件",
    "clues",
    fed_back_on_time,
    filters=FILTERS,
)
OVERDUE = Figure(
    "clues_overdue",
    "逾期未反馈或未处置的线索",
    "clues overdue",
    "截至统计期间最后一日日终：已分派、反馈期限已过仍未反馈的线索，加上已反馈、处置期限已过仍未办结的线索"
    "（期限暂定的不计；期末时点数，与起始日期无关）。" + MOVED,
    "At the end of the period's last day: clues assigned whose feedback deadline had passed without feedback, "
    "plus clues fed back whose disposal deadline had passed without closing (provisional deadlines not "
    "counted; a state at the end, whatever the start). " + MOVED_EN,
    "件",
    "clues",
    overdue,
    filters=FILTERS,
    at_end=True,
)
CLOSED = Figure(
    "clues_closed",
    "办结线索",
    "clues closed",
    "办结时间（closed_at）在统计期间内的线索，按处置结果分列。" + MOVED,
    "Clues closed (closed_at) within the period, by disposal. " + MOVED_EN,
    "件",
    "clues",
    closed,
    filters=FILTERS,
    breakdown=Breakdown("disposal", "处置结果", "disposal", tuple(Disposal.choices), closed_by_disposal),
)


def register_all() -> None:
    register(RECEIVED, FED_BACK, FED_BACK_ON_TIME, OVERDUE, CLOSED)
