"""Monitoring's risk indicators (``platform.indicators``): what the sweeps found about an entity's presences.

- ``monitoring.findings_confirmed``: findings the office confirmed as violations (确认违法), seen in the
  last 90 days; ``monitoring.findings_open``: findings not yet reviewed (待审核), seen in the last 90
  days — a signal, weighted lower by default because nobody has looked at it yet. Both are counted
  by severity (``Severity``): a high finding counts 1, a medium 0.5, a low 0.25, a 待核实信号 0 (wording
  that is lawful when true: it says nothing until checked); the text gives the counts per severity.
- ``monitoring.licence_failed``: the presences whose latest licence or permit check failed (未亮照,
  代码无效, 与登记不符, 未登记; 应亮证未亮证, 许可过期或失效, 持证主体不符, 编号无效, 许可数据中无此编号),
  one per presence and kind of check — 电子商务法 art. 15, and the permit rules quoted in ``permits.BASIS``.

Each is a handful of grouped queries over the bureau (the latest check per presence and kind is a
grouped subquery), never a query per entity.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Max

from wangjian.monitoring.choices import FindingStatus, LicenceCheckKind, Severity
from wangjian.monitoring.licence import LicenceVerdict
from wangjian.monitoring.models import Finding, LicenceCheck
from wangjian.monitoring.permits import PermitVerdict
from wangjian.platform.indicators import Indicator, IndicatorValue, day_start, register

DAYS = 90
SEVERITY_WEIGHT = {Severity.HIGH: 1.0, Severity.MEDIUM: 0.5, Severity.LOW: 0.25, Severity.REVIEW: 0.0}
SEVERITY_ORDER = (Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.REVIEW)
FAILED = (
    LicenceVerdict.MISSING,
    LicenceVerdict.INVALID_CODE,
    LicenceVerdict.MISMATCH,
    LicenceVerdict.UNREGISTERED,
    PermitVerdict.NOT_SHOWN,
    PermitVerdict.LAPSED,
    PermitVerdict.HOLDER_MISMATCH,
    PermitVerdict.INVALID_FORMAT,
    PermitVerdict.NOT_IN_DATA,
)
_SHORT = {Severity.HIGH: "高", Severity.MEDIUM: "中", Severity.LOW: "低", Severity.REVIEW: "待核实"}


def _findings(status: str, what: str):
    def compute(bureau_id: int, entity_ids: list[int] | None, today: dt.date) -> dict[int, IndicatorValue]:
        qs = Finding.objects.filter(
            bureau_id=bureau_id,
            status=status,
            presence__entity__isnull=False,
            last_seen__gte=day_start(today - dt.timedelta(days=DAYS)),
            last_seen__lt=day_start(today + dt.timedelta(days=1)),
        )
        if entity_ids is not None:
            qs = qs.filter(presence__entity_id__in=entity_ids)
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        for entity_id, severity, n in (
            qs.values_list("presence__entity_id", "severity").annotate(n=Count("id")).order_by()
        ):
            counts[entity_id][severity] = n
        out = {}
        for entity_id, by in counts.items():
            total = sum(by.values())
            value = sum(SEVERITY_WEIGHT.get(s, 0.0) * n for s, n in by.items())
            parts = "、".join(f"{_SHORT[s]}{by[s]}" for s in SEVERITY_ORDER if by.get(s))
            out[entity_id] = IndicatorValue(value, f"近{DAYS}日{what}{total}条（{parts}）")
        return out

    return compute


def licence_failed(bureau_id: int, entity_ids: list[int] | None, today: dt.date) -> dict[int, IndicatorValue]:
    """The latest check of each presence and kind (up to ``today``) that failed, counted per entity."""
    checks = LicenceCheck.objects.filter(
        bureau_id=bureau_id,
        checked_at__lt=day_start(today + dt.timedelta(days=1)),
        presence__entity__isnull=False,
    )
    if entity_ids is not None:
        checks = checks.filter(presence__entity_id__in=entity_ids)
    latest = checks.values("presence_id", "kind").annotate(last=Max("id")).values("last")
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for entity_id, kind, n in (
        LicenceCheck.objects.filter(id__in=latest, verdict__in=FAILED)
        .values_list("presence__entity_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[entity_id][kind] = n
    out = {}
    for entity_id, by in counts.items():
        licence = by.get(LicenceCheckKind.BUSINESS_LICENCE, 0)
        permits = sum(by.values()) - licence
        parts = [f"亮照{licence}处" if licence else "", f"亮证亮标{permits}处" if permits else ""]
        out[entity_id] = IndicatorValue(
            float(sum(by.values())), f"最近一次亮照亮证核验未通过：{'、'.join(p for p in parts if p)}"
        )
    return out


FINDINGS_CONFIRMED = Indicator(
    "monitoring.findings_confirmed",
    "近90日确认违法的监测发现",
    "findings confirmed as violations in the last 90 days",
    "monitoring",
    _findings(FindingStatus.CONFIRMED, "确认违法发现"),
)
FINDINGS_OPEN = Indicator(
    "monitoring.findings_open",
    "近90日待审核的监测发现",
    "findings awaiting review in the last 90 days",
    "monitoring",
    _findings(FindingStatus.NEW, "待审核监测发现"),
)
LICENCE_FAILED = Indicator(
    "monitoring.licence_failed",
    "亮照亮证核验未通过",
    "latest licence or permit check failed",
    "monitoring",
    licence_failed,
)


def register_all() -> None:
    for indicator in (FINDINGS_CONFIRMED, FINDINGS_OPEN, LICENCE_FAILED):
        register(indicator)
