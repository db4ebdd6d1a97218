"""Objections (异议) to published random-inspection results, and their decision (issue 19 point 5).

Entities have no accounts here: the office registers an entity's objection on its behalf
(``objection_file``), within the objection period counted from the result's publication, and decides it
(``objection_decide``). Upheld, the result's category is corrected and the objection keeps the earlier
category and the reason, so the history stays; the publicity export then shows the corrected result.
Rejected, the result stands.

The periods are the bureau's setting (``InspectionSettings``): the seeds' rules (《企业信息公示暂行条例》,
《企业公示信息抽查办法》 as far as they are quoted there) give no period for an objection to a check's
result nor for its decision, so no clock is registered in the catalogue. The defaults (30 days from
publication; decided within 20 working days) follow 《企业经营异常名录管理办法》's objection procedure and
MUST BE VERIFIED against the current 《企业公示信息抽查办法》 and the province's rules. The decision is a
work item (``inspection.objection``) with the due date the setting gives, closed by the decision.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from wangjian.core.clocks import Period, Unit, compute
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.inspections.choices import CheckMethod, ObjectionOutcome, ResultCategory
from wangjian.inspections.models import InspectionResult, InspectionSettings, ResultObjection
from wangjian.inspections.permissions import INSPECTION_PLAN
from wangjian.inspections.services.plans import may_plan
from wangjian.org import permissions
from wangjian.org.models import Bureau, User
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.kinds import WorkItemKind
from wangjian.platform.workitems.models import WorkItem, WorkItemState
from wangjian.platform.workitems.services import workitem_create, workitem_finish

OBJECTION = "inspection.objection"
WORKITEM_KINDS = (WorkItemKind(OBJECTION, "处理抽查结果异议", "异议"),)


def settings_for(bureau: Bureau | int) -> InspectionSettings:
    """The bureau's settings, or the defaults (unsaved) when the office has not set them."""
    bureau_id = bureau if isinstance(bureau, int) else bureau.pk
    return InspectionSettings.objects.filter(bureau_id=bureau_id).first() or InspectionSettings(
        bureau_id=bureau_id
    )


OBJECTION_DAYS_MAX = 365
DECISION_DAYS_MAX = 120


def may_set(user: User | None, bureau: Bureau | int) -> bool:
    """Who sets the periods: the office (``inspections.plan.manage`` and an office role) of its own bureau."""
    if user is None:
        return True
    if not permissions.may(user, INSPECTION_PLAN):
        return False
    if user.is_superuser:
        return True
    bureau_id = bureau if isinstance(bureau, int) else bureau.pk
    return user.role in permissions.OFFICE and user.bureau_id == bureau_id


def settings_check(*, user: User | None, bureau: Bureau | int) -> None:
    """Refuse in the table's words (no ``inspections.plan.manage``), else unless the office of the bureau."""
    if user is None:
        return
    permissions.require(user, INSPECTION_PLAN)
    if not may_set(user, bureau):
        raise PermissionDeniedError(
            "只有本局办公室可以设置双随机抽查的异议期限",
            "Only the bureau's office sets the objection periods of its random inspections",
        )


