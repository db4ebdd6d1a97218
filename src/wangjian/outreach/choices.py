"""Controlled vocabularies of the platforms' duties and the requests to other authorities."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportState(models.TextChoices):
    """Where a half-year's seller-identity report stands (网络交易监督管理办法 art. 25: each January and July)."""

    UPCOMING = "upcoming", _("未到报送期")
    OPEN = "open", _("报送期内，尚未报送")
    ON_TIME = "on_time", _("按期报送")
    LATE = "late", _("逾期报送")
    MISSING = "missing", _("未报送")


class ReportVia(models.TextChoices):
    IMPORT = "import", _("导入的经营者名单")
    RECORDED = "recorded", _("其他方式报送（登记）")


class GuidanceKind(models.TextChoices):
    """行政指导 of a platform (旌德 方案 三(二)1; 天津 方案 五(三))."""

    INTERVIEW = "interview", _("约谈")
    REMINDER = "reminder", _("提示")
    WARNING = "warning", _("告诫")
    ADVICE = "advice", _("建议")


class GuidanceState(models.TextChoices):
    OPEN = "open", _("整改中")
    REPORTED = "reported", _("已报送整改报告")
    CLOSED = "closed", _("已评估办结")


class Assessment(models.TextChoices):
    DONE = "done", _("整改到位")
    PARTLY = "partly", _("部分整改")
    NOT_DONE = "not_done", _("未整改")


class RequestKind(models.TextChoices):
    TAKEDOWN = "takedown", _("下架/删除链接")
    DATA = "data", _("调取数据")
    BLOCK = "block", _("停止为经营者提供服务")


class Answer(models.TextChoices):
    DONE = "done", _("已办理")
    PARTLY = "partly", _("部分办理")
    REFUSED = "refused", _("拒绝办理")


class AuthorityKind(models.TextChoices):
    POLICE = "police", _("公安机关")
    TELECOM_ADMIN = "telecom_admin", _("通信管理局")
    CARRIER = "carrier", _("电信运营商")
    PROCURATORATE = "procuratorate", _("检察机关")
    OTHER = "other", _("其他部门")


class AuthorityRequestKind(models.TextChoices):
    POLICE_TRANSFER = "police_transfer", _("涉嫌犯罪案件移送公安")
    CRIME_CLUE = "crime_clue", _("涉嫌犯罪线索通报公安")
    SHUTDOWN = "shutdown", _("关闭网站/注销ICP备案")
    CARRIER = "carrier", _("电信运营商停止接入服务")
    OTHER = "other", _("其他协助请求")


class AuthorityState(models.TextChoices):
    SENT = "sent", _("已发出，待回执")
    RECEIVED = "received", _("已回执，待处理结果")
    DONE = "done", _("已反馈处理结果")
