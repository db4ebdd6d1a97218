"""The clue loop's side of the intake port: a lead in natural keys becomes a clue (or joins an open one).

``platform.intake.lead_submit`` checks what every lead needs and calls ``lead_receive``
(registered in ``CluesConfig.ready``). Here the natural keys are looked up in the receiving
bureau's registry and evidence store — a key that names nothing there stays on the clue as
text, so nothing the source said is lost — and ``services.clue_intake`` numbers, deduplicates
and routes the clue.
"""

from __future__ import annotations

from django.urls import reverse

from wangjian.clues import services
from wangjian.clues.models import Clue
from wangjian.evidence.models import EvidenceCapture
from wangjian.platform.intake import LeadReceipt
from wangjian.platform.intake.port import Received
from wangjian.registry.models import MarketEntity, Presence


def _presence(received: Received) -> Presence | None:
    lead, bureau = received.lead, received.bureau
    if lead.platform and lead.account_id:
        found = Presence.objects.filter(
            bureau=bureau, platform__name=lead.platform, account_id=lead.account_id
        ).first()
        if found is not None:
            return found
    if lead.presence_url:
        return Presence.objects.filter(bureau=bureau, url=lead.presence_url).order_by("id").first()
    return None


def _evidence_refs(received: Received) -> list[str]:
    """``evidence:<digest>`` as the source gave it, and the bureau's capture it names for the hold."""
    digests = [ref.split(":", 1)[1] for ref in received.lead.evidence]
    found = dict(
        EvidenceCapture.objects.filter(bureau=received.bureau, metadata_sha256__in=digests).values_list(
            "metadata_sha256", "pk"
        )
    )
    refs = []
    for digest in digests:
        refs.append(f"evidence:{digest}")
        if digest in found:
            refs.append(f"capture:{found[digest]}")
    return refs


def lead_receive(received: Received) -> LeadReceipt:
    lead, bureau = received.lead, received.bureau
    presence = _presence(received)
    entity = None
    if lead.entity_uscc:
        entity = MarketEntity.objects.filter(bureau=bureau, uscc=lead.entity_uscc.strip().upper()).first()
    result = services.clue_intake(
        bureau=bureau,
        source_kind=lead.source_kind,
        source_ref=lead.source_ref,
        domain=lead.domain,
        facts=lead.facts,
        title=lead.title,
        entity=entity,
        presence=presence,
        entity_name=lead.entity_name,
        entity_uscc=lead.entity_uscc,
        presence_label=lead.presence_label or (lead.presence_url if presence is None else ""),
        region_code=lead.region,
        finder=received.finder,
        found_on=lead.found_on,
        evidence_refs=_evidence_refs(received),
        reporter=lead.reporter,
        now=received.received_at,
    )
    clue = result.clue
    reason_en = (
        f"Routed: {result.routing.reason_en}"
        if result.created and result.routing
        else f"Joined the open clue {clue.number} about the same entity or shop in the same domain."
    )
    return LeadReceipt(
        number=clue.number,
        created=result.created,
        reason_zh=result.reason_zh,
        reason_en=reason_en,
        url=clue.get_absolute_url(),
        detail={"source": result.source.pk if result.source else None, "clue": clue.pk},
    )


def clue_url(bureau_id: int, number: str) -> str:
    clue = Clue.objects.filter(bureau_id=bureau_id, number=number).only("pk").first()
    return reverse("clues:clue", args=[clue.pk]) if clue else ""
