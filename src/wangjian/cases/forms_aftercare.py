"""Forms of the after-decision steps and the measures; they only collect input — ``services.aftercare`` decides.

A form with ``takes_case`` gets the case (``forms.action_form``): its choices are the case's own — the
pending remedies, the running measures, the bureau's heads who approve a measure.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wangjian.cases.choices import Action
from wangjian.cases.models import Case, CaseMeasure, CaseRemedy, MeasureKind, RemedyKind, RemedyOutcome
from wangjian.org.models import User
from wangjian.platform.forms import StyledForm

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class PaymentForm(StyledForm):
    paid_on = forms.DateField(label=_("缴款日期"), **DATE)
    amount = forms.DecimalField(label=_("缴款金额（元）"), min_value=0, decimal_places=2, max_digits=14)
    note = forms.CharField(label=_("说明（如经批准分期缴纳，写明批准情况）"), required=False, max_length=300)


class RectifiedSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "—"), ("true", _("已改正")), ("false", _("未改正"))]


class RectifyCheckForm(StyledForm):
    checked_on = forms.DateField(label=_("复查日期"), **DATE)
    rectified = forms.NullBooleanField(label=_("复查结果"), required=True, widget=RectifiedSelect)
    note = forms.CharField(label=_("复查情况"), widget=forms.Textarea(attrs={"rows": 2}))
    next_check = forms.DateField(label=_("再次复查日期（未改正的，可另定）"), required=False, **DATE)


class RemedyForm(StyledForm):
    kind = forms.ChoiceField(label=_("救济途径"), choices=RemedyKind.choices)
    body = forms.CharField(label=_("复议机关/人民法院"), max_length=200)
    filed_on = forms.DateField(label=_("申请/起诉日期"), **DATE)
    note = forms.CharField(label=_("说明"), required=False)


class RemedyOutcomeForm(StyledForm):
    remedy = forms.ModelChoiceField(label=_("复议或诉讼"), queryset=CaseRemedy.objects.none())
    outcome = forms.ChoiceField(
        label=_("结果"), choices=[(k, v) for k, v in RemedyOutcome.choices if k != RemedyOutcome.PENDING]
    )
    decided_on = forms.DateField(label=_("决定/裁判日期"), **DATE)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    takes_case = True

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["remedy"].queryset = CaseRemedy.objects.filter(
                case=case, outcome=RemedyOutcome.PENDING
            )
            self.fields["remedy"].label_from_instance = lambda r: (
                f"{r.get_kind_display()}（{r.body}，{r.filed_on:%Y-%m-%d}）"
            )


class MeasureForm(StyledForm):
    kind = forms.ChoiceField(label=_("措施"), choices=MeasureKind.choices)
    items = forms.CharField(label=_("物品清单"), widget=forms.Textarea(attrs={"rows": 3}))
    started_on = forms.DateField(label=_("采取日期"), **DATE)
    approved_by = forms.ModelChoiceField(label=_("批准的负责人"), queryset=User.objects.none())
    urgent = forms.BooleanField(
        label=_("情况紧急，当场采取（二十四小时内报告负责人并补办批准手续）"), required=False
    )
    note = forms.CharField(label=_("说明"), required=False)

    takes_case = True

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["approved_by"].queryset = User.objects.filter(
                bureau_id=case.bureau_id, is_bureau_head=True, is_active=True
            )


def _running(case: Case, **kw):
    return CaseMeasure.objects.filter(case=case, ended_on__isnull=True, **kw)


def _measure_label(m: CaseMeasure) -> str:
    return f"{m.get_kind_display()}（{m.started_on:%Y-%m-%d} 起，期限 {m.due or '—'}）：{m.items[:30]}"


class MeasureExtendForm(StyledForm):
    measure = forms.ModelChoiceField(label=_("查封、扣押"), queryset=CaseMeasure.objects.none())
    days = forms.IntegerField(label=_("延长天数（不超过三十日）"), min_value=1, max_value=30, initial=30)
    reason = forms.CharField(label=_("理由（情况复杂的具体情形）"), widget=forms.Textarea(attrs={"rows": 2}))

    takes_case = True

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["measure"].queryset = _running(case, kind=MeasureKind.SEIZURE, extended=False)
            self.fields["measure"].label_from_instance = _measure_label


class MeasureEndForm(StyledForm):
    measure = forms.ModelChoiceField(label=_("措施"), queryset=CaseMeasure.objects.none())
    ended_on = forms.DateField(label=_("解除/处理日期"), **DATE)
    outcome = forms.CharField(
        label=_("处理结果"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "如：解除；证据保全后解除；送检测、检验、鉴定；转为查封、扣押；依处罚决定没收；移送有关机关"
        ),
    )

    takes_case = True

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["measure"].queryset = _running(case)
            self.fields["measure"].label_from_instance = _measure_label


AFTERCARE_FORMS: dict[str, type[forms.Form]] = {
    Action.PAYMENT: PaymentForm,
    Action.RECTIFY_CHECK: RectifyCheckForm,
    Action.REMEDY: RemedyForm,
    Action.REMEDY_OUTCOME: RemedyOutcomeForm,
    Action.MEASURE: MeasureForm,
    Action.MEASURE_EXTEND: MeasureExtendForm,
    Action.MEASURE_END: MeasureEndForm,
}
