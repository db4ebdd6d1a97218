"""The intake port (线索受理端口): one service receives a lead from any source and hands it to the clue loop.

A source — a monitoring finding, a licence check, a seller with no registered entity, and next
a complaint, a random inspection or a message from another bureau — describes what it saw in
natural keys only (the bureau's division code, the entity's USCC, the presence's address, the
evidence's digest), never database ids, so that the same lead can come from another system or
another instance. ``lead_submit`` checks what every lead needs and passes it to the receiver the
clue loop registered at start-up (``register_receiver``); the answer says which clue it became,
whether it was new or merged into an open clue about the same matter, and why.

Each source keeps its own receipt date and its own duty to answer: a named reporter (举报人) of
a merged lead is still told the outcome (投诉举报处理暂行办法 art. 31).
"""

from __future__ import annotations

from wangjian.platform.intake.port import (
    Lead,
    LeadReceipt,
    Reporter,
    lead_submit,
    lead_url,
    receiver_registered,
    register_receiver,
)

__all__ = [
    "Lead",
    "LeadReceipt",
    "Reporter",
    "lead_submit",
    "lead_url",
    "receiver_registered",
    "register_receiver",
]
