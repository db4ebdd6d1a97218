"""The organisation: bureaus, departments, stations, users, the leading group, the duty list and notices."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangjian.core.models import AuditedModel
from wangjian.org.choices import (
    BureauLevel,
    DepartmentKind,
    Domain,
    DutyRole,
    GroupPosition,
    Role,
    TerritoryRule,
)

division_code = RegexValidator(r"^\d{6}$", _("行政区划代码应为6位数字(GB/T 2260)"))


class Bureau(AuditedModel):
    """A market regulation bureau (市场监督管理局) at province, city or county level."""

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("行政区划代码"), max_length=6, unique=True, validators=[division_code])
    level = models.CharField(_("层级"), max_length=10, choices=BureauLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级局"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("市场监管局")
        verbose_name_plural = _("市场监管局")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:bureau", args=[self.pk])

    def audit_bureau_id(self) -> int | None:
        return self.pk

    def ancestors(self) -> list[Bureau]:
        out, node = [], self.parent
        while node is not None:
            out.append(node)
            node = node.parent
        return out

    def descendant_ids(self) -> set[int]:
        ids, frontier = {self.pk}, [self.pk]
        while frontier:
            children = Bureau.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            frontier = [pk for pk in children if pk not in ids]  # a cycle in bad data must not loop forever
            ids.update(frontier)
        return ids

    def office(self) -> Department | None:
        """The leading group's office (领导小组办公室), usually at the network-supervision department."""
        group = getattr(self, "leading_group", None)
        if group and group.office_department_id:
            return group.office_department
        return self.departments.filter(kind=DepartmentKind.ONLINE_TRADE, is_active=True).first()


