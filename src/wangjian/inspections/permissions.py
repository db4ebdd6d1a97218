"""The inspections app's rows of the permission table, registered in ``InspectionsConfig.ready``.

"谁监管、谁检查、谁负责": a department plans and draws its own checks, the office any department's.
The value of the public randomness source is entered by one person and confirmed by a different one
(``services.draws``: the two-person rule is the service's, after the table says yes). Staff read.
"""

from __future__ import annotations

from wangjian.org.choices import Role
from wangjian.org.permissions import EVERY_ROLE, OFFICE, Action

INSPECTION_READ = "inspections.read"
INSPECTION_PLAN = "inspections.plan.manage"
INSPECTION_DRAW = "inspections.draw.run"
INSPECTION_CHECK = "inspections.check.record"

PLANNERS = OFFICE | {Role.DEPARTMENT_HEAD}
# Who may be drawn as an inspector (staff of departments and stations with a certificate) and the office;
# the service then admits only the inspectors the draw assigned to the object ("谁检查、谁负责") and the office.
CHECKERS = OFFICE | {Role.DEPARTMENT_HEAD, Role.OFFICER, Role.STATION_OFFICER}

ACTIONS = (
    Action(
        INSPECTION_READ,
        "查看双随机抽查事项、计划、抽取和结果",
        "read the random-inspection items, plans, draws and results",
        EVERY_ROLE,
        reads=True,
    ),
    Action(
        INSPECTION_PLAN,
        "管理抽查事项清单、回避关系和抽查计划，公布计划和公示结果",
        "manage the inspection item list, recusal relations and plans; publish plans and results",
        PLANNERS,
    ),
    Action(
        INSPECTION_DRAW,
        "公布抽取要素、录入和复核随机源数值、抽取、重新抽取",
        "publish a draw's inputs, enter and confirm the randomness value, draw, re-draw",
        PLANNERS,
    ),
    Action(
        INSPECTION_CHECK,
        "对抽中的主体进行线上检查、填写检查记录、记录抽查结果（限抽中的检查人员和办公室）",
        "check a drawn object online, write the inspection record, record its results "
        "(the inspectors drawn for it and the office)",
        CHECKERS,
    ),
)
