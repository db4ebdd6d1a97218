"""The clue loop's rows of the permission table (``org.permissions``), registered in ``CluesConfig.ready``.

Which step of a clue a member of staff may take is the transition table's (``services.transitions``:
office, unit, head, leading group); the row ``clues.clue.act`` only says who takes part in the loop at all.
"""

from __future__ import annotations

from wangjian.org.choices import Role
from wangjian.org.permissions import OFFICE, STAFF_WHO_ACT, Action

CLUE_CREATE = "clues.clue.create"
CLUE_ACT = "clues.clue.act"
CLUE_OVERVIEW = "clues.overview.read"

ACTIONS = (
    Action(
        CLUE_CREATE,
        "登记线索",
        "register a clue",
        STAFF_WHO_ACT,
    ),
    Action(
        CLUE_ACT,
        "办理线索（分派、核查反馈、处置、督办、合并等，各步按流转表）",
        "take a step of a clue (assign, feed back, dispose, escalate, merge …; each step as the transition table says)",
        STAFF_WHO_ACT,
    ),
    Action(
        CLUE_OVERVIEW,
        "查看办公室总览和线索月度统计",
        "read the office overview and the monthly clue statistics",
        OFFICE | {Role.LEADING_GROUP, Role.AUDITOR},
        reads=True,
    ),
)
