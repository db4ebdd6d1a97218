"""The complaints app's figures (``platform.statistics``): received, accepted, mediated, amounts recovered.

Counted as the analysis report counts them (``services.analysis``) with one difference: a record
transferred to another authority (移送) by the end of the period counts for the one handling it —
the receiving authority registers its own — not here. The unit is the handling unit now
(承办科室/承办所). The platform filter takes the record's online presence on that platform, or, where
no presence is linked, the platform's name as recorded from 12315.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from wangjian.complaints.choices import Kind, State
from wangjian.complaints.models import Complaint
from wangjian.platform.statistics import (
    DEPARTMENT,
    DOMAIN,
    PLATFORM,
    STATION,
    Breakdown,
    Figure,
    Scope,
    counted_by,
    list_url,
    register,
)
from wangjian.registry.models import Platform

FILTERS = frozenset({DEPARTMENT, STATION, DOMAIN, PLATFORM})
MOVED = "移送其他机关的，截止日前已移送的不计入本局；单位为现承办单位。"
MOVED_EN = "Records transferred elsewhere by the period's end count there, not here; the unit is the handling unit now."


def _complaints(scope: Scope):
    qs = Complaint.objects.all()
    if scope.platform_id is not None:
        name = Platform.objects.filter(pk=scope.platform_id).values_list("name", flat=True).first()
        on_platform = Q(presence__platform_id=scope.platform_id)
        if name:
            on_platform |= Q(presence__isnull=True, platform_name=name)
        qs = qs.filter(on_platform)
    return replace(scope, platform_id=None).units(qs)  # the platform is filtered above


def _received(scope: Scope, start: dt.date, end: dt.date):
    return (
        _complaints(scope)
        .filter(received_on__range=(start, end))
        .exclude(state=State.TRANSFERRED, ended_on__lte=end)
    )


def received(scope: Scope, start: dt.date, end: dt.date) -> int:
    return _received(scope, start, end).count()


def received_by_kind(scope: Scope, start: dt.date, end: dt.date) -> dict[str, int]:
    return counted_by(_received(scope, start, end), "kind")


def received_monthly(scope: Scope, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = (
        _received(scope, start, end)
        .annotate(month=TruncMonth("received_on"))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {f"{month:%Y-%m}": n for month, n in rows}


def accepted(scope: Scope, start: dt.date, end: dt.date) -> int:
    return _complaints(scope).filter(accepted_on__range=(start, end)).count()


def _resolved(scope: Scope, start: dt.date, end: dt.date):
    return _complaints(scope).filter(state=State.RESOLVED, ended_on__range=(start, end))


def mediated(scope: Scope, start: dt.date, end: dt.date) -> int:
    return _resolved(scope, start, end).count()


def recovered(scope: Scope, start: dt.date, end: dt.date) -> Decimal:
    return _resolved(scope, start, end).aggregate(n=Sum("recovered"))["n"] or Decimal("0")


def _list(scope: Scope, start: dt.date, end: dt.date, **more) -> str:
    """The complaint list showing a figure's rows: in the scope's unit, domain and platform, with ``more``."""
    return list_url("complaints:complaint_list", scope, **more)


def _received_list(scope: Scope, start: dt.date, end: dt.date, **more) -> str:
    """Received in the period and not transferred elsewhere by its end (``held_on``)."""
    return _list(scope, start, end, received_after=start, received_before=end, held_on=end, **more)


def _resolved_list(scope: Scope, start: dt.date, end: dt.date) -> str:
    return _list(scope, start, end, state=State.RESOLVED.value, ended_after=start, ended_before=end)


RECEIVED = Figure(
    "complaints_received",
    "收到投诉举报",
    "complaints and reports received",
    "收到日期（received_on）在统计期间内的投诉和举报，按类别分列（一件既是投诉又是举报的已拆分为各一件）。"
    + MOVED,
    "Complaints and reports received (received_on) within the period, by kind (a record that was both is "
    "split into one of each). " + MOVED_EN,
    "件",
    "complaints",
    received,
    filters=FILTERS,
    breakdown=Breakdown(
        "kind",
        "类别",
        "kind",
        tuple(Kind.choices),
        received_by_kind,
        records_url=lambda s, a, b, v: _received_list(s, a, b, kind=v),
    ),
    monthly=received_monthly,
    records_url=_received_list,
)
ACCEPTED = Figure(
    "complaints_accepted",
    "受理投诉",
    "complaints accepted",
    "受理日期（accepted_on）在统计期间内的投诉。" + MOVED,
    "Complaints accepted (accepted_on) within the period. " + MOVED_EN,
    "件",
    "complaints",
    accepted,
    filters=FILTERS,
    records_url=lambda s, a, b: _list(s, a, b, accepted_after=a, accepted_before=b),
)
MEDIATED = Figure(
    "complaints_mediated",
    "调解成功",
    "complaints mediated successfully",
    "调解成功（达成调解协议，或平台在线纠纷解决机制解决）、办结日期（ended_on）在统计期间内的投诉。",
    "Complaints resolved (an agreement, or solved by the platform's dispute resolution) with their end date "
    "within the period.",
    "件",
    "complaints",
    mediated,
    filters=FILTERS,
    records_url=_resolved_list,
)
RECOVERED = Figure(
    "complaints_recovered",
    "为消费者挽回经济损失",
    "losses recovered for consumers",
    "统计期间内调解成功的投诉登记的挽回经济损失合计（元）。",
    "The total recovered for consumers (yuan) recorded on the complaints resolved within the period.",
    "元",
    "complaints",
    recovered,
    filters=FILTERS,
    records_url=_resolved_list,
)


def register_all() -> None:
    register(RECEIVED, ACCEPTED, MEDIATED, RECOVERED)
