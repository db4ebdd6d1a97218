"""Taking a clue in: numbered from the bureau's register, deduplicated against open clues about the same
entity or shop in the same domain, each source keeping its receipt time and its named reporter.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wangjian.clues.choices import (
    OPEN_STATES,
    Action,
    SourceKind,
)
from wangjian.clues.models import Clue, ClueSource
from wangjian.clues.permissions import CLUE_CREATE
from wangjian.clues.services.filing import filing_open
from wangjian.clues.services.routing import Routing, clue_route
from wangjian.clues.services.transitions import _record, _require
from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed
from wangjian.evidence.models import EvidenceCapture
from wangjian.evidence.services import evidence_link
from wangjian.org import permissions
from wangjian.org.choices import Domain
from wangjian.org.models import Bureau, User
from wangjian.platform.numbering.services import number_attach, number_issue


@dataclass
class IntakeResult:
    """``created`` False means the report was attached to an open clue about the same matter (dedup)."""

    clue: Clue
    created: bool
    routing: Routing | None
    reason_zh: str
    source: ClueSource | None = None


def clue_find_duplicate(
    *,
    bureau: Bureau,
    domain: str,
    entity_id: int | None = None,
    presence_id: int | None = None,
    entity_uscc: str = "",
    presence_label: str = "",
) -> Clue | None:
    """An open clue of the bureau about the same entity or presence in the same domain, if any."""
    cond = Q()
    if entity_id:
        cond |= Q(entity_id=entity_id)
    if presence_id:
        cond |= Q(presence_id=presence_id)
    if entity_uscc:
        cond |= Q(entity_uscc=entity_uscc)
    if presence_label:
        cond |= Q(presence_label=presence_label)
    if not cond:
        return None
    return (
        Clue.objects.filter(bureau=bureau, domain=domain, state__in=OPEN_STATES)
        .filter(cond)
        .order_by("id")
        .first()
    )


def clue_intake(
    *,
    bureau: Bureau,
    source_kind: str,
    domain: str,
    facts: str,
    title: str = "",
    source_ref: str = "",
    entity: Any = None,
    presence: Any = None,
    entity_name: str = "",
    entity_uscc: str = "",
    presence_label: str = "",
    region_code: str = "",
    finder: User | None = None,
    found_on: dt.date | None = None,
    evidence_refs: Iterable[str] = (),
    reporter: Any = None,
    received_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
    dedup: bool = True,
) -> IntakeResult:
    """Take in a clue from any source; any app (monitoring, evidence, 12315, an external system) calls this.

    A report about the same entity/presence and domain as an open clue is attached to that
    clue as another source and not routed twice; otherwise the clue is numbered and routed
    by the duty list (``clue_route``). Each source keeps its own receipt time (``received_at``,
    default now) and its named reporter (``reporter``: a ``platform.intake.Reporter``), who is
    told the outcome whether the source made the clue or joined it.
    """
    if finder is not None:
        permissions.require(finder, CLUE_CREATE)  # the auditor is read-only (the permission table)
    now = now or timezone.now()
    received_at = received_at or now
    if source_kind not in SourceKind.values:
        raise ValidationFailed(f"未知的线索来源：{source_kind}", f"Unknown source kind: {source_kind}")
    if domain not in Domain.values:
        raise ValidationFailed(f"未知的监管领域：{domain}", f"Unknown domain: {domain}")
    facts = _require(facts, "请填写问题描述（线索事实）", "The facts of the clue are required")
    if presence is not None and entity is None:
        entity = getattr(presence, "entity", None)
    if entity is not None:
        entity_name = entity_name or entity.name
        entity_uscc = entity_uscc or entity.uscc
        region_code = region_code or (entity.region_code or "")
    if presence is not None and not presence_label:
        presence_label = str(presence)
    # 统一社会信用代码 as typed or pasted: full-width letters, spaces and hyphens folded (GB 32100-2015)
    entity_uscc = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", entity_uscc)).upper()
    presence_label = presence_label.strip()
    with transaction.atomic(), acting(finder, via="clues"):
        if dedup:
            existing = clue_find_duplicate(
                bureau=bureau,
                domain=domain,
                entity_id=getattr(entity, "pk", None),
                presence_id=getattr(presence, "pk", None),
                entity_uscc=entity_uscc,
                # a shop's name is the key only when the registry does not know the shop
                presence_label=presence_label if presence is None else "",
            )
            if existing is not None:
                source = ClueSource.objects.create(
                    clue=existing,
                    kind=source_kind,
                    ref=source_ref,
                    facts=facts,
                    evidence_refs=list(evidence_refs),
                    finder=finder,
                    received_at=received_at,
                    **_reporter_fields(reporter),
                )
                why = (
                    f"与在办线索 {existing.number} 涉及同一主体/网店且同属“{Domain(domain).label}”，"
                    f"作为新的来源并入，不重复分派。"
                )
                _record(existing, Action.ADD_SOURCE, finder, from_state=existing.state, comment=why, now=now)
                _link_evidence(existing, source.evidence_refs, finder)
                if finder is not None and existing.finder_id != finder.pk:
                    existing.shared_with.add(finder)
                return IntakeResult(existing, False, None, why, source)
        issued = number_issue(bureau=bureau, kind="clue", user=finder, now=now)
        clue = Clue.objects.create(
            bureau=bureau,
            number=issued.number,
            year=issued.year,
            seq=issued.seq,
            title=(title or f"{entity_name or presence_label or '未知主体'}：{Domain(domain).label}")[:200],
            source_kind=source_kind,
            source_ref=source_ref,
            domain=domain,
            entity=entity,
            presence=presence,
            entity_name=entity_name,
            entity_uscc=entity_uscc,
            presence_label=presence_label,
            region_code=region_code,
            facts=facts,
            finder=finder,
            found_on=found_on or timezone.localtime(received_at).date(),
        )
        number_attach(issued=issued, subject=clue)
        source = ClueSource.objects.create(
            clue=clue,
            kind=source_kind,
            ref=source_ref,
            facts=facts,
            evidence_refs=list(evidence_refs),
            finder=finder,
            received_at=received_at,
            **_reporter_fields(reporter),
        )
        _record(
            clue, Action.ADD_SOURCE, finder, comment=f"{SourceKind(source_kind).label}：{source_ref}", now=now
        )
        _link_evidence(clue, source.evidence_refs, finder)
        filing_open(clue, now)  # 程序规定 art. 18: from the day it was found, before anyone is assigned
        routing = clue_route(clue=clue, now=now)
    return IntakeResult(clue, True, routing, routing.reason_zh, source)


def _reporter_fields(reporter: Any) -> dict[str, str]:
    if reporter is None:
        return {}
    return {"reporter_name": (reporter.name or "")[:100], "reporter_contact": (reporter.contact or "")[:200]}


def _link_evidence(clue: Clue, refs: list[str], user: User | None) -> int:
    """Link the bureau's evidence captures named ``capture:<id>`` so they are held while the clue is open.

    A reference that names no capture of the bureau stays on the source as text (nothing is lost).
    """
    ids = [int(r.split(":", 1)[1]) for r in refs if r.startswith("capture:") and r.split(":", 1)[1].isdigit()]
    if not ids:
        return 0
    captures = list(EvidenceCapture.objects.filter(pk__in=ids, bureau_id=clue.bureau_id))
    for capture in captures:
        evidence_link(capture=capture, obj=clue, user=user)
    return len(captures)
