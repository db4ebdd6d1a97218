"""Controlled vocabularies of complaints and reports (投诉举报), in the terms of 市场监督管理投诉举报处理暂行办法.

A 投诉 is a consumer's dispute with a business, mediated; a 举报 is a suspected violation, investigated. They
have separate clocks and outcomes; a record that is both is split into one of each.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")


class Channel(models.TextChoices):
    """How it reached the bureau (受理渠道)."""

    PLATFORM_12315 = "12315", _("全国12315平台")
    PHONE = "phone", _("电话")
    LETTER = "letter", _("信函")
    VISIT = "visit", _("来访")
    REFERRAL = "referral", _("平台或其他部门转来")
    OTHER = "other", _("其他")


class State(models.TextChoices):
    RECEIVED = "received", _("待受理")
    ACCEPTED = "accepted", _("已受理（调解中）")
    REFUSED = "refused", _("不予受理")
    ODR = "odr", _("平台在线纠纷解决中")
    ENDED = "ended", _("调解终止")
    RESOLVED = "resolved", _("调解成功")
    WITHDRAWN = "withdrawn", _("投诉人撤回")
    TRANSFERRED = "transferred", _("已移送")
    # a report: verified, then a clue for the filing decision
    VERIFYING = "verifying", _("举报核查中")
    CLUE = "clue", _("已转线索")
    CLOSED = "closed", _("已办结")


OPEN = (State.RECEIVED, State.ACCEPTED, State.ODR, State.VERIFYING)
ENDED_STATES = (
    State.REFUSED,
    State.ENDED,
    State.RESOLVED,
    State.WITHDRAWN,
    State.TRANSFERRED,
    State.CLUE,
    State.CLOSED,
)


class RefusalGround(models.TextChoices):
    """不予受理 (投诉举报处理暂行办法 art. 15), each with the article's words in ``REFUSAL_TEXT``."""

    NOT_CONSUMER = "not_consumer", _("投诉事项不属于市场监督管理部门职责，或者本行政机关不具有处理权限")
    DISPUTE_HANDLED = (
        "handled",
        _(
            "法院、仲裁机构、市场监督管理部门或者其他行政机关、消费者协会或者依法成立的其他调解组织已经受理或者处理过同一消费者权益争议"
        ),
    )
    NOT_CONSUMPTION = (
        "not_consumption",
        _("不是为生活消费需要购买、使用商品或者接受服务，或者不能证明与被投诉人之间存在消费者权益争议"),
    )
    LATE = "late", _("除法律另有规定外，投诉人知道或者应当知道自己的权益受到被投诉人侵害之日起超过三年")
    INCOMPLETE = "incomplete", _("未提供本办法第九条第一款和第十条规定的材料")
    OTHER = "other", _("法律、法规、规章规定不予受理的其他情形")


class MediationEnd(models.TextChoices):
    """终止调解 (art. 21); both sides are told within 7 working days of the decision to end it."""

    WITHDRAWN = "withdrawn", _("投诉人撤回投诉或者双方自行和解")
    TESTING = "testing", _("对委托承担检定、检验、检测、鉴定工作的技术机构或者费用承担无法协商一致")
    ABSENT = "absent", _("投诉人或者被投诉人无正当理由不参加调解，或者被投诉人明确表示不同意调解")
    NO_AGREEMENT = "no_agreement", _("经组织调解，投诉人或者被投诉人明确表示无法达成调解协议")
    TIMEOUT = "timeout", _("自投诉受理之日起四十五个工作日内投诉人和被投诉人未能达成调解协议")
    REFUSABLE = "refusable", _("受理投诉后，发现存在本办法第十五条规定的不予受理情形")
    OTHER = "other", _("法律、法规、规章规定的应当终止调解的其他情形")


class MediationMethod(models.TextChoices):
    IN_PERSON = "in_person", _("现场调解")
    PHONE = "phone", _("电话调解")
    ONLINE = "online", _("互联网调解")
    ENTRUSTED = "entrusted", _("委托消费者协会或者依法成立的其他调解组织")
    STATION = "station", _("消费维权服务站")


class RespondentKind(models.TextChoices):
    PLATFORM = "platform", _("电子商务平台经营者")
    SELLER = "seller", _("平台内经营者")
    WEBSITE = "website", _("自建网站或其他网络服务经营者")
    OFFLINE = "offline", _("线下经营者")


class Action(models.TextChoices):
    REGISTER = "register", _("登记")
    ACCEPT = "accept", _("受理")
    REFUSE = "refuse", pgettext_lazy("complaint action", "不予受理")
    TRANSFER = "transfer", pgettext_lazy("complaint", "移送")
    MEDIATE = "mediate", _("记录调解")
    ODR = "odr", _("交平台在线纠纷解决")
    ODR_RESULT = "odr_result", _("登记平台处理结果")
    RESOLVE = "resolve", _("达成调解协议")
    END = "end", _("终止调解")
    WITHDRAW = "withdraw", pgettext_lazy("complaint action", "投诉人撤回")
    NOTIFY = "notify", _("告知当事人")
    TO_CLUE = "to_clue", _("举报转为线索")
    CLOSE = "close", _("办结")
    SPLIT = "split", _("拆分为投诉和举报")
    ERASE = "erase", _("删除个人信息")


class ReportPeriod(models.TextChoices):
    """The period a 投诉举报分析报告 covers: the 12315 unit reports to the leading group by month, quarter,
    half-year or year."""

    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    HALF = "half", _("半年")
    YEAR = "year", _("年度")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已报送")
