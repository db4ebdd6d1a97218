"""The clue loop's clocks: work rules of the seeds, entered in the platform's catalogue.

The seed (旌德机制二(四)) says "各办案机构收到核查任务后7个工作日内反馈核查情况；处置完成后报送处置
结果": the feedback clock is a work rule a bureau may set, per source kind if it wishes (its 12315
clues may be quicker); the disposal clock has no length in the seed and takes the 15 working days
of 程序规定 art. 18 by default.
"""

from __future__ import annotations

from wangjian.core.clocks import Unit
from wangjian.platform.clocks import catalogue
from wangjian.platform.clocks.catalogue import ClockKind, Lock
from wangjian.platform.intake.choices import SourceKind

FEEDBACK = "clue.feedback"
DISPOSAL = "clue.disposal"

DEFAULT_FEEDBACK_BASIS = (
    "默认规则：收到核查任务后{n}个工作日内反馈核查情况（参照《旌德县市场监督管理局建立线上线下一体化监管工作机制》"
    "（旌市场办〔2022〕116号）二(四)“各办案机构收到核查任务后7个工作日内反馈核查情况”；本局可在“时限规则”中设置本局依据）"
)
DEFAULT_DISPOSAL_BASIS = (
    "默认规则：反馈核查情况后{n}个工作日内报送处置结果（机制二(四)“处置完成后报送处置结果”未定期限，"
    "参照《市场监督管理行政处罚程序规定》第十八条核查期限；本局可在“时限规则”中设置）"
)

KINDS = (
    ClockKind(
        FEEDBACK,
        "线索核查反馈",
        7,
        Unit.WORKING_DAYS,
        DEFAULT_FEEDBACK_BASIS,
        Lock.WORK_RULE,
        "分派",
        variants=tuple(SourceKind.choices),
    ),
    ClockKind(
        DISPOSAL,
        "报送线索处置结果",
        15,
        Unit.WORKING_DAYS,
        DEFAULT_DISPOSAL_BASIS,
        Lock.WORK_RULE,
        "反馈",
        variants=tuple(SourceKind.choices),
    ),
)


def register() -> None:
    for kind in KINDS:
        catalogue.register(kind)
