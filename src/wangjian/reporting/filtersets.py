"""One FilterSet per list, used by the pages' filters and the API alike."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from wangjian.platform.filtersets import IdFilter, SearchFilterSet
from wangjian.reporting.choices import PeriodKind, ReportState
from wangjian.reporting.models import Report, ReportTemplate


class ReportFilterSet(SearchFilterSet):
    search_fields = ("template__name", "bureau__name", "external_bureau_name", "period_label")
    state = df.ChoiceFilter(choices=ReportState.choices, label=_("状态"))
    period = df.CharFilter(field_name="period_label", label=_("报送期"))
    template = IdFilter(field_name="template", label=_("报送事项"))
    bureau = IdFilter(field_name="bureau", label=_("报送单位"))
    late = df.BooleanFilter(field_name="late", label=_("逾期报送"))

    class Meta:
        model = Report
        fields = ["q", "state", "period", "template", "bureau", "late"]


class TemplateFilterSet(SearchFilterSet):
    search_fields = ("name", "key")
    period_kind = df.ChoiceFilter(choices=PeriodKind.choices, label=_("报送周期"))
    active = df.BooleanFilter(field_name="active", label=_("在用"))

    class Meta:
        model = ReportTemplate
        fields = ["q", "period_kind", "active"]
