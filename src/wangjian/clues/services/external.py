"""Transfer to a bureau on another instance (跨实例移送): the clue and its evidence packages as one signed message.

The step is the clue's TRANSFER, as inside one instance, with the same reason required and the same clocks
ended; what leaves is a message of the exchange (``exchange.services.message_send``): the clue in natural keys,
the reporter masked unless the agreement allows personal data, and each capture the clue rests on as the
evidence app's signed WACZ package, which the partner verifies against this bureau's published key on
arrival. The captures stay here, in this bureau's store and ledger; the ledger records each package sent (only
this bureau's own captures travel: a package is signed by the bureau that made it, and the partner holds this
bureau's key).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from wangjian.clues.choices import Action
from wangjian.clues.models import Clue, ClueEvent
from wangjian.clues.selectors import clue_captures
from wangjian.clues.services.duties import _duty_end
from wangjian.clues.services.filing import filing_end
from wangjian.clues.services.steps import _step
from wangjian.clues.services.transitions import _require, transition_check
from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed, WangjianError
from wangjian.evidence.choices import CaptureStatus
from wangjian.evidence.services import evidence_export
from wangjian.exchange import bundle
from wangjian.exchange.leads import CLUE
from wangjian.exchange.models import Category, Message, Partner
from wangjian.exchange.services import agreement_problem, message_send
from wangjian.exchange.services.incoming import WACZ
from wangjian.org.models import User
from wangjian.platform.workitems.models import WorkItemState


def clue_body(clue: Clue, reason: str) -> dict:
    """The clue in natural keys only: what the partner's intake port needs, never an id of this database."""
    presence = clue.presence
    source = clue.sources.exclude(reporter_name="").order_by("received_at").first()
    return {
        "number": clue.number,
        "title": clue.title,
        "domain": clue.domain,
        "facts": clue.facts,
        "reason": reason,
        "found_on": clue.found_on.isoformat() if clue.found_on else "",
        "entity_uscc": clue.entity_uscc or (clue.entity.uscc if clue.entity_id else ""),
        "entity_name": clue.entity_name or (clue.entity.name if clue.entity_id else ""),
        "presence_url": presence.url if presence else "",
        "platform": presence.platform.name if presence and presence.platform_id else "",
        "account_id": presence.account_id if presence else "",
        "presence_label": clue.presence_label,
        "reporter": {"name": source.reporter_name, "contact": source.reporter_contact} if source else {},
    }


def clue_transfer_external(
    *,
    clue: Clue,
    user: User,
    partner: Partner,
    reason: str,
    now: dt.datetime | None = None,
    deliver: bool = True,
) -> tuple[ClueEvent, Message]:
    """Send the clue with its evidence to ``partner`` and close this side's clocks (移送外省/外地协作单位)."""
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.TRANSFER)
    reason = _require(reason, "移送必须说明理由", "A reason is required to transfer")
    if partner.bureau_id != clue.bureau_id:
        raise ValidationFailed(
            f"{partner}不是{clue.bureau}的协作单位", f"{partner.code} is not a partner of {clue.bureau.code}"
        )
    problem = agreement_problem(partner, Category.ENFORCEMENT, on=timezone.localdate(now))
    if problem:
        raise WangjianError(*problem, code="agreement")
    captures = list(clue_captures(clue))
    # a package is signed by the bureau that made the capture; the partner holds this bureau's key
    sent = [c for c in captures if c.status == CaptureStatus.OK and c.bureau_id == clue.bureau_id]
    with transaction.atomic(), acting(user, via="clues", reason=reason):
        attachments = [
            bundle.Attachment(
                f"capture-{c.pk}-{c.metadata_sha256[:12]}.wacz",
                evidence_export(capture=c, user=user, reason=f"随线索 {clue.number} 移送{partner}"),
                WACZ,
            )
            for c in sent
        ]
        message = message_send(
            bureau=clue.bureau,
            partner=partner,
            kind=CLUE,
            body=clue_body(clue, reason),
            user=user,
            attachments=attachments,
            now=now,
            deliver=deliver,
        )
        clue.feedback_due = None
        clue.feedback_overdue = False
        _duty_end(clue, user=user, result=f"移送{partner}：{reason}", state=WorkItemState.CANCELLED, now=now)
        filing_end(clue, user=user, result=f"移送{partner}", state=WorkItemState.CANCELLED, now=now)
        left = len(captures) - len(sent)
        note = f"；{left} 条取证失败或为他局取证，未随附" if left else ""
        event = _step(
            clue,
            user,
            Action.TRANSFER,
            f"{reason}（跨实例移送，证据包 {len(attachments)} 个{note}）",
            now,
            to_bureau=str(partner),
            message=message.message_id,
            captures=[c.pk for c in sent],
        )
    return event, message
