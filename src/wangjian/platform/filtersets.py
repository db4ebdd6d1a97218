"""The FilterSet base every list and API shares: a free-text search, choices scoped to the user's bureaus."""

import django_filters as df
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from wangjian.org.models import Bureau
from wangjian.org.selectors import visible_bureau_ids


class SearchFilterSet(df.FilterSet):
    """A free-text search over ``search_fields``; choice lists offer only rows of bureaus the user sees."""

    search_fields: tuple[str, ...] = ("name",)
    q = df.CharFilter(method="search", label=_("搜索"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self._scope_choices(user)

    def _scope_choices(self, user) -> None:
        # Without this the drop-downs of a list would name every bureau's departments and stations.
        ids = visible_bureau_ids(user)
        if ids is None:
            return
        for f in self.filters.values():
            queryset = getattr(f, "queryset", None)
            if queryset is None or callable(queryset):
                continue
            if queryset.model is Bureau:
                f.queryset = queryset.filter(pk__in=ids)
            elif any(field.name == "bureau" for field in queryset.model._meta.fields):
                f.queryset = queryset.filter(bureau__in=ids)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        cond = Q()
        for f in self.search_fields:
            cond |= Q(**{f"{f}__icontains": value})
        return queryset.filter(cond)


# The largest id a database keeps (a signed 64-bit integer, SQLite's and PostgreSQL's ``bigint``).
ID_MAX = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": ID_MAX})
class IdFilter(df.NumberFilter):
    """A row's id in the query (``?presence=12``): a whole number a database can hold.

    A ``NumberFilter`` took ``1.5`` and twenty-digit numbers; a foreign key's lookup passes the
    latter to the database unchecked (a 500). Here either is an invalid filter: a 400 from the API,
    the form's error on a page.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)
