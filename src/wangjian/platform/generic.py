"""Generic, declarative views for the registries (the NetBox pattern).

A list view names its queryset, filterset and table; detail, edit and delete views name
their model and form. ``crud_urls`` generates the URLs for the standard actions, so
every registry has the same surface: list (filter, sort, paginate, export), view, add,
edit, delete, change log. Scoping to the user's bureaus and the right to change come
from ``org.selectors`` for every model alike: the platform sits above the organisation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.paginator import EmptyPage, Paginator
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import generic
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from wangjian.core.api import OFFSET_MAX
from wangjian.core.audit import mask
from wangjian.core.errors import ReferencedError, WangjianError
from wangjian.core.exports import csv_writer
from wangjian.core.models import AuditedModel, ChangeRecord
from wangjian.org.models import Bureau
from wangjian.org.selectors import can_manage, scope, visible_bureau_ids


def bureau_of(obj: Any, bureau_field: str) -> Any:
    for part in bureau_field.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


class ScopedMixin(LoginRequiredMixin):
    """Rows restricted to the bureaus the user may see; changes to who may manage the row's bureau."""

    model: type[models.Model]
    queryset: models.QuerySet | None = None
    bureau_field: str = "bureau"
    url_prefix: str = ""

    def get_queryset(self):
        qs = self.queryset if self.queryset is not None else self.model.objects.all()
        return scope(qs.all(), self.request.user, self.bureau_field) if self.bureau_field else qs.all()

    def can_change(self, obj: Any = None) -> bool:
        user = self.request.user
        if obj is None:
            return user.is_superuser or (user.bureau_id is not None and can_manage(user, user.bureau_id))
        return can_manage(user, bureau_of(obj, self.bureau_field) if self.bureau_field else None)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["model_meta"] = self.model._meta
        ctx["url_prefix"] = self.url_prefix
        ctx["can_add"] = self.can_change()
        ctx["has_changelog"] = issubclass(self.model, AuditedModel)
        return ctx


# The most rows one list page shows: a larger ``?per_page=`` is clamped to it (README, "The REST API").
PER_PAGE_MAX = 500
_BOUNDED: dict[type, type] = {}


def bounded_paginator(paginator_class: type) -> type:
    """``paginator_class`` with ``per_page`` in 1…``PER_PAGE_MAX`` and no page past what a database counts.

    ``?per_page=`` and ``?page=`` come from the address bar: a negative page size sliced the rows
    with a negative index, and twenty digits asked the database for a limit or an offset beyond its
    64-bit range (a 500 either way). A page past the rows is an empty page: the table shows its last.
    """
    if getattr(paginator_class, "bounded", False):
        return paginator_class
    if paginator_class not in _BOUNDED:

        class Bounded(paginator_class):
            bounded = True

            def __init__(self, object_list, per_page, *args, **kwargs):
                super().__init__(object_list, min(max(int(per_page), 1), PER_PAGE_MAX), *args, **kwargs)

            def validate_number(self, number):
                number = super().validate_number(number)
                if (number - 1) * self.per_page > OFFSET_MAX:
                    raise EmptyPage("没有该页 / no such page")
                return number

        Bounded.__name__ = Bounded.__qualname__ = f"Bounded{paginator_class.__name__}"
        _BOUNDED[paginator_class] = Bounded
    return _BOUNDED[paginator_class]


class ObjectListView(ScopedMixin, SingleTableMixin, FilterView):
    """A filtered, sortable, paginated table; ``?export=csv`` gives the filtered rows."""

    template_name = "platform/object_list.html"
    paginate_by = 50
    paginator_class = bounded_paginator(Paginator)
    filterset_class = None
    table_class = None
    export_fields: list[str] | None = None

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "csv":
            return self.export_csv()
        return super().get(request, *args, **kwargs)

    def get_table(self, **kwargs):
        """The table, paginated by the request's ``?page=`` and ``?per_page=`` within bounds (any paginator)."""
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        paginate = self.get_table_pagination(table)
        if paginate:
            paginate = dict(paginate) if isinstance(paginate, dict) else {}
            paginate["paginator_class"] = bounded_paginator(paginate.get("paginator_class", Paginator))
        return RequestConfig(self.request, paginate=paginate).configure(table)

    def get_filterset(self, filterset_class):
        """A yes/no filter offers 全部/是/否: django-filter's "unknown" reads to an officer as a value."""
        from django.forms import NullBooleanSelect

        filterset = super().get_filterset(filterset_class)
        for field in filterset.form.fields.values():
            if isinstance(field.widget, NullBooleanSelect):
                field.widget.choices = [("unknown", _("全部")), ("true", _("是")), ("false", _("否"))]
        return filterset

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return ["platform/table_partial.html"]
        return [self.template_name]

    def export_csv(self) -> HttpResponse:
        filterset = self.filterset_class(self.request.GET, queryset=self.get_queryset(), request=self.request)
        table = self.table_class(filterset.qs)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.model._meta.model_name}.csv"'
        response.write("\ufeff")  # so that Excel opens it as UTF-8
        writer = csv_writer(response)
        for row in table.as_values(exclude_columns=("actions",)):
            writer.writerow(row)
        return response


