"""Reads of 双随机一公开: what a user may see, a draw's published inputs as a page shows them, an entity's panel."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from django.db.models import Count, Max, QuerySet

from wangjian.inspections.models import (
    Draw,
    DrawnObject,
    InspectionItem,
    InspectionResult,
    OnlineCheck,
    Plan,
)
from wangjian.inspections.services.plans import (
    CLASS_KEYS,
    DEFAULT_CLASS_RATIOS,
    DEFAULT_GRADE_RATIOS,
    GRADE_KEYS,
)
from wangjian.org.models import User
from wangjian.org.selectors import scope


def plans_visible(user: User) -> QuerySet:
    return scope(Plan.objects.select_related("bureau", "department"), user)


def draws_visible(user: User) -> QuerySet:
    return scope(Draw.objects.select_related("bureau", "plan", "inputs"), user)


def results_visible(user: User) -> QuerySet:
    """The results (one per drawn object and item) of the bureaus ``user`` may see, as the draws."""
    return scope(
        InspectionResult.objects.select_related("drawn__entity", "drawn__draw__plan__department"), user
    )


def drawn_visible(user: User) -> QuerySet:
    """The drawn objects of the draws ``user`` may see, with how many results each has and the last check."""
    return scope(
        DrawnObject.objects.select_related("entity", "draw__plan").annotate(
            results_count=Count("results"), last_checked=Max("results__checked_on")
        ),
        user,
        "draw__bureau",
    )


def ratio_table(plan: Plan) -> dict:
    """The ratios a plan uses, per credit class and grade, and their source (shown beside them)."""
    classes = {**DEFAULT_CLASS_RATIOS, **(plan.class_ratios or {})}
    grades = {**DEFAULT_GRADE_RATIOS, **(plan.grade_ratios or {})}
    return {
        "classes": [(k, classes.get(k, "0")) for k in CLASS_KEYS],
        "grades": [(k, grades.get(k, "0")) for k in GRADE_KEYS],
        "source": plan.ratio_source,
    }


def published_inputs(draw: Draw) -> dict:
    """The published inputs without the long lists (those are downloadable in full from the API)."""
    data = json.loads(draw.inputs.canonical)
    return {
        "strata": data["strata"],
        "inspectors": len(data["inspectors"]),
        "exclusions": len(data["exclusions"]),
        "joint_departments": data["joint_departments"],
        "graded": data.get("graded", False),
        "inspectors_per_object": data["inspectors_per_object"],
        "head": draw.inputs.pool_listing[:2000],
    }


def drawn_objects(draw: Draw) -> QuerySet:
    return (
        DrawnObject.objects.filter(draw=draw)
        .select_related("entity")
        .prefetch_related("inspectors__user")
        .order_by("stratum", "rank")[:500]
    )


def entity_inspections(*, user: User, entity_id: int, limit: int = 50) -> list[dict]:
    """The draws ``user`` may read that selected the entity (latest first, at most ``limit``), each with
    its results and its online checks (date, presence, what it came to, how the fetch went) and whether a
    check is pending. Nothing of a draw the user may not read."""
    from wangjian.inspections.services.checks import (
        FETCH_LABELS,
        OUTCOME_LABELS,
        check_outcome,
        check_pending,
    )

    drawn = list(
        DrawnObject.objects.filter(entity_id=entity_id, draw__in=draws_visible(user))
        .select_related("draw__plan")
        .order_by("-draw_id")[:limit]
    )
    ids = [d.pk for d in drawn]
    results: dict[int, list] = {}
    for r in InspectionResult.objects.filter(drawn_id__in=ids).select_related("item"):
        results.setdefault(r.drawn_id, []).append(r)
    checks: dict[int, list] = {}
    for c in (
        OnlineCheck.objects.filter(drawn_id__in=ids).select_related("presence").order_by("-checked_at", "-id")
    ):
        outcome = check_outcome(c)
        checks.setdefault(c.drawn_id, []).append(
            {
                "check": c,
                "outcome": outcome,
                "outcome_label": OUTCOME_LABELS[outcome],
                "fetch_label": FETCH_LABELS.get(c.fetch_status, c.fetch_status),
            }
        )
    return [
        {
            "drawn": d,
            "draw": d.draw,
            "plan": d.draw.plan,
            "results": results.get(d.pk, []),
            "checks": checks.get(d.pk, []),
            "pending": check_pending(d),
        }
        for d in drawn
    ]


def check_rows(
    draw: Draw,
    objects: Iterable[DrawnObject],
    *,
    user: User,
    may_record: Callable[[User, DrawnObject], bool],
    items: Iterable[InspectionItem] = (),
) -> list[dict]:
    """Per drawn object: its latest check of each presence with what it came to, its results by item,
    and whether ``user`` may check it and record (``may_record``: the service's rule)."""
    from wangjian.inspections.services.checks import check_outcome, check_pending

    objects = list(objects)
    ids = [o.pk for o in objects]
    latest: dict[int, dict[int, OnlineCheck]] = {}
    for c in OnlineCheck.objects.filter(drawn_id__in=ids).select_related("presence").order_by("id"):
        latest.setdefault(c.drawn_id, {})[c.presence_id] = c
    results: dict[int, dict[int, InspectionResult]] = {}
    for r in (
        InspectionResult.objects.filter(drawn_id__in=ids)
        .select_related("item")
        .prefetch_related("objections")
    ):
        results.setdefault(r.drawn_id, {})[r.item_id] = r
    rows = []
    for o in objects:
        o.draw = draw  # the rule reads the draw's bureau; no query per row
        checks = list(latest.get(o.pk, {}).values())
        rows.append(
            {
                "object": o,
                "checks": [(c, check_outcome(c)) for c in checks],
                "results": [(item, results.get(o.pk, {}).get(item.pk)) for item in items],
                "may_record": may_record(user, o),
                "pending": check_pending(o),
            }
        )
    return rows
