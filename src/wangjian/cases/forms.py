"""Forms of the case pages; they only collect input — the services decide."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangjian.cases.choices import Action, PartyKind, PenaltyKind, Proposal, SourceKind
from wangjian.cases.models import Case, DiscretionBenchmark
from wangjian.core.errors import ValidationFailed, WangjianError
from wangjian.org.choices import Domain
from wangjian.org.models import Department, User
from wangjian.platform.clocks import catalogue
from wangjian.platform.clocks.catalogue import SuspensionKind
from wangjian.platform.forms import StyledForm

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class CaseDraftForm(StyledForm):
    """立案审批表 / 不予立案审批表."""

    proposal = forms.ChoiceField(label=_("审批事项"), choices=Proposal.choices, initial=Proposal.FILE)
    title = forms.CharField(label=_("案由"), max_length=200)
    domain = forms.ChoiceField(label=_("监管领域"), choices=Domain.choices)
    source_kind = forms.ChoiceField(
        label=_("案件来源"), choices=SourceKind.choices, initial=SourceKind.MANUAL
    )
    party_name = forms.CharField(label=_("当事人"), max_length=200)
    party_uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    party_kind = forms.ChoiceField(label=_("当事人类别"), choices=PartyKind.choices)
    party_region = forms.RegexField(
        label=_("住所地/实际经营地区划代码"), regex=r"^\d{6,12}$", required=False, help_text=_("用于核对管辖")
    )
    presence_label = forms.CharField(label=_("网店/网址"), max_length=500, required=False)
    presence_kind = forms.ChoiceField(
        label=_("经营场所类型"),
        required=False,
        choices=[
            ("", "—"),
            ("platform_shop", _("平台内经营者（平台网店）")),
            ("website", _("自建网站、其他网络服务或平台经营者")),
        ],
    )
    platform_region = forms.RegexField(label=_("平台住所地区划代码"), regex=r"^\d{6,12}$", required=False)
    facts = forms.CharField(label=_("案情摘要"), widget=forms.Textarea(attrs={"rows": 4}))
    provisions = forms.CharField(
        label=_("涉嫌违反的法律条款"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    discovered_on = forms.DateField(label=_("发现线索/收到材料日期"), required=False, **DATE)
    department = forms.ModelChoiceField(
        label=_("办案机构"), queryset=Department.objects.none(), required=False
    )
    major = forms.BooleanField(label=_("重大案件（须法制审核、集体讨论）"), required=False)
    jurisdiction_dispute = forms.CharField(
        label=_("管辖争议/指定管辖说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    not_filed_reason = forms.CharField(
        label=_("不予立案理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, bureau=None, from_clue: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if bureau is not None:
            self.fields["department"].queryset = Department.objects.filter(bureau=bureau, is_active=True)
        if from_clue:  # the clue's discovery date and source are the case's
            for name in ("discovered_on", "source_kind"):
                self.fields[name].disabled = True
                self.fields[name].required = False


class DesignateForm(StyledForm):
    officers = forms.ModelMultipleChoiceField(
        label=_("办案人员（两名以上，须持行政执法证）"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    lead = forms.ModelChoiceField(label=_("主办人"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            staff = User.objects.filter(bureau_id=case.bureau_id, is_active=True).exclude(
                enforcement_certificate=""
            )
            self.fields["officers"].queryset = staff
            self.fields["lead"].queryset = staff
            self.fields["officers"].label_from_instance = lambda u: f"{u}（{u.enforcement_certificate}）"


class OpinionForm(StyledForm):
    opinion = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RequiredOpinionForm(StyledForm):
    opinion = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(StyledForm):
    comment = forms.CharField(label=_("说明"), required=False)


class ReportForm(StyledForm):
    report = forms.CharField(
        label=_("调查终结报告（结论与处理建议）"), widget=forms.Textarea(attrs={"rows": 3})
    )


class StopForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("不计入事由"),
        choices=[(k, label) for k, label in SuspensionKind.choices if k in catalogue.ART64],
    )
    start = forms.DateField(label=_("开始日期"), **DATE)
    note = forms.CharField(label=_("说明"))


class ResumeForm(StyledForm):
    end = forms.DateField(label=_("结束日期（含当日）"), **DATE)


class ExtendForm(StyledForm):
    days = forms.IntegerField(label=_("延长天数"), min_value=1, initial=30)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))
    collective = forms.BooleanField(label=_("经负责人集体讨论决定（超过三十日）"), required=False)


class NotifyForm(StyledForm):
    served_on = forms.DateField(label=_("告知书送达日期"), **DATE)
    fine_amount = forms.DecimalField(label=_("拟罚款（元）"), required=False, min_value=0, decimal_places=2)
    confiscated_amount = forms.DecimalField(
        label=_("拟没收违法所得和非法财物价值（元）"), required=False, min_value=0, decimal_places=2
    )
    penalty_kinds = forms.MultipleChoiceField(
        label=_("拟处罚种类"),
        choices=PenaltyKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class HearingForm(StyledForm):
    hearing_on = forms.DateField(label=_("听证日期"), **DATE)


class HearingReportForm(StyledForm):
    held_on = forms.DateField(label=_("听证举行日期"), **DATE)
    report = forms.CharField(label=_("听证报告（主持人意见建议）"), widget=forms.Textarea(attrs={"rows": 3}))


class DiscussForm(StyledForm):
    minutes = forms.CharField(label=_("集体讨论意见"), widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(StyledForm):
    penalised = forms.BooleanField(
        label=_("给予行政处罚（不勾选为不予行政处罚）"), required=False, initial=True
    )
    penalty_kinds = forms.MultipleChoiceField(
        label=_("处罚种类"), choices=PenaltyKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(label=_("处理决定"), widget=forms.Textarea(attrs={"rows": 3}))
    fine_amount = forms.DecimalField(label=_("罚款（元）"), required=False, min_value=0, decimal_places=2)
    confiscated_amount = forms.DecimalField(
        label=_("没收违法所得（元）"), required=False, min_value=0, decimal_places=2
    )
    waived = forms.BooleanField(label=_("当事人明确放弃陈述、申辩"), required=False)
    discretion = forms.ModelMultipleChoiceField(
        label=_("适用的裁量基准"),
        queryset=DiscretionBenchmark.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    discretion_reason = forms.CharField(
        label=_("裁量说明（情节、幅度及理由）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    rectification_order = forms.CharField(
        label=_("责令改正内容（行政处罚法第二十八条）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    rectify_by = forms.DateField(label=_("改正期限（期满复查）"), required=False, **DATE)

    takes_case = True

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            qs = DiscretionBenchmark.objects.filter(bureau_id=case.bureau_id, is_active=True)
            if case.domain:
                qs = qs.filter(models.Q(domain=case.domain) | models.Q(domain=""))
            self.fields["discretion"].queryset = qs


class PublishForm(StyledForm):
    published_on = forms.DateField(label=_("公示日期（在公示系统上线之日）"), **DATE)


class UnpublishForm(StyledForm):
    reason = forms.CharField(label=_("理由（决定被撤销、确认违法或者无效）"))
    revoked_on = forms.DateField(label=_("决定被撤销之日"), required=False, **DATE)


class ServeForm(StyledForm):
    served_on = forms.DateField(label=_("送达日期"), **DATE)


class ExecuteForm(StyledForm):
    executed_on = forms.DateField(label=_("执行完毕日期"), **DATE)
    comment = forms.CharField(label=_("执行情况"), required=False)


class TransferForm(StyledForm):
    target = forms.CharField(label=_("接收机关"), max_length=200)
    police = forms.BooleanField(label=_("涉嫌犯罪，移送公安机关"), required=False)
    reason = forms.CharField(label=_("移送理由"), widget=forms.Textarea(attrs={"rows": 2}))
    materials = forms.CharField(
        label=_("移送材料清单（每行一项）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "涉嫌犯罪案件须附涉嫌犯罪案件移送书、调查报告、涉案物品清单、检验报告或鉴定意见等（国务院令第310号第六条）"
        ),
    )


class CloseForm(StyledForm):
    lessons = forms.CharField(
        label=_("举一反三（案件暴露的问题、漏洞与采取的措施）"), widget=forms.Textarea(attrs={"rows": 3})
    )
    comment = forms.CharField(label=_("说明"), required=False)


class TypicalForm(StyledForm):
    typical = forms.BooleanField(label=_("典型案例"), required=False, initial=True)
    note = forms.CharField(label=_("说明"), required=False)


class CrimeReportForm(StyledForm):
    report = forms.CharField(
        label=_("移送报告（涉嫌犯罪的事实、涉案金额、法律依据）"), widget=forms.Textarea(attrs={"rows": 3})
    )


class PoliceReceiptForm(StyledForm):
    received_on = forms.DateField(label=_("公安机关签收日期"), **DATE)
    procuratorate_copy = forms.BooleanField(label=_("已抄送同级人民检察院"), required=False)


class PoliceDecisionForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("公安机关决定"), choices=[("accepted", _("立案")), ("declined", _("不予立案"))]
    )
    decided_on = forms.DateField(label=_("决定日期"), **DATE)
    note = forms.CharField(label=_("说明（不予立案的理由）"), required=False)


class TransferReceiptForm(StyledForm):
    received_on = forms.DateField(label=_("接收机关签收日期"), **DATE)
    outcome = forms.CharField(
        label=_("接收机关处理结果（可后补）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


ACTION_FORMS: dict[str, type[forms.Form]] = {
    Action.DESIGNATE: DesignateForm,
    Action.APPROVE: OpinionForm,
    Action.SEND_BACK: ReasonForm,
    Action.END_INVESTIGATION: ReportForm,
    Action.SUBMIT_REVIEW: CommentForm,
    Action.REVIEWED: RequiredOpinionForm,
    Action.LEGAL_REVIEWED: RequiredOpinionForm,
    Action.NOTIFY: NotifyForm,
    Action.HEARING: HearingForm,
    Action.HEARING_REPORT: HearingReportForm,
    Action.DISCUSS: DiscussForm,
    Action.DECIDE: DecideForm,
    Action.SERVE: ServeForm,
    Action.EXECUTE: ExecuteForm,
    Action.CLOSE: CloseForm,
    Action.TYPICAL: TypicalForm,
    Action.PUBLISH: PublishForm,
    Action.CRIME_REPORT: CrimeReportForm,
    Action.CRIME_REFUSE: ReasonForm,
    Action.POLICE_RECEIPT: PoliceReceiptForm,
    Action.POLICE_DECISION: PoliceDecisionForm,
    Action.TRANSFER_RECEIPT: TransferReceiptForm,
    Action.RESUME_ADMIN: ReasonForm,
    Action.UNPUBLISH: UnpublishForm,
    Action.TRANSFER: TransferForm,
    Action.WITHDRAW: ReasonForm,
    Action.STOP: StopForm,
    Action.RESUME: ResumeForm,
    Action.EXTEND: ExtendForm,
}


def _register() -> None:
    """The forms of the group's and the after-decision steps live beside their concern."""
    from wangjian.cases.forms_aftercare import AFTERCARE_FORMS
    from wangjian.cases.forms_groups import GROUP_FORMS

    ACTION_FORMS.update(GROUP_FORMS)
    ACTION_FORMS.update(AFTERCARE_FORMS)


_register()


def action_form(
    action: str, case: Case, data: Mapping[str, Any] | None = None, *, prefix: str | None = None, **kwargs
) -> forms.Form:
    cls = ACTION_FORMS.get(action)
    if cls is None:
        raise WangjianError(f"未知的操作：{action}", f"Unknown action: {action}", code="unknown_action")
    if cls is DesignateForm or getattr(cls, "takes_case", False):
        kwargs["case"] = case  # a form whose choices come from the case (its officers, tasks, measures)
    return cls(data, prefix=prefix, **kwargs)


def action_input(
    action: str, case: Case, data: Mapping[str, Any], *, prefix: str | None = None
) -> dict[str, Any]:
    """The step's input checked and typed, or refused with what is wrong — for the page and the API alike."""
    form = action_form(action, case, data, prefix=prefix)
    if not form.is_valid():
        problems = {
            str(form.fields[name].label) if name in form.fields else name: [str(e) for e in errors]
            for name, errors in form.errors.items()
        }
        listed = "；".join(f"{label}：{'、'.join(msgs)}" for label, msgs in problems.items())
        raise ValidationFailed(f"操作参数无效：{listed}", "Invalid input for this step", detail=problems)
    return form.cleaned_data
