"""The capture form: what the officer types before pressing 取证."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wangjian.evidence.choices import CaptureMode


class CaptureForm(forms.Form):
    url = forms.URLField(label=_("取证网址"), max_length=2000, assume_scheme="https")
    mode = forms.ChoiceField(label=_("取证方式"), choices=CaptureMode.choices, initial=CaptureMode.BROWSER)
    operator_1 = forms.CharField(label=_("取证人员一（姓名、执法证号）"), max_length=100)
    operator_2 = forms.CharField(label=_("取证人员二（姓名、执法证号）"), max_length=100, required=False)
    purpose = forms.CharField(label=_("取证事由"), max_length=500)
    case_ref = forms.CharField(label=_("线索/案件编号"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if name == "mode" else "form-control form-control-sm"
            )

    def operators(self) -> list[str]:
        return [v for v in (self.cleaned_data.get("operator_1"), self.cleaned_data.get("operator_2")) if v]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("事由"), max_length=500)
