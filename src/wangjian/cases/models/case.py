"""Enforcement cases (涉网违法行为执法办案): the case file, its officers and its history.

The rules live in ``cases/services``; these models hold what was decided and why (the
jurisdiction's ground, each deadline's basis, who approved), so that an officer — or a court —
can read it back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangjian.cases.choices import (
    BEFORE_DECISION,
    DRAFTING,
    Action,
    CaseState,
    Jurisdiction,
    PartyKind,
    Procedure,
    Proposal,
    SourceKind,
)
from wangjian.core.models import AuditedModel
from wangjian.org.choices import Domain


class Case(AuditedModel):
    """A case from its 审批表 to its closing: opened from a clue or directly, numbered when approved."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="cases"
    )
    number = models.CharField(_("立案编号"), max_length=60, blank=True, db_index=True)
    title = models.CharField(_("案由"), max_length=200)
    domain = models.CharField(_("监管领域"), max_length=32, choices=Domain.choices)
    procedure = models.CharField(
        _("程序"), max_length=10, choices=Procedure.choices, default=Procedure.GENERAL
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=CaseState.choices, default=CaseState.DRAFT, db_index=True
    )
    proposal = models.CharField(_("审批事项"), max_length=10, choices=Proposal.choices, default=Proposal.FILE)
    major = models.BooleanField(_("重大案件"), default=False, help_text=_("须法制审核并集体讨论"))
    typical = models.BooleanField(_("典型案例"), default=False)
    # where it came from
    clue = models.OneToOneField(
        "clues.Clue",
        verbose_name=_("来源线索"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case",
    )
    source_kind = models.CharField(_("案件来源"), max_length=16, choices=SourceKind.choices)
    evidence_refs = models.JSONField(_("证据编号"), default=list, blank=True)
    # the party (当事人)
    entity = models.ForeignKey(
        "registry.MarketEntity",
        verbose_name=_("市场主体"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    presence = models.ForeignKey(
        "registry.Presence",
        verbose_name=_("网络经营场所"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    party_name = models.CharField(_("当事人"), max_length=200)
    party_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    party_kind = models.CharField(
        _("当事人类别"), max_length=12, choices=PartyKind.choices, default=PartyKind.ORGANISATION
    )
    party_region = models.CharField(_("当事人住所地/实际经营地区划"), max_length=12, blank=True)
    presence_label = models.CharField(_("网店/网址"), max_length=500, blank=True)
    platform_region = models.CharField(_("平台住所地区划"), max_length=12, blank=True)
    facts = models.TextField(_("案情摘要"))
    provisions = models.TextField(_("涉嫌违反的法律条款"), blank=True)
    # the filing decision (程序规定 art. 18)
    discovered_on = models.DateField(_("发现线索/收到材料日期"))
    filing_due = models.DateField(_("立案决定期限"), null=True, blank=True)
    filing_basis = models.TextField(_("立案决定期限依据"), blank=True)
    filing_provisional = models.BooleanField(_("立案决定期限暂定"), default=False)
    filed_late = models.BooleanField(_("超期立案"), default=False)
    # jurisdiction (管辖), checked on drafting
    jurisdiction = models.CharField(_("管辖依据"), max_length=16, choices=Jurisdiction.choices, blank=True)
    jurisdiction_basis = models.TextField(_("管辖说明"), blank=True)
    jurisdiction_dispute = models.TextField(_("管辖争议"), blank=True)
    # who handles it
    department = models.ForeignKey(
        "org.Department", verbose_name=_("办案机构"), on_delete=models.PROTECT, related_name="cases"
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CaseOfficer",
        through_fields=("case", "user"),
        verbose_name=_("办案人员"),
        related_name="cases",
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填表人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    drafted_at = models.DateTimeField(_("填表时间"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办案机构负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交审批时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    approval_opinion = models.TextField(_("审批意见"), blank=True)
    not_filed_reason = models.TextField(_("不予立案理由"), blank=True)
    opened_on = models.DateField(_("立案日期"), null=True, blank=True, db_index=True)
    # the decision clock (程序规定 art. 64: 90 days from filing), run by a work item
    decision_due = models.DateField(_("决定期限"), null=True, blank=True, db_index=True)
    # ``decision_due`` while the clock runs, else empty: the list orders by it (running first) on an index
    running_due = models.DateField(_("在办期限"), null=True, blank=True, editable=False)
    decision_basis = models.TextField(_("决定期限依据"), blank=True)
    decision_provisional = models.BooleanField(_("决定期限暂定"), default=False)
    decision_overdue = models.BooleanField(_("决定逾期"), default=False)
    suspended_days = models.PositiveIntegerField(_("不计入天数"), default=0)  # of the stops that ended
    stopped_since = models.DateField(_("中止自"), null=True, blank=True)  # a stop still running
    extension_days = models.PositiveIntegerField(_("延长天数"), default=0)
    # the procedure
    review_opinion = models.TextField(_("核审意见"), blank=True)
    legal_opinion = models.TextField(_("法制审核意见"), blank=True)
    notified_on = models.DateField(_("告知书送达日期"), null=True, blank=True)
    statement_due = models.DateField(_("陈述申辩期限"), null=True, blank=True)
    hearing_on = models.DateField(_("听证日期"), null=True, blank=True)
    hearing_held_on = models.DateField(_("听证举行日期"), null=True, blank=True)
    hearing_report = models.TextField(_("听证报告（主持人意见建议）"), blank=True)
    discussion_minutes = models.TextField(_("集体讨论意见"), blank=True)
    # the outcome
    penalised = models.BooleanField(_("给予行政处罚"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_number = models.CharField(_("处罚决定书文号"), max_length=60, blank=True)
    decision_summary = models.TextField(_("处理决定"), blank=True)
    fine_amount = models.DecimalField(_("罚款（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    confiscated_amount = models.DecimalField(
        _("没收违法所得（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    executed_on = models.DateField(_("执行完毕日期"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    transfer_target = models.CharField(_("移送机关"), max_length=200, blank=True)
    transfer_to_police = models.BooleanField(_("涉嫌犯罪移送公安"), default=False)
    transferred_on = models.DateField(_("移送日期"), null=True, blank=True)
    # 行刑衔接 (国务院令第310号): the officers' report, the head's decision within 3 days, the police's answer
    police_reported_on = models.DateField(_("涉嫌犯罪移送报告日期"), null=True, blank=True)
    police_report = models.TextField(_("涉嫌犯罪移送报告"), blank=True)
    police_approved_on = models.DateField(_("批准移送日期"), null=True, blank=True)
    police_received_on = models.DateField(_("公安机关回执日期"), null=True, blank=True)
    procuratorate_copy = models.BooleanField(_("已抄送检察院"), default=False)
    police_decision = models.CharField(
        _("公安机关决定"),
        max_length=10,
        blank=True,
        choices=[("accepted", _("立案")), ("declined", _("不予立案"))],
    )
    police_decided_on = models.DateField(_("公安机关决定日期"), null=True, blank=True)
    police_note = models.TextField(_("公安机关决定说明"), blank=True)
    penalty_kinds = models.JSONField(_("处罚种类"), default=list, blank=True)
    transfer_materials = models.TextField(_("移送材料清单"), blank=True)
    transfer_received_on = models.DateField(_("接收机关签收日期"), null=True, blank=True)
    transfer_outcome = models.TextField(_("接收机关处理结果"), blank=True)
    # the decision's 裁量基准 (discretion benchmarks) and the reason for the amount chosen
    discretion = models.ManyToManyField(
        "cases.DiscretionBenchmark", verbose_name=_("适用的裁量基准"), blank=True, related_name="cases"
    )
    discretion_reason = models.TextField(_("裁量说明"), blank=True)
    # 责令改正 (行政处罚法 art. 28): what was ordered, by when, and the follow-up check
    rectification_order = models.TextField(_("责令改正内容"), blank=True)
    rectify_by = models.DateField(_("改正期限"), null=True, blank=True)
    rectification_checked_on = models.DateField(_("复查日期"), null=True, blank=True)
    rectified = models.BooleanField(_("已改正"), null=True, blank=True)
    rectification_note = models.TextField(_("复查情况"), blank=True)
    # execution of a fine (行政处罚法 arts. 67, 72): paid within 15 days, 3 % a day after, capped at the fine
    payment_due = models.DateField(_("缴款期限"), null=True, blank=True)
    paid_on = models.DateField(_("缴款日期"), null=True, blank=True)
    paid_amount = models.DecimalField(
        _("已缴罚款（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    surcharge_amount = models.DecimalField(
        _("加处罚款（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # where the province's case-handling system keeps the record: that system's number for this case
    external_number = models.CharField(_("省级办案系统案件编号"), max_length=60, blank=True, db_index=True)
    # publicity (市场监督管理行政处罚信息公示规定): published within 20 working days (or the bureau's shorter
    # period), shown 3 months or 3 years, withdrawn within 3 working days of a revocation
    publicity_required = models.BooleanField(_("须公示"), default=False)
    publicity_due = models.DateField(_("公示期限"), null=True, blank=True)
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    publicity_until = models.DateField(_("公示截止"), null=True, blank=True)
    publicity_withdrawn_on = models.DateField(_("撤下公示日期"), null=True, blank=True)
    publicity_note = models.CharField(_("公示说明"), max_length=300, blank=True)
    # 举一反三: the gap the case revealed and the measures taken (the seeds ask it of every closed matter)
    lessons = models.TextField(_("举一反三（发现的问题与采取的措施）"), blank=True)

    audit_masked = ("party_name",)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["bureau", "state"]),
            models.Index(fields=["bureau", "opened_on"]),
            models.Index(fields=["bureau", "decided_on"]),
            models.Index(fields=["bureau", "closed_on"]),
            # the running clocks: the list's first page and the overdue filter (bench/cases.py)
            models.Index(
                fields=["bureau", "decision_due"],
                condition=models.Q(state__in=BEFORE_DECISION),
                name="cases_running_due",
            ),
            # PostgreSQL's ascending index keeps NULLs last, as the list orders them
            models.Index(fields=["running_due", "-id"], name="cases_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.number or '（未立案）'} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("cases:case", args=[self.pk])

    def save(self, *args, **kwargs):
        self.running_due = self.decision_due if self.state in BEFORE_DECISION else None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"state", "decision_due"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "running_due"}
        super().save(*args, **kwargs)

    @property
    def is_drafting(self) -> bool:
        return self.state in DRAFTING

    @property
    def clock_running(self) -> bool:
        return self.state in BEFORE_DECISION

    def days_suspended(self, on=None) -> int:
        """Days not counted on the decision clock up to ``on`` (today): ended stops, and the running one."""
        running = 0
        if self.stopped_since:
            running = max(0, ((on or timezone.localdate()) - self.stopped_since).days + 1)
        return self.suspended_days + running

    @property
    def overdue(self) -> bool:
        return bool(
            self.clock_running
            and self.decision_due
            and self.decision_due < timezone.localdate()
            and not self.decision_provisional
        )


class CaseOfficer(models.Model):
    """An officer designated to handle the case by the head of the 办案机构 (程序规定 art. 20)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_officers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办案人员"), on_delete=models.PROTECT, related_name="+"
    )
    lead = models.BooleanField(_("主办"), default=False)
    certificate = models.CharField(_("执法证号"), max_length=40)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("指定人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    designated_at = models.DateTimeField(_("指定时间"), default=timezone.now)

    class Meta:
        verbose_name = _("办案人员")
        verbose_name_plural = _("办案人员")
        ordering = ["-lead", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="cases_officer_unique")]

    def __str__(self) -> str:
        return f"{self.user}（{self.certificate}）"


class CaseEvent(models.Model):
    """One step of the case, as the transition table allowed it, with who took it and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=16, choices=CaseState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=16, choices=CaseState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=50)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    comment = models.TextField(_("说明"), blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("办案记录")
        verbose_name_plural = _("办案记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["action", "case"], name="cases_event_action")]

    def __str__(self) -> str:
        return f"{self.case} {self.get_action_display()}"


class CaseDocument(models.Model):
    """A document of the case (执法文书): drafted from the case, edited, then issued — numbered and printed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("文书"), max_length=32)
    title = models.CharField(_("文书名称"), max_length=100)
    body = models.TextField(_("正文"))
    number = models.CharField(_("文号"), max_length=60, blank=True)
    issued = models.BooleanField(_("已签发"), default=False)
    issued_on = models.DateField(_("签发日期"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evidence = models.JSONField(_("证据清单"), default=list, blank=True)  # fixed when issued
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(_("PDF字节数"), null=True, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("拟稿人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    drafted_at = models.DateTimeField(_("拟稿时间"), default=timezone.now)

    class Meta:
        verbose_name = _("执法文书")
        verbose_name_plural = _("执法文书")
        ordering = ["drafted_at", "id"]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip()


class CaseSettings(models.Model):
    """A bureau's settings of its case work: what counts as a 较低数额罚款 for publicity (公示规定 art. 11)."""

    bureau = models.OneToOneField("org.Bureau", on_delete=models.CASCADE, related_name="case_settings")
    low_fine_person = models.DecimalField(
        _("较低数额罚款（自然人，元以下）"), max_digits=12, decimal_places=2, default=10000
    )
    low_fine_organisation = models.DecimalField(
        _("较低数额罚款（法人或其他组织，元以下）"), max_digits=12, decimal_places=2, default=100000
    )
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    # 听证办法 art. 5: the fines from which a hearing is offered, unless the province sets other amounts
    hearing_fine_person = models.DecimalField(
        _("听证标准（自然人，罚款元以上）"), max_digits=12, decimal_places=2, default=10000
    )
    hearing_fine_organisation = models.DecimalField(
        _("听证标准（法人或其他组织，罚款元以上）"), max_digits=12, decimal_places=2, default=100000
    )
    hearing_basis = models.CharField(_("听证标准依据"), max_length=300, blank=True)
    # which system is the record (README: "Case-handling modes")
    record_system = models.CharField(
        _("案件记录系统"),
        max_length=10,
        choices=[("wangjian", _("本平台为办案记录")), ("province", _("省级办案系统为记录，本平台同步"))],
        default="wangjian",
    )
    province_system = models.CharField(_("省级办案系统名称"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("案件办理设置")
        verbose_name_plural = _("案件办理设置")

    def __str__(self) -> str:
        return f"{self.bureau} 案件办理设置"