def _days(value: int | str, *, label: str, name: str, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationFailed(f"{label}应为整数：{value}", f"{name} is a whole number: {value}") from None
    if not 1 <= number <= high:
        raise ValidationFailed(f"{label}应在 1 至 {high} 之间", f"{name} is between 1 and {high}")
    return number


def settings_save(
    *,
    user: User | None,
    bureau: Bureau,
    objection_days: int | str | None = None,
    objection_decision_days: int | str | None = None,
) -> InspectionSettings:
    """Save the office's periods (a value not given keeps the current one); the change log keeps each change.
    They apply to objections filed from then on (a filed objection keeps the due date it was given)."""
    settings_check(user=user, bureau=bureau)
    current = settings_for(bureau)
    if objection_days is not None:
        current.objection_days = _days(
            objection_days, label="异议期限（日）", name="objection_days", high=OBJECTION_DAYS_MAX
        )
    if objection_decision_days is not None:
        current.objection_decision_days = _days(
            objection_decision_days,
            label="异议处理期限（工作日）",
            name="objection_decision_days",
            high=DECISION_DAYS_MAX,
        )
    current.save()
    return current


def objection_deadline(result: InspectionResult) -> dt.date | None:
    """The last day an objection to the published result may be filed (the setting's days from publication)."""
    if result.published_at is None:
        return None
    published = timezone.localdate(result.published_at)
    return published + dt.timedelta(days=settings_for(result.bureau_id).objection_days)


def may_handle(user: User | None, result: InspectionResult) -> bool:
    """The office (a department head: own department's plans) registers and decides objections."""
    if user is None:
        return True
    plan = result.drawn.draw.plan
    return permissions.may(user, INSPECTION_PLAN) and may_plan(user, plan.bureau_id, plan.department)


def _require_handler(user: User | None, result: InspectionResult) -> None:
    if user is None:
        return
    permissions.require(user, INSPECTION_PLAN)
    if not may_handle(user, result):
        raise PermissionDeniedError(
            "只能处理本局（科室负责人：本科室）抽查结果的异议",
            "Objections are handled for one's own bureau's results (a department head: own department's)",
        )


def decision_item(objection: ResultObjection) -> WorkItem | None:
    return workitem_selectors.items_of(objection).filter(kind=OBJECTION).order_by("-id").first()


def objection_file(
    *,
    result: InspectionResult,
    text: str,
    filed_on: dt.date,
    user: User | None,
    now: dt.datetime | None = None,
) -> ResultObjection:
    """登记异议: the entity's objection to a published result, registered by the office on its behalf.

    Only a published result is objected to, within the objection period (the bureau's setting, counted
    from publication); one objection at a time is pending. The decision is due within the setting's
    working days (a work item of the plan's department).
    """
    now = now or timezone.now()
    _require_handler(user, result)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("请填写异议内容", "The objection is empty")
    last = objection_deadline(result)
    if last is None:
        raise ValidationFailed(
            "抽查结果尚未公示，不能提出异议", "The result is not published: no objection yet"
        )
    published = timezone.localdate(result.published_at)
    if filed_on < published:
        raise ValidationFailed(
            "异议日期不能早于结果公示日期", "An objection cannot be filed before publication"
        )
    if filed_on > timezone.localdate(now):
        raise ValidationFailed("异议日期不能晚于今天", "An objection cannot be filed after today")
    if filed_on > last:
        raise ValidationFailed(
            f"已超过异议期限（公示之日起{settings_for(result.bureau_id).objection_days}日，至{last:%Y-%m-%d}），不予登记",
            f"The objection period ended on {last:%Y-%m-%d}: the objection is not registered",
        )
    if result.objections.filter(outcome=ObjectionOutcome.PENDING).exists():
        raise ValidationFailed("该结果已有待处理的异议", "An objection to this result is pending already")
    plan = result.drawn.draw.plan
    days = settings_for(result.bureau_id).objection_decision_days
    due = compute(start=filed_on, period=Period(days, Unit.WORKING_DAYS, "异议处理期限（本局设置）")).due
    with transaction.atomic():
        objection = ResultObjection.objects.create(
            bureau_id=result.bureau_id,
            result=result,
            text=text,
            filed_on=filed_on,
            filed_by=user if getattr(user, "pk", None) else None,
            category_before=result.category,
        )
        workitem_create(
            bureau=plan.bureau,
            kind=OBJECTION,
            title=f"处理抽查结果异议：{result.drawn.entity.name}（{result.item.name}）",
            body=f"异议内容：{text[:500]}",
            department=plan.department,
            due=max(due, timezone.localdate(now)),  # registered late: the item is due today at the latest
            subject=objection,
            now=now,
        )
        objection.due = due
        objection.save(update_fields=["due", "last_updated"])
    return objection


def objection_decide(
    *,
    objection: ResultObjection,
    outcome: str,
    reason: str,
    user: User | None,
    decided_on: dt.date,
    category: str = "",
    now: dt.datetime | None = None,
) -> ResultObjection:
    """作出异议处理: upheld (成立) corrects the result's category to ``category`` — the earlier category
    and the reason stay on the objection — rejected (不成立) keeps the result. Once; the work item closes."""
    now = now or timezone.now()
    result = objection.result
    _require_handler(user, result)
    if objection.outcome:
        raise ValidationFailed("该异议已处理", "The objection is decided already")
    if outcome not in (ObjectionOutcome.UPHELD, ObjectionOutcome.REJECTED):
        raise ValidationFailed(f"未知的处理结果：{outcome}", f"Unknown outcome: {outcome}")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写处理理由", "Give the reason for the decision")
    if decided_on < objection.filed_on or decided_on > timezone.localdate(now):
        raise ValidationFailed(
            "处理日期须在异议登记日期之后、不晚于今天",
            "The decision date is between the objection's date and today",
        )
    if outcome == ObjectionOutcome.UPHELD:
        if category not in ResultCategory.values:
            raise ValidationFailed("异议成立的，请选择更正后的检查结果", "Choose the corrected result")
        if category == result.category:
            raise ValidationFailed(
                "更正后的检查结果与原结果相同", "The corrected result is the same as the earlier one"
            )
    with transaction.atomic():
        objection.outcome, objection.reason, objection.decided_on = outcome, reason, decided_on
        objection.decided_by = user if getattr(user, "pk", None) else None
        if outcome == ObjectionOutcome.UPHELD:
            objection.category_after = category
            result.category = category
            result.save(update_fields=["category", "last_updated"])
        objection.save()
        item = decision_item(objection)
        if item is not None and item.state == WorkItemState.OPEN:
            workitem_finish(item=item, user=None, actor=user, result=objection.get_outcome_display(), now=now)
    return objection


def result_correction(result: InspectionResult) -> str:
    """The export's note of a corrected result: the earlier category and why, for each upheld objection."""
    upheld = [o for o in result.objections.all() if o.outcome == ObjectionOutcome.UPHELD]
    return "；".join(
        f"经异议更正（{o.decided_on:%Y-%m-%d}），原检查结果：{o.get_category_before_display()}，理由：{o.reason}"
        for o in upheld
    )


def is_published_info(result: InspectionResult) -> bool:
    return result.item.method == CheckMethod.PUBLISHED_INFO
