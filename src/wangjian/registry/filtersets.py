"""One FilterSet per model, used by the web lists and the API alike."""

import django_filters as df
from django.forms import DateInput
from django.utils.translation import gettext_lazy as _

from wangjian.org.selectors import visible_bureau_ids
from wangjian.platform.filtersets import IdFilter
from wangjian.registry import figures, selectors
from wangjian.registry.choices import (
    CorrectionStatus,
    EntityKind,
    EntityStatus,
    ImportKind,
    ImportStatus,
    LinkMethod,
    MatchOutcome,
    PermitKind,
    PermitStatus,
    PresenceKind,
    PresenceStatus,
)
from wangjian.registry.models import (
    CorrectionRequest,
    ImportBatch,
    MarketEntity,
    MatchResult,
    Permit,
    Platform,
    Presence,
)

DATE = DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def platforms_visible(request):
    """The platforms a list's 平台 filter offers: those of the bureaus the user sees (the clue, case,
    complaint and finding lists filter by them too, so that a dashboard's platform opens its records)."""
    if request is None:
        return Platform.objects.none()
    ids = visible_bureau_ids(request.user)
    return Platform.objects.all() if ids is None else Platform.objects.filter(bureau_id__in=ids)


class EntityFilterSet(df.FilterSet):
    q = df.CharFilter(method="search", label=_("搜索（代码/名称/法定代表人/电话/网址/店铺名）"))
    status = df.ChoiceFilter(choices=EntityStatus.choices, label=_("登记状态"))
    kind = df.ChoiceFilter(choices=EntityKind.choices, label=_("主体类型"))
    region_code = df.CharFilter(label=_("区划代码"))
    uscc = df.CharFilter(label=_("统一社会信用代码"))
    on_register = df.DateFilter(method="filter_on_register", label=_("某日日终在册"), widget=DATE)

    class Meta:
        model = MarketEntity
        fields = ["q", "status", "kind", "region_code", "uscc", "on_register"]

    def search(self, queryset, name, value):
        return selectors.entity_search(queryset, value)

    def filter_on_register(self, queryset, name, value):
        """On the register at the end of that day, as the figure ``registry_entities`` counts them."""
        return figures.on_register(queryset, value)


class PlatformFilterSet(df.FilterSet):
    q = df.CharFilter(field_name="name", lookup_expr="icontains", label=_("搜索"))

    class Meta:
        model = Platform
        fields = ["q"]


class PresenceFilterSet(df.FilterSet):
    q = df.CharFilter(method="search", label=_("搜索（店铺名/网址/账号）"))
    kind = df.ChoiceFilter(choices=PresenceKind.choices, label=_("类型"))
    status = df.ChoiceFilter(choices=PresenceStatus.choices, label=_("状态"))
    link_method = df.ChoiceFilter(choices=LinkMethod.choices, label=_("关联方式"))
    platform = df.ModelChoiceFilter(queryset=platforms_visible, label=_("平台"))
    linked = df.BooleanFilter(field_name="entity", lookup_expr="isnull", exclude=True, label=_("已关联主体"))
    entity = IdFilter(field_name="entity_id", label=_("主体ID"))
    created_before = df.DateFilter(
        field_name="created", lookup_expr="date__lte", label=_("录入日期止"), widget=DATE
    )

    class Meta:
        model = Presence
        fields = ["q", "kind", "status", "platform", "link_method", "linked", "entity", "created_before"]

    def search(self, queryset, name, value):
        from wangjian.registry import matching

        value = value.strip()
        if not value:
            return queryset
        return (
            queryset.filter(shop_name_key=matching.shop_key(value))
            | queryset.filter(url=value)
            | queryset.filter(account_id=value)
        )


class ImportBatchFilterSet(df.FilterSet):
    kind = df.ChoiceFilter(choices=ImportKind.choices, label=_("导入类型"))
    status = df.ChoiceFilter(choices=ImportStatus.choices, label=_("状态"))

    class Meta:
        model = ImportBatch
        fields = ["kind", "status", "platform"]


class MatchResultFilterSet(df.FilterSet):
    outcome = df.ChoiceFilter(choices=MatchOutcome.choices, label=_("结论"))
    platform = df.ModelChoiceFilter(
        field_name="seller__platform", queryset=platforms_visible, label=_("平台")
    )
    seller_id = df.CharFilter(field_name="seller__seller_id", label=_("店铺ID"))
    decided = df.BooleanFilter(label=_("人工已确认"))
    has_clue = df.BooleanFilter(method="filter_has_clue", label=_("已转线索"))

    class Meta:
        model = MatchResult
        fields = ["outcome", "platform", "seller_id", "decided", "has_clue"]

    def filter_has_clue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(clue_number="") if value else queryset.filter(clue_number="")


class CorrectionFilterSet(df.FilterSet):
    status = df.ChoiceFilter(choices=CorrectionStatus.choices, label=_("状态"))

    class Meta:
        model = CorrectionRequest
        fields = ["status"]


class PermitFilterSet(df.FilterSet):
    q = df.CharFilter(method="search", label=_("搜索（编号/持证主体/代码）"))
    kind = df.ChoiceFilter(choices=PermitKind.choices, label=_("许可类型"))
    status = df.ChoiceFilter(choices=PermitStatus.choices, label=_("状态"))
    holder_uscc = df.CharFilter(label=_("持证主体统一社会信用代码"))
    valid_to_before = df.DateFilter(field_name="valid_to", lookup_expr="lt", label=_("有效期至早于"))

    class Meta:
        model = Permit
        fields = ["q", "kind", "status", "holder_uscc", "valid_to_before"]

    def search(self, queryset, name, value):
        from wangjian.registry.permits import normalize

        value = value.strip()
        if not value:
            return queryset
        return (
            queryset.filter(number=normalize(value))
            | queryset.filter(holder_uscc=value.upper())
            | queryset.filter(holder_name__contains=value)
        )
