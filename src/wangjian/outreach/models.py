"""Platforms' duties and requests to other authorities (协同：平台责任与外部门协作).

- A platform's half-yearly seller-identity reports are read from the registry's seller imports
  (``registry.ImportBatch`` of kind ``sellers``); a report that came another way is recorded here
  (``SellerReportRecord``), and so are the platform's declared re-verifications (``Reverification``).
- 行政指导 (约谈、提示、告诫、建议) with its follow-up items, each a work item with a deadline
  (``Guidance``, ``GuidanceItem``).
- Requests to a platform: take listings down, hand data over, stop serving a seller (``PlatformRequest``).
- Requests to other authorities — the police, 通信管理局, carriers — from a small register
  (``Authority``, ``AuthorityRequest``); a case sent to the police is one of them (``case_number``).

Every row belongs to a bureau (``org.selectors.scope``); the rules that move a row are in
``outreach.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wangjian.core.models import AuditedModel
from wangjian.outreach.choices import (
    Answer,
    Assessment,
    AuthorityKind,
    AuthorityRequestKind,
    AuthorityState,
    GuidanceKind,
    GuidanceState,
    RequestKind,
)

USER = settings.AUTH_USER_MODEL


def outreach_storage():
    """Letters, reports and answers in the ``outreach`` area of ``WANGJIAN_STORAGE``."""
    from wangjian.core.storage import AreaStorage

    return AreaStorage("outreach")


class _Audited(AuditedModel):
    """An audited row whose letters and reports are recorded in the change log by their file names."""

    class Meta:
        abstract = True

    def audit_snapshot(self) -> dict:
        data = super().audit_snapshot()
        for name, value in data.items():
            if isinstance(value, FieldFile):
                data[name] = value.name or ""
        return data


def _bureau():
    return models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )


def _platform(related: str):
    return models.ForeignKey(
        "registry.Platform", verbose_name=_("平台"), on_delete=models.PROTECT, related_name=related
    )


def _file(label: str):
    return models.FileField(label, upload_to="%Y/%m/", storage=outreach_storage, blank=True)


def _by():
    return models.ForeignKey(
        USER, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class SellerReportRecord(_Audited):
    """A half-year's seller-identity report that reached the bureau another way than an import (光盘、邮件、报送系统)."""

    bureau = _bureau()
    platform = _platform("outreach_reports")
    window = models.DateField(_("报送期（1月或7月的第一天）"))
    received_on = models.DateField(_("收到日期"))
    file = _file(_("报送文件"))
    note = models.TextField(_("说明"), blank=True)
    recorded_by = _by()

    class Meta:
        verbose_name = _("平台经营者身份信息报送登记")
        verbose_name_plural = _("平台经营者身份信息报送登记")
        ordering = ["-window", "-id"]

    def __str__(self) -> str:
        return f"{self.platform} {self.window:%Y年%m月}"

    def get_absolute_url(self) -> str:
        return reverse("outreach:platform", args=[self.platform_id])


class Reverification(_Audited):
    """The platform's declared check of its sellers' identity (网络交易监督管理办法 art. 24: at least every six months)."""

    bureau = _bureau()
    platform = _platform("outreach_reverifications")
    verified_on = models.DateField(_("核验更新日期"))
    note = models.TextField(_("说明"), blank=True)
    recorded_by = _by()

    class Meta:
        verbose_name = _("平台核验更新经营者信息")
        verbose_name_plural = _("平台核验更新经营者信息")
        ordering = ["-verified_on", "-id"]

    def __str__(self) -> str:
        return f"{self.platform} {self.verified_on}"

    def get_absolute_url(self) -> str:
        return reverse("outreach:platform", args=[self.platform_id])


class Guidance(_Audited):
    """One act of 行政指导 to a platform: 约谈, 提示, 告诫 or 建议, its follow-up and the platform's rectification."""

    bureau = _bureau()
    platform = _platform("outreach_guidance")
    kind = models.CharField(_("方式"), max_length=10, choices=GuidanceKind.choices)
    number = models.CharField(_("文书编号"), max_length=60, blank=True, db_index=True)
    held_on = models.DateField(_("日期"), db_index=True)
    platform_attendees = models.TextField(_("平台方参加人员"), blank=True)
    bureau_attendees = models.TextField(_("本局参加人员"), blank=True)
    matters = models.TextField(_("指出的问题和要求"))
    file = _file(_("文书"))
    state = models.CharField(
        _("状态"), max_length=10, choices=GuidanceState.choices, default=GuidanceState.OPEN, db_index=True
    )
    report_received_on = models.DateField(_("收到整改报告日期"), null=True, blank=True)
    report = models.TextField(_("整改报告摘要"), blank=True)
    report_file = _file(_("整改报告"))
    assessment = models.CharField(_("评估结论"), max_length=10, choices=Assessment.choices, blank=True)
    assessment_note = models.TextField(_("评估意见"), blank=True)
    assessed_on = models.DateField(_("评估日期"), null=True, blank=True)
    created_by = _by()

    class Meta:
        verbose_name = _("平台行政指导")
        verbose_name_plural = _("平台行政指导")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["bureau", "platform", "kind"])]

    def __str__(self) -> str:
        return f"{self.platform} {self.get_kind_display()} {self.number or self.held_on}"

    def get_absolute_url(self) -> str:
        return reverse("outreach:guidance", args=[self.pk])


