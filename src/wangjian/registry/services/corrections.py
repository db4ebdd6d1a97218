"""Corrections of registry data (数据更正): requested by an officer, decided by the department head, never by the requester."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.core.audit import acting, current_actor
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.registry import matching, selectors
from wangjian.registry import uscc as uscc_mod
from wangjian.registry.choices import (
    CorrectionStatus,
    EntityStatus,
    LinkMethod,
    PresenceStatus,
)
from wangjian.registry.models import (
    CorrectionRequest,
    MarketEntity,
    Presence,
)
from wangjian.registry.services.batches import _as

# ---------------------------------------------------------------------------------------------
# Data correction (核实优化数据)

ENTITY_CORRECTABLE = {
    "name": "名称",
    "address": "住所/经营场所",
    "phone": "联系电话",
    "legal_rep": "法定代表人/经营者",
    "status": "登记状态",
    "business_scope": "经营范围",
}
PRESENCE_CORRECTABLE = {
    "status": "状态",
    "shop_name": "店铺名称",
    "url": "网址",
    "entity": "关联主体（统一社会信用代码）",
}


def _presence_entity(presence: Presence, value: str) -> MarketEntity | None:
    if not value:
        return None
    code, problem = uscc_mod.validate(value)
    if problem:
        raise ValidationFailed(f"统一社会信用代码有误：{problem.zh}", f"invalid USCC: {problem.en}")
    entity = MarketEntity.objects.filter(bureau_id__in=presence.bureau.descendant_ids(), uscc=code).first()
    if entity is None:
        entity = MarketEntity.objects.filter(uscc=code).first()
    if entity is None:
        raise ValidationFailed("登记库中没有该代码的主体", "no entity with that USCC in the registry")
    return entity


def correction_request(
    *,
    user: Any,
    field: str,
    proposed_value: str,
    evidence_note: str,
    entity: MarketEntity | None = None,
    presence: Presence | None = None,
) -> CorrectionRequest:
    """An officer reports that the data differ from reality (closed shop, wrong address, shop changed hands)."""
    target = entity or presence
    if target is None or (entity and presence):
        raise ValidationFailed("请指定一个主体或一个网络经营场所", "name one entity or one presence")
    if not selectors.can_request_correction(user, target.bureau_id):
        raise PermissionDeniedError("无权对该数据提出更正", "not allowed to request a correction here")
    allowed = ENTITY_CORRECTABLE if entity else PRESENCE_CORRECTABLE
    if field not in allowed:
        raise ValidationFailed(
            f"该字段不能通过更正申请修改：{field}", f"field cannot be corrected this way: {field}"
        )
    if not evidence_note.strip():
        raise ValidationFailed("请写明核实情况及证据", "describe what was checked and the evidence")
    proposed_value = proposed_value.strip()
    if field == "status":
        choices = EntityStatus if entity else PresenceStatus
        labels = {c.label: c.value for c in choices}
        proposed_value = labels.get(proposed_value, proposed_value)
        if proposed_value not in choices.values:
            raise ValidationFailed(
                f"状态应为：{'、'.join(c.label for c in choices)}", f"status must be one of {choices.values}"
            )
    if presence is not None and field == "entity":
        _presence_entity(presence, proposed_value)
        proposed_value = uscc_mod.normalize(proposed_value)
    current = getattr(target, field)
    if field == "entity":
        current = target.entity.uscc if target.entity else ""
    with _as(user):
        return CorrectionRequest.objects.create(
            bureau_id=target.bureau_id,
            entity=entity,
            presence=presence,
            field=field,
            current_value=str(current or "")[:500],
            proposed_value=proposed_value[:500],
            evidence_note=evidence_note.strip(),
            requested_by=user,
        )


def correction_decide(
    *, correction: CorrectionRequest, user: Any, approve: bool, note: str = ""
) -> CorrectionRequest:
    """The department head approves (and the change is applied, audited with the request's number) or rejects."""
    if correction.status != CorrectionStatus.PENDING:
        raise ValidationFailed("该申请已处理", "this request has already been decided")
    if not selectors.can_approve_correction(user, correction):
        raise PermissionDeniedError(
            "只有本局科室负责人可以审批更正申请（申请人本人不能审批）",
            "only a department head of the bureau may approve, and not the requester",
        )
    via = current_actor().via
    with transaction.atomic(), acting(user, via=via, reason=f"核实优化数据 #{correction.pk}"):
        if approve:
            target = correction.entity or correction.presence
            value: Any = correction.proposed_value
            if correction.presence_id and correction.field == "entity":
                entity = _presence_entity(correction.presence, value)
                target.entity, target.link_method, target.link_confidence = entity, LinkMethod.MANUAL, 1.0
            else:
                setattr(target, correction.field, value)
                if correction.entity_id:
                    if correction.field == "name":
                        parts = matching.name_parts(value)
                        target.name_key, target.name_core = parts.key[:200], parts.core[:200]
                    if correction.field == "phone":
                        target.phone_key = matching.phone_key(value)
                elif correction.field == "shop_name":
                    target.shop_name_key = matching.shop_key(value)[:200]
            if correction.presence_id:
                target.last_checked = timezone.now()
            target.save()
            correction.status = CorrectionStatus.APPLIED
        else:
            correction.status = CorrectionStatus.REJECTED
        correction.decided_by = user
        correction.decided_at = timezone.now()
        correction.decision_note = note[:300]
        correction.save()
    return correction
