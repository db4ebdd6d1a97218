"""Controlled vocabularies of enforcement cases (涉网违法行为执法办案), in the procedure's terms.

The states follow 市场监督管理行政处罚程序规定 (2022): 立案 (art. 20), 调查取证, 调查终结 (art. 52),
核审 (art. 55) and 法制审核 (art. 56 for major decisions), 告知 (art. 57), 听证, 集体讨论 (art. 60),
决定 (art. 62), 送达 (art. 81), 执行, 结案 (art. 77).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wangjian.platform.intake.choices import SourceKind

__all__ = ["SourceKind"]


class CaseState(models.TextChoices):
    DRAFT = "draft", _("拟立案（审批表待提交）")
    PENDING = "pending", _("待负责人审批")
    NOT_FILED = "not_filed", _("不予立案")
    INVESTIGATING = "investigating", _("调查取证")
    INVESTIGATED = "investigated", _("调查终结")
    REVIEWING = "reviewing", _("核审")
    LEGAL_REVIEW = "legal_review", _("法制审核")
    READY = "ready", _("审核完毕（待告知或决定）")
    NOTIFIED = "notified", _("已告知（陈述申辩期）")
    HEARING = "hearing", _("听证")
    DISCUSSION = "discussion", _("集体讨论")
    DECIDED = "decided", _("已作出决定")
    SERVED = "served", _("已送达（执行中）")
    EXECUTED = "executed", _("执行完毕")
    CLOSED = "closed", _("已结案")
    TRANSFERRED = "transferred", _("已移送")
    WITHDRAWN = "withdrawn", _("已撤销立案")


# Filed and not yet ended: the decision clock (90 days, art. 64) runs in these until the decision.
BEFORE_DECISION = (
    CaseState.INVESTIGATING,
    CaseState.INVESTIGATED,
    CaseState.REVIEWING,
    CaseState.LEGAL_REVIEW,
    CaseState.READY,
    CaseState.NOTIFIED,
    CaseState.HEARING,
    CaseState.DISCUSSION,
)
FILED = (*BEFORE_DECISION, CaseState.DECIDED, CaseState.SERVED, CaseState.EXECUTED)
DRAFTING = (CaseState.DRAFT, CaseState.PENDING)
ENDED = (CaseState.NOT_FILED, CaseState.CLOSED, CaseState.TRANSFERRED, CaseState.WITHDRAWN)
# from filing to closing, and after: a joint group's work goes on while the case is handled
AFTER_FILING = (*FILED, CaseState.CLOSED, CaseState.TRANSFERRED)


class Proposal(models.TextChoices):
    """What the 审批表 asks the bureau's head to approve."""

    FILE = "file", _("立案")
    NOT_FILE = "not_file", _("不予立案")


class Procedure(models.TextChoices):
    GENERAL = "general", _("普通程序")
    SIMPLE = "simple", _("简易程序（当场处罚）")


class PartyKind(models.TextChoices):
    """The party's kind decides the hearing and simple-procedure thresholds (行政处罚法 arts. 51, 63)."""

    ORGANISATION = "organisation", _("法人或其他组织")
    PERSON = "person", _("自然人（含个体工商户经营者）")


class Jurisdiction(models.TextChoices):
    """The ground of jurisdiction (管辖) checked on opening (程序规定 arts. 6–10)."""

    DOMICILE = "domicile", _("住所地（平台经营者、自建网站或其他网络服务经营者）")
    ACTUAL_PLACE = "actual_place", _("实际经营地（平台内经营者）")
    PLATFORM_FIRST = "platform_first", _("平台住所地先行发现或收到投诉举报")
    AD_PUBLISHER = "ad_publisher", _("广告发布者所在地")
    ADVERTISER = "advertiser", _("广告主、广告经营者所在地先行发现（互联网广告）")
    OFFENCE_PLACE = "offence_place", _("违法行为发生地")
    ASSIGNED = "assigned", _("上级指定管辖")


