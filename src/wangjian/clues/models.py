"""The clue closed loop (涉网问题线索闭环处置): clues, their sources, history and deadlines.

The rules live in ``clues/services.py``; these models only hold what was decided and
why (the duty-list row, the deadline's basis), so that an officer can read it back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangjian.clues.choices import (
    AWAITING_DISPOSAL,
    AWAITING_FEEDBACK,
    OPEN_STATES,
    Action,
    CheckResult,
    ClueState,
    Disposal,
    ReferKind,
    SourceKind,
)
from wangjian.core.models import AuditedModel
from wangjian.org.choices import Domain


def attachment_storage():
    """Attachments in the ``clues`` area of ``WANGJIAN_STORAGE`` (a folder, or S3 shared by all machines)."""
    from wangjian.core.storage import AreaStorage

    return AreaStorage("clues")


class Clue(AuditedModel):
    """A suspected violation (线索) to check and dispose of, routed by the duty list."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="clues"
    )
    number = models.CharField(_("线索编号"), max_length=40, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("标题"), max_length=200)
    source_kind = models.CharField(_("线索来源"), max_length=16, choices=SourceKind.choices)
    source_ref = models.CharField(_("来源编号"), max_length=200, blank=True)
    domain = models.CharField(_("监管领域"), max_length=32, choices=Domain.choices)
    entity = models.ForeignKey(
        "registry.MarketEntity",
        verbose_name=_("市场主体"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clues",
    )
    presence = models.ForeignKey(
        "registry.Presence",
        verbose_name=_("网络经营场所"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clues",
    )
    entity_name = models.CharField(_("主体名称"), max_length=200, blank=True)
    entity_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    presence_label = models.CharField(_("网店/网址"), max_length=500, blank=True, db_index=True)
    region_code = models.CharField(_("区划代码"), max_length=12, blank=True)
    facts = models.TextField(_("问题描述"))
    finder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发现人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clues_found",
    )
    found_on = models.DateField(_("发现日期"), default=timezone.localdate)
    state = models.CharField(
        _("状态"), max_length=12, choices=ClueState.choices, default=ClueState.PENDING, db_index=True
    )
    # routing
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("承办科室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
    )
    station = models.ForeignKey(
        "org.Station",
        verbose_name=_("承办基层所"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
    )
    gap = models.BooleanField(_("职责清单空白"), default=False)
    duty_rule = models.ForeignKey(
        "org.DutyRule",
        verbose_name=_("依据职责清单条目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    territory_code = models.CharField(_("属地辖区代码"), max_length=12, blank=True)
    routing_reason = models.TextField(_("分派理由"), blank=True)
    override_reason = models.CharField(_("改派理由"), max_length=300, blank=True)
    assigned_at = models.DateTimeField(_("分派时间"), null=True, blank=True)
    # deadlines
    feedback_due = models.DateField(_("反馈期限"), null=True, blank=True)
    feedback_basis = models.TextField(_("反馈期限依据"), blank=True)
    feedback_overdue = models.BooleanField(_("反馈逾期"), default=False)
    feedback_provisional = models.BooleanField(_("反馈期限暂定"), default=False)
    disposal_due = models.DateField(_("处置期限"), null=True, blank=True)
    disposal_basis = models.TextField(_("处置期限依据"), blank=True)
    disposal_overdue = models.BooleanField(_("处置逾期"), default=False)
    disposal_provisional = models.BooleanField(_("处置期限暂定"), default=False)
    # the filing decision (程序规定 art. 18): 15 working days from discovery to decide whether to
    # open a case; it caps the feedback and disposal deadlines
    filing_due = models.DateField(_("立案决定期限"), null=True, blank=True)
    filing_basis = models.TextField(_("立案决定期限依据"), blank=True)
    filing_provisional = models.BooleanField(_("立案决定期限暂定"), default=False)
    filing_overdue = models.BooleanField(_("立案决定逾期"), default=False)
    # feedback and disposal
    check_result = models.CharField(_("核查结论"), max_length=12, choices=CheckResult.choices, blank=True)
    check_actions = models.TextField(_("核查情况及措施"), blank=True)
    fed_back_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    disposal = models.CharField(_("处置结果"), max_length=12, choices=Disposal.choices, blank=True)
    disposal_note = models.TextField(_("处置说明"), blank=True)
    case_number = models.CharField(_("立案文号"), max_length=100, blank=True)
    case_url = models.CharField(_("案件链接"), max_length=200, blank=True)
    refer_kind = models.CharField(_("移送对象类别"), max_length=12, choices=ReferKind.choices, blank=True)
    refer_target = models.CharField(_("移送机关"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    lessons = models.TextField(_("举一反三（发现的问题与采取的措施）"), blank=True)
    # links between clues
    transferred_from = models.ForeignKey(
        "self",
        verbose_name=_("移交自"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transferred_to",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入线索"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_clues",
    )
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("共享给"), blank=True, related_name="clues_shared"
    )

    class Meta:
        verbose_name = _("线索")
        verbose_name_plural = _("线索")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "year", "seq"], name="clues_number_unique"),
        ]
        indexes = [
            models.Index(fields=["bureau", "state"]),
            models.Index(fields=["feedback_due"]),
            # the statistics count a bureau's clues by these days (clues.figures)
            models.Index(fields=["bureau", "found_on"], name="clues_bureau_found_on"),
            models.Index(fields=["bureau", "fed_back_at"], name="clues_bureau_fed_back_at"),
            models.Index(fields=["bureau", "closed_at"], name="clues_bureau_closed_at"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("clues:clue", args=[self.pk])

    @property
    def unit(self):
        return self.station or self.department

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def current_due(self):
        """The deadline running now: feedback while checking, disposal after feedback."""
        if self.state in AWAITING_FEEDBACK:
            return self.feedback_due
        if self.state in AWAITING_DISPOSAL:
            return self.disposal_due
        return None

    @property
    def current_due_provisional(self) -> bool:
        """The running deadline is provisional (a year's holidays not entered): shown as 暂定, never final."""
        if self.state in AWAITING_FEEDBACK:
            return self.feedback_provisional
        if self.state in AWAITING_DISPOSAL:
            return self.disposal_provisional
        return False

    @property
    def overdue(self) -> bool:
        if self.state in AWAITING_FEEDBACK:
            return self.feedback_overdue
        if self.state in AWAITING_DISPOSAL:
            return self.disposal_overdue
        return False


class ClueSource(models.Model):
    """One report of the matter (a finding, a complaint, an inspection …); a clue may accumulate several."""

    clue = models.ForeignKey(Clue, verbose_name=_("线索"), on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(_("来源类别"), max_length=16, choices=SourceKind.choices)
    ref = models.CharField(_("来源编号"), max_length=200, blank=True)
    facts = models.TextField(_("问题描述"), blank=True)
    evidence_refs = models.JSONField(_("关联取证记录"), default=list, blank=True)
    finder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发现人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    # A named reporter (举报人) is told what became of the matter, whichever source made the clue
    # (投诉举报处理暂行办法 art. 31); personal data, masked in lists.
    reporter_name = models.CharField(_("举报人"), max_length=100, blank=True)
    reporter_contact = models.CharField(_("举报人联系方式"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("线索来源")
        verbose_name_plural = _("线索来源")
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.ref}".strip()


class ClueAttachment(models.Model):
    clue = models.ForeignKey(
        Clue, verbose_name=_("线索"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("附件"), upload_to="%Y/%m/", storage=attachment_storage)
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("线索附件")
        verbose_name_plural = _("线索附件")

    def __str__(self) -> str:
        return self.name


class ClueEvent(models.Model):
    """One step in a clue's history: who, when, from which state to which, and why."""

    clue = models.ForeignKey(Clue, verbose_name=_("线索"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=16, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=12, choices=ClueState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=12, choices=ClueState.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    comment = models.TextField(_("说明"), blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("线索处置记录")
        verbose_name_plural = _("线索处置记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"


class SavedFilter(models.Model):
    """A user's saved view of the clue list (e.g. "本所逾期未反馈"), kept as the list's query string."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=50)
    query = models.CharField(_("筛选条件"), max_length=500)

    class Meta:
        verbose_name = _("保存的筛选")
        verbose_name_plural = _("保存的筛选")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="clues_saved_filter_unique")]

    def __str__(self) -> str:
        return self.name
