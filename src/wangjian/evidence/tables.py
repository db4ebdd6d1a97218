"""The capture list: every column available, a short default set shown."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from wangjian.evidence.models import EvidenceCapture


class EvidenceCaptureTable(tables.Table):
    id = tables.Column(verbose_name=_("编号"), linkify=True)
    url = tables.Column(linkify=True)
    operators = tables.Column(orderable=False)

    def render_operators(self, value):
        return "、".join(value or [])

    def render_url(self, value):
        return value if len(value) <= 80 else value[:77] + "…"

    class Meta:
        model = EvidenceCapture
        attrs = {"class": "table table-sm table-hover table-striped align-middle mb-0"}
        fields = (
            "id",
            "started_at",
            "url",
            "title",
            "mode",
            "status",
            "failure_reason",
            "case_ref",
            "operators",
            "bureau",
            "http_status",
            "resolved_ip",
            "retain_until",
        )
        sequence = fields
        exclude = ()
        order_by = ("-started_at",)
