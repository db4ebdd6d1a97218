"""Forms of the organisation's pages; the bureau choices are limited to bureaus the user manages."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangjian.org.models import Bureau, Department, DutyRule, LeadingGroup, Notice, Station, User
from wangjian.org.selectors import visible_bureau_ids
from wangjian.platform.forms import ScopedModelForm


class BureauForm(ScopedModelForm):
    class Meta:
        model = Bureau
        fields = ["name", "code", "level", "parent"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None and not user.is_superuser:
            from wangjian.org.selectors import visible_bureau_ids

            # The bureaus the user oversees, and the bureau's present parent (a county keeps its city).
            allowed = Q(pk__in=visible_bureau_ids(user) or [])
            if self.instance.parent_id:
                allowed |= Q(pk=self.instance.parent_id)
            parents = Bureau.objects.filter(allowed)
            if self.instance.pk:
                parents = parents.exclude(pk=self.instance.pk)
            self.fields["parent"].queryset = parents
            self.fields["parent"].required = True


class DepartmentForm(ScopedModelForm):
    class Meta:
        model = Department
        fields = ["bureau", "name", "kind", "phone", "is_active"]


class TerritoryField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        codes = [
            c.strip() for c in (value or "").replace(",", "\n").replace("，", "\n").splitlines() if c.strip()
        ]
        bad = [c for c in codes if not c.isdigit()]
        if bad:
            raise forms.ValidationError(_("区划代码只能是数字：%(codes)s") % {"codes": "、".join(bad)})
        return codes


class StationForm(ScopedModelForm):
    territory = TerritoryField(label=_("辖区(乡镇/街道代码)"), required=False)

    class Meta:
        model = Station
        fields = ["bureau", "name", "territory", "territory_names", "phone", "is_active"]


class UserForm(ScopedModelForm):
    class Meta:
        model = User
        fields = [
            "username",
            "name",
            "bureau",
            "department",
            "station",
            "role",
            "phone",
            "is_bureau_head",
            "enforcement_certificate",
            "certificate_valid_until",
            "is_active",
        ]
        widgets = {"certificate_valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class DutyRuleForm(ScopedModelForm):
    class Meta:
        model = DutyRule
        fields = [
            "bureau",
            "domain",
            "department_kind",
            "role",
            "duties",
            "legal_basis_law",
            "legal_basis_article",
            "territory_rule",
            "valid_from",
            "valid_to",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "duties": forms.Textarea(attrs={"rows": 3}),
        }


class LeadingGroupForm(ScopedModelForm):
    class Meta:
        model = LeadingGroup
        fields = ["bureau", "name", "office_department", "document"]


class NoticeForm(ScopedModelForm):
    attachment = forms.FileField(label=_("附件（通报、表格等文件）"), required=False)

    class Meta:
        model = Notice
        fields = [
            "bureau",
            "kind",
            "title",
            "body",
            "target_bureaus",
            "target_departments",
            "target_stations",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None:
            ids = visible_bureau_ids(user)
            bureaus = Bureau.objects.all() if ids is None else Bureau.objects.filter(pk__in=ids)
            self.fields["target_bureaus"].queryset = bureaus
            self.fields["target_departments"].queryset = Department.objects.filter(bureau__in=bureaus)
            self.fields["target_stations"].queryset = Station.objects.filter(bureau__in=bureaus)
            for name in ("target_bureaus", "target_departments", "target_stations"):
                self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
                self.fields[name].widget.attrs["size"] = 6


class DutyImportForm(forms.Form):
    file = forms.FileField(label=_("职责清单 Excel 文件 (.xlsx)"))
    replace = forms.BooleanField(label=_("替换本局现有职责清单"), required=False, initial=True)
