"""Opening a case (立案): the 审批表, the officers, the bureau head's decision, and the filing clock.

程序规定 art. 18 gives 15 working days from discovery to decide whether to open a case (the clue's
clock, ``clues.services.filing``; a case drafted without a clue computes it from its own discovery
date); art. 20: 立案 is approved by the bureau's head (负责人), and the head of the 办案机构 designates
two or more officers holding enforcement certificates. A 不予立案 proposal is approved the same way
and closes the clue as 不予立案, telling a named reporter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.cases.choices import Action, CaseState, Party, PartyKind, Procedure, Proposal, SourceKind
from wangjian.cases.models import Case, CaseOfficer
from wangjian.cases.permissions import CASE_DRAFT
from wangjian.cases.services.clock import decision_clock_open
from wangjian.cases.services.evidence import manual_check_open
from wangjian.cases.services.jurisdiction import jurisdiction_check
from wangjian.cases.services.transitions import TRANSITIONS, case_parties, record, required, transition_check
from wangjian.clues import services as clue_services
from wangjian.clues.models import Clue
from wangjian.core.audit import acting
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org import permissions
from wangjian.org.choices import Domain, Role
from wangjian.org.models import Bureau, Department, User
from wangjian.platform.clocks.catalogue import get as clock_get
from wangjian.platform.clocks.services import deadline_for
from wangjian.platform.inbox.models import MessageKind
from wangjian.platform.inbox.services import notify
from wangjian.platform.numbering.services import number_attach, number_issue

MIN_OFFICERS = 2


def draft_initial(*, clue: Clue) -> dict[str, Any]:
    """What a case drafted from ``clue`` starts with: its facts, party, presence, evidence and sources."""
    presence = clue.presence
    entity = clue.entity
    return {
        "title": clue.title,
        "domain": clue.domain,
        "source_kind": clue.source_kind,
        "party_name": clue.entity_name or (entity.name if entity else ""),
        "party_uscc": clue.entity_uscc or (entity.uscc if entity else ""),
        "party_region": (entity.region_code if entity and entity.region_code else clue.region_code) or "",
        "presence_label": clue.presence_label,
        "presence_kind": presence.kind if presence else "",
        "facts": clue.facts,
        "discovered_on": clue.found_on,
        "department": clue.department,
    }


def _platform_region(presence: Any) -> str:
    from wangjian.core import regions

    platform = getattr(presence, "platform", None) if presence is not None else None
    if platform is None:
        return ""
    return regions.region_from_address(platform.domicile or "") or ""


def case_draft(
    *,
    user: User,
    bureau: Bureau | None = None,
    clue: Clue | None = None,
    proposal: str = Proposal.FILE,
    title: str = "",
    domain: str = "",
    source_kind: str = "",
    party_name: str = "",
    party_uscc: str = "",
    party_kind: str = PartyKind.ORGANISATION,
    party_region: str = "",
    presence_label: str = "",
    presence_kind: str = "",
    platform_region: str = "",
    facts: str = "",
    provisions: str = "",
    discovered_on: dt.date | None = None,
    department: Department | None = None,
    jurisdiction_dispute: str = "",
    not_filed_reason: str = "",
    major: bool = False,
    case: Case | None = None,
    now: dt.datetime | None = None,
) -> Case:
    """The unit fills the 立案审批表 (or the 不予立案审批表): from a clue, or directly; ``case``, or the clue's
    existing draft, is filled again (a draft sent back by the head, say).

    From a clue, only its unit (or head) drafts, once the check is fed back; the clue's facts, party,
    evidence and discovery date come with it. Jurisdiction is checked and a case outside the
    bureau's ground needs the dispute written down.
    """
    now = now or timezone.now()
    permissions.require(user, CASE_DRAFT)
    if case is not None:  # filled again: what is not given stays as it was
        clue = clue or case.clue
        title, domain = title or case.title, domain or case.domain
        party_name, party_uscc = party_name or case.party_name, party_uscc or case.party_uscc
        party_region, presence_label = (
            party_region or case.party_region,
            presence_label or case.presence_label,
        )
        platform_region = platform_region or case.platform_region
        facts, provisions = facts or case.facts, provisions or case.provisions
        discovered_on, department = discovered_on or case.discovered_on, department or case.department
        source_kind = source_kind or case.source_kind
        jurisdiction_dispute = jurisdiction_dispute or case.jurisdiction_dispute
        not_filed_reason = not_filed_reason or case.not_filed_reason
    if clue is not None:
        if not clue_services.may_draft_filing(user=user, clue=clue):
            raise PermissionDeniedError(
                "只有线索承办单位在反馈核查情况后可以填写立案（不予立案）审批表",
                "Only the clue's unit drafts the filing form, after feeding back its check",
            )
        existing = Case.objects.filter(clue=clue).first()
        if existing is not None and existing.state != CaseState.DRAFT:
            raise ValidationFailed(
                f"线索 {clue.number} 已有审批表（{existing.get_state_display()}）",
                f"Clue {clue.number} has a filing form already",
                detail={"case": existing.pk},
            )
        case = case or existing
        bureau = clue.bureau
        initial = draft_initial(clue=clue)
        title = title or initial["title"]
        domain = domain or initial["domain"]
        source_kind = initial["source_kind"]
        party_name = party_name or initial["party_name"]
        party_uscc = party_uscc or initial["party_uscc"]
        party_region = party_region or initial["party_region"]
        presence_label = presence_label or initial["presence_label"]
        presence_kind = presence_kind or initial["presence_kind"]
        facts = facts or initial["facts"]
        discovered_on = initial["discovered_on"]  # the clock runs from the clue's discovery, not a typed date
        department = department or initial["department"]
        platform_region = platform_region or _platform_region(clue.presence)
    if case is not None:
        if case.state != CaseState.DRAFT:
            raise ValidationFailed(
                f"审批表处于“{case.get_state_display()}”，不能修改", "Only a draft filing form is changed"
            )
        if case.drafted_by_id != user.pk and not (
            {Party.UNIT, Party.HEAD} & case_parties(user=user, case=case)
        ):
            raise PermissionDeniedError(
                "只有办案机构可以修改审批表", "Only the handling unit changes the form"
            )
        bureau = case.bureau
        clue = clue or case.clue
    bureau = bureau or user.bureau
    if bureau is None or (not user.is_superuser and user.bureau_id != bureau.pk):
        raise PermissionDeniedError("只能为本局填写立案审批表", "A filing form is for one's own bureau")
    department = department or user.department
    if department is None or department.bureau_id != bureau.pk or not department.is_active:
        raise ValidationFailed("请选择本局的办案机构（科室）", "Choose the bureau's handling department")
    if proposal not in Proposal.values:
        raise ValidationFailed("请选择立案或不予立案", "Choose 立案 or 不予立案")
    if domain not in Domain.values:
        raise ValidationFailed("请选择监管领域", "Choose the domain")
    source_kind = source_kind or SourceKind.MANUAL
    if source_kind not in SourceKind.values:
        raise ValidationFailed("请选择案件来源", "Choose the source")
    title = required(title, "请填写案由", "The case needs a title (案由)")
    party_name = required(party_name, "请填写当事人", "Name the party")
    facts = required(facts, "请填写案情摘要", "Describe the facts")
    if discovered_on is None:
        raise ValidationFailed(
            "请填写发现线索或收到材料的日期（程序规定第十八条）", "Give the discovery date"
        )
    if discovered_on > timezone.localtime(now).date():
        raise ValidationFailed("发现日期不能晚于今天", "The discovery date cannot be in the future")
    if proposal == Proposal.NOT_FILE:
        not_filed_reason = required(
            not_filed_reason, "不予立案须说明理由", "A reason is required for 不予立案"
        )
    check = jurisdiction_check(
        bureau=bureau,
        domain=domain,
        presence_kind=presence_kind,
        party_region=party_region,
        platform_region=platform_region,
        source_kind=source_kind,
    )
    jurisdiction_dispute = (jurisdiction_dispute or "").strip()
    if proposal == Proposal.FILE and not check.ours and not jurisdiction_dispute:
        raise ValidationFailed(
            f"管辖存疑：{check.reason_zh}",
            check.reason_en,
            code="jurisdiction",
            detail={"jurisdiction": check.reason_zh},
        )
    with transaction.atomic(), acting(user, via="cases"):
        redraft = case is not None
        case = case or Case()
        fields = dict(
            bureau=bureau,
            title=title[:200],
            domain=domain,
            procedure=Procedure.GENERAL,
            state=CaseState.DRAFT,
            proposal=proposal,
            major=bool(major),
            clue=clue,
            source_kind=source_kind,
            evidence_refs=sorted({r for s in clue.sources.all() for r in s.evidence_refs}) if clue else [],
            entity=clue.entity if clue else None,
            presence=clue.presence if clue else None,
            party_name=party_name[:200],
            party_uscc=(party_uscc or "").strip()[:18],
            party_kind=party_kind if party_kind in PartyKind.values else PartyKind.ORGANISATION,
            party_region=(party_region or "").strip()[:12],
            presence_label=(presence_label or "")[:500],
            platform_region=(platform_region or "")[:12],
            facts=facts,
            provisions=(provisions or "").strip(),
            discovered_on=discovered_on,
            jurisdiction=check.ground,
            jurisdiction_basis=check.reason_zh,
            jurisdiction_dispute=jurisdiction_dispute,
            department=department,
            drafted_by=user,
            drafted_at=now,
            not_filed_reason=(not_filed_reason or "").strip(),
        )
        for name, value in fields.items():
            setattr(case, name, value)
        _filing_copy(case)
        case.save()
        record(
            case,
            Action.DRAFT,
            user,
            from_state=case.state if redraft else "",
            comment=("修改" if redraft else "")
            + f"{Proposal(proposal).label}审批表：{title}"
            + (f"（来源线索 {clue.number}）" if clue else ""),
            now=now,
        )
    return case


def _filing_copy(case: Case) -> None:
    """The filing deadline: the clue's (which carries its stops and extensions), or computed from discovery."""
    if case.clue_id and case.clue.filing_due:
        case.filing_due, case.filing_basis = case.clue.filing_due, case.clue.filing_basis
        case.filing_provisional = case.clue.filing_provisional
        return
    deadline = deadline_for(bureau=case.bureau_id, clock="clue.verification", start=case.discovered_on)
    case.filing_due, case.filing_provisional = deadline.due, deadline.provisional
    case.filing_basis = deadline.basis_text(clock_get("clue.verification").starts)


