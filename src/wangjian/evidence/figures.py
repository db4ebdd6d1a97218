"""The evidence app's figure (``platform.statistics``): captures made, by how they were made."""

from __future__ import annotations

import datetime as dt

from wangjian.evidence.choices import CaptureMode, CaptureStatus
from wangjian.evidence.models import EvidenceCapture
from wangjian.platform.statistics import Breakdown, Figure, Scope, counted_by, in_period, list_url, register


def _captures(scope: Scope, start: dt.date, end: dt.date):
    return scope.bureaus(EvidenceCapture.objects.filter(status=CaptureStatus.OK)).filter(
        **in_period("started_at", start, end, timestamp=True)
    )


def captures(scope: Scope, start: dt.date, end: dt.date) -> int:
    return _captures(scope, start, end).count()


def captures_by_mode(scope: Scope, start: dt.date, end: dt.date) -> dict[str, int]:
    return counted_by(_captures(scope, start, end), "mode")


def _list(scope: Scope, start: dt.date, end: dt.date, **more) -> str:
    """The capture list showing the figure's rows (the filters the list has)."""
    return list_url(
        "evidence:capture_list",
        scope,
        department=None,
        station=None,
        domain=None,
        platform=None,
        status="ok",
        started_after=start,
        started_before=end,
        **more,
    )


CAPTURES = Figure(
    "evidence_captures",
    "电子数据取证",
    "evidence captures",
    "开始时间（started_at）在统计期间内、取证成功的电子数据取证记录（含上传的证据），按取证方式分列；"
    "计入取证单位；失败的取证不计。",
    "Successful evidence captures (uploads included) started within the period, by mode; for the capturing "
    "bureau; failed captures not counted.",
    "次",
    "evidence",
    captures,
    breakdown=Breakdown(
        "mode",
        "取证方式",
        "mode",
        tuple(CaptureMode.choices),
        captures_by_mode,
        records_url=lambda s, a, b, v: _list(s, a, b, mode=v),
    ),
    records_url=lambda s, a, b: _list(s, a, b),
)


def register_all() -> None:
    register(CAPTURES)
