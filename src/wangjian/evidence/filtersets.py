"""Filters of the capture list, shared by the web list and the API."""

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangjian.core.fetching.outcomes import LEGACY
from wangjian.evidence.choices import CaptureMode, CaptureStatus, FailureReason
from wangjian.evidence.models import EvidenceCapture


class EvidenceCaptureFilterSet(df.FilterSet):
    q = df.CharFilter(method="search", label=_("搜索"))
    status = df.ChoiceFilter(choices=CaptureStatus.choices, label=_("结果"))
    mode = df.ChoiceFilter(choices=CaptureMode.choices, label=_("取证方式"))
    failure_reason = df.ChoiceFilter(
        choices=[(v, label) for v, label in FailureReason.choices if v not in LEGACY],
        method="by_reason",
        label=_("失败原因"),
    )
    case_ref = df.CharFilter(lookup_expr="icontains", label=_("线索/案件编号"))
    started_after = df.DateFilter(field_name="started_at", lookup_expr="date__gte", label=_("取证日期起"))
    started_before = df.DateFilter(field_name="started_at", lookup_expr="date__lte", label=_("取证日期止"))

    class Meta:
        model = EvidenceCapture
        fields = ["q", "status", "mode", "failure_reason", "case_ref", "started_after", "started_before"]

    def by_reason(self, queryset, name, value):
        """A reason and the older codes that meant it (``connect_error`` finds ``connection`` records too)."""
        return queryset.filter(
            failure_reason__in=[value, *(old for old, new in LEGACY.items() if new == value)]
        )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(url__icontains=value)
            | Q(final_url__icontains=value)
            | Q(title__icontains=value)
            | Q(purpose__icontains=value)
            | Q(case_ref__icontains=value)
        )
