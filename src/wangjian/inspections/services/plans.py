"""The item list (抽查事项清单), the recusal register, plans and their publication.

"谁监管、谁检查、谁负责" (旌德 mechanism 二(二)): each department checks its own items, whose legal
basis is its row of the duty list; the plan and its item list are published before the draw, and
publication freezes them (issue 19 point 2), so the draw's inputs cannot be edited afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.inspections import algorithm
from wangjian.inspections.choices import CreditClass, Grade, PlanState
from wangjian.inspections.models import InspectionItem, InspectorRelation, Plan, PlanItem
from wangjian.inspections.permissions import INSPECTION_PLAN, INSPECTION_READ
from wangjian.org import permissions
from wangjian.org.choices import Role
from wangjian.org.models import Bureau, Department, Station, User

# Default ratios per credit-risk class: the shares 江苏省盐城市市场监督管理局 published for 2022 (中国市场监管报
# 2022-03-17: A类3%以下, B类3%–20%, C类30%–50%, D类80%以上), taken at the bound of each range (B: 10% within its
# range). The seeds give no province's ratios and Anhui's were not found: the office confirms or replaces them
# with its own province's, and the source is shown beside them on every plan. They follow 国市监信发〔2022〕6号
# (A: 合理降低抽查比例和频次, "无事不扰"; D: 大幅提高) and stay above the 3% floor of 《企业公示信息抽查办法》第四条.
# "-" is an entity without a class (our 5%). The ratios by grade (重点 30%, 预警 10%) are ours.
DEFAULT_CLASS_RATIOS = {"A": "0.03", "B": "0.10", "C": "0.30", "D": "0.80", "-": "0.05"}
DEFAULT_GRADE_RATIOS = {"key": "0.30", "warning": "0.10", "general": "0", "-": "0"}
DEFAULT_RATIO_SOURCE = (
    "按信用风险分类的比例取自盐城市市场监管局2022年公布的比例（A类3%以下、B类3%–20%、C类30%–50%、D类80%以上，"
    "B类取10%；中国市场监管报2022-03-17）；按风险等级的比例为wangjian默认值；须由办公室按本省公布的抽查比例确认或修改"
)
# 一般检查事项 are sampled at random: a plan of general items only may not check every object (a ratio of
# 100%); 重点检查事项 have no cap (issue 19 point 2) and may check every object (全覆盖).
GENERAL_CAP = Fraction(99, 100)
MIN_INSPECTORS = 2  # at least two inspectors per object (issue 19 point 2; 程序规定 art. 20's two officers)

CLASS_KEYS = [c or "-" for c in CreditClass.values]
GRADE_KEYS = [g or "-" for g in Grade.values]


def stratum_key(credit: str, grade: str) -> str:
    """The stratum of an entity: its credit class and its grade ("A|general"; "-" for none)."""
    return f"{credit or '-'}|{grade or '-'}"


def stratum_ratio(plan: Plan, stratum: str) -> Fraction:
    """The ratio of a stratum: the higher of its credit class's and its grade's (a high grade raises it)."""
    credit, grade = stratum.split("|")
    ratios = {**DEFAULT_CLASS_RATIOS, **(plan.class_ratios or {})}
    grades = {**DEFAULT_GRADE_RATIOS, **(plan.grade_ratios or {})}
    return max(algorithm.ratio(ratios.get(credit, "0")), algorithm.ratio(grades.get(grade, "0")))


# ------------------------------------------------------------------------------------------ who may


def may_plan(user: User | None, bureau: Bureau | int | None, department: Department | None = None) -> bool:
    """The office of the bureau plans for any department; a department head for their own only."""
    if user is None:
        return True
    if not permissions.may(user, INSPECTION_PLAN):
        return False
    if user.is_superuser:
        return True
    bureau_id = getattr(bureau, "pk", bureau)
    if not bureau_id or user.bureau_id != bureau_id:
        return False
    if user.role == Role.DEPARTMENT_HEAD and department is not None:
        return department.pk == user.department_id
    return True


def _require_plan(
    user: User | None, bureau: Bureau | int | None, department: Department | None = None
) -> None:
    if user is not None and not permissions.may(user, INSPECTION_PLAN):
        permissions.require(user, INSPECTION_PLAN)
    if not may_plan(user, bureau, department):
        raise PermissionDeniedError(
            "只能为本局（科室负责人：本科室）制定抽查事项和计划",
            "Items and plans are made for one's own bureau (a department head: own department)",
        )


# ------------------------------------------------------------------------------------------ items


def item_frozen(item: InspectionItem) -> bool:
    """An item in a published plan is part of a published list: it no longer changes."""
    return bool(item.pk) and PlanItem.objects.filter(item=item).exclude(plan__state=PlanState.DRAFT).exists()


def item_save(*, item: InspectionItem, user: User | None) -> InspectionItem:
    """Save an item; its legal basis is its duty-list row's unless one is written (issue 19 point 2)."""
    _require_plan(user, item.bureau_id, item.department if item.department_id else None)
    if item.department_id and item.department.bureau_id != item.bureau_id:
        raise ValidationFailed("实施科室必须属于本局", "The department must belong to the bureau")
    if item.duty_rule_id:
        rule = item.duty_rule
        if rule.bureau_id != item.bureau_id:
            raise ValidationFailed("职责清单条目必须属于本局", "The duty-list row must belong to the bureau")
        if not item.legal_basis.strip():
            item.legal_basis = rule.legal_basis[:300]
        if not item.domain:
            item.domain = rule.domain
    if not item.legal_basis.strip():
        raise ValidationFailed(
            "抽查事项须有依据：请选择职责清单条目或填写依据",
            "An item needs its legal basis: choose a duty-list row or write it",
        )
    if item_frozen(item):
        raise ValidationFailed(
            "该事项已列入已公布的抽查计划，不能修改（可新增事项）",
            "The item is in a published plan and no longer changes (add a new item instead)",
        )
    item.save()
    return item


