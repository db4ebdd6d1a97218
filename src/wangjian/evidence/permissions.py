"""Evidence's rows of the permission table (``org.permissions``), registered in ``EvidenceConfig.ready``."""

from __future__ import annotations

from wangjian.org.choices import Role
from wangjian.org.permissions import OFFICE, Action

EVIDENCE_CAPTURE = "evidence.capture"

ACTIONS = (
    Action(
        EVIDENCE_CAPTURE,
        "网页取证（电子数据取证）",
        "capture a web page as evidence",
        OFFICE | {Role.DEPARTMENT_HEAD, Role.OFFICER, Role.STATION_OFFICER, Role.LEGAL_REVIEWER},
    ),
)