class Department(AuditedModel):
    """A unit of a bureau (科室/股/处/队) with a kind from the controlled vocabulary."""

    bureau = models.ForeignKey(
        Bureau, verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("职能类别"), max_length=32, choices=DepartmentKind.choices)
    phone = models.CharField(_("办公电话"), max_length=40, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("科室")
        verbose_name_plural = _("科室")
        ordering = ["bureau__code", "name"]
        constraints = [models.UniqueConstraint(fields=["bureau", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:department", args=[self.pk])


class Station(AuditedModel):
    """A grassroots station (市场监管所) and its territory: township/street codes (9 digits) or prefixes."""

    bureau = models.ForeignKey(
        Bureau, verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="stations"
    )
    name = models.CharField(_("名称"), max_length=100)
    territory = models.JSONField(
        _("辖区(乡镇/街道代码)"),
        default=list,
        blank=True,
        help_text=_("乡镇/街道区划代码，一行一个；也可填写代码前缀"),
    )
    territory_names = models.CharField(_("辖区名称"), max_length=300, blank=True)
    phone = models.CharField(_("办公电话"), max_length=40, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("基层所")
        verbose_name_plural = _("基层所")
        ordering = ["bureau__code", "name"]
        constraints = [models.UniqueConstraint(fields=["bureau", "name"], name="station_unique_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:station", args=[self.pk])

    def covers(self, region_code: str) -> str | None:
        """The territory code that covers ``region_code`` (longest prefix), or None."""
        best = None
        for code in self.territory or []:
            code = str(code).strip()
            if code and str(region_code).startswith(code) and (best is None or len(code) > len(best)):
                best = code
        return best


class User(AbstractUser, AuditedModel):
    """A member of staff. Their bureau, department or station scopes what they see; their role what they may do."""

    name = models.CharField(_("姓名"), max_length=50, blank=True)
    bureau = models.ForeignKey(
        Bureau,
        verbose_name=_("所属局"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("科室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # a unit with staff is deactivated, not deleted
        related_name="users",
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("基层所"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # a unit with staff is deactivated, not deleted
        related_name="users",
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    # 负责人: approves what the procedure reserves to the bureau's head (立案, 不予立案, extensions,
    # transfers to the police) — 市场监督管理行政处罚程序规定 arts. 18, 20, 64. Set by the office.
    is_bureau_head = models.BooleanField(_("局负责人"), default=False)
    # 行政执法证: only holders handle cases (程序规定 art. 20: two or more officers holding it)
    enforcement_certificate = models.CharField(_("执法证号"), max_length=40, blank=True)
    certificate_valid_until = models.DateField(_("执法证有效期至"), null=True, blank=True)
    failed_logins = models.PositiveSmallIntegerField(_("连续登录失败次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    objects = UserManager()

    audit_exclude = ("password",)
    audit_ignore = ("last_login", "failed_logins", "locked_until")
    audit_masked = ("phone",)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.name or self.username}"

    def get_absolute_url(self) -> str:
        return reverse("org:user", args=[self.pk])

    def clean(self):
        super().clean()
        if self.department_id and self.bureau_id and self.department.bureau_id != self.bureau_id:
            raise ValidationError({"department": _("科室必须属于该用户所在的局")})
        if self.station_id and self.bureau_id and self.station.bureau_id != self.bureau_id:
            raise ValidationError({"station": _("基层所必须属于该用户所在的局")})
        if self.role == Role.PROVINCE_OFFICE and (
            self.bureau is None or self.bureau.level != BureauLevel.PROVINCE
        ):
            # The province office keeps the national calendar: a role of a province's own instance.
            raise ValidationError({"role": _("省局办公室管理员只能是省级局的人员")})

    @property
    def is_locked(self) -> bool:
        return bool(self.locked_until and self.locked_until > timezone.now())

    @property
    def unit(self) -> Department | Station | None:
        return self.station or self.department

    def holds_certificate(self, on=None) -> bool:
        """Holds a valid enforcement certificate (行政执法证) on ``on`` (today by default)."""
        if not self.enforcement_certificate.strip():
            return False
        day = on or timezone.localdate()
        return self.certificate_valid_until is None or self.certificate_valid_until >= day


class LeadingGroup(AuditedModel):
    """The bureau's leading group for online–offline integrated supervision (一体化监管工作领导小组)."""

    bureau = models.OneToOneField(
        Bureau, verbose_name=_("所属局"), on_delete=models.CASCADE, related_name="leading_group"
    )
    name = models.CharField(_("名称"), max_length=150, default="线上线下一体化监管工作领导小组")
    office_department = models.ForeignKey(
        Department,
        verbose_name=_("办公室设在"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    document = models.CharField(_("成立文件"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("领导小组")
        verbose_name_plural = _("领导小组")

    def __str__(self) -> str:
        return f"{self.bureau} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("org:leading_group", args=[self.pk])


class LeadingGroupMember(AuditedModel):
    group = models.ForeignKey(
        LeadingGroup, verbose_name=_("领导小组"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(User, verbose_name=_("成员"), on_delete=models.CASCADE, related_name="+")
    position = models.CharField(
        _("职务"), max_length=10, choices=GroupPosition.choices, default=GroupPosition.MEMBER
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("成员单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("领导小组成员")
        verbose_name_plural = _("领导小组成员")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="leading_group_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_position_display()})"

    def audit_bureau_id(self) -> int | None:
        return self.group.bureau_id


class Liaison(AuditedModel):
    """The one liaison (联络员) of a member department."""

    group = models.ForeignKey(
        LeadingGroup, verbose_name=_("领导小组"), on_delete=models.CASCADE, related_name="liaisons"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("成员单位"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(User, verbose_name=_("联络员"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("联络员")
        verbose_name_plural = _("联络员")
        constraints = [
            models.UniqueConstraint(fields=["group", "department"], name="one_liaison_per_department")
        ]

    def __str__(self) -> str:
        return f"{self.department}: {self.user}"

    def audit_bureau_id(self) -> int | None:
        return self.group.bureau_id


class DutyRuleQuerySet(models.QuerySet):
    def active_on(self, day: dt.date | None = None):
        day = day or timezone.localdate()
        return self.filter(models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day)).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )


class DutyRule(AuditedModel):
    """One row of the duty list (职责清单): a domain, the department kind responsible, and why.

    "谁监管、谁检查、谁负责": routing of clues (``org.services.responsible_for``) reads only
    this table. A ``station`` territory rule sends matters located in a station's
    territory to that station, others to the department.
    """

    bureau = models.ForeignKey(
        Bureau, verbose_name=_("所属局"), on_delete=models.CASCADE, related_name="duty_rules"
    )
    domain = models.CharField(_("监管领域"), max_length=32, choices=Domain.choices)
    department_kind = models.CharField(_("责任科室类别"), max_length=32, choices=DepartmentKind.choices)
    role = models.CharField(_("职责"), max_length=8, choices=DutyRole.choices, default=DutyRole.LEAD)
    duties = models.TextField(_("监管内容"), blank=True)
    legal_basis_law = models.CharField(_("法律依据"), max_length=200, blank=True)
    legal_basis_article = models.CharField(_("条款"), max_length=100, blank=True)
    territory_rule = models.CharField(
        _("属地规则"), max_length=10, choices=TerritoryRule.choices, default=TerritoryRule.NONE
    )
    valid_from = models.DateField(_("生效日期"), null=True, blank=True)
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)

    objects = DutyRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("职责清单条目")
        verbose_name_plural = _("职责清单")
        ordering = ["bureau__code", "domain", "role", "id"]

    def __str__(self) -> str:
        return (
            f"{self.get_domain_display()} → {self.get_department_kind_display()}（{self.get_role_display()}）"
        )

    def get_absolute_url(self) -> str:
        return reverse("org:dutyrule", args=[self.pk])

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("失效日期不能早于生效日期")})

    @property
    def legal_basis(self) -> str:
        return f"{self.legal_basis_law}{self.legal_basis_article}".strip()


class LoginDay(models.Model):
    """That a user logged in on a date; the office checks daily log-in (the Shandong norms)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_days")
    date = models.DateField(db_index=True)
    first_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="login_day_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.date}"


class Notice(AuditedModel):
    """A notice (通知/通报) from a bureau to subordinate bureaus, departments or stations, with read receipts."""

    class Kind(models.TextChoices):
        NOTICE = "notice", _("通知")
        BULLETIN = "bulletin", _("通报")

    bureau = models.ForeignKey(
        Bureau, verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="notices_sent"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.NOTICE)
    number = models.CharField(_("文号"), max_length=80, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    author = models.ForeignKey(
        User, verbose_name=_("发布人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    target_bureaus = models.ManyToManyField(Bureau, verbose_name=_("发送至局"), blank=True, related_name="+")
    target_departments = models.ManyToManyField(
        Department, verbose_name=_("发送至科室"), blank=True, related_name="+"
    )
    target_stations = models.ManyToManyField(
        Station, verbose_name=_("发送至基层所"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("通知通报")
        verbose_name_plural = _("通知通报")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("org:notice", args=[self.pk])


def notice_attachment_storage():
    """Attachments of notices in the ``notices`` area of ``WANGJIAN_STORAGE`` (a folder, or S3)."""
    from wangjian.core.storage import AreaStorage

    return AreaStorage("notices")


class NoticeAttachment(models.Model):
    """A document sent with a notice (a 通报 is often the document itself: a table, a decision)."""

    notice = models.ForeignKey(
        Notice, verbose_name=_("通知通报"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("附件"), upload_to="%Y/%m/", storage=notice_attachment_storage)
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("通知附件")
        verbose_name_plural = _("通知附件")

    def __str__(self) -> str:
        return self.name
