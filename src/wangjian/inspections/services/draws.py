"""Draws in the manner of RFC 3797: publish the inputs, name a future public source, enter and confirm its
value (two different people), draw, and let anyone re-run the draw from what was published.

Issue 19 point 3: the pool (its hash), the strata, the algorithm and the future source of randomness are
published first; only then is the seed formed from the source's value, so whoever edits the plan cannot
choose the outcome. A re-draw adds a new draw with its reason and never deletes the earlier one.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.inspections import algorithm
from wangjian.inspections.choices import DrawOrigin, DrawState, PlanState
from wangjian.inspections.models import Draw, DrawInputs, DrawnInspector, DrawnObject, Plan
from wangjian.inspections.permissions import INSPECTION_DRAW
from wangjian.inspections.services import pools
from wangjian.inspections.services.plans import stratum_ratio
from wangjian.org import permissions
from wangjian.org.choices import Role
from wangjian.org.models import User


def _require_draw(user: User | None, plan: Plan) -> None:
    if user is None:
        return
    permissions.require(user, INSPECTION_DRAW)
    if not may_plan_draw(user, plan):
        raise PermissionDeniedError(
            "只能为本局（科室负责人：本科室）的抽查计划抽取",
            "Draws are made for one's own bureau's plans (a department head: own department's)",
        )


def may_plan_draw(user: User | None, plan: Plan) -> bool:
    """The draw's cell of the table and the plan's bureau (and department, for a department head)."""
    if user is None:
        return True
    if not permissions.may(user, INSPECTION_DRAW):
        return False
    return user.is_superuser or (user.bureau_id == plan.bureau_id and may_plan_scope(user, plan))


def may_plan_scope(user: User, plan: Plan) -> bool:
    """A department head draws for plans their department leads or joins; the office for any."""
    return user.role != Role.DEPARTMENT_HEAD or user.department_id in {
        plan.department_id,
        *plan.joint_departments.values_list("pk", flat=True),
    }


# ------------------------------------------------------------------------------------------ publish


def draw_inputs(
    plan: Plan, *, source_name: str, source_date: dt.date, now: dt.datetime, sequence: int
) -> tuple[dict, str]:
    """The published inputs (as a dict) and the pool listing, read from the registry and the org now."""
    pool = pools.pool_of(plan)
    if not pool.rows:
        raise ValidationFailed("检查对象名录库为空：没有符合计划条件的市场主体", "The pool is empty")
    listing = algorithm.pool_listing(pool.rows)
    strata: dict[str, int] = {}
    for _eid, _uscc, stratum in pool.rows:
        strata[stratum] = strata.get(stratum, 0) + 1
    inspectors = pools.inspectors_of(plan, now.date())
    exclusions = pools.exclusions_of(plan, pool, inspectors)
    required = sorted(plan.joint_departments.values_list("pk", flat=True))
    if required:
        required = sorted({plan.department_id, *required})
    published = [i.as_published() for i in inspectors]
    excluded: dict[int, set[int]] = {}
    for eid, uid, _why in exclusions:
        excluded.setdefault(eid, set()).add(uid)
    short = algorithm.shortfalls(
        [eid for eid, _u, _s in pool.rows],
        pools.as_algorithm(published),
        excluded,
        plan.inspectors_per_object,
        required,
    )
    if short:
        raise ValidationFailed(
            f"有 {len(short)} 户主体回避后可抽取的检查人员不足，请增加持证检查人员或调整计划",
            f"{len(short)} object(s) lack enough eligible inspectors after recusal",
            detail=[f"市场主体 {eid}：{why}" for eid, why in short[:50]],
        )
    inputs = {
        "algorithm": algorithm.ALGORITHM,
        "version": algorithm.VERSION,
        "bureau": plan.bureau.code,
        "plan": plan.pk,
        "plan_title": plan.title,
        "sequence": sequence,
        "published_at": now.isoformat(),
        "pool_size": len(pool.rows),
        "pool_sha256": algorithm.sha256_hex(listing),
        "graded": pools.risk_installed(),
        "strata": [
            {"key": key, "size": size, "ratio": str(stratum_ratio(plan, key))}
            for key, size in sorted(strata.items())
        ],
        "inspectors_per_object": plan.inspectors_per_object,
        "joint_departments": required,
        "inspectors": published,
        "exclusions": [[eid, uid] for eid, uid, _why in exclusions],
        "exclusion_reasons": {f"{eid}:{uid}": why for eid, uid, why in exclusions},
        "source": {"name": source_name, "date": source_date.isoformat()},
    }
    return inputs, listing


def draw_publish(
    *,
    plan: Plan,
    user: User | None,
    source_name: str,
    source_date: dt.date,
    now: dt.datetime | None = None,
    reason: str = "",
    replaces: Draw | None = None,
) -> Draw:
    """Publish a draw's inputs and name the future public source whose value will seed it.

    The source must produce its value on a day after publication (RFC 3797 §3: a source nobody, the
    publisher included, can know or influence when the inputs are fixed).
    """
    _require_draw(user, plan)
    now = now or timezone.now()
    if plan.state != PlanState.PUBLISHED:
        raise ValidationFailed(
            "抽查计划和抽查事项清单须先公布，才能抽取",
            "The plan and its item list are published before a draw",
        )
    source_name = (source_name or "").strip()
    if not source_name:
        raise ValidationFailed(
            "请写明公开随机源，如“中国福利彩票双色球第2026140期开奖号码”",
            "Name the public randomness source (a named lottery draw, a beacon pulse)",
        )
    if source_date <= timezone.localdate(now):
        raise ValidationFailed(
            "随机源的产生日期须晚于公布之日，公布时任何人都不能知道其数值",
            "The source's date must be after the day of publication: nobody may know its value yet",
        )
    with transaction.atomic():
        sequence = plan.draws.count() + 1
        inputs, listing = draw_inputs(
            plan, source_name=source_name, source_date=source_date, now=now, sequence=sequence
        )
        canonical = algorithm.canonical_json(inputs)
        draw = Draw.objects.create(
            bureau_id=plan.bureau_id,
            plan=plan,
            replaces=replaces,
            reason=reason[:300],
            algorithm=algorithm.ALGORITHM,
            algorithm_version=algorithm.VERSION,
            pool_size=inputs["pool_size"],
            pool_sha256=inputs["pool_sha256"],
            inputs_sha256=algorithm.sha256_hex(canonical),
            source_name=source_name[:200],
            source_date=source_date,
            published_at=now,
            published_by=user if getattr(user, "pk", None) else None,
        )
        DrawInputs.objects.create(draw=draw, canonical=canonical, pool_listing=listing)
    return draw


def draw_redo(
    *,
    draw: Draw,
    user: User | None,
    reason: str,
    source_name: str,
    source_date: dt.date,
    now: dt.datetime | None = None,
) -> Draw:
    """A re-draw: a new draw with fresh published inputs and a new future source, naming the one it
    replaces and why; the earlier draw and its result stay on record."""
    if draw.origin == DrawOrigin.PROVINCE:
        raise ValidationFailed(
            "该抽取由省级双随机系统作出并导入，须在省级系统重新抽取后再导入",
            "This draw was made in the province's system and imported: re-draw there and import the result",
        )
    if not (reason or "").strip():
        raise ValidationFailed("重新抽取须写明理由", "A re-draw states its reason")
    return draw_publish(
        plan=draw.plan,
        user=user,
        source_name=source_name,
        source_date=source_date,
        now=now,
        reason=reason.strip(),
        replaces=draw,
    )


# ------------------------------------------------------------------------------------------ the value


def draw_value_enter(*, draw: Draw, user: User | None, value: str, now: dt.datetime | None = None) -> Draw:
    """The office enters the source's value once it is public (not before the source's date)."""
    _require_draw(user, draw.plan)
    now = now or timezone.now()
    if draw.state != DrawState.PUBLISHED:
        raise ValidationFailed("随机源数值已录入", "The value has already been entered")
    value = algorithm.normalise_value(value)
    if not value:
        raise ValidationFailed("请填写随机源数值", "The value is required")
    if timezone.localdate(now) < draw.source_date:
        raise ValidationFailed(
            f"随机源在{draw.source_date:%Y-%m-%d}才产生，不能提前录入",
            f"The source's value is produced on {draw.source_date}: it cannot be entered before",
        )
    draw.value = value[:300]
    draw.value_entered_by = user if getattr(user, "pk", None) else None
    draw.value_entered_at = now
    draw.state = DrawState.VALUE_ENTERED
    draw.save()
    return draw


def draw_value_confirm(*, draw: Draw, user: User | None, value: str, now: dt.datetime | None = None) -> Draw:
    """A second person, not the one who entered it, types the value again; if it agrees the draw is made.

    The seed is SHA-256 of the canonical published inputs and the value (``algorithm.seed_of``).
    """
    _require_draw(user, draw.plan)
    now = now or timezone.now()
    if draw.state != DrawState.VALUE_ENTERED:
        raise ValidationFailed("须先录入随机源数值", "The value is entered before it is confirmed")
    if user is not None and draw.value_entered_by_id in (None, user.pk):
        raise PermissionDeniedError(
            "随机源数值须由录入人以外的另一人复核",
            "The value is confirmed by someone other than who entered it",
        )
    if algorithm.normalise_value(value) != draw.value:
        raise ValidationFailed(
            "复核录入的数值与录入人录入的不一致，请核对公开来源",
            "The confirming value differs from the entered one",
        )
    with transaction.atomic():
        locked = Draw.objects.select_for_update().get(pk=draw.pk)
        if locked.state != DrawState.VALUE_ENTERED:
            raise ValidationFailed("该抽取已完成", "The draw has been made")
        result = compute(draw.inputs.canonical, draw.inputs.pool_listing, draw.value)
        _record(draw, result)
        draw.value_confirmed_by = user if getattr(user, "pk", None) else None
        draw.seed = result.seed.hex()
        draw.drawn_at = now
        draw.objects_count = len(result.objects)
        draw.state = DrawState.DRAWN
        draw.save()
    return draw


# ------------------------------------------------------------------------------------------ the draw


@dataclass
class Result:
    seed: bytes
    objects: list[algorithm.Picked]
    inspectors: dict[int, list[int]]


def compute(canonical: str, listing: str, value: str) -> Result:
    """The draw from its published inputs and the source's value: what anyone re-running it computes."""
    inputs = json.loads(canonical)
    if inputs["algorithm"] != algorithm.ALGORITHM or inputs["version"] != algorithm.VERSION:
        raise ValidationFailed(
            f"不支持的抽取算法：{inputs['algorithm']} v{inputs['version']}",
            f"Unsupported draw algorithm: {inputs['algorithm']} v{inputs['version']}",
        )
    seed = algorithm.seed_of(canonical, value)
    rows = algorithm.parse_pool_listing(listing)
    ratios = {s["key"]: algorithm.ratio(s["ratio"]) for s in inputs["strata"]}
    picked = algorithm.draw_objects(seed, [(eid, stratum) for eid, _u, stratum in rows], ratios)
    excluded: dict[int, set[int]] = {}
    for eid, uid in inputs["exclusions"]:
        excluded.setdefault(eid, set()).add(uid)
    inspectors = algorithm.draw_inspectors(
        seed,
        [p.entity_id for p in picked],
        pools.as_algorithm(inputs["inspectors"]),
        excluded,
        inputs["inspectors_per_object"],
        inputs["joint_departments"],
    )
    return Result(seed, picked, inspectors)


