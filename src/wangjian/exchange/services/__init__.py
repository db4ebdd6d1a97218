"""The exchange's writes: partners and agreements, sending, receiving (see each module)."""

from wangjian.exchange.services.incoming import Answer, message_receive
from wangjian.exchange.services.outgoing import (
    deliver_due,
    message_deliver,
    message_file,
    message_resend,
    message_review,
    message_send,
    receipt_import,
)
from wangjian.exchange.services.partners import (
    agreement_problem,
    agreement_save,
    keys_fetch,
    partner_save,
    published_keys,
)

__all__ = [
    "Answer",
    "agreement_problem",
    "agreement_save",
    "deliver_due",
    "keys_fetch",
    "message_deliver",
    "message_file",
    "message_receive",
    "message_resend",
    "message_review",
    "message_send",
    "partner_save",
    "published_keys",
    "receipt_import",
]