class GuidanceItem(models.Model):
    """A follow-up item of a 行政指导 with its deadline (its work item reminds and goes to 督办)."""

    guidance = models.ForeignKey(Guidance, on_delete=models.CASCADE, related_name="items")
    text = models.TextField(_("整改事项"))
    due = models.DateField(_("期限"))
    due_basis = models.CharField(_("期限依据"), max_length=300, blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.TextField(_("完成情况"), blank=True)

    class Meta:
        verbose_name = _("行政指导整改事项")
        verbose_name_plural = _("行政指导整改事项")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.text[:40]

    def get_absolute_url(self) -> str:
        return reverse("outreach:guidance", args=[self.guidance_id])


class PlatformRequest(_Audited):
    """A letter to a platform: take listings down, hand data over, or stop serving a seller, and its answer."""

    bureau = _bureau()
    platform = _platform("outreach_requests")
    kind = models.CharField(_("请求类型"), max_length=10, choices=RequestKind.choices, db_index=True)
    number = models.CharField(_("函号"), max_length=60, blank=True, db_index=True)
    sent_on = models.DateField(_("发函日期"), db_index=True)
    basis = models.TextField(_("法律依据"))
    urls = models.TextField(_("链接（每行一个）"), blank=True)
    link_count = models.PositiveIntegerField(_("链接数"), default=0)
    data_scope = models.TextField(_("调取的数据"), blank=True)
    period_from = models.DateField(_("数据期间自"), null=True, blank=True)
    period_to = models.DateField(_("数据期间至"), null=True, blank=True)
    seller = models.CharField(_("平台内经营者（名称/店铺ID）"), max_length=200, blank=True)
    measure = models.TextField(_("要求采取的措施"), blank=True)
    file = _file(_("函件"))
    due = models.DateField(_("答复期限"), null=True, blank=True)
    due_basis = models.TextField(_("期限依据"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answer = models.CharField(_("答复"), max_length=10, choices=Answer.choices, blank=True)
    answer_reason = models.TextField(_("未办理部分的理由"), blank=True)
    answer_file = _file(_("答复文件"))
    links_removed = models.PositiveIntegerField(_("已下架链接数"), default=0)
    answered_late = models.BooleanField(_("逾期答复"), default=False)
    created_by = _by()

    class Meta:
        verbose_name = _("对平台的请求")
        verbose_name_plural = _("对平台的请求")
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["bureau", "platform", "kind"])]

    def __str__(self) -> str:
        return f"{self.number or '#' + str(self.pk)} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("outreach:request", args=[self.pk])

    def url_list(self) -> list[str]:
        return [line.strip() for line in self.urls.splitlines() if line.strip()]


class Authority(_Audited):
    """Another authority the bureau asks for help: the police, 通信管理局, a carrier, the procuratorate."""

    bureau = _bureau()
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类别"), max_length=16, choices=AuthorityKind.choices)
    contact = models.CharField(_("联系人"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)

    audit_masked = ("phone",)

    class Meta:
        verbose_name = _("协作部门")
        verbose_name_plural = _("协作部门")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["bureau", "name"], name="outreach_authority_unique")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("outreach:authority", args=[self.pk])


class AuthorityRequest(_Audited):
    """A request to another authority: the letter, its receipt (回执) and what the authority did.

    A case sent to the police (行刑衔接) is one: ``case_number`` names it, and the case's transfer and the
    police's receipt and decision are written here by ``cases`` as they are recorded there.
    """

    bureau = _bureau()
    authority = models.ForeignKey(
        Authority, verbose_name=_("接收部门"), on_delete=models.PROTECT, related_name="requests"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=AuthorityRequestKind.choices, db_index=True)
    number = models.CharField(_("函号"), max_length=60, blank=True, db_index=True)
    sent_on = models.DateField(_("发出日期"), db_index=True)
    subject = models.TextField(_("事项"))
    materials = models.TextField(_("材料清单"), blank=True)
    file = _file(_("函件"))
    case_number = models.CharField(_("案件编号"), max_length=60, blank=True, db_index=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=AuthorityState.choices, default=AuthorityState.SENT, db_index=True
    )
    receipt_due = models.DateField(_("回执跟进期限"), null=True, blank=True)
    receipt_on = models.DateField(_("回执日期"), null=True, blank=True)
    receipt_file = _file(_("回执"))
    procuratorate_copy = models.BooleanField(_("已抄送检察院"), default=False)
    outcome_due = models.DateField(_("处理结果跟进期限"), null=True, blank=True)
    outcome = models.TextField(_("处理结果"), blank=True)
    outcome_on = models.DateField(_("处理结果日期"), null=True, blank=True)
    created_by = _by()

    class Meta:
        verbose_name = _("外部门协作请求")
        verbose_name_plural = _("外部门协作请求")
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["bureau", "kind", "state"])]

    def __str__(self) -> str:
        return f"{self.number or self.case_number or '#' + str(self.pk)} → {self.authority}"

    def get_absolute_url(self) -> str:
        return reverse("outreach:authority_request", args=[self.pk])

    @property
    def from_case(self) -> bool:
        return self.kind == AuthorityRequestKind.POLICE_TRANSFER and bool(self.case_number)
