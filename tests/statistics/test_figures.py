"""Every registered figure reconciles with the rows it counts, for the period, its boundaries and the bureau tree.

The expected numbers are counted here in Python from the model rows (``expected``), never by calling
a figure: a figure and this count agree, or one of them misreads the records.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.statistics.conftest import END, START
from wangjian.platform import statistics
from wangjian.platform.statistics import Scope

pytestmark = pytest.mark.django_db


def local(moment):
    return timezone.localtime(moment).date() if moment else None


def within(day, start, end):
    return day is not None and start <= day <= end


def _clue_expected(ids, start, end, *, keep=lambda c: True):
    """Clues received: the chain's first receipt in the period, held at the end by one of ``ids``."""
    from wangjian.clues.models import Clue

    rows = {c.pk: c for c in Clue.objects.all()}
    children = {}
    for c in rows.values():
        if c.transferred_from_id:
            children.setdefault(c.transferred_from_id, []).append(c)
    n = 0
    for c in rows.values():
        if c.state == "merged" or c.bureau_id not in ids or not keep(c):
            continue
        root = c
        while root.transferred_from_id:
            root = rows[root.transferred_from_id]
        handed = min((k.found_on for k in children.get(c.pk, [])), default=None)
        holds = c.found_on <= end and (handed is None or handed > end)
        n += holds and within(root.found_on, start, end)
    return n


def expected(key, ids, start, end):  # noqa: C901 (one branch per figure, on purpose)
    from wangjian.cases.models import Case
    from wangjian.clues.models import Clue
    from wangjian.complaints.models import Complaint
    from wangjian.evidence.models import EvidenceCapture
    from wangjian.monitoring.models import Finding, SweepRun
    from wangjian.registry.models import MarketEntity, Presence

    after = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    clues = [c for c in Clue.objects.all() if c.bureau_id in ids and c.state != "merged"]
    cases = [c for c in Case.objects.all() if c.bureau_id in ids]
    complaints = [c for c in Complaint.objects.all() if c.bureau_id in ids]
    findings = [f for f in Finding.objects.all() if f.bureau_id in ids]
    if key == "clues_received":
        return _clue_expected(ids, start, end)
    if key == "clues_fed_back":
        return sum(within(local(c.fed_back_at), start, end) for c in clues)
    if key == "clues_fed_back_on_time":
        return sum(
            within(local(c.fed_back_at), start, end)
            and (c.feedback_due is None or local(c.fed_back_at) <= c.feedback_due)
            for c in clues
        )
    if key == "clues_overdue":
        n = 0
        for c in clues:
            fed = c.fed_back_at is not None and c.fed_back_at < after
            closed = c.closed_at is not None and c.closed_at < after
            if (
                not fed
                and c.assigned_at
                and c.assigned_at < after
                and c.feedback_due
                and c.feedback_due < end
            ):
                n += not c.feedback_provisional
            elif fed and not closed and c.disposal_due and c.disposal_due < end:
                n += not c.disposal_provisional
        return n
    if key == "clues_closed":
        return sum(within(local(c.closed_at), start, end) for c in clues)
    if key == "monitoring_pages":
        return sum(
            r.pages_done + r.pages_unchanged
            for r in SweepRun.objects.all()
            if r.bureau_id in ids and within(local(r.started_at or r.created), start, end)
        )
    if key == "findings":
        return sum(within(local(f.first_seen), start, end) for f in findings)
    if key == "findings_confirmed":
        return sum(f.status == "confirmed" and within(local(f.reviewed_at), start, end) for f in findings)
    if key == "registry_entities":
        return sum(
            e.bureau_id in ids
            and e.created < after
            and not (
                e.status in ("cancelled", "revoked", "moved_out")
                and (e.status_date is None or e.status_date <= end)
            )
            for e in MarketEntity.objects.all()
        )
    if key == "registry_presences":
        return sum(p.bureau_id in ids and p.created < after for p in Presence.objects.all())
    if key == "registry_presences_matched":
        return sum(
            p.bureau_id in ids and p.created < after and p.entity_id is not None
            for p in Presence.objects.all()
        )
    if key == "evidence_captures":
        return sum(
            c.bureau_id in ids and c.status == "ok" and within(local(c.started_at), start, end)
            for c in EvidenceCapture.objects.all()
        )
    if key == "cases_opened":
        return sum(c.procedure == "general" and within(c.opened_on, start, end) for c in cases)
    if key == "cases_decided":
        return sum(within(c.decided_on, start, end) for c in cases)
    if key == "cases_fines":
        return sum(
            (c.fine_amount or 0 for c in cases if c.penalised and within(c.decided_on, start, end)),
            Decimal(0),
        )
    if key == "cases_closed":
        return sum(within(c.closed_on, start, end) for c in cases)
    if key == "complaints_received":
        return sum(
            within(c.received_on, start, end) and not (c.state == "transferred" and c.ended_on <= end)
            for c in complaints
        )
    if key == "complaints_accepted":
        return sum(within(c.accepted_on, start, end) for c in complaints)
    if key == "complaints_mediated":
        return sum(c.state == "resolved" and within(c.ended_on, start, end) for c in complaints)
    if key == "complaints_recovered":
        return sum(
            (
                c.recovered or 0
                for c in complaints
                if c.state == "resolved" and within(c.ended_on, start, end)
            ),
            Decimal(0),
        )
    raise AssertionError(f"no raw count written for the figure {key}: add one here")


