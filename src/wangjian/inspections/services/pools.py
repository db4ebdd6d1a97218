"""The draw's pool (检查对象名录库) and its inspectors (执法检查人员名录库), read at publication of a draw.

The pool is the plan's filter over the registry: entities of the bureau still registered (存续/在业), of
the kinds, regions, platform and grades asked, with a presence when the plan checks online. Each is
placed in its stratum by its credit class and risk grade from the risk app (``risk.selectors.grades_of``);
until that app is installed every entity is ungraded and unclassified, and the draw says so.
The inspectors hold a valid 行政执法证 on the day (org ``User.holds_certificate``), in the plan's
departments and stations; recusals are the declared relations and, when the plan says so, the
inspector's own station's territory.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from wangjian.inspections import algorithm
from wangjian.inspections.models import InspectorRelation, Plan
from wangjian.inspections.services.plans import stratum_key
from wangjian.org.models import Station, User
from wangjian.registry.choices import EntityStatus
from wangjian.registry.models import MarketEntity, Presence

CHUNK = 5000


def grades_of(entity_ids: list[int]) -> dict[int, tuple[str, str]]:
    """entity id → (grade, credit class) from the risk app; empty where that app is not installed yet."""
    try:
        from wangjian.risk.selectors import grades_of as risk_grades_of
    except ImportError:
        return {}
    out: dict[int, tuple[str, str]] = {}
    for i in range(0, len(entity_ids), CHUNK):
        out.update(risk_grades_of(entity_ids[i : i + CHUNK]))
    return out


def risk_installed() -> bool:
    try:
        from wangjian.risk.selectors import grades_of as _unused  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass
class Pool:
    rows: list[tuple[int, str, str]]  # (entity id, USCC, stratum), ascending entity id
    regions: dict[int, str] = field(default_factory=dict)


def pool_of(plan: Plan) -> Pool:
    """The plan's objects, numbered by ascending entity id, each in its stratum."""
    qs = MarketEntity.objects.filter(
        bureau_id=plan.bureau_id, status__in=[EntityStatus.EXISTING, EntityStatus.OPERATING]
    )
    if plan.entity_kinds:
        qs = qs.filter(kind__in=plan.entity_kinds)
    if plan.regions:
        where = Q()
        for prefix in plan.regions:
            where |= Q(region_code__startswith=str(prefix).strip())
        qs = qs.filter(where)
    presences = Presence.objects.filter(entity__isnull=False)
    if plan.platform_id:
        qs = qs.filter(pk__in=presences.filter(platform_id=plan.platform_id).values("entity_id"))
    elif plan.online_only:
        qs = qs.filter(pk__in=presences.values("entity_id"))
    found = list(qs.order_by("pk").values_list("pk", "uscc", "region_code"))
    grades = grades_of([pk for pk, _u, _r in found])
    wanted = set(plan.grades or [])
    rows, regions = [], {}
    for pk, uscc, region in found:
        grade, credit = grades.get(pk, ("", ""))
        if wanted and grade not in wanted:
            continue
        rows.append((pk, uscc, stratum_key(credit, grade)))
        regions[pk] = region or ""
    return Pool(rows, regions)


@dataclass
class InspectorRow:
    user_id: int
    name: str
    certificate: str
    department_id: int | None
    station_id: int | None
    territory: list[str]

    def as_published(self) -> list:
        return [self.user_id, self.certificate, self.department_id, self.station_id]


def inspectors_of(plan: Plan, on: dt.date) -> list[InspectorRow]:
    """Active staff of the plan's departments and stations holding a valid enforcement certificate on ``on``."""
    departments = [plan.department_id, *plan.joint_departments.values_list("pk", flat=True)]
    stations = list(plan.inspector_stations.values_list("pk", flat=True))
    users = (
        User.objects.filter(bureau_id=plan.bureau_id, is_active=True)
        .filter(Q(department_id__in=departments, station__isnull=True) | Q(station_id__in=stations))
        .exclude(enforcement_certificate="")
        .order_by("pk")
    )
    territories = {s.pk: list(s.territory or []) for s in Station.objects.filter(pk__in=stations)}
    out = []
    for u in users:
        if not u.holds_certificate(on):
            continue
        out.append(
            InspectorRow(
                u.pk,
                u.name or u.username,
                u.enforcement_certificate,
                None if u.station_id else u.department_id,
                u.station_id,
                territories.get(u.station_id, []),
            )
        )
    return out


def exclusions_of(plan: Plan, pool: Pool, inspectors: list[InspectorRow]) -> list[list]:
    """(entity id, user id, why) for every recusal inside the pool: declared relations, own territory."""
    ids = {i.user_id for i in inspectors}
    members = set(pool.regions)
    out = []
    for eid, uid in InspectorRelation.objects.filter(user_id__in=ids).values_list("entity_id", "user_id"):
        if eid in members:
            out.append([eid, uid, "relation"])
    if plan.station_recusal:
        officers = [i for i in inspectors if i.station_id and i.territory]
        if officers:
            probe = Station(territory=[])
            for eid, region in pool.regions.items():
                if not region:
                    continue
                for i in officers:
                    probe.territory = i.territory
                    if probe.covers(region):
                        out.append([eid, i.user_id, "territory"])
    out.sort()
    return out


def as_algorithm(inspectors: list[list]) -> list[algorithm.Inspector]:
    return [algorithm.Inspector(uid, dept) for uid, _cert, dept, _station in inspectors]