def officers_check(*, case: Case, officers: list[User], on: dt.date) -> None:
    """Two or more active staff of the bureau, each holding a valid enforcement certificate (art. 20)."""
    unique = list(dict.fromkeys(officers))
    if len(unique) < MIN_OFFICERS:
        raise ValidationFailed(
            "须指定两名以上办案人员（程序规定第二十条）", "Designate two or more officers (art. 20)"
        )
    for officer in unique:
        if officer.bureau_id != case.bureau_id or not officer.is_active or officer.role == Role.AUDITOR:
            raise ValidationFailed(
                f"{officer} 不是本局在岗执法人员", f"{officer} is not active staff of the bureau"
            )
        if not officer.holds_certificate(on):
            raise ValidationFailed(
                f"{officer} 未持有有效的行政执法证，不能担任办案人员（程序规定第二十条）",
                f"{officer} holds no valid enforcement certificate",
                detail={"officer": officer.pk},
            )


def case_designate(
    *, case: Case, user: User, officers: list[User], lead: User | None = None, now: dt.datetime | None = None
) -> Case:
    """The 办案机构's head designates the officers and submits the 审批表 to the bureau's head."""
    now = now or timezone.now()
    transition_check(user=user, case=case, action=Action.DESIGNATE)
    today = timezone.localtime(now).date()
    if case.proposal == Proposal.FILE:
        officers_check(case=case, officers=officers, on=today)
    lead = lead or (officers[0] if officers else None)
    with transaction.atomic(), acting(user, via="cases"):
        case.case_officers.all().delete()
        for officer in dict.fromkeys(officers):
            CaseOfficer.objects.create(
                case=case,
                user=officer,
                lead=officer == lead,
                certificate=officer.enforcement_certificate,
                designated_by=user,
                designated_at=now,
            )
        from_state = case.state
        case.state = TRANSITIONS[Action.DESIGNATE].target
        case.submitted_by, case.submitted_at = user, now
        case.save()
        names = "、".join(f"{o}（{o.enforcement_certificate}）" for o in dict.fromkeys(officers)) or "—"
        record(case, Action.DESIGNATE, user, from_state=from_state, comment=f"办案人员：{names}", now=now)
        notify(
            key=f"case{case.pk}:pending:{now:%Y%m%d%H%M%S}",
            users=list(User.objects.filter(bureau_id=case.bureau_id, is_bureau_head=True, is_active=True)),
            kind=MessageKind.TASK,
            title=f"{Proposal(case.proposal).label}审批：{case.title}",
            body=f"{case.department}提交，立案决定期限 {case.filing_due or '—'}",
            subject=case,
            url=case.get_absolute_url(),
            now=now,
        )
    return case


