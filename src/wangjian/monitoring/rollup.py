"""Findings counted by day, kept once a day has ended (统计预汇总): the statistics at a million findings.

The figure ``findings`` counts findings by the local day of ``first_seen`` — the moment a sweep
first found them, set once and never changed, like their bureau and category. A day that has ended
therefore keeps its count, and that count is read once (one grouped query over the days not yet
rolled up) and kept in ``FindingDayCount`` by day, bureau and category, with the day marked in
``FindingDayRolled``. A figure over a period then adds the kept counts of its ended days to a live
count of the days not yet ended (today, or a period reaching into the future): the same number as
counting the findings, which the tests check against the rows.

Kept counts stay true because a day is rolled up only once it has ended (by the site's clock) and
any finding created or deleted later on a rolled-up day — a deletion cascading from its presence,
a record written with an earlier date — forgets that day (``forget``), which is rolled up again
when next asked. Bulk writes that bypass the model's signals (``bulk_create``, ``core.bulk``)
must call ``forget`` for the days they touch. Two requests rolling up the same days at once do not
double-count: a day's mark is unique, the loser's insert fails whole and it counts live instead.

A filter the kept counts do not carry (a platform) is counted live from the findings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from wangjian.monitoring.models import Finding, FindingDayCount, FindingDayRolled

ONE_DAY = dt.timedelta(days=1)


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + ONE_DAY, dt.time.min, tzinfo=tz),
    )


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted days as runs of consecutive days ``(first, last)``."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in sorted(days):
        if runs and runs[-1][1] + ONE_DAY == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def roll_up(start: dt.date, end: dt.date, *, today: dt.date | None = None) -> dt.date | None:
    """Count the ended days of ``start`` … ``end`` not yet kept; answer the last day the kept counts
    cover whole (None: none of the period, or a concurrent roll-up left a gap — count live)."""
    today = today or timezone.localdate()
    last = min(end, today - ONE_DAY)
    if last < start:
        return None
    kept = set(FindingDayRolled.objects.filter(day__range=(start, last)).values_list("day", flat=True))
    missing = [start + dt.timedelta(days=i) for i in range((last - start).days + 1)]
    missing = [day for day in missing if day not in kept]
    for first, final in _runs(missing):
        lo, hi = _bounds(first, final)
        rows = (
            Finding.objects.filter(first_seen__gte=lo, first_seen__lt=hi)
            .annotate(day=TruncDate("first_seen"))
            .values_list("day", "bureau_id", "category")
            .annotate(n=Count("id"))
            .order_by()
        )
        marks = [FindingDayRolled(day=first + dt.timedelta(days=i)) for i in range((final - first).days + 1)]
        try:
            with transaction.atomic():
                FindingDayRolled.objects.bulk_create(marks)
                FindingDayCount.objects.bulk_create(
                    [FindingDayCount(day=d, bureau_id=b, category=c, findings=n) for d, b, c, n in rows],
                    batch_size=2000,
                )
        except IntegrityError:  # another request rolled some of these days up meanwhile
            return None
    return last


def forget(days: Iterable[dt.date]) -> None:
    """Drop the kept counts of ``days`` (a finding of theirs was created or deleted after they were kept)."""
    days = set(days)
    if days:
        with transaction.atomic():
            FindingDayCount.objects.filter(day__in=days).delete()
            FindingDayRolled.objects.filter(day__in=days).delete()


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def on_finding_written(sender, instance: Finding, created: bool = True, **kwargs) -> None:
    """A finding created (or deleted) on a day already kept makes that day counted again when next asked.

    A sweep's finding is first seen today, which is never kept: no query then.
    """
    if kwargs.get("raw") or not created or instance.first_seen is None:
        return
    day = _local_day(instance.first_seen)
    if day < timezone.localdate() and FindingDayRolled.objects.filter(day=day).exists():
        forget([day])


def on_finding_deleted(sender, instance: Finding, **kwargs) -> None:
    on_finding_written(sender, instance, created=True)


# ------------------------------------------------------------------------------------------- reading


def _live(bureau_ids, start: dt.date, end: dt.date):
    lo, hi = _bounds(start, end)
    qs = Finding.objects.filter(first_seen__gte=lo, first_seen__lt=hi)
    return qs if bureau_ids is None else qs.filter(bureau_id__in=bureau_ids)


def _kept(bureau_ids, start: dt.date, end: dt.date):
    qs = FindingDayCount.objects.filter(day__range=(start, end))
    return qs if bureau_ids is None else qs.filter(bureau_id__in=bureau_ids)


def _split(start: dt.date, end: dt.date) -> tuple[dt.date | None, dt.date]:
    """``(last kept day or None, first day to count live)``."""
    last = roll_up(start, end)
    return last, (last + ONE_DAY if last is not None else start)


def count(bureau_ids, start: dt.date, end: dt.date) -> int:
    """Findings of the bureaus (None: all) first seen within ``start`` … ``end`` (local days)."""
    last, live_from = _split(start, end)
    total = 0
    if last is not None:
        total += _kept(bureau_ids, start, last).aggregate(n=Sum("findings"))["n"] or 0
    if live_from <= end:
        total += _live(bureau_ids, live_from, end).count()
    return int(total)


def by_category(bureau_ids, start: dt.date, end: dt.date) -> dict[str, int]:
    last, live_from = _split(start, end)
    out: dict[str, int] = {}
    if last is not None:
        for category, n in (
            _kept(bureau_ids, start, last).values_list("category").annotate(n=Sum("findings")).order_by()
        ):
            out[category] = out.get(category, 0) + int(n)
    if live_from <= end:
        for category, n in (
            _live(bureau_ids, live_from, end).values_list("category").annotate(n=Count("id")).order_by()
        ):
            out[category] = out.get(category, 0) + n
    return {k: v for k, v in out.items() if v}


def by_month(bureau_ids, start: dt.date, end: dt.date) -> dict[str, int]:
    """``{"YYYY-MM": findings}`` over the period (months without findings left out)."""
    last, live_from = _split(start, end)
    out: dict[str, int] = {}
    if last is not None:
        for month, n in (
            _kept(bureau_ids, start, last)
            .annotate(month=TruncMonth("day"))
            .values_list("month")
            .annotate(n=Sum("findings"))
            .order_by()
        ):
            key = f"{month:%Y-%m}"
            out[key] = out.get(key, 0) + int(n)
    if live_from <= end:
        for month, n in (
            _live(bureau_ids, live_from, end)
            .annotate(month=TruncMonth("first_seen"))
            .values_list("month")
            .annotate(n=Count("id"))
            .order_by()
        ):
            key = f"{month:%Y-%m}"
            out[key] = out.get(key, 0) + n
    return {k: v for k, v in out.items() if v}
