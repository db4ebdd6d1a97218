"""The unit's steps (机制二(四)): accept, feed back within the clock, dispose and report the result, return a clue
that is not its own, or transfer it to the bureau of the territory (法定管辖).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from wangjian.clues.choices import (
    Action,
    CheckResult,
    Disposal,
    ReferKind,
    SourceKind,
)
from wangjian.clues.models import Clue, ClueEvent
from wangjian.clues.selectors import clue_captures
from wangjian.clues.services.deadlines import Deadline
from wangjian.clues.services.duties import (
    _duty_end,
    _reporters_to_tell,
    _set_disposal_due,
    notify,
    office_users,
)
from wangjian.clues.services.filing import filing_end, filing_to_office
from wangjian.clues.services.intake import IntakeResult, clue_intake
from wangjian.clues.services.transitions import TRANSITIONS, _record, _require, transition_check
from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed
from wangjian.evidence.services import evidence_link
from wangjian.org.models import Bureau, User
from wangjian.platform.inbox.models import MessageKind
from wangjian.platform.workitems.models import WorkItemState

# ---------------------------------------------------------------- the unit's steps


def _step(clue: Clue, user: User, action: str, comment: str, now: dt.datetime, **detail) -> ClueEvent:
    from_state = clue.state
    clue.state = TRANSITIONS[action].target
    clue.save()
    return _record(clue, action, user, from_state=from_state, comment=comment, now=now, detail=detail)


def clue_accept(*, clue: Clue, user: User, comment: str = "", now: dt.datetime | None = None) -> ClueEvent:
    """The unit confirms receipt and starts checking (核查中); the deadline runs from assignment, not from here."""
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.ACCEPT)
    with transaction.atomic(), acting(user, via="clues"):
        return _step(clue, user, Action.ACCEPT, comment, now)


def clue_feedback(
    *, clue: Clue, user: User, result: str, actions: str, now: dt.datetime | None = None
) -> Deadline | None:
    """The unit feeds back its check (属实/部分属实/不属实/无法核实) and what it did; the disposal clock starts."""
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.FEEDBACK)
    if result not in CheckResult.values:
        raise ValidationFailed("请选择核查结论", "Choose a check result", detail={"result": result})
    actions = _require(actions, "请填写核查情况及采取的措施", "Describe the check and the actions taken")
    with transaction.atomic(), acting(user, via="clues"):
        clue.check_result = result
        clue.check_actions = actions
        clue.fed_back_at = now
        _duty_end(
            clue,
            user=user,
            result=f"核查结论：{CheckResult(result).label}。{actions}",
            state=WorkItemState.DONE,
            now=now,
        )
        deadline = _set_disposal_due(clue, now)
        on_time = clue.feedback_due is None or timezone.localtime(now).date() <= clue.feedback_due
        _step(clue, user, Action.FEEDBACK, actions, now, result=result, on_time=on_time)
        recipients = office_users(clue.bureau_id)
        if clue.transferred_from_id:
            recipients += office_users(clue.transferred_from.bureau_id)
        notify(
            key=f"clue{clue.pk}:fed_back:{now:%Y%m%d%H%M%S}",
            users=recipients,
            kind=MessageKind.STATE,
            title=f"线索 {clue.number} 已反馈：{CheckResult(result).label}",
            body=actions,
            clue=clue,
            now=now,
        )
    return deadline


def clue_start_disposal(
    *, clue: Clue, user: User, comment: str = "", now: dt.datetime | None = None
) -> ClueEvent:
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.START_DISPOSAL)
    with transaction.atomic(), acting(user, via="clues"):
        return _step(clue, user, Action.START_DISPOSAL, comment, now)


def clue_close(
    *,
    clue: Clue,
    user: User,
    disposal: str,
    note: str = "",
    case_number: str = "",
    refer_kind: str = "",
    refer_target: str = "",
    lessons: str = "",
    now: dt.datetime | None = None,
) -> ClueEvent:
    """Close with the disposal result (处置结果) the office reports monthly.

    立案 needs the case number; 移送 needs whom (another authority, or the police when a crime
    is suspected — 行刑衔接, 机制二(五)); 不予处理 needs the reason. A clue found untrue can
    only be closed without action.
    """
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.CLOSE)
    if disposal not in Disposal.values:
        raise ValidationFailed("请选择处置结果", "Choose a disposal", detail={"disposal": disposal})
    note = (note or "").strip()
    if disposal == Disposal.CASE:
        raise ValidationFailed(
            "立案查处须经立案审批：在线索页点击“立案”填写立案审批表，局负责人批准后线索自动以“立案查处”办结并关联案件",
            "A case is opened through the filing approval (立案审批表): the clue closes as 立案查处 when the "
            "bureau's head approves it, linked to the case",
            code="case_through_filing",
        )
    if disposal == Disposal.REFER:
        if refer_kind not in ReferKind.values:
            raise ValidationFailed(
                "移送须选择移送对象类别（其他行政机关或公安机关）", "Choose whom the clue is referred to"
            )
        refer_target = _require(refer_target, "移送须填写接收机关", "Name the receiving authority")
    if disposal == Disposal.NO_ACTION:
        note = _require(note, "不予处理须说明理由", "A reason is required for 不予处理")
    if clue.check_result == CheckResult.FALSE and disposal != Disposal.NO_ACTION:
        raise ValidationFailed(
            "核查不属实的线索只能“不予处理”办结", "A clue found untrue can only be closed with 不予处理"
        )
    with transaction.atomic(), acting(user, via="clues"):
        clue.disposal = disposal
        clue.disposal_note = note
        clue.case_number = case_number if disposal == Disposal.CASE else ""
        clue.refer_kind = refer_kind if disposal == Disposal.REFER else ""
        clue.refer_target = refer_target if disposal == Disposal.REFER else ""
        clue.closed_at = now
        clue.lessons = (lessons or "").strip()  # 举一反三: the gap the clue revealed and the measures taken
        _duty_end(
            clue,
            user=user,
            result=f"处置结果：{Disposal(disposal).label}。{note or case_number or refer_target}".strip("。"),
            state=WorkItemState.DONE,
            now=now,
        )
        # closing without a case is the decision not to open one (程序规定 art. 18)
        filing_end(
            clue, user=user, result=f"处置结果：{Disposal(disposal).label}", state=WorkItemState.DONE, now=now
        )
        on_time = clue.disposal_due is None or timezone.localtime(now).date() <= clue.disposal_due
        event = _step(clue, user, Action.CLOSE, note, now, disposal=disposal, on_time=on_time)
        _reporters_to_tell(clue, now)
        notify(
            key=f"clue{clue.pk}:closed",
            users=office_users(clue.bureau_id),
            kind=MessageKind.STATE,
            title=f"线索 {clue.number} 已办结：{Disposal(disposal).label}",
            body=note or case_number or refer_target,
            clue=clue,
            now=now,
        )
    return event


def clue_return(*, clue: Clue, user: User, reason: str, now: dt.datetime | None = None) -> ClueEvent:
    """The unit returns a clue it is not responsible for (退回) to the office, with the reason; the clock stops."""
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.RETURN)
    reason = _require(reason, "退回必须说明理由", "A reason is required to return a clue")
    with transaction.atomic(), acting(user, via="clues", reason=reason):
        clue.feedback_due = None
        clue.feedback_overdue = False
        _duty_end(
            clue, user=user, result=f"退回领导小组办公室：{reason}", state=WorkItemState.CANCELLED, now=now
        )
        event = _step(clue, user, Action.RETURN, reason, now, unit=str(clue.unit or ""))
        filing_to_office(clue)  # the filing clock keeps running: the office owes it until it assigns again
        notify(
            key=f"clue{clue.pk}:returned:{now:%Y%m%d%H%M%S}",
            users=office_users(clue.bureau_id),
            kind=MessageKind.RETURNED,
            title=f"线索 {clue.number} 被{clue.unit}退回",
            body=reason,
            clue=clue,
            now=now,
        )
    return event


def clue_transfer(
    *, clue: Clue, user: User, to_bureau: Bureau, reason: str, now: dt.datetime | None = None
) -> IntakeResult:
    """Transfer to the bureau whose territory the entity is registered in (法定管辖).

    The receiving bureau gets its own clue (its own number), routed by its own duty list;
    the sender's clue is marked 已移交外局 and the sender keeps read-only sight of the new
    one and its feedback. The evidence follows the matter: the new clue links the same captures
    (each link written to the capturing bureau's ledger), so whoever sees it there opens them
    (``evidence.access``), while the captures stay the sender's, in the sender's store and ledger.
    """
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.TRANSFER)
    reason = _require(reason, "移交外局必须说明理由", "A reason is required to transfer")
    if to_bureau.pk == clue.bureau_id:
        raise ValidationFailed("不能移交给本局", "Cannot transfer to the same bureau")
    with transaction.atomic(), acting(user, via="clues", reason=reason):
        result = clue_intake(
            bureau=to_bureau,
            source_kind=SourceKind.TRANSFER,
            source_ref=clue.number,
            domain=clue.domain,
            title=clue.title,
            facts=f"{clue.facts}\n\n【移交理由】{reason}（{clue.bureau}）",
            entity=clue.entity,
            presence=clue.presence,
            entity_name=clue.entity_name,
            entity_uscc=clue.entity_uscc,
            presence_label=clue.presence_label,
            region_code=clue.region_code,
            finder=clue.finder,
            # the receiving bureau's art. 18 clock runs from the day it receives the material
            found_on=timezone.localtime(now).date(),
            evidence_refs=[ref for s in clue.sources.all() for ref in s.evidence_refs],
            now=now,
            dedup=False,
        )
        target = result.clue
        target.transferred_from = clue
        target.save()
        carried = [evidence_link(capture=c, obj=target, user=user).capture_id for c in clue_captures(clue)]
        clue.feedback_due = None
        clue.feedback_overdue = False
        _duty_end(
            clue, user=user, result=f"移交{to_bureau}：{reason}", state=WorkItemState.CANCELLED, now=now
        )
        filing_end(clue, user=user, result=f"移交{to_bureau}", state=WorkItemState.CANCELLED, now=now)
        _step(
            clue,
            user,
            Action.TRANSFER,
            reason,
            now,
            to_bureau=str(to_bureau),
            to_clue=target.number,
            captures=carried,
        )
        notify(
            key=f"clue{target.pk}:transferred",
            users=office_users(to_bureau.pk),
            kind=MessageKind.TRANSFERRED,
            title=f"{clue.bureau}移交线索 {target.number}",
            body=reason,
            clue=target,
            now=now,
        )
    return result
