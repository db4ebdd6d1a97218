"""Controlled vocabularies of the clue loop (涉网问题线索闭环处置), in the terms of the seeds."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wangjian.platform.intake.choices import SourceKind

__all__ = ["SourceKind"]  # where leads come from: the intake port's vocabulary, shared with every source


class ClueState(models.TextChoices):
    PENDING = "pending", _("待分派")
    ASSIGNED = "assigned", _("已分派")
    CHECKING = "checking", _("核查中")
    FED_BACK = "fed_back", _("已反馈")
    DISPOSING = "disposing", _("处置中")
    CLOSED = "closed", _("已办结")
    RETURNED = "returned", _("已退回")
    TRANSFERRED = "transferred", _("已移交外局")
    MERGED = "merged", _("已合并")


# States in which the clue still waits for someone; the rest are finished for this bureau.
OPEN_STATES = (
    ClueState.PENDING,
    ClueState.ASSIGNED,
    ClueState.CHECKING,
    ClueState.FED_BACK,
    ClueState.DISPOSING,
    ClueState.RETURNED,
)
# States in which the unit owes its check feedback (7 working days, 旌德机制二(四)).
AWAITING_FEEDBACK = (ClueState.ASSIGNED, ClueState.CHECKING)
# States in which the unit owes its disposal result ("处置完成后报送处置结果").
AWAITING_DISPOSAL = (ClueState.FED_BACK, ClueState.DISPOSING)


class CheckResult(models.TextChoices):
    """The unit's check result (核查结论)."""

    TRUE = "true", _("属实")
    PARTLY = "partly", _("部分属实")
    FALSE = "false", _("不属实")
    UNVERIFIABLE = "unverifiable", _("无法核实")


class Disposal(models.TextChoices):
    """The disposal result (处置结果)."""

    RECTIFY = "rectify", _("责令整改")
    GUIDANCE = "guidance", _("行政指导/约谈")
    CASE = "case", _("立案查处")
    REFER = "refer", _("移送")
    NO_ACTION = "no_action", _("不予处理")


class ReferKind(models.TextChoices):
    AUTHORITY = "authority", _("其他行政机关")
    POLICE = "police", _("公安机关（涉嫌犯罪）")


class Action(models.TextChoices):
    """Every step a clue can take; ``services.TRANSITIONS`` says from where, to where and by whom."""

    ROUTE = "route", _("自动分派")
    ASSIGN = "assign", _("分派")
    OVERRIDE = "override", _("改派")
    ACCEPT = "accept", _("接收核查")
    FEEDBACK = "feedback", _("反馈核查情况")
    START_DISPOSAL = "start_disposal", _("开始处置")
    CLOSE = "close", _("办结")
    RETURN = "return", _("退回")
    TRANSFER = "transfer", _("移交外局")
    ESCALATE = "escalate", _("督办")
    ESCALATE_GROUP = "escalate_group", _("提请领导小组督办")
    ANSWER = "answer", _("答复督办")
    MERGE = "merge", _("合并")
    SPLIT = "split", _("拆分")
    ADD_SOURCE = "add_source", _("追加来源")
    SHARE = "share", _("共享")
    OVERDUE = "overdue", _("标记逾期")
    FILING_STOP = "filing_stop", _("登记不计入期间")
    FILING_RESUME = "filing_resume", _("不计入期间结束")
    FILING_EXTEND = "filing_extend", _("延长立案核查期限")
    FILE_CASE = "file_case", _("立案")
    NOT_FILED = "not_filed", _("不予立案")


class Party(models.TextChoices):
    """Who may take a step (the roles of the mechanism, not the user's role field alone)."""

    OFFICE = "office", _("领导小组办公室")
    UNIT = "unit", _("承办单位人员")
    HEAD = "head", _("承办科室负责人")
    LEADING_GROUP = "leading_group", _("领导小组")
    BUREAU_HEAD = "bureau_head", _("局负责人")
