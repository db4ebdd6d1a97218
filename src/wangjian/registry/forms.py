"""Forms of the registry pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wangjian.platform.forms import ScopedModelForm
from wangjian.registry.choices import ImportKind
from wangjian.registry.models import Platform, Presence


class PlatformForm(ScopedModelForm):
    url = forms.URLField(label=_("网址"), max_length=300, required=False, assume_scheme="https")

    class Meta:
        model = Platform
        fields = ["bureau", "name", "operator_name", "domicile", "url"]


class PresenceForm(ScopedModelForm):
    class Meta:
        model = Presence
        fields = [
            "bureau",
            "kind",
            "platform",
            "url",
            "account_id",
            "shop_name",
            "status",
            "first_seen",
            "last_seen",
        ]
        widgets = {
            "first_seen": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "last_seen": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None and "bureau" in self.fields:
            self.fields["platform"].queryset = Platform.objects.filter(
                bureau__in=self.fields["bureau"].queryset
            )


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入内容"), choices=ImportKind.choices)
    platform = forms.ModelChoiceField(
        label=_("平台（导入经营者名单时）"), queryset=Platform.objects.none(), required=False
    )
    new_platform = forms.CharField(label=_("或新平台名称"), max_length=100, required=False)
    file = forms.FileField(label=_("文件（CSV：UTF-8/GBK/GB18030，或 Excel .xlsx）"))

    def __init__(self, *args, bureau=None, **kwargs):
        super().__init__(*args, **kwargs)
        if bureau is not None:
            self.fields["platform"].queryset = Platform.objects.filter(bureau=bureau)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm"
                if name in ("kind", "platform")
                else "form-control form-control-sm",
            )

    def clean(self):
        data = super().clean()
        if data.get("kind") == ImportKind.SELLERS and not (
            data.get("platform") or data.get("new_platform", "").strip()
        ):
            raise forms.ValidationError(_("导入经营者名单须选择或填写平台 / choose or name the platform"))
        name = (data.get("file").name if data.get("file") else "").lower()
        if name and not name.endswith((".csv", ".txt", ".xlsx")):
            raise forms.ValidationError(_("只支持 CSV 或 XLSX 文件 / only CSV or XLSX files"))
        return data


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(label=_("更正字段"))
    proposed_value = forms.CharField(label=_("应更正为"), max_length=500, required=False)
    evidence_note = forms.CharField(label=_("核实情况及证据"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = list(choices)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")


class PermitUploadForm(forms.Form):
    """The permit data's own upload page: the file only (the kind of import is the permit data)."""

    file = forms.FileField(label=_("文件（CSV：UTF-8/GBK/GB18030，或 Excel .xlsx）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.setdefault("class", "form-control form-control-sm")

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise forms.ValidationError(_("只支持 CSV 或 XLSX 文件 / only CSV or XLSX files"))
        return f
