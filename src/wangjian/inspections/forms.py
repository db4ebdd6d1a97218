"""Forms of the inspection pages; the rules are the services' (``services.plans``, ``services.draws``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wangjian.inspections.choices import Grade
from wangjian.inspections.models import InspectionItem, InspectorRelation, Plan
from wangjian.org.models import Department, DutyRule, Station, User
from wangjian.platform.forms import ScopedModelForm, StyledForm
from wangjian.registry.choices import EntityKind
from wangjian.registry.models import MarketEntity, Platform


class ItemForm(ScopedModelForm):
    class Meta:
        model = InspectionItem
        fields = [
            "bureau",
            "department",
            "name",
            "domain",
            "duty_rule",
            "legal_basis",
            "method",
            "is_key",
            "content",
            "active",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        bureaus = self.fields["bureau"].queryset
        self.fields["duty_rule"].queryset = DutyRule.objects.filter(bureau__in=bureaus)


class RelationForm(ScopedModelForm):
    class Meta:
        model = InspectorRelation
        fields = ["bureau", "user", "entity", "reason"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        bureaus = self.fields["bureau"].queryset
        self.fields["user"].queryset = User.objects.filter(bureau__in=bureaus).exclude(
            enforcement_certificate=""
        )
        self.fields["entity"].queryset = MarketEntity.objects.filter(bureau__in=bureaus)
        self.fields["entity"].widget = forms.NumberInput(attrs={"class": "form-control form-control-sm"})


def _codes(text: str) -> list[str]:
    return [c.strip() for c in (text or "").replace(",", "\n").splitlines() if c.strip()]


class PlanForm(ScopedModelForm):
    items = forms.ModelMultipleChoiceField(InspectionItem.objects.none(), label=_("抽查事项"))
    entity_kinds = forms.MultipleChoiceField(choices=EntityKind.choices, required=False, label=_("主体类型"))
    grades = forms.MultipleChoiceField(
        choices=[c for c in Grade.choices if c[0]], required=False, label=_("风险等级（不选为全部）")
    )
    regions_text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("区划代码或前缀（每行一个，不填为全部）"),
    )

    class Meta:
        model = Plan
        fields = [
            "bureau",
            "title",
            "year",
            "department",
            "joint_departments",
            "inspector_stations",
            "platform",
            "online_only",
            "class_ratios",
            "grade_ratios",
            "ratio_source",
            "inspectors_per_object",
            "station_recusal",
            "check_start",
            "check_end",
            "note",
        ]
        widgets = {
            "check_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "check_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        bureaus = self.fields["bureau"].queryset
        self.fields["items"].queryset = InspectionItem.objects.filter(bureau__in=bureaus, active=True)
        self.fields["joint_departments"].queryset = Department.objects.filter(bureau__in=bureaus)
        self.fields["inspector_stations"].queryset = Station.objects.filter(bureau__in=bureaus)
        self.fields["platform"].queryset = Platform.objects.filter(bureau__in=bureaus)
        self.fields["class_ratios"].required = self.fields["grade_ratios"].required = False
        if self.instance.pk:
            self.fields["items"].initial = list(self.instance.items.values_list("pk", flat=True))
            self.fields["regions_text"].initial = "\n".join(self.instance.regions or [])
            self.fields["entity_kinds"].initial = self.instance.entity_kinds
            self.fields["grades"].initial = self.instance.grades

    def clean(self):
        data = super().clean()
        self.instance.regions = _codes(data.get("regions_text", ""))
        self.instance.entity_kinds = data.get("entity_kinds") or []
        self.instance.grades = data.get("grades") or []
        for name in ("class_ratios", "grade_ratios"):
            if data.get(name) in (None, ""):
                data[name] = {}
            if not isinstance(data.get(name), dict):
                self.add_error(name, _('应为 JSON 对象，如 {"A": "0.01"}'))
        return data


class DrawPublishForm(StyledForm):
    source_name = forms.CharField(
        label=_("公开随机源"), max_length=200, help_text=_("如：中国福利彩票双色球第2026140期开奖号码")
    )
    source_date = forms.DateField(label=_("随机源产生日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("重新抽取的理由"), max_length=300, required=False)


class ValueForm(StyledForm):
    value = forms.CharField(label=_("随机源数值"), max_length=300)