def case_send_back(*, case: Case, user: User, reason: str, now: dt.datetime | None = None) -> Case:
    now = now or timezone.now()
    transition_check(user=user, case=case, action=Action.SEND_BACK)
    reason = required(reason, "退回须说明理由", "Say why it is sent back")
    with transaction.atomic(), acting(user, via="cases"):
        from_state = case.state
        case.state = CaseState.DRAFT
        case.save()
        record(case, Action.SEND_BACK, user, from_state=from_state, comment=reason, now=now)
    return case


def case_approve(*, case: Case, user: User, opinion: str = "", now: dt.datetime | None = None) -> Case:
    """The bureau's head approves the 审批表: the case is filed (numbered, its 90-day clock starts, the
    clue closes as 立案查处 with a link), or 不予立案 is decided (the clue closes so, reporters told)."""
    now = now or timezone.now()
    transition_check(user=user, case=case, action=Action.APPROVE)
    today = timezone.localtime(now).date()
    if case.proposal == Proposal.FILE:
        officers_check(
            case=case, officers=[o.user for o in case.case_officers.select_related("user")], on=today
        )
    if case.clue_id:
        case.clue.refresh_from_db()
        _filing_copy(case)
    with transaction.atomic(), acting(user, via="cases"):
        from_state = case.state
        case.approved_by, case.approved_at = user, now
        case.approval_opinion = (opinion or "").strip()
        late = case.filing_due is not None and today > case.filing_due and not case.filing_provisional
        if case.proposal == Proposal.FILE:
            issued = number_issue(bureau=case.bureau, kind="case_filing", subject=None, user=user, now=now)
            case.number = issued.number
            case.state = CaseState.INVESTIGATING
            case.opened_on = today
            case.filed_late = late
            case.save()
            number_attach(issued=issued, subject=case)
            decision_clock_open(case, now)
            manual_check_open(case, now)
            comment = f"批准立案，立案编号 {case.number}" + (
                f"；超过立案决定期限 {case.filing_due}（程序规定第十八条）" if late else ""
            )
        else:
            case.state = CaseState.NOT_FILED
            case.save()
            comment = f"批准不予立案：{case.not_filed_reason}"
        record(
            case,
            Action.APPROVE,
            user,
            from_state=from_state,
            comment=comment + (f"。审批意见：{case.approval_opinion}" if case.approval_opinion else ""),
            detail={"late": late, "filing_due": str(case.filing_due or "")},
            now=now,
        )
        if case.clue_id:
            clue_services.clue_filing_decided(
                clue=case.clue,
                user=user,
                filed=case.proposal == Proposal.FILE,
                case_number=case.number,
                case_url=case.get_absolute_url(),
                reason=case.not_filed_reason,
                now=now,
            )
        notify(
            key=f"case{case.pk}:approved",
            users=[o.user for o in case.case_officers.select_related("user")] or [case.drafted_by],
            kind=MessageKind.STATE,
            title=f"{'已立案 ' + case.number if case.number else '不予立案'}：{case.title}",
            body=comment,
            subject=case,
            url=case.get_absolute_url(),
            now=now,
        )
    return case