# Figures reconciled with raw counts of their own elsewhere: inspections' (tests/inspections) and the figures of
# rectifications, 约谈 and confiscations (tests/platform/test_statistics_records.py, on rows that have them).
ELSEWHERE = (
    "inspections_",
    "assist_",  # tests/assist/test_figures.py
    "reporting_",  # tests/reporting/test_submit_and_review.py
    "outreach_",  # tests/outreach
    "rectifications",
    "clues_guidance",
    "cases_confiscations",
    "cases_fines_and_confiscations",
)


def test_every_registered_figure_reconciles_with_its_rows_for_each_bureau_and_the_tree(data):
    demo = data.demo
    trees = {
        "county": {demo.county.pk},
        "other": {demo.other_county.pk},
        "city_alone": {demo.city.pk},
        "city_below": demo.city.descendant_ids(),
    }
    keys = [f.key for f in statistics.all()]
    assert {"clues_received", "clues_overdue", "findings", "cases_opened", "complaints_received"} <= set(keys)
    nonzero = set()
    for ids in trees.values():
        for start, end in ((START, END), (dt.date(2025, 2, 1), dt.date(2025, 4, 30)), (END, END)):
            for key in keys:
                if key.startswith(ELSEWHERE):
                    continue
                got = statistics.value(key, Scope(frozenset(ids)), start, end)
                assert got == expected(key, ids, start, end), (key, ids, start, end)
                nonzero |= {key} if got else set()
    assert nonzero >= {k for k in keys if not k.startswith(ELSEWHERE)}, "every figure counted something"


def test_the_last_day_counts_and_the_day_after_does_not(data):
    county = Scope(frozenset({data.demo.county.pk}))
    march = {
        k: statistics.value(k, county, START, END)
        for k in ("findings", "cases_opened", "complaints_received", "evidence_captures", "monitoring_pages")
    }
    to_30 = {k: statistics.value(k, county, START, dt.date(2025, 3, 30)) for k in march}
    to_apr = {k: statistics.value(k, county, START, dt.date(2025, 4, 1)) for k in march}
    # the 31st's records (a finding at 23:59, a case, a complaint, a capture at 23:59, a run at 23:30)
    assert march["cases_opened"] - to_30["cases_opened"] == 4  # 2 departments × 2 general cases
    assert march["findings"] - to_30["findings"] == 3
    assert march["evidence_captures"] - to_30["evidence_captures"] == 2
    assert march["monitoring_pages"] - to_30["monitoring_pages"] == 10
    assert march["complaints_received"] - to_30["complaints_received"] == 2  # the transferred one is not here
    # 1 April's (a finding at 00:00 counts for April only)
    assert to_apr["findings"] - march["findings"] == 3
    assert to_apr["cases_opened"] - march["cases_opened"] == 4


def test_a_countys_records_count_for_its_city_with_the_bureaus_below_not_for_its_sibling(data):
    demo = data.demo
    county, other = frozenset({demo.county.pk}), frozenset({demo.other_county.pk})
    city = frozenset(demo.city.descendant_ids())
    for key in ("findings", "cases_opened", "complaints_received", "clues_received", "registry_entities"):
        c, o = (statistics.value(key, Scope(ids), START, END) for ids in (county, other))
        assert statistics.value(key, Scope(city), START, END) == c + o, key
        assert statistics.value(key, Scope(frozenset({demo.city.pk})), START, END) == 0, key
    assert statistics.value("cases_opened", Scope(other), START, END) == 6  # 绩溪 own: 3 days × 2


