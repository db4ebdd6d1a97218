"""Forms of outreach: they check the shape of the input; ``outreach.services`` decides."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from wangjian.outreach.choices import AuthorityRequestKind
from wangjian.outreach.models import (
    Authority,
    AuthorityRequest,
    Guidance,
    PlatformRequest,
    Reverification,
    SellerReportRecord,
)
from wangjian.platform.forms import ScopedModelForm
from wangjian.registry.models import Platform

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _BureauForm(ScopedModelForm):
    """The bureau is the user's (set on the instance by the view); platforms and authorities are its own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bureau_id = getattr(self.instance, "bureau_id", None)
        if "platform" in self.fields:
            self.fields["platform"].queryset = Platform.objects.filter(bureau_id=bureau_id)
        if "authority" in self.fields:
            self.fields["authority"].queryset = Authority.objects.filter(bureau_id=bureau_id)
        for _name, field in self.fields.items():
            if isinstance(field, forms.DateField):
                field.widget = DATE
                field.widget.attrs["class"] = "form-control form-control-sm"


def parse_items(value: str) -> list[tuple[str, dt.date | None]]:
    """``整改事项 | 2025-12-31`` a line; no date: the bureau's work rule gives the deadline."""
    out = []
    for line in (value or "").splitlines():
        if not line.strip():
            continue
        text, _sep, due = line.partition("|")
        try:
            out.append((text.strip(), dt.date.fromisoformat(due.strip()) if due.strip() else None))
        except ValueError:
            raise forms.ValidationError(_("期限格式应为 YYYY-MM-DD：%(line)s") % {"line": line}) from None
    return out


class GuidanceForm(_BureauForm):
    items = forms.CharField(
        label=_("整改事项（每行一项，可写“事项 | 期限”）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("未写期限的，按本局工作规则（行政指导整改事项）计算"),
    )

    class Meta:
        model = Guidance
        fields = ["platform", "kind", "held_on", "platform_attendees", "bureau_attendees", "matters", "file"]

    def clean_items(self):
        return parse_items(self.cleaned_data.get("items", ""))


class PlatformRequestForm(_BureauForm):
    class Meta:
        model = PlatformRequest
        fields = [
            "platform",
            "kind",
            "sent_on",
            "basis",
            "urls",
            "data_scope",
            "period_from",
            "period_to",
            "seller",
            "measure",
            "file",
        ]


class AuthorityForm(_BureauForm):
    class Meta:
        model = Authority
        fields = ["name", "kind", "contact", "phone", "address", "note"]


class AuthorityRequestForm(_BureauForm):
    class Meta:
        model = AuthorityRequest
        fields = ["authority", "kind", "sent_on", "subject", "materials", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (v, label)
            for v, label in AuthorityRequestKind.choices
            if v != AuthorityRequestKind.POLICE_TRANSFER
        ]


class ReportRecordForm(_BureauForm):
    class Meta:
        model = SellerReportRecord
        fields = ["window", "received_on", "file", "note"]


class ReverificationForm(_BureauForm):
    class Meta:
        model = Reverification
        fields = ["verified_on", "note"]
