"""Controlled vocabularies of the entity registry (经济户口)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntityKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    INDIVIDUAL = "individual", _("个体工商户")
    COOPERATIVE = "cooperative", _("农民专业合作社")
    OTHER = "other", _("其他")


class EntityStatus(models.TextChoices):
    """登记状态 as the registration system reports it."""

    EXISTING = "existing", _("存续")
    OPERATING = "operating", _("在业")
    CANCELLED = "cancelled", _("注销")
    REVOKED = "revoked", _("吊销")
    MOVED_OUT = "moved_out", _("迁出")
    SUSPENDED = "suspended", _("歇业")  # 市场主体登记管理条例 art. 30: kept, not trading for a while


class PresenceKind(models.TextChoices):
    """网络经营场所 kinds (网络交易监督管理办法; 电子商务法 art. 15 licence display applies to all)."""

    WEBSITE = "website", _("网站")
    PLATFORM_SHOP = "platform_shop", _("平台网店")
    SHOP_PAGE = "shop_page", _("独立店铺网页")
    APP = "app", _("手机APP")
    WECHAT_ACCOUNT = "wechat_account", _("微信公众号")
    LIVESTREAM = "livestream", _("直播营销账号")
    WECHAT_MINI = "wechat_mini", _("微信小程序")
    ALIPAY_MINI = "alipay_mini", _("支付宝小程序")
    OTHER = "other", _("其他")


class PresenceStatus(models.TextChoices):
    ACTIVE = "active", _("经营中")
    CLOSED = "closed", _("已关停")
    UNREACHABLE = "unreachable", _("无法访问")
    UNKNOWN = "unknown", _("未核实")


class LinkMethod(models.TextChoices):
    """How a presence came to be linked to a registered entity."""

    CODE = "code", _("代码一致")
    MATCH = "match", _("自动匹配")
    MANUAL = "manual", _("人工确认")
    LICENCE = "licence", _("页面亮照信息")


class ImportKind(models.TextChoices):
    REGISTRY = "registry", _("登记主体")
    SELLERS = "sellers", _("平台报送经营者")
    PERMITS = "permits", _("许可证和备案数据")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    MATCHING = "matching", _("匹配中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class SellerExemption(models.TextChoices):
    """What a seller report may say about needing no registration (电子商务法 art. 10; 网络交易监督管理办法 art. 8)."""

    FARM_PRODUCE = "farm_produce", _("销售自产农副产品")
    HANDICRAFTS = "handicrafts", _("销售家庭手工业产品")
    CONVENIENCE = "convenience", _("个人利用自己的技能从事依法无须取得许可的便民劳务活动")
    SMALL = "small", _("零星小额交易活动（年交易额累计不超过10万元）")


class MatchOutcome(models.TextChoices):
    """Three outcomes: linked, queued for an officer, or no registered entity (a lead for 无照经营)."""

    AUTO = "auto", _("自动关联")
    REVIEW = "review", _("待人工确认")
    NONE = "none", _("未找到登记主体")


class ReviewDecision(models.TextChoices):
    ACCEPT = "accept", _("确认是该主体")
    REJECT = "reject", _("不是该主体")


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPLIED = "applied", _("已批准并更正")
    REJECTED = "rejected", _("已驳回")


class PermitKind(models.TextChoices):
    """Permits and filings the goods require online (亮证), as the bureau's licensing data holds them."""

    FOOD_LICENCE = "food_licence", _("食品经营许可证")
    FOOD_FILING = "food_filing", _("仅销售预包装食品备案")
    DRUG_LICENCE = "drug_licence", _("药品经营许可证")
    DRUG_INFO = "drug_info", _("互联网药品信息服务资格证书")
    DEVICE_LICENCE = "device_licence", _("医疗器械经营许可证（第三类）")
    DEVICE_FILING = "device_filing", _("第二类医疗器械经营备案凭证")
    PLATFORM_FILING = "platform_filing", _("网络食品交易第三方平台备案")


class PermitStatus(models.TextChoices):
    """A permit's standing in the licensing data (有效 … 撤销); only ``valid`` within its dates is in force."""

    VALID = "valid", _("有效")
    EXPIRED = "expired", _("已过期")
    CANCELLED = "cancelled", _("注销")
    REVOKED = "revoked", _("吊销")
    WITHDRAWN = "withdrawn", _("撤销")


class RiskGrade(models.TextChoices):
    """The risk grade of an online market entity (旌德 mechanism 二(七)): set by the risk app's grading,
    kept on the entity so that sweeps and inspections select by it (DOMAIN.md: RiskGrade)."""

    KEY = "key", _("重点监控")
    WARNING = "warning", _("预警监控")
    GENERAL = "general", _("一般监控")
