"""Forms of the monitoring rules pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wangjian.monitoring.choices import Category, Expectation, FeedFormat, ProductKind
from wangjian.monitoring.models import RuleLibrary
from wangjian.platform.forms import ScopedModelForm, managed_bureaus
from wangjian.registry.choices import RiskGrade


class RuleLibraryForm(ScopedModelForm):
    class Meta:
        model = RuleLibrary
        fields = ["bureau", "name", "title", "department_kind", "domain", "description"]


class TestBenchForm(forms.Form):
    text = forms.CharField(
        label=_("待测文本"),
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control", "placeholder": _("粘贴网页文字")}),
        max_length=200_000,
    )
    library = forms.ChoiceField(label=_("规则库"), required=False)
    product_kind = forms.ChoiceField(
        label=_("商品类型"), required=False, choices=[("", _("自动识别"))] + list(ProductKind.choices)
    )

    def __init__(self, *args, libraries: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library"].choices = [("", _("全部规则库"))] + list(libraries)
        for name in ("library", "product_kind"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"


class ImportForm(forms.Form):
    bureau = forms.ModelChoiceField(label=_("所属局"), queryset=None)
    file = forms.FileField(label=_("规则库文件（YAML 或 Excel）"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = managed_bureaus(user)
        if user is not None and user.bureau_id:
            self.fields["bureau"].initial = user.bureau_id
        self.fields["bureau"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["file"].widget.attrs["class"] = "form-control form-control-sm"


class RegressionLineForm(forms.Form):
    text = forms.CharField(
        label=_("测试文本"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )
    expect = forms.ChoiceField(label=_("预期"), choices=Expectation.choices)
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", "—")] + list(Category.choices)
    )
    product_kind = forms.ChoiceField(
        label=_("商品类型"), required=False, choices=[("", "—")] + list(ProductKind.choices)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("expect", "category", "product_kind"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"


class LinesField(forms.CharField):
    """A list typed one item a line (domains, library names)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").replace(",", "\n").splitlines() if line.strip()]


class MonitoringTaskForm(ScopedModelForm):
    hosts = LinesField(label=_("网址域名"), required=False, help_text=_("一行一个，如 example.com"))
    risk_grades = forms.TypedMultipleChoiceField(
        label=_("风险等级"),
        required=False,
        choices=RiskGrade.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("只监测关联主体为所选风险等级的场所；不选不限"),
    )
    libraries = LinesField(label=_("规则库"), required=False, help_text=_("规则库标识，一行一个；留空为全部"))

    class Meta:
        from wangjian.monitoring.models import MonitoringTask

        model = MonitoringTask
        fields = [
            "bureau",
            "name",
            "hosts",
            "region_prefix",
            "platforms",
            "station",
            "risk_grades",
            "entities",
            "presences",
            "libraries",
            "depth",
            "max_pages",
            "render",
            "delay",
            "evidence_threshold",
            "interval_hours",
            "enabled",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        from wangjian.registry.models import MarketEntity, Platform, Presence

        bureaus = managed_bureaus(user) if user is not None else None
        for name, model in (("platforms", Platform), ("entities", MarketEntity), ("presences", Presence)):
            qs = model.objects.all()
            self.fields[name].queryset = qs.filter(bureau__in=bureaus) if bureaus is not None else qs
            self.fields[name].widget.attrs.update({"class": "form-select form-select-sm", "size": 6})


class ReviewForm(forms.Form):
    reason = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


class FeedScanForm(forms.Form):
    """A listing feed to scan: the task it is for, the platform that reported it, a file or its URL.

    Only the shape is checked here; the service decides (the right, the bureau, the cap, the address).
    """

    task = forms.ModelChoiceField(label=_("监测任务"), queryset=None)
    platform = forms.ModelChoiceField(label=_("报送平台"), queryset=None)
    file = forms.FileField(label=_("商品信息文件（JSONL 或 CSV）"), required=False)
    url = forms.CharField(
        label=_("或：平台报送网址"),
        required=False,
        max_length=1000,
        help_text=_("平台提供的商品信息地址（http 或 https）；内部地址不予访问"),
    )
    fmt = forms.ChoiceField(label=_("格式"), required=False, choices=FeedFormat.choices)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from wangjian.monitoring.models import MonitoringTask
        from wangjian.registry.models import Platform

        tasks = (
            MonitoringTask.objects.filter(enabled=True).select_related("bureau").order_by("bureau", "name")
        )
        platforms = Platform.objects.select_related("bureau").order_by("bureau", "name")
        if user is not None and not user.is_superuser:
            tasks, platforms = (
                tasks.filter(bureau_id=user.bureau_id),
                platforms.filter(bureau_id=user.bureau_id),
            )
        self.fields["task"].queryset, self.fields["platform"].queryset = tasks, platforms
        for name in ("task", "platform", "fmt"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        for name in ("file", "url"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"
        self.fields["file"].widget.attrs["accept"] = ".jsonl,.ndjson,.json,.csv,.txt"
