"""A case's evidence: captures linked from the clue, uploads of anything else, and the manual check of
presences that have no address to capture (an APP, a mini-program, an official account, a live stream).

Every upload goes through the evidence app's upload mode (``evidence.services.evidence_upload``): the
files hashed into the immutable store, the ledger written, the same verification and signed package as
a web capture; here it is linked to the case, so that it is held while the case needs it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from wangjian.cases.choices import Action, CaseState, Party
from wangjian.cases.models import Case
from wangjian.cases.services.transitions import case_parties, record
from wangjian.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wangjian.evidence import services as evidence_services
from wangjian.evidence.models import EvidenceCapture, EvidenceLink
from wangjian.org.models import User
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.models import WorkItemState
from wangjian.platform.workitems.services import workitem_create, workitem_finish

MANUAL_CHECK = "case.manual_check"  # the work item's kind
NO_ADDRESS = frozenset({"app", "wechat_mini", "alipay_mini", "wechat_account", "livestream"})
HANDLERS = frozenset({Party.OFFICER, Party.UNIT, Party.HEAD})


def _may_add(user: User, case: Case) -> None:
    if case.state in (CaseState.NOT_FILED, CaseState.WITHDRAWN, CaseState.CLOSED):
        raise ValidationFailed(
            f"案件已{case.get_state_display()}，不能再添加证据", f"The case is {case.state}: no more evidence"
        )
    if not (HANDLERS & case_parties(user=user, case=case)):
        raise PermissionDeniedError(
            "只有办案人员和办案机构可以为案件添加证据", "Only the case's officers and unit add evidence to it"
        )


def case_evidence(case: Case) -> list[EvidenceCapture]:
    """The captures and uploads linked to the case (and to the clue it came from)."""
    links = EvidenceLink.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_id=str(case.pk)
    )
    ids = set(links.values_list("capture_id", flat=True))
    if case.clue_id:
        clue_type = ContentType.objects.get_for_model(type(case.clue))
        ids |= set(
            EvidenceLink.objects.filter(content_type=clue_type, object_id=str(case.clue_id)).values_list(
                "capture_id", flat=True
            )
        )
    return list(
        EvidenceCapture.objects.filter(pk__in=ids).prefetch_related("files").order_by("started_at", "id")
    )


def case_evidence_upload(
    *,
    case: Case,
    user: User,
    files: list[Any],
    kind: str,
    description: str,
    operators: list[str],
    source: str = "",
    collected_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> EvidenceCapture:
    """Upload photos, videos, recordings, scanned records or a platform's documents to the case."""
    now = now or timezone.now()
    _may_add(user, case)
    with transaction.atomic():
        outcome = evidence_services.evidence_upload(
            files=files,
            kind=kind,
            description=description,
            source=source,
            collected_at=collected_at,
            operators=operators,
            purpose=f"案件调查：{case.title}"[:500],
            case_ref=case.number or f"案件#{case.pk}",
            user=user,
            bureau=case.bureau,
            link_to=case,
        )
        capture = outcome.capture
        record(
            case,
            Action.EVIDENCE,
            user,
            from_state=case.state,
            comment=f"上传证据 #{capture.pk}：{capture.title}",
            now=now,
        )
        for item in workitem_selectors.items_of(case).filter(kind=MANUAL_CHECK, state=WorkItemState.OPEN):
            workitem_finish(
                item=item, user=None, actor=user, result=f"已上传证据 #{capture.pk}：{capture.title}", now=now
            )
    return capture


def case_evidence_link(
    *, case: Case, user: User, capture_id: int, now: dt.datetime | None = None
) -> EvidenceCapture:
    """Link a capture of the bureau (a web capture made from the evidence page) to the case."""
    now = now or timezone.now()
    _may_add(user, case)
    capture = EvidenceCapture.objects.filter(pk=capture_id, bureau_id=case.bureau_id).first()
    if capture is None:
        raise NotFoundError(f"本局没有取证记录 #{capture_id}", f"No capture #{capture_id} in this bureau")
    with transaction.atomic():
        evidence_services.evidence_link(capture=capture, obj=case, user=user)
        record(
            case, Action.EVIDENCE, user, from_state=case.state, comment=f"关联取证记录 #{capture.pk}", now=now
        )
    return capture


def manual_check_open(case: Case, now: dt.datetime) -> None:
    """A presence without an address to capture gets a manual check: the officer records and uploads."""
    presence = case.presence
    if presence is None or presence.kind not in NO_ADDRESS:
        return
    lead = case.case_officers.select_related("user").order_by("-lead", "id").first()
    workitem_create(
        bureau=case.bureau,
        kind=MANUAL_CHECK,
        title=f"人工检查并上传证据：{presence.get_kind_display()} {presence.shop_name or presence.account_id}"[
            :200
        ],
        body="该经营场所没有可取证的网址：请在手机上检查，录屏或截图，并在案件页“上传证据”。",
        reference=case.number,
        department=case.department,
        assignee=lead.user if lead else None,
        working_days=5,
        subject=case,
        domain=case.domain,
        now=now,
    )


def case_holds_evidence(case: Case) -> bool:
    """Evidence linked to a case is kept with the case file (案卷): unless the case was never filed or withdrawn."""
    return case.state not in (CaseState.NOT_FILED, CaseState.WITHDRAWN, CaseState.DRAFT)
