"""Controlled vocabularies of 协查 (assistance between bureaus) and 内部协作 (requests inside a bureau)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssistanceState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SENT = "sent", _("已发出（待接收）")
    ACCEPTED = "accepted", _("协查中")
    ANSWERED = "answered", _("已答复（待确认）")
    CLOSED = "closed", _("已办结")
    REFUSED = "refused", _("已拒绝协查")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_ASSISTANCE = (AssistanceState.SENT, AssistanceState.ACCEPTED)  # the receiving bureau owes the answer


class AssistanceAction(models.TextChoices):
    CREATE = "create", _("起草协查请求")
    SEND = "send", _("发出协查函")
    WITHDRAW = "withdraw", _("撤回协查请求")
    ACCEPT = "accept", _("接收并分派")
    REFUSE = "refuse", _("拒绝协查")
    EXTEND = "extend", _("延期完成")
    ANSWER = "answer", _("答复协查")
    CLOSE = "close", _("确认办结")
    RETURN = "return", _("退回补充协查")
    RECEIVE = "receive", _("收到外局协查函")
    OVERDUE = "overdue", _("逾期未答复")
    ESCALATE = "escalate", _("督办")
    ESCALATE_GROUP = "escalate_group", _("领导小组督办")
    ESCALATION_ANSWER = "escalation_answer", _("答复督办")


class Direction(models.TextChoices):
    SENT = "sent", _("本局发出")
    RECEIVED = "received", _("本局收到")


class InternalKind(models.TextChoices):
    CHECK = "check", _("网上检查")
    CAPTURE = "capture", _("电子数据取证")


class InternalState(models.TextChoices):
    OPEN = "open", _("待办理")
    IN_PROGRESS = "in_progress", _("办理中")
    DONE = "done", _("已办结")
    CANCELLED = "cancelled", _("已撤销")


OPEN_INTERNAL = (InternalState.OPEN, InternalState.IN_PROGRESS)


class InternalAction(models.TextChoices):
    CREATE = "create", _("提出协作请求")
    ACCEPT = "accept", _("接收并指定承办人")
    CAPTURE = "capture", _("取证并办结")
    LINK_CAPTURE = "link_capture", _("关联已有取证并办结")
    RESULT = "result", _("登记核查结果并办结")
    CANCEL = "cancel", _("撤销请求")
    OVERDUE = "overdue", _("逾期未办结")
    ESCALATE = "escalate", _("督办")
    ESCALATE_GROUP = "escalate_group", _("领导小组督办")
    ESCALATION_ANSWER = "escalation_answer", _("答复督办")