# ------------------------------------------------------------------------------------------ relations


def relation_declare(*, user: User | None, inspector: User, entity: Any, reason: str) -> InspectorRelation:
    """Record an inspector's declared relation with an entity: the draw never sends them there (回避).

    An inspector (a holder of an enforcement certificate) declares their own; the office and department
    heads record anyone's of their bureau.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写回避事由", "The reason for the recusal is required")
    _require_declare(user, inspector)
    if entity.bureau_id != inspector.bureau_id:
        raise ValidationFailed("只能申报本局辖区的市场主体", "Only entities of the inspector's bureau")
    relation, _ = InspectorRelation.objects.update_or_create(
        user=inspector, entity=entity, defaults={"bureau_id": inspector.bureau_id, "reason": reason[:300]}
    )
    return relation


def _require_declare(user: User | None, inspector: User) -> None:
    if user is None:
        return
    if user.pk != inspector.pk:
        _require_plan(user, inspector.bureau_id)
        return
    permissions.require(user, INSPECTION_READ)
    if not user.enforcement_certificate.strip():
        raise PermissionDeniedError(
            "只有持有执法证的检查人员申报本人的回避关系",
            "Only inspectors holding a certificate declare their own",
        )


def relation_save(*, relation: InspectorRelation, user: User | None) -> InspectorRelation:
    """The register's page and API: the same rules as a declaration."""
    if relation.user.bureau_id != relation.bureau_id or relation.entity.bureau_id != relation.bureau_id:
        raise ValidationFailed(
            "检查人员和市场主体必须属于本局", "The inspector and the entity must belong to the bureau"
        )
    _require_declare(user, relation.user)
    if not relation.reason.strip():
        raise ValidationFailed("请填写回避事由", "The reason for the recusal is required")
    relation.save()
    return relation


# ------------------------------------------------------------------------------------------ plans


def _ratio_problems(values: dict, keys: list[str], cap: Fraction | None, what: str) -> list[str]:
    problems = []
    for key, text in (values or {}).items():
        if key not in keys:
            problems.append(f"{what}：未知的类别 {key}")
            continue
        try:
            r = algorithm.ratio(text)
        except (ValueError, ZeroDivisionError, TypeError):
            problems.append(f"{what} {key}：比例应为0到1之间的小数（{text}）")
            continue
        if cap is not None and r > cap:
            problems.append(
                f"{what} {key}：一般检查事项随机抽查，比例须小于100%（重点检查事项不设上限，可全覆盖）"
            )
    return problems


def plan_check(plan: Plan, items: Iterable[InspectionItem]) -> None:
    """What a plan must satisfy before it is saved: ratios, inspectors, dates, its items' bureau."""
    items = list(items)
    problems = []
    has_key = any(i.is_key for i in items)
    cap = None if has_key else GENERAL_CAP
    problems += _ratio_problems(plan.class_ratios, CLASS_KEYS, cap, "信用风险分类")
    problems += _ratio_problems(plan.grade_ratios, GRADE_KEYS, cap, "风险等级")
    if plan.inspectors_per_object < MIN_INSPECTORS:
        problems.append(f"每户检查人员不少于{MIN_INSPECTORS}名")
    if plan.check_start and plan.check_end and plan.check_end < plan.check_start:
        problems.append("检查结束日期不能早于开始日期")
    if plan.department_id and plan.department.bureau_id != plan.bureau_id:
        problems.append("牵头科室必须属于本局")
    if any(i.bureau_id != plan.bureau_id for i in items):
        problems.append("抽查事项必须属于本局")
    if plan.platform_id and plan.platform.bureau_id != plan.bureau_id:
        problems.append("平台必须属于本局")
    bad_grades = [g for g in plan.grades or [] if g not in Grade.values]
    if bad_grades:
        problems.append(f"未知的风险等级：{bad_grades[0]}")
    if problems:
        raise ValidationFailed("抽查计划不符合要求", "The plan is not valid", detail=problems)


