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

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth

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
    list_url,
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


def _held(scope: Scope, start: dt.date, end: dt.date) -> QuerySet:
    """The clues found within the period by the scope's bureaus and not transferred away by its end."""
    return (
        _clues(scope)
        .filter(found_on__range=(start, end))
        .exclude(Exists(Clue.objects.filter(transferred_from=OuterRef("pk"), found_on__lte=end)))
    )


def _moved_in(held: QuerySet, start: dt.date, end: dt.date) -> set[int]:
    """Of ``held``, the clues received by transfer whose matter the first bureau received within the period."""
    moved = dict(held.filter(transferred_from__isnull=False).values_list("pk", "transferred_from_id"))
    return {pk for pk, received_on in _first_received(moved).items() if start <= received_on <= end}


def received_ids(scope: Scope, start: dt.date, end: dt.date) -> set[int]:
    """The clues received in the period and held by the scope's bureaus at its end (see the module)."""
    held = _held(scope, start, end)
    ids = set(held.filter(transferred_from__isnull=True).values_list("pk", flat=True))
    # received by transfer: counted by the day the first bureau received the matter (the chain's root)
    return ids | _moved_in(held, start, end)


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
    """``len(received_ids(…))`` without reading the ids: a count, and the few clues received by transfer."""
    held = _held(scope, start, end)
    return held.filter(transferred_from__isnull=True).count() + len(_moved_in(held, start, end))


