"""A clue sent by a partner bureau (线索移送, 证据移转) becomes a lead of the intake port, like every other source.

The exchange knows no clue: it hands the intake port a ``Lead`` in natural keys — the partner's clue number as
the source reference, the facts with the reason for sending and where it came from, the entity's USCC and the
shop — and links the verified evidence packages that came with it to the clue the port answers with. The
receiving bureau's clocks start on the day the message arrived (the material's receipt).
"""

from __future__ import annotations

from django.utils import timezone

from wangjian.core.errors import ValidationFailed
from wangjian.exchange import kinds
from wangjian.exchange.models import Category
from wangjian.platform.intake import lead_submit
from wangjian.platform.intake.choices import SourceKind
from wangjian.platform.intake.port import Lead, Reporter

CLUE = "clue"


def _text(body: dict, key: str, limit: int = 2000) -> str:
    value = body.get(key, "")
    return str(value).strip()[:limit] if value is not None else ""


def receive_clue(incoming: kinds.Incoming) -> kinds.Result:
    body, partner, message = incoming.body, incoming.partner, incoming.message
    facts = _text(body, "facts", 20000)
    if not facts:
        raise ValidationFailed("移送的线索没有问题描述", "The clue sent has no facts")
    reason = _text(body, "reason", 1000)
    packages = "、".join(p.name for p in incoming.packages)
    facts = (
        f"{facts}\n\n【移送理由】{reason or '（未写明）'}\n"
        f"【来源】{partner.name}（{partner.code}）线索 {_text(body, 'number', 40)}，"
        f"跨实例报文 {message.message_id}，签名已核验"
        + (f"；随附证据包 {len(incoming.packages)} 个（{packages}），均已验签" if incoming.packages else "")
    )
    reporter = body.get("reporter") if isinstance(body.get("reporter"), dict) else None
    if reporter and ("*" in str(reporter.get("name", "")) or "*" in str(reporter.get("contact", ""))):
        reporter = None  # masked under the agreement: nobody here could answer the person
    receipt = lead_submit(
        Lead(
            bureau=incoming.bureau.code,
            source_kind=SourceKind.TRANSFER,
            source_ref=f"{partner.code}/{_text(body, 'number', 40) or message.message_id}"[:100],
            domain=_text(body, "domain", 40),
            facts=facts,
            title=_text(body, "title", 200),
            received=timezone.now(),
            entity_uscc=_text(body, "entity_uscc", 18),
            entity_name=_text(body, "entity_name", 200),
            presence_url=_text(body, "presence_url", 2000),
            platform=_text(body, "platform", 100),
            account_id=_text(body, "account_id", 200),
            presence_label=_text(body, "presence_label", 300),
            reporter=Reporter(str(reporter.get("name", ""))[:100], str(reporter.get("contact", ""))[:100])
            if reporter and reporter.get("name")
            else None,
            found_on=timezone.localdate(),
        )
    )
    clue_id = (receipt.detail or {}).get("clue")
    return kinds.Result(
        label=f"线索 {receipt.number}",
        url=receipt.url,
        ref={"clue_number": receipt.number, "created": receipt.created},
        linked_model="clues.clue" if clue_id else "",
        linked_id=clue_id,
    )


def register() -> None:
    kinds.register(
        kinds.Kind(CLUE, "线索移送（含证据包）", Category.ENFORCEMENT, receive_clue, personal=("reporter",))
    )
