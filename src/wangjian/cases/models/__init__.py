"""The case file: the case and its officers, history and documents (``case``), its joint group (``groups``),
and what its decision is measured against and followed by (``aftercare``)."""

from wangjian.cases.models.aftercare import (
    DECISION_FALLS,
    CaseMeasure,
    CaseRemedy,
    Circumstance,
    DiscretionBenchmark,
    MeasureKind,
    RemedyKind,
    RemedyOutcome,
)
from wangjian.cases.models.case import Case, CaseDocument, CaseEvent, CaseOfficer, CaseSettings
from wangjian.cases.models.groups import (
    GroupMember,
    GroupReason,
    GroupTask,
    JointGroup,
    JournalEntry,
    MemberRole,
    TaskState,
)

__all__ = [
    "DECISION_FALLS",
    "Case",
    "CaseDocument",
    "CaseEvent",
    "CaseMeasure",
    "CaseOfficer",
    "CaseRemedy",
    "CaseSettings",
    "Circumstance",
    "DiscretionBenchmark",
    "GroupMember",
    "GroupReason",
    "GroupTask",
    "JointGroup",
    "JournalEntry",
    "MeasureKind",
    "MemberRole",
    "RemedyKind",
    "RemedyOutcome",
    "TaskState",
]
