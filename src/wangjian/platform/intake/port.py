"""The port itself: what a lead is, what its answer is, and the one function every source calls."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from wangjian.core.errors import ValidationFailed, WangjianError
from wangjian.org.choices import Domain
from wangjian.org.models import Bureau, User
from wangjian.platform.intake.choices import SourceKind


@dataclass(frozen=True)
class Reporter:
    """A named reporter (举报人) or complainant, who must be told what became of the lead.

    Personal data: stored masked in lists and logged when shown (the clue loop keeps it).
    """

    name: str
    contact: str = ""


@dataclass(frozen=True)
class Lead:
    """What a source hands to the intake port (线索来源信息): natural keys only, no database ids.

    ``bureau`` is the receiving bureau's GB/T 2260 code; ``entity_uscc`` the entity's 统一社会信用代码;
    a presence is named by its address, or by the platform's name and the shop's account; evidence
    by ``evidence:<SHA-256 of the capture's metadata>``; the finder by user name. ``received`` is
    the day the source received the matter (收到日期), which starts its own clocks.
    """

    bureau: str
    source_kind: str
    source_ref: str
    domain: str
    facts: str
    received: dt.datetime | dt.date | None = None
    title: str = ""
    entity_uscc: str = ""
    entity_name: str = ""
    presence_url: str = ""
    platform: str = ""
    account_id: str = ""
    presence_label: str = ""
    region: str = ""
    evidence: tuple[str, ...] = ()
    reporter: Reporter | None = None
    finder: str = ""
    found_on: dt.date | None = None


@dataclass(frozen=True)
class LeadReceipt:
    """The port's answer: the clue the lead became, whether it was new or merged, and why."""

    number: str
    created: bool
    reason_zh: str
    reason_en: str
    url: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Received:
    """A lead after the port's checks: the bureau and finder resolved, the receipt time fixed."""

    lead: Lead
    bureau: Bureau
    finder: User | None
    received_at: dt.datetime


Receiver = Callable[[Received], LeadReceipt]
UrlFor = Callable[[int, str], str]

_RECEIVER: dict[str, Any] = {}


def register_receiver(receive: Receiver, *, url_for: UrlFor | None = None) -> None:
    """The clue loop registers itself here at start-up (a lower layer never imports the clue loop)."""
    _RECEIVER["receive"] = receive
    _RECEIVER["url_for"] = url_for


def receiver_registered() -> bool:
    return "receive" in _RECEIVER


def lead_url(*, bureau_id: int, number: str) -> str:
    """The page of the clue ``number`` of a bureau, for a source's back-reference ("" if unknown)."""
    url_for = _RECEIVER.get("url_for")
    return url_for(bureau_id, number) if url_for and number else ""


_EVIDENCE_REF = re.compile(r"^evidence:[0-9a-f]{64}$")


def _received_at(value: dt.datetime | dt.date | None, now: dt.datetime) -> dt.datetime:
    if value is None:
        return now
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(dt.datetime.combine(value, dt.time(9, 0)))


def lead_submit(lead: Lead, *, now: dt.datetime | None = None) -> LeadReceipt:
    """Receive ``lead`` for its bureau; the clue loop answers with the clue number and why.

    Refused in both languages, with nothing written, when the bureau is unknown, the source
    kind or domain is not in the vocabulary, the facts are empty, an evidence reference is not
    a natural key, or the receipt date lies in the future.
    """
    now = now or timezone.now()
    if not receiver_registered():
        raise WangjianError(
            "线索闭环未启用，无法受理线索", "The clue loop is not installed: no lead can be received"
        )
    bureau = Bureau.objects.filter(code=(lead.bureau or "").strip()).first()
    if bureau is None:
        raise ValidationFailed(
            f"未知的接收单位（行政区划代码）：{lead.bureau}",
            f"Unknown receiving bureau (division code): {lead.bureau}",
            detail={"bureau": lead.bureau},
        )
    if lead.source_kind not in SourceKind.values:
        raise ValidationFailed(
            f"未知的线索来源：{lead.source_kind}",
            f"Unknown source kind: {lead.source_kind}",
            detail={"source_kind": lead.source_kind},
        )
    if lead.domain not in Domain.values:
        raise ValidationFailed(f"未知的监管领域：{lead.domain}", f"Unknown domain: {lead.domain}")
    if not (lead.facts or "").strip():
        raise ValidationFailed("请填写问题描述（线索事实）", "The facts of the clue are required")
    bad = [ref for ref in lead.evidence if not _EVIDENCE_REF.match(ref)]
    if bad:
        raise ValidationFailed(
            f"证据引用应为 evidence:<SHA-256>：{bad[0]}",
            f"An evidence reference must be evidence:<SHA-256>: {bad[0]}",
            detail={"evidence": bad},
        )
    received_at = _received_at(lead.received, now)
    if received_at > now + dt.timedelta(minutes=5):
        raise ValidationFailed(
            f"收到日期不能晚于现在：{received_at:%Y-%m-%d}",
            f"The receipt date lies in the future: {received_at:%Y-%m-%d}",
        )
    finder = User.objects.filter(username=lead.finder).first() if lead.finder else None
    return _RECEIVER["receive"](Received(lead, bureau, finder, received_at))
