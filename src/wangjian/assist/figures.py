"""The assist app's figures (``platform.statistics``): 协查请求发出, 收到, 按期答复, 逾期未答复 at the period's end.

A request counts for the bureau on its side: sent for the requesting bureau, received, answered and overdue for
the receiving bureau (a partner bureau on another instance is counted there, not here). No figure splits by
unit, domain or platform: a request belongs to two bureaus and no domain.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from wangjian.assist.models import AssistanceRequest
from wangjian.assist.selectors import overdue_on
from wangjian.platform.statistics import Figure, Scope, in_period, list_url, register


def _list(scope: Scope, **params) -> str:
    return list_url(
        "assist:request_list", scope, department=None, station=None, domain=None, platform=None, **params
    )


def _sent(scope: Scope, start: dt.date, end: dt.date) -> QuerySet:
    qs = scope.bureaus(AssistanceRequest.objects.filter(from_bureau__isnull=False), "from_bureau")
    return qs.filter(**in_period("sent_at", start, end, timestamp=True))


def _received(scope: Scope, start: dt.date, end: dt.date) -> QuerySet:
    qs = scope.bureaus(AssistanceRequest.objects.filter(to_bureau__isnull=False), "to_bureau")
    return qs.filter(received_on__range=(start, end))


def _on_time(scope: Scope, start: dt.date, end: dt.date) -> QuerySet:
    qs = scope.bureaus(AssistanceRequest.objects.filter(to_bureau__isnull=False), "to_bureau")
    return qs.filter(answered_on_time=True, **in_period("answered_at", start, end, timestamp=True))


def _overdue(scope: Scope, start: dt.date, end: dt.date) -> QuerySet:
    return overdue_on(
        scope.bureaus(AssistanceRequest.objects.filter(to_bureau__isnull=False), "to_bureau"), end
    )


SENT = Figure(
    "assist_sent",
    "协查请求发出",
    "assistance requests sent",
    "发出协助调查函的时间（sent_at）在统计期间内的协查请求，计入提出协查的局（含发往其他平台外部局的）；草稿不计，"
    "发出后撤回的仍计。",
    "Requests whose letter was sent (sent_at) within the period, for the requesting bureau (to partner bureaus "
    "elsewhere too); drafts not counted, withdrawn ones still are.",
    "件",
    "assist",
    lambda s, a, b: _sent(s, a, b).count(),
    records_url=lambda s, a, b: _list(s, direction="sent", sent_after=a, sent_before=b),
)
RECEIVED = Figure(
    "assist_received",
    "协查请求收到",
    "assistance requests received",
    "收到协助调查函的日期（received_on，期限起算日）在统计期间内的协查请求，计入协查局（含其他平台外部局发来的）。",
    "Requests whose letter was received (received_on, the clock's start) within the period, for the receiving "
    "bureau (from partner bureaus elsewhere too).",
    "件",
    "assist",
    lambda s, a, b: _received(s, a, b).count(),
    records_url=lambda s, a, b: _list(s, direction="received", received_after=a, received_before=b),
)
ON_TIME = Figure(
    "assist_answered_on_time",
    "按期答复的协查",
    "assistance requests answered on time",
    "答复时间（answered_at）在统计期间内、答复日期不晚于答复期限（收到协助调查函之日起十五个工作日或协作协议约定的期限，"
    "含批准的延期）的协查请求，计入协查局；退回补充协查后再次答复的，按最后一次答复计。",
    "Requests answered (answered_at) within the period on or before their deadline (15 working days from the "
    "receipt of the letter, or the agreed period, with approved extensions), for the receiving bureau; a request "
    "returned for more counts by its last answer.",
    "件",
    "assist",
    lambda s, a, b: _on_time(s, a, b).count(),
    records_url=lambda s, a, b: _list(
        s, direction="received", answered_after=a, answered_before=b, on_time="true"
    ),
)
OVERDUE = Figure(
    "assist_overdue",
    "逾期未答复的协查",
    "assistance requests overdue",
    "截至统计期间最后一日日终：已收到、答复期限已过（期限暂定的不计）仍未答复、未拒绝、未撤回的协查请求，计入协查局"
    "（期末时点数，与起始日期无关）。",
    "At the end of the period's last day: requests received whose deadline had passed (provisional ones not "
    "counted) without an answer, a refusal or a withdrawal, for the receiving bureau (a state at the end).",
    "件",
    "assist",
    lambda s, a, b: _overdue(s, a, b).count(),
    at_end=True,
    records_url=lambda s, a, b: _list(s, direction="received", overdue_on=b),
)


def register_all() -> None:
    register(SENT, RECEIVED, ON_TIME, OVERDUE)