class ObjectDetailView(ScopedMixin, generic.DetailView):
    template_name = "platform/object_detail.html"
    detail_fields: list[str] | None = None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        ctx["can_change"] = self.can_change(obj)
        names = self.detail_fields or [
            f.name
            for f in obj._meta.concrete_fields
            if f.name not in ("id", "password", "created", "last_updated")
        ]
        rows = []
        for name in names:
            field = obj._meta.get_field(name)
            display = getattr(obj, f"get_{name}_display", None)
            value = display() if display else getattr(obj, name)
            if name in getattr(obj, "audit_masked", ()):
                value = mask(value)
            rows.append((field.verbose_name, value))
        ctx["detail_rows"] = rows
        return ctx


class ObjectEditView(ScopedMixin, generic.UpdateView):
    """Create (no pk) or edit a row; the form's bureau choices are limited to what the user manages."""

    template_name = "platform/object_edit.html"

    def get_object(self, queryset=None):
        if "pk" not in self.kwargs:
            return None
        obj = super().get_object(queryset)
        if not self.can_change(obj):
            raise PermissionDenied(_("无权修改 / not allowed to change"))
        return obj

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and "pk" not in kwargs and not self.can_change():
            raise PermissionDenied(_("无权新增 / not allowed to add"))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        obj = form.save(commit=False)
        if self.bureau_field and not self.can_change(obj):
            raise PermissionDenied(_("无权在该局新增或修改 / not allowed in that bureau"))
        try:
            self.perform_save(obj, form)
        except WangjianError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("已保存：%(obj)s") % {"obj": obj})
        self.object = obj
        return redirect(self.get_success_url())

    def perform_save(self, obj, form) -> None:
        """Where a model's writes have rules of their own, a view names its service here."""
        obj.save()
        form.save_m2m()

    def get_success_url(self):
        return self.object.get_absolute_url()


class ObjectDeleteView(ScopedMixin, generic.DeleteView):
    template_name = "platform/object_delete.html"

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.can_change(obj):
            raise PermissionDenied(_("无权删除 / not allowed to delete"))
        return obj

    def form_valid(self, form):
        try:
            self.object.delete()
        except (models.ProtectedError, models.RestrictedError) as exc:
            # The same refusal as the API's delete (409): what still refers to the object, and how many.
            messages.error(self.request, str(ReferencedError.of(exc)))
            return redirect(self.object.get_absolute_url())
        messages.success(self.request, _("已删除：%(obj)s") % {"obj": self.object})
        return redirect(reverse(f"{self.url_prefix}_list"))


class ObjectChangelogView(ScopedMixin, generic.DetailView):
    template_name = "platform/object_changelog.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ct = ContentType.objects.get_for_model(self.model)
        ctx["records"] = ChangeRecord.objects.filter(
            content_type=ct, object_id=str(self.object.pk)
        ).select_related("user")[:200]
        return ctx


def crud_urls(
    prefix: str,
    *,
    list_view: Callable | None = None,
    detail_view: Callable | None = None,
    edit_view: Callable | None = None,
    delete_view: Callable | None = None,
    changelog_view: Callable | None = None,
    base: str | None = None,
) -> list:
    """URL patterns ``<base>/``, ``add/``, ``<pk>/``, ``<pk>/edit/``, ``<pk>/delete/``, ``<pk>/changelog/``."""
    base = base or f"{prefix}s"
    out = []
    if list_view:
        out.append(path(f"{base}/", list_view, name=f"{prefix}_list"))
    if edit_view:
        out.append(path(f"{base}/add/", edit_view, name=f"{prefix}_add"))
        out.append(path(f"{base}/<int:pk>/edit/", edit_view, name=f"{prefix}_edit"))
    if detail_view:
        out.append(path(f"{base}/<int:pk>/", detail_view, name=prefix))
    if delete_view:
        out.append(path(f"{base}/<int:pk>/delete/", delete_view, name=f"{prefix}_delete"))
    if changelog_view:
        model = getattr(getattr(changelog_view, "view_class", None), "model", None)
        if model is not None and not issubclass(model, AuditedModel):
            raise ImproperlyConfigured(
                f"{model.__name__} is not audited: a change-log page of it would always be empty"
            )
        out.append(path(f"{base}/<int:pk>/changelog/", changelog_view, name=f"{prefix}_changelog"))
    return out


def scoped_bureau(request, bureau_id=None):
    """The bureau a page is about: ``?bureau=`` or the user's own, among those the user may see."""
    bureau_id = bureau_id or request.GET.get("bureau") or request.user.bureau_id
    if bureau_id is not None and not str(bureau_id).isdigit():
        raise Http404("没有这个局 / no such bureau")  # ``?bureau=false``: a missing row, not a server error
    ids = visible_bureau_ids(request.user)
    qs = Bureau.objects.all() if ids is None else Bureau.objects.filter(pk__in=ids)
    if bureau_id is None:
        bureau = qs.first()
        if bureau is None:
            raise PermissionDenied
        return bureau
    return get_object_or_404(qs, pk=bureau_id)


def bureau_choices(request):
    """The bureaus a page's bureau selector offers: those the user may see."""
    ids = visible_bureau_ids(request.user)
    return Bureau.objects.all() if ids is None else Bureau.objects.filter(pk__in=ids)


def object_or_404_scoped(model, user, pk, bureau_field="bureau"):
    return get_object_or_404(scope(model.objects.all(), user, bureau_field), pk=pk)
