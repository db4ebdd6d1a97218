"""``/api/cases/benchmarks/``: the bureau's 裁量基准, read by its staff, written by its office."""

from rest_framework import serializers

from wangjian.cases import filtersets
from wangjian.cases.forms_benchmarks import range_problem
from wangjian.cases.models import DiscretionBenchmark
from wangjian.core.api import BlankChoicesModelSerializer, IdCursorPagination
from wangjian.platform.api import ScopedModelViewSet


class DiscretionBenchmarkSerializer(BlankChoicesModelSerializer):
    class Meta:
        model = DiscretionBenchmark
        fields = [
            "id",
            "bureau",
            "code",
            "violation",
            "domain",
            "provision",
            "circumstance",
            "conditions",
            "penalty",
            "fine_min",
            "fine_max",
            "source",
            "is_active",
        ]

    def validate(self, attrs):
        current = self.instance
        low = attrs.get("fine_min", current.fine_min if current else None)
        high = attrs.get("fine_max", current.fine_max if current else None)
        problem = range_problem(low, high)
        if problem:
            raise serializers.ValidationError({"fine_max": problem})
        return attrs


class DiscretionBenchmarkViewSet(ScopedModelViewSet):
    queryset = DiscretionBenchmark.objects.order_by("code", "id")
    serializer_class = DiscretionBenchmarkSerializer
    pagination_class = IdCursorPagination
    filterset_class = filtersets.DiscretionBenchmarkFilterSet
