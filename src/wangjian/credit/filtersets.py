"""One FilterSet per credit list, used by the web lists and the API alike."""

import django_filters as df
from django.forms import DateInput
from django.utils.translation import gettext_lazy as _

from wangjian.credit.choices import (
    AbnormalGround,
    AbnormalState,
    MismatchKind,
    MismatchState,
    RepairState,
    RepairTarget,
    SeriousState,
)
from wangjian.credit.models import (
    AbnormalListing,
    AnnualReportImport,
    CreditRepair,
    DeclarationMismatch,
    SeriousListing,
)
from wangjian.platform.filtersets import IdFilter, SearchFilterSet
from wangjian.registry.choices import EntityKind

DATE = DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ENTITY_SEARCH = ("entity__name", "entity__uscc")


class AbnormalFilterSet(SearchFilterSet):
    search_fields = (*ENTITY_SEARCH, "decision_number")
    state = df.ChoiceFilter(choices=AbnormalState.choices, label=_("状态"))
    ground = df.ChoiceFilter(choices=AbnormalGround.choices, label=_("列入事由"))
    entity_kind = df.ChoiceFilter(choices=EntityKind.choices, label=_("主体类型"))
    listed_after = df.DateFilter(
        field_name="listed_on", lookup_expr="gte", label=_("列入日期起"), widget=DATE
    )
    listed_before = df.DateFilter(
        field_name="listed_on", lookup_expr="lte", label=_("列入日期止"), widget=DATE
    )
    removal_pending = df.BooleanFilter(
        field_name="removal_applied_on", lookup_expr="isnull", exclude=True, label=_("有待决定的移出申请")
    )
    revocation = df.BooleanFilter(
        field_name="revocation_flagged_on", lookup_expr="isnull", exclude=True, label=_("已提请吊销营业执照")
    )
    entity = IdFilter(field_name="entity", label=_("市场主体"))

    class Meta:
        model = AbnormalListing
        fields = [
            "q",
            "state",
            "ground",
            "entity_kind",
            "listed_after",
            "listed_before",
            "removal_pending",
            "revocation",
            "entity",
        ]


class SeriousFilterSet(SearchFilterSet):
    search_fields = (*ENTITY_SEARCH, "decision_number", "penalty_number")
    state = df.ChoiceFilter(choices=SeriousState.choices, label=_("状态"))
    entity = IdFilter(field_name="entity", label=_("市场主体"))

    class Meta:
        model = SeriousListing
        fields = ["q", "state", "entity"]


class RepairFilterSet(SearchFilterSet):
    search_fields = (*ENTITY_SEARCH, "penalty_number", "decision_number")
    target = df.ChoiceFilter(choices=RepairTarget.choices, label=_("修复对象"))
    state = df.ChoiceFilter(choices=RepairState.choices, label=_("状态"))
    entity = IdFilter(field_name="entity", label=_("市场主体"))

    class Meta:
        model = CreditRepair
        fields = ["q", "target", "state", "entity"]


class MismatchFilterSet(SearchFilterSet):
    search_fields = (*ENTITY_SEARCH, "detail")
    kind = df.ChoiceFilter(choices=MismatchKind.choices, label=_("类型"))
    state = df.ChoiceFilter(choices=MismatchState.choices, label=_("处理状态"))
    year = IdFilter(field_name="year", label=_("年度"), max_value=9999)
    batch = IdFilter(field_name="batch", label=_("导入批次"))
    entity = IdFilter(field_name="entity", label=_("市场主体"))

    class Meta:
        model = DeclarationMismatch
        fields = ["q", "kind", "state", "year", "batch", "entity"]


class ImportFilterSet(SearchFilterSet):
    search_fields = ("file_name",)

    class Meta:
        model = AnnualReportImport
        fields = ["q"]
