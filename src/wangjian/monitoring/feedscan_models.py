"""Listing-feed scans (监测商品信息扫描): a platform's 平台报送商品信息 scanned by the rule engine, one record each.

电子商务法 art. 28 has platforms report their operators' information to the regulator, and a
platform's listing feed (JSONL or CSV: listing id, shop id, title, description, price, link) lets
a bureau scan every listing without fetching a page. A scan is a record an officer can point to:
what was scanned (the file kept in storage, or the URL and what it answered), by whom and when,
how many listings, which findings it produced, every row it could not read and why, and every shop
id the platform reported that is not a registered presence of it — nothing dropped silently.
A feed that could not be fetched ends ``failed`` with the reason, never as a scan that found nothing.

Imported by ``monitoring.models``, which re-exports ``FeedScan``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wangjian.monitoring.choices import FeedFormat, FeedSource, RunStatus

FEED_AREA = "monitoring-feeds"  # the area of WANGJIAN_STORAGE where scanned feeds are kept


def feed_storage():
    """Scanned feeds in the ``monitoring-feeds`` area of ``WANGJIAN_STORAGE`` (a folder, or S3 shared by all machines)."""
    from wangjian.core.storage import AreaStorage

    return AreaStorage(FEED_AREA)


class FeedScan(models.Model):
    """One scan of a platform's listing feed for a monitoring task (监测商品信息扫描)."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    task = models.ForeignKey(
        "monitoring.MonitoringTask",
        verbose_name=_("监测任务"),
        on_delete=models.CASCADE,
        related_name="feed_scans",
    )
    platform = models.ForeignKey(
        "registry.Platform", verbose_name=_("平台"), on_delete=models.PROTECT, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("来源"), max_length=8, choices=FeedSource.choices)
    file = models.FileField(
        _("商品信息文件"),
        upload_to="%Y/%m/",
        storage=feed_storage,
        blank=True,
        help_text=_("上传的文件，或从网址取得的内容，原样保存"),
    )
    file_name = models.CharField(_("文件名"), max_length=255, blank=True)
    url = models.CharField(_("网址"), max_length=1000, blank=True)
    fmt = models.CharField(_("格式"), max_length=8, choices=FeedFormat.choices, blank=True)
    size = models.PositiveBigIntegerField(_("字节数"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    listings_total = models.PositiveIntegerField(_("商品数"), default=0)
    listings_done = models.PositiveIntegerField(_("已扫描商品"), default=0)
    findings_new = models.PositiveIntegerField(_("新发现"), default=0)
    findings_seen = models.PositiveIntegerField(_("再次发现"), default=0)
    rejected_count = models.PositiveIntegerField(_("拒收行"), default=0)
    unknown_shops_count = models.PositiveIntegerField(
        _("未登记店铺"), default=0, help_text=_("平台报送的店铺ID中不是该平台已登记网络经营场所的个数")
    )
    unknown_listings = models.PositiveIntegerField(_("未登记店铺的商品"), default=0)
    rejected_rows = models.JSONField(
        _("拒收行及原因"), default=list, blank=True, help_text=_("[{row: 行号, reason: 原因}]，全部保留")
    )
    unknown_shops = models.JSONField(
        _("未登记店铺ID"), default=list, blank=True, help_text=_("[{shop_id: 店铺ID, listings: 商品数}]")
    )
    run = models.ForeignKey(
        "monitoring.SweepRun",
        verbose_name=_("监测执行"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("本次扫描的发现所记入的执行记录"),
    )
    error = models.TextField(_("失败原因"), blank=True)
    message = models.TextField(_("说明"), blank=True)
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # Written when the run claims the scan and with every batch: a running scan silent for long died
    # with its process, and housekeeping records it failed (``services.feed_scans_housekeeping``).
    heartbeat_at = models.DateTimeField(_("最近进度时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("监测商品信息扫描")
        verbose_name_plural = _("监测商品信息扫描")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.source_label}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:feedscan", args=[self.pk])

    @property
    def source_label(self) -> str:
        """What was scanned, as the officer gave it: the file's name or the URL."""
        return self.url if self.source == FeedSource.URL else self.file_name

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == RunStatus.DONE:
            return 100
        if not self.listings_total:
            return 0
        return min(100, int(100 * self.listings_done / self.listings_total))
