"""Controlled vocabularies of the monitoring rules (监测关键词库)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What kind of violation a rule signals; the contract of ``wangjian rules test`` uses these values."""

    ABSOLUTE_TERMS = "absolute_terms", _("绝对化用语")
    MEDICAL_CLAIM = "medical_claim", _("非药品宣称医疗作用")
    HEALTH_FOOD_DISCLAIMER = "health_food_disclaimer", _("保健食品未标明“本品不能代替药物”")
    EFFICACY_GUARANTEE = "efficacy_guarantee", _("功效、安全性断言或保证")
    PRESCRIPTION_DRUG = "prescription_drug", _("处方药向公众推销")
    COUNTERFEIT = "counterfeit", _("假冒仿冒信号")
    MLM = "mlm", _("传销信号")
    PRICE_FRAUD = "price_fraud", _("价格欺诈")
    FAKE_REVIEWS = "fake_reviews", _("虚假评价/刷单")
    FINANCE_PROMISE = "finance_promise", _("投资理财保本保收益承诺")
    EDUCATION_GUARANTEE = "education_guarantee", _("教育培训保证性承诺")
    STANDARD_TERMS = "standard_terms", _("格式条款")
    PRIZE_SALES = "prize_sales", _("有奖销售违规")
    FALSE_ADVERTISING = "false_advertising", _("虚假或引人误解的宣传（待核实）")


class Severity(models.TextChoices):
    """How clear a finding is. ``review`` (待核实信号) marks wording that is lawful when true and unlawful
    when false — an original price, 清仓价, a car as the prize — which the text alone cannot decide; it
    ranks below ``low`` so that lists put clear violations first."""

    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")
    REVIEW = "review", _("待核实信号")


class ProductKind(models.TextChoices):
    """What is being sold or advertised; some rules only apply to some kinds (疗效 is lawful for a drug)."""

    GENERAL = "general", _("普通商品")
    FOOD = "food", _("食品")
    HEALTH_FOOD = "health_food", _("保健食品")
    COSMETICS = "cosmetics", _("化妆品")
    DRUG = "drug", _("药品")
    MEDICAL_DEVICE = "medical_device", _("医疗器械")
    MEDICAL_SERVICE = "medical_service", _("医疗服务（含医疗美容）")
    FINANCE = "finance", _("金融投资")
    EDUCATION = "education", _("教育培训")
    REAL_ESTATE = "real_estate", _("房地产")
    LIVESTREAM = "livestream", _("直播营销")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    RETIRED = "retired", _("已停用")


class Expectation(models.TextChoices):
    """A regression-set line: the text must be flagged, or must not be."""

    MUST_HIT = "must_hit", _("必须命中")
    MUST_NOT_HIT = "must_not_hit", _("不得命中")


class RenderMode(models.TextChoices):
    """Whether a sweep opens pages in Chromium (text that appears only after JavaScript)."""

    NEVER = "never", _("不使用浏览器")
    AUTO = "auto", _("需要时使用浏览器")
    ALWAYS = "always", _("总是使用浏览器")


class EvidenceThreshold(models.TextChoices):
    """From which severity a new finding gets an evidence capture automatically."""

    NONE = "none", _("不自动取证")
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中及以上")
    LOW = "low", _("低及以上")
    REVIEW = "review", _("全部（含待核实信号）")


SEVERITY_RANK = {Severity.REVIEW: 0, Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}


def severity_rank_expression(field: str = "severity") -> models.Case:
    """``SEVERITY_RANK`` as a database expression, to order findings or rules with clear violations first."""
    return models.Case(
        *(models.When(**{field: str(s)}, then=models.Value(rank)) for s, rank in SEVERITY_RANK.items()),
        default=models.Value(-1),
        output_field=models.IntegerField(),
    )


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ChunkStatus(models.TextChoices):
    PENDING = "pending", _("待执行")
    RUNNING = "running", _("执行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class PageOutcome(models.TextChoices):
    """Every fetch ends in one of these (issue 7: every fetch outcome recorded)."""

    OK = "ok", _("已获取")
    UNCHANGED = "unchanged", _("未变化")
    FAILED = "failed", _("获取失败")


class FindingStatus(models.TextChoices):
    NEW = "new", _("待审核")
    CONFIRMED = "confirmed", _("确认违法")
    DISMISSED = "dismissed", _("排除误报")


# The domain (监管领域) a finding of each category belongs to when its rule library names none.
CATEGORY_DOMAIN = {
    "absolute_terms": "internet_advertising",
    "medical_claim": "internet_advertising",
    "health_food_disclaimer": "internet_advertising",
    "efficacy_guarantee": "internet_advertising",
    "prescription_drug": "online_drug",
    "finance_promise": "internet_advertising",
    "education_guarantee": "internet_advertising",
    "counterfeit": "trademark_ip",
    "mlm": "mlm",
    "price_fraud": "online_price",
    "fake_reviews": "unfair_competition",
    "prize_sales": "unfair_competition",
    "standard_terms": "standard_terms",
    "false_advertising": "unfair_competition",
}


class FeedSource(models.TextChoices):
    """Where a listing feed (平台报送商品信息) came from: a file the officer uploaded, or the platform's URL."""

    UPLOAD = "upload", _("上传文件")
    URL = "url", _("网址")


class FeedFormat(models.TextChoices):
    """How a listing feed is read; automatic recognition by the file's type, the answer's type or its first line."""

    AUTO = "", _("自动识别")
    JSONL = "jsonl", _("JSONL（每行一个 JSON 对象）")
    CSV = "csv", _("CSV（带表头）")


class LicenceCheckKind(models.TextChoices):
    """What a licence check looked at on the entry page: the business licence (亮照), a permit the goods
    require (亮证), or the bureau's electronic business mark (亮标)."""

    BUSINESS_LICENCE = "business_licence", _("营业执照（亮照）")
    FOOD_PERMIT = "food_permit", _("食品经营许可/备案（亮证）")
    DRUG_PERMIT = "drug_permit", _("药品经营许可证（亮证）")
    DRUG_INFO = "drug_info", _("互联网药品信息服务资格证书（亮证）")
    DEVICE_PERMIT = "device_permit", _("医疗器械经营许可/备案（亮证）")
    PLATFORM_FILING = "platform_filing", _("网络食品交易第三方平台备案（亮证）")
    EBIZ_MARK = "ebiz_mark", _("电子营业执照/网店标识（亮标）")