def _record(draw: Draw, result: Result) -> None:
    objects = DrawnObject.objects.bulk_create(
        [
            DrawnObject(draw=draw, entity_id=p.entity_id, stratum=p.stratum, rank=p.rank)
            for p in result.objects
        ],
        batch_size=2000,
    )
    if any(o.pk is None for o in objects):  # a database that returns no ids from a bulk insert
        objects = list(DrawnObject.objects.filter(draw=draw))
    DrawnInspector.objects.bulk_create(
        [
            DrawnInspector(drawn=o, user_id=uid, rank=n)
            for o in objects
            for n, uid in enumerate(result.inspectors[o.entity_id], 1)
        ],
        batch_size=2000,
    )


@dataclass
class Rerun:
    """The re-run's findings: every check, and in words what differs."""

    ok: bool
    pool_hash_ok: bool
    inputs_hash_ok: bool
    seed_ok: bool
    objects_ok: bool
    inspectors_ok: bool
    seed: str
    differences: list[str] = field(default_factory=list)


def recorded(draw: Draw) -> tuple[list[tuple[int, str, int]], dict[int, list[int]]]:
    objects = list(draw.objects_drawn.order_by("stratum", "rank").values_list("entity_id", "stratum", "rank"))
    inspectors: dict[int, list[int]] = {}
    for eid, uid in (
        DrawnInspector.objects.filter(drawn__draw=draw)
        .order_by("drawn__entity_id", "rank")
        .values_list("drawn__entity_id", "user_id")
    ):
        inspectors.setdefault(eid, []).append(uid)
    return objects, inspectors


