"""The assist app's rows of the permission table, registered in ``AssistConfig.ready``.

Every member of staff reads the requests of their bureaus; taking part (drafting, sending, accepting,
answering, closing; asking the network unit and answering it) is for the staff who act. Which step each may
take is the transition tables' (``services.transitions``): the requesting unit and the office on one side, the
receiving bureau's office and the unit it assigned on the other.
"""

from __future__ import annotations

from wangjian.org.permissions import EVERY_ROLE, STAFF_WHO_ACT, Action

ASSIST_READ = "assist.request.read"
ASSIST_ACT = "assist.request.act"
INTERNAL_READ = "assist.internal.read"
INTERNAL_ACT = "assist.internal.act"

ACTIONS = (
    Action(
        ASSIST_READ,
        "查看协查请求（本局发出和收到的）",
        "read the assistance requests a bureau sent and received",
        EVERY_ROLE,
        reads=True,
    ),
    Action(
        ASSIST_ACT,
        "办理协查请求（起草、发出、接收、延期、答复、确认办结，各步按流转表）",
        "take a step of an assistance request (draft, send, accept, extend, answer, close; each as the table says)",
        STAFF_WHO_ACT,
    ),
    Action(
        INTERNAL_READ,
        "查看内部协作请求（业务科室请网络市场监管机构核查、取证）",
        "read the requests of the business departments to the network supervision unit",
        EVERY_ROLE,
        reads=True,
    ),
    Action(
        INTERNAL_ACT,
        "办理内部协作请求（提出、接收、取证、登记结果、撤销，各步按流转表）",
        "take a step of an internal request (ask, accept, capture, record the result, cancel)",
        STAFF_WHO_ACT,
    ),
)
