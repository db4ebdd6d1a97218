"""``/api/complaints/service-stations/`` and ``/api/complaints/odr-contacts/``: read by staff, written by the office."""

from rest_framework import serializers

from wangjian.complaints.models import OdrContact, ServiceStation
from wangjian.complaints.views_registers import OdrFilterSet, OdrForm, StationFilterSet, StationForm
from wangjian.core.api import IdCursorPagination
from wangjian.platform.api import ScopedModelViewSet


class ServiceStationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceStation
        fields = ["id", *StationForm.Meta.fields]


class OdrContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = OdrContact
        fields = ["id", *OdrForm.Meta.fields]


class ServiceStationViewSet(ScopedModelViewSet):
    queryset = ServiceStation.objects.order_by("name", "id")
    serializer_class = ServiceStationSerializer
    pagination_class = IdCursorPagination
    filterset_class = StationFilterSet


class OdrContactViewSet(ScopedModelViewSet):
    queryset = OdrContact.objects.order_by("platform_name", "id")
    serializer_class = OdrContactSerializer
    pagination_class = IdCursorPagination
    filterset_class = OdrFilterSet
