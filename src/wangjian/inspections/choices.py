"""Controlled vocabularies of 双随机一公开: check methods, plan and draw states, result categories.

The result categories are those the 国家企业信用信息公示系统 shows for a random inspection
(抽查检查结果). Neither the seeds nor 《企业公示信息抽查办法》 list them, and no official list was found;
the list below follows the categories of a provincial 工商 system's published code (浙江, 2016–17:
未发现问题; 发现问题待后续处理; 发现问题经责令已改正; 未发现开展本次抽查涉及的经营活动; 已关闭停业或正在组织清算;
不配合检查情节严重; 注销、被吊销、被撤销、迁出; with the 公示信息 findings under 发现问题) and issue 19 point 4. The
office must confirm it against its own province's system before relying on it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckMethod(models.TextChoices):
    """How an item is checked (检查方式)."""

    ONLINE = "online", _("网络经营场所线上检查")
    PUBLISHED_INFO = "published_info", _("公示信息检查")
    ON_SITE = "on_site", _("实地检查")


class PublishedField(models.TextChoices):
    """What a check of published information compares: the annual report's items (《企业信息公示暂行条例》
    第九条) and the other information an enterprise publishes (第十条). A short list; "其他" for the rest."""

    WEBSITE = "website", _("网站、网店")
    CONTACT = "contact", _("通信地址、电话、电子邮箱")
    STATUS = "status", _("存续状态")
    CAPITAL = "capital", _("股东（发起人）出资")
    EQUITY = "equity", _("股权转让、对外投资")
    EMPLOYEES = "employees", _("从业人数")
    ASSETS = "assets", _("资产状况")
    OTHER = "other", _("其他公示信息")


class ObjectionOutcome(models.TextChoices):
    """The decision on an objection (异议) to a published result."""

    PENDING = "", _("待处理")
    UPHELD = "upheld", _("异议成立，更正检查结果")
    REJECTED = "rejected", _("异议不成立，维持检查结果")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已公布")
    CLOSED = "closed", _("已结束")


class CheckState(models.TextChoices):
    """The online check requested for a drawn object, run in the background."""

    NONE = "", _("未请求")
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("检查进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("检查失败")


class DrawState(models.TextChoices):
    """RFC 3797's order: inputs and the future source first, then the value, then the result."""

    PUBLISHED = "published", _("已公布抽取要素，待录入随机源")
    VALUE_ENTERED = "value_entered", _("已录入随机源，待复核")
    DRAWN = "drawn", _("已抽取")


class DrawOrigin(models.TextChoices):
    """Where a draw was made: in wangjian (RFC 3797, re-runnable) or in the province's own 双随机 system,
    which stays the record of a draw made there (issue 19: wangjian imports it, checks and exports)."""

    WANGJIAN = "wangjian", _("本系统抽取")
    PROVINCE = "province", _("省级双随机系统抽取（导入）")


class ResultCategory(models.TextChoices):
    """抽查检查结果 in the publicity system's fixed categories (see the module's note on the source)."""

    NO_PROBLEM = "no_problem", _("未发现问题")
    NOT_PUBLISHED = "not_published", _("未按规定公示应当公示的信息")
    FALSE_INFO = "false_info", _("公示信息隐瞒真实情况、弄虚作假")
    UNREACHABLE = "unreachable", _("通过登记的住所（经营场所）无法联系")
    NO_ACTIVITY = "no_activity", _("未发现开展本次抽查涉及的经营活动")
    CORRECTED = "corrected", _("发现问题经责令已改正")
    PENDING = "pending", _("发现问题待后续处理")
    REFUSED = "refused", _("不配合检查情节严重")
    CLOSED = "closed", _("已关闭停业或正在组织清算")
    DEREGISTERED = "deregistered", _("已注销、被吊销、被撤销或迁出")


# The categories that mean a problem was found: the check's violation goes to the clue loop.
PROBLEM_CATEGORIES = frozenset(
    {
        ResultCategory.NOT_PUBLISHED,
        ResultCategory.FALSE_INFO,
        ResultCategory.UNREACHABLE,
        ResultCategory.CORRECTED,
        ResultCategory.PENDING,
        ResultCategory.REFUSED,
    }
)


class CreditClass(models.TextChoices):
    """The general enterprise credit-risk class (企业信用风险分类), imported by the risk app."""

    A = "A", _("A类（信用风险低）")
    B = "B", _("B类（信用风险一般）")
    C = "C", _("C类（信用风险较高）")
    D = "D", _("D类（信用风险高）")
    NONE = "", _("未分类")


class Grade(models.TextChoices):
    """Risk grade (风险等级) from the risk app: 重点监控 / 预警监控 / 一般监控."""

    KEY = "key", _("重点监控")
    WARNING = "warning", _("预警监控")
    GENERAL = "general", _("一般监控")
    NONE = "", _("未分级")