def test_a_transferred_clue_counts_for_the_bureau_handling_it_at_the_end_of_the_period(data):
    demo = data.demo
    county, other = frozenset({demo.county.pk}), frozenset({demo.other_county.pk})
    both = county | other
    received = lambda ids, s, e: statistics.value("clues_received", Scope(ids), s, e)  # noqa: E731
    # March: 旌德's own first, mid and last, and the one it transferred only in April; 绩溪's three and the
    # one transferred to it on 20 March
    assert received(county, START, END) == 4
    assert received(other, START, END) == 4
    # April: the clue transferred on 3 April was received in March (its first receipt), so it is nobody's April
    april = (dt.date(2025, 4, 1), dt.date(2025, 4, 30))
    assert received(county, *april) == 1 and received(other, *april) == 1
    # March–April together: each matter once (1 April's own included), the one moved in April now 绩溪's
    assert received(county, START, april[1]) == 4 and received(other, START, april[1]) == 6
    assert received(both, START, april[1]) == received(both, START, END) + received(both, *april)


def test_filters_narrow_or_are_refused_never_ignored(data):
    from wangjian.core.errors import ValidationFailed
    from wangjian.org.choices import DepartmentKind
    from wangjian.org.models import Department

    demo = data.demo
    county = frozenset({demo.county.pk})
    price = Department.objects.get(bureau=demo.county, kind=DepartmentKind.PRICE)
    by_price = Scope(county, department_id=price.pk)
    assert statistics.value("cases_opened", by_price, START, END) == 6  # 3 days × 2 general cases
    assert statistics.value("cases_opened", Scope(county, domain="online_price"), START, END) == 6
    assert statistics.value("complaints_received", by_price, START, END) == 6
    on_platform = Scope(county, platform_id=data.platform.pk)
    # 3 by the linked shop, 3 by the platform's name from 12315 (the transferred ones are not here)
    assert statistics.value("complaints_received", on_platform, START, END) == 6
    assert (
        statistics.value("complaints_received", Scope(county, platform_id=data.other_platform.pk), START, END)
        == 0
    )
    assert statistics.value("findings", Scope(county, platform_id=data.other_platform.pk), START, END) == 3
    with pytest.raises(ValidationFailed) as refused:
        statistics.value("registry_entities", by_price, START, END)
    assert "科室" in refused.value.zh and "department" in refused.value.en
    reading = statistics.values(by_price, START, END)
    omitted = {f.key for f, _ in reading.omitted}
    assert {"registry_entities", "findings", "monitoring_pages"} <= omitted
    assert "cases_opened" in {v.figure.key for v in reading.values}


def test_breakdowns_add_up_to_their_figure_and_match_the_rows(data):
    from wangjian.monitoring.models import Finding

    county = Scope(frozenset({data.demo.county.pk}))
    for figure in statistics.all():
        if figure.breakdown is None:
            continue
        split = figure.breakdown.compute(county, START, END)
        assert sum(split.values()) == figure.compute(county, START, END), figure.key
    by_category = statistics.breakdown("findings", county, START, END)
    rows = [f for f in Finding.objects.filter(bureau=data.demo.county) if START <= local(f.first_seen) <= END]
    assert by_category == {c: sum(f.category == c for f in rows) for c in {f.category for f in rows}}
    assert statistics.breakdown("cases_opened", county, START, END) == {"monitoring": 6, "complaint": 6}


def test_a_series_is_the_figure_month_by_month(data):
    city = Scope(frozenset(data.demo.city.descendant_ids()))
    start, end = dt.date(2025, 2, 15), dt.date(2025, 4, 10)
    months = statistics.month_periods(start, end)
    assert [(m.label, m.start, m.end) for m in months] == [
        ("2025-02", start, dt.date(2025, 2, 28)),
        ("2025-03", dt.date(2025, 3, 1), dt.date(2025, 3, 31)),
        ("2025-04", dt.date(2025, 4, 1), end),
    ]
    for figure in statistics.all():
        rows = statistics.series(figure.key, city, months)
        assert [v for _, v in rows] == [figure.compute(city, m.start, m.end) for m in months], figure.key
        if not figure.at_end and figure.key != "clues_received":
            assert sum(v for _, v in rows) == figure.compute(city, start, end), figure.key
