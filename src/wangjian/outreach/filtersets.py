"""One FilterSet per outreach list, used by the web lists and the API alike."""

import django_filters as df
from django.forms import DateInput
from django.utils.translation import gettext_lazy as _

from wangjian.outreach.choices import (
    Answer,
    AuthorityKind,
    AuthorityRequestKind,
    AuthorityState,
    GuidanceKind,
    GuidanceState,
    RequestKind,
)
from wangjian.outreach.models import Authority, AuthorityRequest, Guidance, PlatformRequest
from wangjian.platform.filtersets import IdFilter, SearchFilterSet

DATE = DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _range(field: str, zh_from: str, zh_to: str) -> tuple[df.DateFilter, df.DateFilter]:
    return (
        df.DateFilter(field_name=field, lookup_expr="gte", label=zh_from, widget=DATE),
        df.DateFilter(field_name=field, lookup_expr="lte", label=zh_to, widget=DATE),
    )


class GuidanceFilterSet(SearchFilterSet):
    search_fields = ("number", "matters", "platform__name")
    platform = IdFilter(field_name="platform", label=_("平台"))
    kind = df.ChoiceFilter(choices=GuidanceKind.choices, label=_("方式"))
    state = df.ChoiceFilter(choices=GuidanceState.choices, label=_("状态"))
    held_after, held_before = _range("held_on", _("日期起"), _("日期止"))

    class Meta:
        model = Guidance
        fields = ["q", "platform", "kind", "state", "held_after", "held_before"]


class RequestFilterSet(SearchFilterSet):
    search_fields = ("number", "urls", "seller", "data_scope", "platform__name")
    platform = IdFilter(field_name="platform", label=_("平台"))
    kind = df.ChoiceFilter(choices=RequestKind.choices, label=_("请求类型"))
    answer = df.ChoiceFilter(choices=Answer.choices, label=_("答复"))
    unanswered = df.BooleanFilter(field_name="answered_on", lookup_expr="isnull", label=_("尚未答复"))
    late = df.BooleanFilter(field_name="answered_late", label=_("逾期答复"))
    sent_after, sent_before = _range("sent_on", _("发函日期起"), _("发函日期止"))
    answered_after, answered_before = _range("answered_on", _("答复日期起"), _("答复日期止"))

    class Meta:
        model = PlatformRequest
        fields = [
            "q",
            "platform",
            "kind",
            "answer",
            "unanswered",
            "late",
            "sent_after",
            "sent_before",
            "answered_after",
            "answered_before",
        ]


class AuthorityFilterSet(SearchFilterSet):
    search_fields = ("name", "contact")
    kind = df.ChoiceFilter(choices=AuthorityKind.choices, label=_("类别"))

    class Meta:
        model = Authority
        fields = ["q", "kind"]


class AuthorityRequestFilterSet(SearchFilterSet):
    search_fields = ("number", "case_number", "subject", "authority__name")
    authority = IdFilter(field_name="authority", label=_("接收部门"))
    kind = df.ChoiceFilter(choices=AuthorityRequestKind.choices, label=_("类型"))
    state = df.ChoiceFilter(choices=AuthorityState.choices, label=_("状态"))
    sent_after, sent_before = _range("sent_on", _("发出日期起"), _("发出日期止"))

    class Meta:
        model = AuthorityRequest
        fields = ["q", "authority", "kind", "state", "sent_after", "sent_before"]
