"""The risk app's rows of the permission table, registered in ``RiskConfig.ready``.

Every member of staff reads the grades and their reasons (a station checking an entity needs to know why it
is 重点监控); the office (领导小组办公室) sets the grading rules and imports the province's credit-risk classes,
as 旌德 mechanism 二(七) gives the grading to it.
"""

from __future__ import annotations

from wangjian.org.permissions import EVERY_ROLE, OFFICE, Action

GRADE_READ = "risk.grade.read"
SETTINGS_MANAGE = "risk.settings.manage"
IMPORT_RUN = "risk.import.run"

ACTIONS = (
    Action(GRADE_READ, "查看风险等级及理由", "read risk grades with their reasons", EVERY_ROLE, reads=True),
    Action(
        SETTINGS_MANAGE,
        "设置风险分级规则（权重、分数线、重点监控措施）并重新评定",
        "set the grading rules (weights, thresholds, treatment of 重点监控) and regrade",
        OFFICE,
    ),
    Action(
        IMPORT_RUN,
        "导入企业信用风险分类结果",
        "import the province's credit-risk classes",
        OFFICE,
    ),
)
