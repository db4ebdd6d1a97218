"""The table base of every list: one look for all registries."""

import django_tables2 as tables


class BaseTable(tables.Table):
    class Meta:
        attrs = {"class": "table table-sm table-hover table-striped align-middle mb-0"}