def plan_save(
    *,
    plan: Plan,
    user: User | None,
    items: Iterable[InspectionItem] | None = None,
    joint_departments: Iterable[Department] | None = None,
    stations: Iterable[Station] | None = None,
) -> Plan:
    """Save a draft plan (a published one is frozen); ``None`` leaves a relation as it is."""
    _require_plan(user, plan.bureau_id, plan.department if plan.department_id else None)
    if plan.pk and Plan.objects.filter(pk=plan.pk).exclude(state=PlanState.DRAFT).exists():
        raise ValidationFailed(
            "抽查计划已公布，不能修改；如需调整请新建计划",
            "The plan is published and frozen: make a new plan",
        )
    if not plan.class_ratios and not plan.grade_ratios:
        plan.class_ratios, plan.grade_ratios = dict(DEFAULT_CLASS_RATIOS), dict(DEFAULT_GRADE_RATIOS)
        plan.ratio_source = plan.ratio_source or DEFAULT_RATIO_SOURCE
    current = list(items) if items is not None else (list(plan.items.all()) if plan.pk else [])
    plan_check(plan, current)
    joint = list(joint_departments) if joint_departments is not None else None
    if joint and any(d.bureau_id != plan.bureau_id for d in joint):
        raise ValidationFailed("联合检查科室必须属于本局", "Joint departments must belong to the bureau")
    station_list = list(stations) if stations is not None else None
    if station_list and any(s.bureau_id != plan.bureau_id for s in station_list):
        raise ValidationFailed("基层所必须属于本局", "Stations must belong to the bureau")
    with transaction.atomic():
        plan.save()
        if items is not None:
            PlanItem.objects.filter(plan=plan).exclude(item__in=current).delete()
            for item in current:
                PlanItem.objects.get_or_create(plan=plan, item=item)
        if joint is not None:
            plan.joint_departments.set([d for d in joint if d.pk != plan.department_id])
        if station_list is not None:
            plan.inspector_stations.set(station_list)
    return plan


def plan_publication(plan: Plan) -> dict[str, Any]:
    """What is published with the plan: its terms and its item list with each item's legal basis."""
    return {
        "title": plan.title,
        "year": plan.year,
        "bureau": plan.bureau.code,
        "department": plan.department.name,
        "joint_departments": sorted(d.name for d in plan.joint_departments.all()),
        "items": [
            {
                "id": i.pk,
                "name": i.name,
                "department": i.department.name,
                "method": i.method,
                "legal_basis": i.legal_basis,
                "key": i.is_key,
            }
            for i in plan.items.select_related("department").order_by("id")
        ],
        "filter": {
            "entity_kinds": plan.entity_kinds,
            "regions": plan.regions,
            "platform": plan.platform.name if plan.platform_id else "",
            "grades": plan.grades,
            "online_only": plan.online_only,
        },
        "class_ratios": {**DEFAULT_CLASS_RATIOS, **plan.class_ratios},
        "grade_ratios": {**DEFAULT_GRADE_RATIOS, **plan.grade_ratios},
        "ratio_source": plan.ratio_source,
        "inspectors_per_object": plan.inspectors_per_object,
        "station_recusal": plan.station_recusal,
        "check_start": plan.check_start.isoformat() if plan.check_start else None,
        "check_end": plan.check_end.isoformat() if plan.check_end else None,
    }


def plan_publish(*, plan: Plan, user: User | None, now: dt.datetime | None = None) -> Plan:
    """Publish the plan and its item list (公布抽查计划和抽查事项清单); it is frozen from now on."""
    _require_plan(user, plan.bureau_id, plan.department)
    now = now or timezone.now()
    if plan.state != PlanState.DRAFT:
        raise ValidationFailed("抽查计划已公布", "The plan is already published")
    items = list(plan.items.all())
    if not items:
        raise ValidationFailed("抽查计划须列明抽查事项", "A plan lists its inspection items")
    if not (plan.check_start and plan.check_end):
        raise ValidationFailed("请填写检查起止日期", "The check's start and end dates are required")
    plan_check(plan, items)
    plan.publication = plan_publication(plan)
    plan.state, plan.published_at = PlanState.PUBLISHED, now
    plan.published_by = user if getattr(user, "pk", None) else None
    plan.save()
    return plan
