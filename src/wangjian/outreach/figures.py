"""The outreach figures (``platform.statistics``): takedown requests and links taken down, 约谈, answers on time.

Each counts rows of a bureau by the day the fact happened: a takedown by the day the platform answered (the links
it reports removed), a 约谈 by the day it was held, a request answered on time by the day of the answer, not later
than its deadline. The platform filter is the request's platform.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum

from wangjian.outreach.choices import Answer, GuidanceKind, RequestKind
from wangjian.outreach.models import Guidance, PlatformRequest
from wangjian.platform.statistics import PLATFORM, Figure, Scope, list_url, register

FILTERS = frozenset({PLATFORM})


def _requests(scope: Scope):
    qs = scope.bureaus(PlatformRequest.objects.all())
    return qs.filter(platform_id=scope.platform_id) if scope.platform_id is not None else qs


def takedowns_answered(scope: Scope, start: dt.date, end: dt.date):  # noqa: ANN201
    """The takedown requests the platform answered within the period and acted on (done or partly)."""
    return _requests(scope).filter(
        kind=RequestKind.TAKEDOWN, answered_on__range=(start, end), answer__in=(Answer.DONE, Answer.PARTLY)
    )


def links_removed(scope: Scope, start: dt.date, end: dt.date) -> int:
    return takedowns_answered(scope, start, end).aggregate(n=Sum("links_removed"))["n"] or 0


def takedown_requests(scope: Scope, start: dt.date, end: dt.date) -> int:
    return _requests(scope).filter(kind=RequestKind.TAKEDOWN, sent_on__range=(start, end)).count()


def interviews(scope: Scope, start: dt.date, end: dt.date) -> int:
    qs = scope.bureaus(Guidance.objects.filter(kind=GuidanceKind.INTERVIEW, held_on__range=(start, end)))
    return (qs.filter(platform_id=scope.platform_id) if scope.platform_id is not None else qs).count()


def answered_on_time(scope: Scope, start: dt.date, end: dt.date) -> int:
    return (
        _requests(scope)
        .filter(answered_on__range=(start, end), answered_late=False)  # the flag the answer step records
        .count()
    )


def _url(url_name: str, after: str, before: str, **params):  # noqa: ANN202
    """The list page of the rows a figure counts, with the period under the list's own filter names."""
    return lambda s, a, b: list_url(
        url_name, s, department=None, station=None, domain=None, **{after: a, before: b}, **params
    )


ANSWERED = ("answered_after", "answered_before")

FIGURES = (
    Figure(
        "outreach_links_removed",
        "下架链接数",
        "links taken down by platforms",
        "平台答复已下架或者删除的链接数：按平台答复日期计入统计期，计下架请求中平台答复已办理（含部分办理）所报的链接数。",
        "Links a platform answered it took down, counted on the day of its answer (requests done or partly done).",
        "条",
        "outreach",
        links_removed,
        filters=FILTERS,
        records_url=_url("outreach:request_list", *ANSWERED, kind=RequestKind.TAKEDOWN.value),
    ),
    Figure(
        "outreach_takedown_requests",
        "平台下架请求",
        "takedown requests to platforms",
        "向平台发出的下架/删除链接请求：按发函日期计入统计期。",
        "Takedown requests sent to platforms, counted on the day the letter was sent.",
        "件",
        "outreach",
        takedown_requests,
        filters=FILTERS,
        records_url=_url(
            "outreach:request_list", "sent_after", "sent_before", kind=RequestKind.TAKEDOWN.value
        ),
    ),
    Figure(
        "outreach_interviews",
        "约谈平台",
        "interviews with platforms",
        "对平台的约谈（行政指导）：按约谈日期计入统计期；提示、告诫、建议不计入。",
        "Interviews (约谈) with platforms, counted on the day held; reminders, warnings and advice are not counted.",
        "件",
        "outreach",
        interviews,
        filters=FILTERS,
        records_url=_url(
            "outreach:guidance_list", "held_after", "held_before", kind=GuidanceKind.INTERVIEW.value
        ),
    ),
    Figure(
        "outreach_answered_on_time",
        "平台按期答复的请求",
        "platform requests answered on time",
        "平台在答复期限内（含期限当日）答复的请求（下架、调取数据、停止服务）：按答复日期计入统计期。",
        "Requests to platforms answered by their deadline (the day included), counted on the day of the answer.",
        "件",
        "outreach",
        answered_on_time,
        filters=FILTERS,
        records_url=_url("outreach:request_list", *ANSWERED, late="false"),
    ),
)


def register_all() -> None:
    register(*FIGURES)