def received_monthly(scope: Scope, start: dt.date, end: dt.date) -> dict[str, int]:
    """``received`` of each month of the period at once (``{"YYYY-MM": n}``; months within ``start`` … ``end``).

    For a month, a clue counts if found in it and not transferred away by its end — a transfer is
    dated on or after the clue was found, so "by the end of the clue's own month" is "in the same
    month" —; a clue received by transfer counts in a month holding both its transfer and the day the
    first bureau received the matter (and not sent on by that month's end). A month of the list whose
    days ``start`` … ``end`` cut short counts those days only, as ``received`` for them would.
    """
    month = TruncMonth("found_on")
    sent_within_month = (
        Clue.objects.filter(transferred_from=OuterRef("pk")).annotate(m=month).filter(m=OuterRef("month"))
    )
    own = (
        _clues(scope)
        .filter(found_on__range=(start, end), transferred_from__isnull=True)
        .annotate(month=month)
        .exclude(Exists(sent_within_month.filter(found_on__lte=end)))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    out = {f"{m:%Y-%m}": n for m, n in own}
    moved = dict(
        _clues(scope)
        .filter(found_on__range=(start, end), transferred_from__isnull=False)
        .values_list("pk", "transferred_from_id")
    )
    if moved:
        found = dict(Clue.objects.filter(pk__in=moved).values_list("pk", "found_on"))
        sent = {}
        for parent, on in Clue.objects.filter(transferred_from__in=moved, found_on__lte=end).values_list(
            "transferred_from_id", "found_on"
        ):
            sent[parent] = min(on, sent.get(parent, on))
        for pk, received_on in _first_received(moved).items():
            on = found[pk]
            key = f"{on:%Y-%m}"
            same_month = (received_on.year, received_on.month) == (on.year, on.month) and received_on >= start
            sent_on = sent.get(pk)
            if same_month and not (sent_on and (sent_on.year, sent_on.month) == (on.year, on.month)):
                out[key] = out.get(key, 0) + 1
    return {k: v for k, v in out.items() if v}


def _fed_back(scope: Scope, start: dt.date, end: dt.date) -> QuerySet:
    return _clues(scope).filter(**in_period("fed_back_at", start, end, timestamp=True))


def fed_back(scope: Scope, start: dt.date, end: dt.date) -> int:
    return _fed_back(scope, start, end).count()


def fed_back_by_result(scope: Scope, start: dt.date, end: dt.date) -> dict[str, int]:
    return counted_by(_fed_back(scope, start, end), "check_result")


def _fed_back_on_time(scope: Scope, start: dt.date, end: dt.date) -> QuerySet:
    return (
        _fed_back(scope, start, end)
        .annotate(fed_on=TruncDate("fed_back_at"))
        .filter(Q(feedback_due__isnull=True) | Q(fed_on__lte=F("feedback_due")))
    )


def fed_back_on_time(scope: Scope, start: dt.date, end: dt.date) -> int:
    return _fed_back_on_time(scope, start, end).count()


def _by_month(qs: QuerySet, field_name: str) -> dict[str, int]:
    rows = qs.annotate(month=TruncMonth(field_name)).values_list("month").annotate(n=Count("id")).order_by()
    return {f"{month:%Y-%m}": n for month, n in rows}


def fed_back_monthly(scope: Scope, start: dt.date, end: dt.date) -> dict[str, int]:
    """``fed_back`` of each month at once: a clue's row, its bureau and unit do not depend on the month asked."""
    return _by_month(_fed_back(scope, start, end), "fed_back_at")


def fed_back_on_time_monthly(scope: Scope, start: dt.date, end: dt.date) -> dict[str, int]:
    return _by_month(_fed_back_on_time(scope, start, end), "fed_back_at")


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


def guidance(scope: Scope, start: dt.date, end: dt.date) -> int:
    """Of ``closed``, the clues disposed of by 行政指导/约谈 (the campaigns' 约谈 column)."""
    return _closed(scope, start, end).filter(disposal=Disposal.GUIDANCE).count()


def rectify(scope: Scope, start: dt.date, end: dt.date) -> int:
    """Of ``closed``, the clues disposed of by 责令整改 (with the cases' orders: ``cases.figures``)."""
    return _closed(scope, start, end).filter(disposal=Disposal.RECTIFY).count()


# ---------------------------------------------------------------- the clue list that shows these rows
# The clue list's filters (``filtersets.ClueFilterSet``) that give a figure's rows, kept beside the rules they
# repeat so that one is not changed without the other (tests/platform/test_statistics_records.py compares them).


def received_within(qs: QuerySet, *, start: dt.date | None = None, end: dt.date | None = None) -> QuerySet:
    """``qs`` narrowed to the clues received from ``start`` and/or until ``end`` as ``received`` dates them: the
    clue's own day and, for one received by transfer, the day the first bureau received the matter (the
    list's 收到日期 filters ``found_after``/``found_before``; each bound is a filter of its own)."""
    if start is not None:
        qs = qs.filter(found_on__gte=start)
    if end is not None:
        qs = qs.filter(found_on__lte=end)
    moved = dict(qs.filter(transferred_from__isnull=False).values_list("pk", "transferred_from_id"))
    within = [
        pk
        for pk, received_on in _first_received(moved).items()
        if (start is None or start <= received_on) and (end is None or received_on <= end)
    ]
    return qs.filter(Q(transferred_from__isnull=True) | Q(pk__in=within))


def held_on(qs: QuerySet, end: dt.date, bureau_ids: set[int] | frozenset[int] | None) -> QuerySet:
    """``qs`` narrowed to the clues the bureaus ``bureau_ids`` (None: every bureau) held at the end of ``end``
    — received by then, not merged, not transferred onward by then —: where every figure of the module counts
    a clue (the list's ``held_on``, which leaves out the clues a sender only watches after a transfer)."""
    qs = (
        qs.exclude(state=ClueState.MERGED)
        .filter(found_on__lte=end)
        .exclude(Exists(Clue.objects.filter(transferred_from=OuterRef("pk"), found_on__lte=end)))
    )
    return qs if bureau_ids is None else qs.filter(bureau_id__in=bureau_ids)


def overdue_on(qs: QuerySet, end: dt.date) -> QuerySet:
    """``qs`` narrowed to the clues ``overdue`` counts at the end of ``end`` (the list's ``overdue_on``): the same
    conditions, by the local day (``__date``) rather than the next midnight, which the last date has not."""
    feedback = Q(assigned_at__date__lte=end, feedback_due__lt=end, feedback_provisional=False) & (
        Q(fed_back_at__isnull=True) | Q(fed_back_at__date__gt=end)
    )
    disposal = Q(fed_back_at__date__lte=end, disposal_due__lt=end, disposal_provisional=False) & (
        Q(closed_at__isnull=True) | Q(closed_at__date__gt=end)
    )
    return qs.filter(feedback | disposal)


def on_time(qs: QuerySet, value: bool) -> QuerySet:
    """``qs`` narrowed to the clues fed back on time (``value``) or late, as ``fed_back_on_time`` tells them."""
    fed = qs.filter(fed_back_at__isnull=False).annotate(fed_on=TruncDate("fed_back_at"))
    in_time = Q(feedback_due__isnull=True) | Q(fed_on__lte=F("feedback_due"))
    return fed.filter(in_time) if value else fed.exclude(in_time)


def _records(scope: Scope, start: dt.date, end: dt.date, **more) -> str:
    """The clue list showing a figure's rows: the clues the bureau held at the period's end (``held_on``), in
    the scope's unit, domain and platform, with ``more`` (the dates the figure counts by, a result …)."""
    return list_url("clues:clue_list", scope, held_on=end, **more)


def closed_records_url(scope: Scope, start: dt.date, end: dt.date, **more) -> str:
    """The clues closed within the period (``closed_after``/``closed_before``), with ``more``."""
    return _records(scope, start, end, closed_after=start, closed_before=end, **more)


def _fed_back_records(scope: Scope, start: dt.date, end: dt.date, **more) -> str:
    return _records(scope, start, end, fed_back_after=start, fed_back_before=end, **more)


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
    monthly=received_monthly,
    records_url=lambda s, a, b: _records(s, a, b, found_after=a, found_before=b),
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
    monthly=fed_back_monthly,
    breakdown=Breakdown(
        "check_result",
        "核查结论",
        "check result",
        tuple(CheckResult.choices),
        fed_back_by_result,
        records_url=lambda s, a, b, v: _fed_back_records(s, a, b, check_result=v),
    ),
    records_url=_fed_back_records,
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
    monthly=fed_back_on_time_monthly,
    records_url=lambda s, a, b: _fed_back_records(s, a, b, fed_back_on_time="true"),
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
    records_url=lambda s, a, b: _records(s, a, b, overdue_on=b),
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
    breakdown=Breakdown(
        "disposal",
        "处置结果",
        "disposal",
        tuple(Disposal.choices),
        closed_by_disposal,
        records_url=lambda s, a, b, v: closed_records_url(s, a, b, disposal=v),
    ),
    records_url=closed_records_url,
)
GUIDANCE = Figure(
    "clues_guidance",
    "行政指导/约谈",
    "clues closed by administrative guidance or 约谈",
    "办结时间（closed_at）在统计期间内、处置结果为“行政指导/约谈”的线索（约谈平台和经营者；一条线索计一件）。"
    + MOVED,
    "Clues closed (closed_at) within the period whose disposal is administrative guidance or an interview "
    "(约谈) of the platform or business; one clue counts once. " + MOVED_EN,
    "件",
    "clues",
    guidance,
    filters=FILTERS,
    records_url=lambda s, a, b: closed_records_url(s, a, b, disposal=Disposal.GUIDANCE.value),
)


def register_all() -> None:
    register(RECEIVED, FED_BACK, FED_BACK_ON_TIME, OVERDUE, CLOSED, GUIDANCE)
