"""The registry's rows of the permission table (``org.permissions``), registered in ``RegistryConfig.ready``.

Each row is for the user's own bureau (``registry.selectors``); the auditor reads the registry
with personal data masked and changes nothing.
"""

from __future__ import annotations

from wangjian.org.choices import Role
from wangjian.org.permissions import OFFICE, Action

REGISTRY_IMPORT = "registry.import"
REGISTRY_REVIEW = "registry.review"
PERSONAL_DATA_READ = "registry.personal.read"
CORRECTION_APPROVE = "registry.correction.approve"
# The licensing departments' permit data (食品/药品/医疗器械许可和备案) against which a sweep checks 亮证.
PERMIT_IMPORT = "registry.permit.import"
# Estimating the seller-matching weights from the bureau's data and choosing its thresholds: they decide
# which sellers are linked without an officer, so the office and department heads set them.
LINKAGE_TUNE = "registry.linkage.tune"

ACTIONS = (
    Action(
        REGISTRY_IMPORT,
        "导入登记主体和平台报送的经营者名单",
        "import the registry and platforms' seller lists",
        OFFICE | {Role.DEPARTMENT_HEAD, Role.OFFICER},
    ),
    Action(
        PERMIT_IMPORT,
        "导入许可证和备案数据（亮证核验的依据）",
        "import the permit and filing data that permit display checks verify against",
        OFFICE | {Role.DEPARTMENT_HEAD, Role.OFFICER},
    ),
    Action(
        REGISTRY_REVIEW,
        "确认匹配结果、转为线索、提出数据更正",
        "review seller matches, turn them into clues, request corrections",
        OFFICE | {Role.DEPARTMENT_HEAD, Role.OFFICER, Role.STATION_OFFICER},
    ),
    Action(
        LINKAGE_TUNE,
        "估计匹配权重、设置自动关联和待人工确认的阈值",
        "estimate the seller-matching weights and set the thresholds for automatic links and review",
        OFFICE | {Role.DEPARTMENT_HEAD},
    ),
    Action(
        PERSONAL_DATA_READ,
        "查看主体的完整个人信息（法定代表人、电话；说明理由并记录，个人信息保护法第六条）",
        "read an entity's legal representative and phone unmasked (a reason given and logged)",
        OFFICE | {Role.DEPARTMENT_HEAD, Role.OFFICER, Role.STATION_OFFICER},
        reads=True,
    ),
    Action(
        CORRECTION_APPROVE,
        "批准或驳回数据更正（不得批准本人提出的更正）",
        "approve or reject a correction (never one's own)",
        frozenset({Role.DEPARTMENT_HEAD}),
    ),
)
