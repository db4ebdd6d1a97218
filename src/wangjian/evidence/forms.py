"""The capture form: what the officer types before pressing 取证."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wangjian.evidence.choices import CaptureMode, UploadKind


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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    """Evidence collected outside the browser: photos, videos, recordings of an APP or a live stream, scans."""

    files = MultipleFileField(label=_("证据文件（可多选）"))
    kind = forms.ChoiceField(label=_("证据类型"), choices=UploadKind.choices)
    description = forms.CharField(label=_("证据内容及来源（如：某APP店铺页录屏）"), max_length=400)
    source = forms.CharField(
        label=_("来源（APP、小程序、公众号、直播间名称或地点）"), max_length=200, required=False
    )
    collected_at = forms.DateTimeField(
        label=_("采集时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    operator_1 = forms.CharField(label=_("取证人员一（姓名、执法证号）"), max_length=100)
    operator_2 = forms.CharField(label=_("取证人员二（姓名、执法证号）"), max_length=100, required=False)
    purpose = forms.CharField(label=_("取证事由"), max_length=500)
    case_ref = forms.CharField(label=_("线索/案件编号"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if name == "kind" else "form-control form-control-sm"
            )

    def operators(self) -> list[str]:
        return [v for v in (self.cleaned_data.get("operator_1"), self.cleaned_data.get("operator_2")) if v]
