"""The registers' generic pages: the item list (抽查事项清单), recusal relations, plans and draws (lists)."""

from __future__ import annotations

import django_filters as df
import django_tables2 as tables
from django.forms import DateInput
from django.utils.translation import gettext_lazy as _

from wangjian.inspections import forms
from wangjian.inspections.choices import CheckMethod, DrawState, PlanState
from wangjian.inspections.models import Draw, InspectionItem, InspectorRelation, Plan
from wangjian.inspections.permissions import INSPECTION_READ
from wangjian.inspections.services import item_save, may_plan, relation_save
from wangjian.org import permissions
from wangjian.org.models import Department
from wangjian.platform import generic
from wangjian.platform.filtersets import SearchFilterSet
from wangjian.platform.tables import BaseTable


class ItemFilterSet(SearchFilterSet):
    search_fields = ("name", "legal_basis", "content")
    method = df.ChoiceFilter(choices=CheckMethod.choices, label=_("检查方式"))
    is_key = df.BooleanFilter(label=_("重点检查事项"))

    class Meta:
        model = InspectionItem
        fields = ["q", "department", "method", "is_key"]


class RelationFilterSet(SearchFilterSet):
    search_fields = ("reason", "entity__name", "user__name")

    class Meta:
        model = InspectorRelation
        fields = ["q", "user"]


class PlanFilterSet(SearchFilterSet):
    search_fields = ("title",)
    state = df.ChoiceFilter(choices=PlanState.choices, label=_("状态"))

    class Meta:
        model = Plan
        fields = ["q", "year", "state", "department"]


class DrawFilterSet(SearchFilterSet):
    search_fields = ("plan__title", "source_name")
    state = df.ChoiceFilter(choices=DrawState.choices, label=_("状态"))
    # the draws whose objects the figure ``inspections_drawn`` counts: by the plan's lead department, the
    # day drawn, and not replaced by a re-draw
    department = df.ModelChoiceFilter(
        field_name="plan__department", queryset=Department.objects.all(), label=_("牵头科室")
    )
    drawn_after = df.DateFilter(
        field_name="drawn_at",
        lookup_expr="date__gte",
        label=_("抽取日期起"),
        widget=DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    drawn_before = df.DateFilter(
        field_name="drawn_at",
        lookup_expr="date__lte",
        label=_("抽取日期止"),
        widget=DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    replaced = df.BooleanFilter(
        field_name="replaced_by", lookup_expr="isnull", exclude=True, label=_("已被重新抽取取代")
    )

    class Meta:
        model = Draw
        fields = ["q", "state", "plan"]


class ItemTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = InspectionItem
        fields = ("name", "department", "method", "legal_basis", "is_key", "active")


class RelationTable(BaseTable):
    user = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(BaseTable.Meta):
        model = InspectorRelation
        fields = ("user", "entity", "reason", "created")


class PlanTable(BaseTable):
    title = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Plan
        fields = ("title", "year", "department", "state", "check_start", "check_end", "published_at")


class DrawTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name=_("编号"))

    class Meta(BaseTable.Meta):
        model = Draw
        fields = (
            "id",
            "plan",
            "state",
            "source_name",
            "source_date",
            "pool_size",
            "objects_count",
            "drawn_at",
        )


class Readable:
    """Staff read (the table's ``inspections.read``); the office and department heads change (``may_plan``)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.may(request.user, INSPECTION_READ):
            permissions.require(request.user, INSPECTION_READ)
        return super().dispatch(request, *args, **kwargs)

    def can_change(self, obj=None):
        user = self.request.user
        if obj is None:
            return bool(user.is_superuser or (user.bureau_id and may_plan(user, user.bureau_id)))
        return may_plan(user, obj.bureau_id, getattr(obj, "department", None))


class ItemMixin(Readable):
    model = InspectionItem
    url_prefix = "inspections:item"
    queryset = InspectionItem.objects.select_related("bureau", "department")


class ItemList(ItemMixin, generic.ObjectListView):
    filterset_class = ItemFilterSet
    table_class = ItemTable


class ItemDetail(ItemMixin, generic.ObjectDetailView):
    detail_fields = forms.ItemForm.Meta.fields


class ItemEdit(ItemMixin, generic.ObjectEditView):
    form_class = forms.ItemForm

    def perform_save(self, obj, form) -> None:
        item_save(item=obj, user=self.request.user)


class ItemDelete(ItemMixin, generic.ObjectDeleteView):
    pass


class ItemChangelog(ItemMixin, generic.ObjectChangelogView):
    pass


class RelationMixin(Readable):
    model = InspectorRelation
    url_prefix = "inspections:relation"
    queryset = InspectorRelation.objects.select_related("bureau", "user", "entity")


class RelationList(RelationMixin, generic.ObjectListView):
    filterset_class = RelationFilterSet
    table_class = RelationTable


class RelationDetail(RelationMixin, generic.ObjectDetailView):
    detail_fields = forms.RelationForm.Meta.fields


class RelationEdit(RelationMixin, generic.ObjectEditView):
    form_class = forms.RelationForm

    def perform_save(self, obj, form) -> None:
        relation_save(relation=obj, user=self.request.user)


class RelationDelete(RelationMixin, generic.ObjectDeleteView):
    pass


class RelationChangelog(RelationMixin, generic.ObjectChangelogView):
    pass


class PlanList(Readable, generic.ObjectListView):
    model = Plan
    url_prefix = "inspections:plan"
    queryset = Plan.objects.select_related("bureau", "department")
    filterset_class = PlanFilterSet
    table_class = PlanTable


class PlanChangelog(Readable, generic.ObjectChangelogView):
    model = Plan
    url_prefix = "inspections:plan"


class DrawList(Readable, generic.ObjectListView):
    model = Draw
    url_prefix = "inspections:draw"
    queryset = Draw.objects.select_related("bureau", "plan")
    filterset_class = DrawFilterSet
    table_class = DrawTable

    def can_change(self, obj=None):
        return False  # a draw is published from its plan's page
