"""The exchange's rows of the permission table, registered in ``ExchangeConfig.ready``.

The office keeps the partners and their agreements and reviews what an agreement asks to be reviewed before it
leaves; the office and department heads read their bureau's messages. Sending an item is the owning app's step
(a clue's transfer is the clue's), checked by that app; a message received needs no user: its signature is its
authority, checked against the partner's published key.
"""

from __future__ import annotations

from wangjian.org.choices import Role
from wangjian.org.permissions import OFFICE, Action

PARTNER_MANAGE = "exchange.partner.manage"
MESSAGE_READ = "exchange.message.read"
MESSAGE_REVIEW = "exchange.message.review"

READERS = OFFICE | {Role.DEPARTMENT_HEAD, Role.LEADING_GROUP, Role.AUDITOR}

ACTIONS = (
    Action(
        PARTNER_MANAGE,
        "管理跨实例协作单位及协作协议（公钥、接收地址、协作范围）",
        "keep the partner bureaus on other instances and their agreements (keys, endpoint, scope)",
        OFFICE,
    ),
    Action(
        MESSAGE_READ,
        "查看本局与协作单位往来的报文、回执和收到的证据包",
        "read the bureau's messages with partner bureaus, their receipts and received evidence packages",
        READERS,
        reads=True,
    ),
    Action(
        MESSAGE_REVIEW,
        "审核须审核后发送的报文，导入报文或回执文件，重新发送失败的报文",
        "review messages an agreement holds for review, import message or receipt files, resend failed ones",
        OFFICE,
    ),
)