class Action(models.TextChoices):
    """Every step a case can take; ``services.transitions.TRANSITIONS`` says from where, to where, by whom."""

    DRAFT = "draft", _("填写审批表")
    DESIGNATE = "designate", _("指定办案人员并提交审批")
    APPROVE = "approve", _("负责人批准")
    SEND_BACK = "send_back", _("退回修改")
    END_INVESTIGATION = "end_investigation", _("调查终结")
    SUBMIT_REVIEW = "submit_review", _("提交核审")
    REVIEWED = "reviewed", _("核审完毕")
    LEGAL_REVIEWED = "legal_reviewed", _("法制审核完毕")
    NOTIFY = "notify", _("送达告知书")
    HEARING = "hearing", _("举行听证")
    HEARING_REPORT = "hearing_report", _("登记听证报告")
    DISCUSS = "discuss", _("提请集体讨论")
    DECIDE = "decide", _("作出决定")
    SERVE = "serve", _("送达决定书")
    EXECUTE = "execute", _("执行完毕")
    CLOSE = "close", _("结案")
    TRANSFER = "transfer", _("移送")
    WITHDRAW = "withdraw", _("撤销立案")
    STOP = "stop", _("登记不计入期间")
    RESUME = "resume", _("不计入期间结束")
    EXTEND = "extend", _("延长办案期限")
    EVIDENCE = "evidence", _("添加证据")
    DOCUMENT = "document", _("制作文书")
    TYPICAL = "typical", _("标记典型案例")
    PUBLISH = "publish", _("登记公示")
    CRIME_REPORT = "crime_report", _("报告涉嫌犯罪")
    CRIME_REFUSE = "crime_refuse", _("不批准移送")
    POLICE_RECEIPT = "police_receipt", _("登记公安机关回执")
    POLICE_DECISION = "police_decision", _("登记公安机关决定")
    RESUME_ADMIN = "resume_admin", _("公安不予立案，继续行政处理")
    UNPUBLISH = "unpublish", _("撤下公示")
    OVERDUE = "overdue", _("标记逾期")
    TRANSFER_RECEIPT = "transfer_receipt", _("登记接收机关回执")
    # the joint case group (联合办案组)
    GROUP_FORM = "group_form", _("组建联合办案组")
    GROUP_MEMBER = "group_member", _("调整办案组成员")
    GROUP_TASK = "group_task", _("布置办案组任务")
    TASK_DONE = "task_done", _("办结办案组任务")
    JOURNAL = "journal", _("记录办案日志")
    GROUP_DISSOLVE = "group_dissolve", _("解散办案组")
    # after the decision, and the measures during the investigation
    PAYMENT = "payment", _("登记缴纳罚款")
    RECTIFY_CHECK = "rectify_check", _("责令改正复查")
    REMEDY = "remedy", _("登记复议或诉讼")
    REMEDY_OUTCOME = "remedy_outcome", _("登记复议或诉讼结果")
    MEASURE = "measure", _("采取先行登记保存或查封扣押")
    MEASURE_EXTEND = "measure_extend", _("延长查封扣押期限")
    MEASURE_END = "measure_end", _("解除或处理措施")


class PenaltyKind(models.TextChoices):
    """Kinds of administrative penalty (行政处罚法 art. 9), as the decision lists them."""

    WARNING = "warning", _("警告")
    CRITICISM = "criticism", _("通报批评")
    FINE = "fine", _("罚款")
    CONFISCATE_GAINS = "confiscate_gains", _("没收违法所得")
    CONFISCATE_GOODS = "confiscate_goods", _("没收非法财物")
    SUSPEND_LICENCE = "suspend_licence", _("暂扣许可证件")
    LOWER_QUALIFICATION = "lower_qualification", _("降低资质等级")
    REVOKE_LICENCE = "revoke_licence", _("吊销许可证件")
    RESTRICT = "restrict", _("限制开展生产经营活动")
    SUSPEND_BUSINESS = "suspend_business", _("责令停产停业")
    CLOSE = "close", _("责令关闭")
    BAR = "bar", _("限制从业")


class Party(models.TextChoices):
    """Who may take a step: capacities on the case, not the user's role field alone."""

    OFFICER = "officer", _("办案人员")
    UNIT = "unit", _("办案机构人员")
    HEAD = "head", _("办案机构负责人")
    BUREAU_HEAD = "bureau_head", _("局负责人")
    LEGAL = "legal", _("法制审核机构")
    OFFICE = "office", _("领导小组办公室")
    MEMBER = "member", _("联合办案组成员")
    GROUP_LEAD = "group_lead", _("办案组组长")
