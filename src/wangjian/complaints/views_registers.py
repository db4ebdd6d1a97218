"""The registers of complaint work: 消费维权服务站 and the platforms' ODR contacts (the platform's generic pages)."""

import django_filters as df
import django_tables2 as tables
from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from wangjian.complaints.models import OdrContact, ServiceStation
from wangjian.platform import generic
from wangjian.platform.filtersets import SearchFilterSet
from wangjian.platform.forms import ScopedModelForm
from wangjian.platform.tables import BaseTable


class StationFilterSet(SearchFilterSet):
    search_fields = ("name", "business_name", "business_uscc", "address")
    online = df.BooleanFilter(label=_("线上服务站"))
    active = df.BooleanFilter(label=_("在用"))

    class Meta:
        model = ServiceStation
        fields = ["q", "online", "active"]


class OdrFilterSet(SearchFilterSet):
    search_fields = ("platform_name", "channel", "contact")
    active = df.BooleanFilter(label=_("在用"))

    class Meta:
        model = OdrContact
        fields = ["q", "active"]


class StationTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = ServiceStation
        fields = ("name", "business_name", "address", "contact", "phone", "online", "active")


class OdrTable(BaseTable):
    platform_name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = OdrContact
        fields = ("platform_name", "channel", "contact", "phone", "email", "active")


class StationForm(ScopedModelForm):
    class Meta:
        model = ServiceStation
        fields = [
            "bureau",
            "name",
            "business_name",
            "business_uscc",
            "address",
            "region_code",
            "contact",
            "phone",
            "online",
            "active",
            "since",
            "note",
        ]
        widgets = {"since": django_forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class OdrForm(ScopedModelForm):
    class Meta:
        model = OdrContact
        fields = ["bureau", "platform_name", "channel", "contact", "phone", "email", "active", "note"]


class StationMixin:
    model = ServiceStation
    url_prefix = "complaints:servicestation"
    queryset = ServiceStation.objects.select_related("bureau")


class StationList(StationMixin, generic.ObjectListView):
    filterset_class = StationFilterSet
    table_class = StationTable


class StationDetail(StationMixin, generic.ObjectDetailView):
    detail_fields = StationForm.Meta.fields


class StationEdit(StationMixin, generic.ObjectEditView):
    form_class = StationForm


class StationDelete(StationMixin, generic.ObjectDeleteView):
    pass


class StationChangelog(StationMixin, generic.ObjectChangelogView):
    pass


class OdrMixin:
    model = OdrContact
    url_prefix = "complaints:odrcontact"
    queryset = OdrContact.objects.select_related("bureau")


class OdrList(OdrMixin, generic.ObjectListView):
    filterset_class = OdrFilterSet
    table_class = OdrTable


class OdrDetail(OdrMixin, generic.ObjectDetailView):
    detail_fields = OdrForm.Meta.fields


class OdrEdit(OdrMixin, generic.ObjectEditView):
    form_class = OdrForm


class OdrDelete(OdrMixin, generic.ObjectDeleteView):
    pass


class OdrChangelog(OdrMixin, generic.ObjectChangelogView):
    pass
