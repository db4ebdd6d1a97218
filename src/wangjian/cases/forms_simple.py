"""The 当场处罚 form: what the pre-printed decision carries; the page and the API check input with it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangjian.cases.choices import PartyKind, PenaltyKind, SourceKind
from wangjian.cases.forms import DATE
from wangjian.core.errors import ValidationFailed
from wangjian.org.choices import Domain, Role
from wangjian.org.models import Bureau, Department, User
from wangjian.platform.forms import StyledForm


class SpotForm(StyledForm):
    decision_number = forms.CharField(label=_("当场行政处罚决定书编号（预定格式、编有号码）"), max_length=60)
    decided_on = forms.DateField(label=_("决定日期"), **DATE)
    title = forms.CharField(label=_("案由"), max_length=200)
    domain = forms.ChoiceField(label=_("监管领域"), choices=Domain.choices)
    source_kind = forms.ChoiceField(label=_("案件来源"), choices=SourceKind.choices, initial="inspection")
    party_name = forms.CharField(label=_("当事人"), max_length=200)
    party_uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    party_kind = forms.ChoiceField(label=_("当事人类别"), choices=PartyKind.choices)
    presence_label = forms.CharField(label=_("网店/网址/经营场所"), max_length=500, required=False)
    facts = forms.CharField(label=_("违法事实"), widget=forms.Textarea(attrs={"rows": 3}))
    provisions = forms.CharField(
        label=_("违反的法律条款及处罚依据"), widget=forms.Textarea(attrs={"rows": 2})
    )
    penalty_kinds = forms.MultipleChoiceField(
        label=_("处罚种类"),
        choices=[
            (PenaltyKind.WARNING, PenaltyKind.WARNING.label),
            (PenaltyKind.FINE, PenaltyKind.FINE.label),
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    fine_amount = forms.DecimalField(label=_("罚款（元）"), required=False, min_value=0, decimal_places=2)
    summary = forms.CharField(label=_("处罚决定内容"), widget=forms.Textarea(attrs={"rows": 2}))
    department = forms.ModelChoiceField(label=_("办案机构"), queryset=Department.objects.none())
    officers = forms.ModelMultipleChoiceField(
        label=_("共同执法人员（持行政执法证）"),
        queryset=User.objects.none(),
        help_text=_("执法人员不得少于两人（行政处罚法第四十二条）"),
    )
    collected_on_spot = forms.BooleanField(label=_("罚款当场收缴（行政处罚法第六十八条）"), required=False)
    collect_reason = forms.CharField(label=_("当场收缴的理由（一百元以上）"), required=False)

    def __init__(self, *args, bureau: Bureau | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if bureau is not None:
            self.fields["department"].queryset = Department.objects.filter(bureau=bureau, is_active=True)
            self.fields["officers"].queryset = (
                User.objects.filter(bureau=bureau, is_active=True)
                .exclude(enforcement_certificate="")
                .exclude(role=Role.AUDITOR)
                .order_by("name", "id")
            )


def spot_input(data: Mapping[str, Any], *, bureau: Bureau | None) -> dict[str, Any]:
    """The form's checked values, or the refusal listing what is wrong (page and API alike)."""
    form = SpotForm(data, bureau=bureau)
    if not form.is_valid():
        problems = {
            str(form.fields[name].label) if name in form.fields else name: [str(e) for e in errors]
            for name, errors in form.errors.items()
        }
        listed = "；".join(f"{label}：{'、'.join(msgs)}" for label, msgs in problems.items())
        raise ValidationFailed(f"当场处罚登记无效：{listed}", "Invalid on-the-spot penalty", detail=problems)
    return form.cleaned_data
