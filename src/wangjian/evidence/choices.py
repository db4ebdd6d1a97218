"""Controlled vocabularies of electronic evidence (电子数据取证)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaptureMode(models.TextChoices):
    BROWSER = "browser", _("浏览器取证（Chromium）")
    HTTP = "http", _("网络请求取证（httpx）")
    UPLOAD = "upload", _("上传证据（照片、视频、录屏、笔录、平台材料）")


class UploadKind(models.TextChoices):
    """What an uploaded piece of evidence is (市场监督管理行政执法电子数据取证暂行规定; 程序规定 arts. 23–34)."""

    PHOTO = "photo", _("现场照片")
    VIDEO = "video", _("音视频（含执法记录仪）")
    SCREEN_RECORDING = "screen", _("APP、小程序、直播录屏或截图")
    INQUIRY = "inquiry", _("询问笔录（扫描件）")
    INSPECTION = "inspection", _("现场检查笔录（扫描件）")
    PLATFORM = "platform", _("平台提供的材料")
    DOCUMENT = "document", _("书证、其他材料")


class CaptureStatus(models.TextChoices):
    OK = "ok", _("取证成功")
    FAILED = "failed", _("取证失败")


class FailureReason(models.TextChoices):
    """The codes of ``wangjian.core.fetching.outcomes`` a capture can fail with, and two of signed older records."""

    REFUSED = "refused", _("地址不允许访问或无法访问")
    DNS = "dns", _("域名无法解析")
    TIMEOUT = "timeout", _("超时")
    TLS = "tls", _("证书/TLS错误")
    CONNECTION_REFUSED = "connection_refused", _("连接被拒绝")
    CONNECT_ERROR = "connect_error", _("连接失败")
    PROTOCOL_ERROR = "protocol_error", _("连接中断或响应不完整")
    REDIRECTS = "redirects", _("重定向过多")
    HTTP_4XX = "http_4xx", _("页面不存在或拒绝访问(4xx)")
    HTTP_5XX = "http_5xx", _("服务器错误(5xx)")
    OVERSIZE = "oversize", _("页面过大")
    BAD_URL = "bad_url", _("网址无效")
    BROWSER = "browser", _("浏览器错误")
    ERROR = "error", _("获取失败")
    # Written by captures before the shared vocabulary; signed records keep their codes.
    CONNECTION = "connection", _("连接失败（旧记录）")
    TOO_LARGE = "too_large", _("页面过大（旧记录）")


class FileRole(models.TextChoices):
    WARC = "warc", _("网络数据包(WARC)")
    SCREENSHOT = "screenshot", _("整页截图")
    HTML = "html", _("渲染后网页源码")
    TEXT = "text", _("可见文本")
    METADATA = "metadata", _("取证元数据")
    UPLOAD = "upload", _("上传的证据文件")


class AccessReason(models.TextChoices):
    """Why an officer records a view or an export of a capture in the ledger, as the pages offer it.

    A fixed list: the ledger is evidence, and no link and no form field may write its own words
    into it. The ledger keeps the Chinese name.
    """

    CONSULT = "consult", _("查阅")
    CLUE = "clue", _("核查线索")
    CASE = "case", _("案件调查")
    LEGAL_REVIEW = "legal_review", _("法制审核")
    REVIEW = "review", _("复议、诉讼或听证")
    SUPERVISION = "supervision", _("执法监督检查")
    EXPORT = "export", _("出具证据")


class LedgerAction(models.TextChoices):
    CAPTURE = "capture", _("取证")
    VIEW = "view", _("查看")
    DOWNLOAD = "download", _("下载文件")
    EXPORT = "export", _("导出证据包")
    LINK = "link", _("关联线索/案件")
    DELETE = "delete", _("删除")
    KEY = "key", _("启用签名密钥")