def draw_rerun(draw: Draw) -> Rerun:
    """Re-run ``draw`` from its recorded published inputs and value; compare with the recorded result.

    A draw imported from the province's own system is not re-run: that system is its record (issue 19).
    """
    if draw.origin == DrawOrigin.PROVINCE:
        raise ValidationFailed(
            "该抽取由省级双随机系统作出并导入，省级系统是其记录，本系统不提供复算",
            "This draw was made in the province's system and imported: that system is its record, "
            "and wangjian does not re-run it",
        )
    if draw.state != DrawState.DRAWN:
        raise ValidationFailed("该抽取尚未完成，无从复算", "The draw has not been made yet")
    inputs = draw.inputs
    differences = []
    pool_ok = algorithm.sha256_hex(inputs.pool_listing) == draw.pool_sha256
    if not pool_ok:
        differences.append(
            "名录库清单的SHA-256与公布的不一致 / the pool listing's hash differs from the published one"
        )
    inputs_ok = algorithm.sha256_hex(inputs.canonical) == draw.inputs_sha256
    if not inputs_ok:
        differences.append(
            "公布要素的SHA-256与公布的不一致 / the inputs' hash differs from the published one"
        )
    named_pool = json.loads(inputs.canonical).get("pool_sha256")
    if named_pool != algorithm.sha256_hex(inputs.pool_listing):
        pool_ok = False
        differences.append("公布要素所载名录库哈希与名录库清单不符 / the inputs name another pool hash")
    result = compute(inputs.canonical, inputs.pool_listing, draw.value)
    seed_ok = result.seed.hex() == draw.seed
    if not seed_ok:
        differences.append("复算的种子与记录的不一致 / the recomputed seed differs from the recorded one")
    objects, inspectors = recorded(draw)
    computed = sorted((p.entity_id, p.stratum, p.rank) for p in result.objects)
    objects_ok = computed == sorted(objects)
    if not objects_ok:
        missing = {o[0] for o in computed} - {o[0] for o in objects}
        extra = {o[0] for o in objects} - {o[0] for o in computed}
        differences.append(
            f"抽中主体不一致：复算多出 {len(missing)} 户，记录多出 {len(extra)} 户 / the objects differ"
        )
    inspectors_ok = {e: result.inspectors.get(e, []) for e in inspectors} == inspectors and set(
        result.inspectors
    ) == set(inspectors)
    if not inspectors_ok:
        differences.append("抽中的检查人员不一致 / the inspectors differ")
    ok = pool_ok and inputs_ok and seed_ok and objects_ok and inspectors_ok
    return Rerun(ok, pool_ok, inputs_ok, seed_ok, objects_ok, inspectors_ok, result.seed.hex(), differences)
