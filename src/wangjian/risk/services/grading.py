"""Grading (风险分级): each entity's score from its credit-risk class and the apps' indicators, its grade, and why.

旌德 mechanism 二(七): "结合通用型企业信用风险分类结果和相关监管部门提供的符合网络交易主体特征的其他指标，综合分析研判，
锁定风险对象，划分网络交易市场主体风险等级". The score is

    the credit class's points (``RiskSettings.class_points``)
  + for every registered indicator (``platform.indicators``): min(weight × value, cap)

and the grade is 重点监控 from ``key_threshold`` points, 预警监控 from ``warning_threshold``, else 一般监控. Every
term is kept (``contributions``) and said in words, so an officer reads why: "信用风险分类D类（2026年11月）+40；
近90日确认违法发现2条（高2）+30；合计70分，重点监控（≥60分）". An entity without a class (the province classifies
enterprises; an individual business may have none, or the class may not be imported yet) is graded on its
online indicators alone, and its words say so. The class used is the entity's latest up to the day graded,
at most twelve months old: a class the province has not renewed for a year no longer describes the entity.

Cost: the indicators' grouped queries once for the bureau (their answers are sparse: only the entities where
something was found), then the entities a chunk at a time (their ids, their latest classes, their stored
grades), so memory and queries stay bounded at a million entities (``bench/risk.py``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from wangjian.org.models import Bureau
from wangjian.platform import indicators
from wangjian.platform.indicators import Indicator, IndicatorValue
from wangjian.registry.choices import RiskGrade
from wangjian.registry.models import MarketEntity
from wangjian.risk.models import CreditRiskClass, EntityGrade, RiskSettings
from wangjian.risk.services.settings import cap_of, class_points_of, grade_for, settings_for, weight_of

CHUNK = 10_000
CREDIT_KEY = "credit.class"
CREDIT_STALE_MONTHS = 12
GRADE_LABEL = {g.value: str(g.label) for g in RiskGrade}


@dataclass
class Grade:
    """One entity's grading: the score, the grade, each term (``contributions``) and the sentence."""

    entity_id: int
    score: float
    grade: str
    credit_class: str
    credit_month: dt.date | None
    contributions: list[dict]
    words: str
    digest: str = (
        ""  # what a stored grade is compared with: a grading that says the same is not written again
    )

    def __post_init__(self) -> None:
        if not self.digest:
            body = json.dumps(
                [self.grade, round(self.score, 2), self.contributions], ensure_ascii=False, sort_keys=True
            )
            self.digest = hashlib.sha1(body.encode()).hexdigest()


@dataclass
class Signals:
    """What the indicators found for a bureau on a day: ``{indicator key: {entity id: IndicatorValue}}``."""

    bureau_id: int
    today: dt.date
    registered: list[Indicator]
    values: dict[str, dict[int, IndicatorValue]] = field(default_factory=dict)


def signals_load(*, bureau_id: int, today: dt.date, entity_ids: list[int] | None = None) -> Signals:
    """Every registered indicator computed once for the bureau (or for ``entity_ids``)."""
    registered = indicators.all()
    signals = Signals(bureau_id, today, registered)
    for indicator in registered:
        signals.values[indicator.key] = indicator.compute(bureau_id, entity_ids, today)
    return signals


def _month_floor(today: dt.date) -> dt.date:
    months = today.year * 12 + today.month - 1 - CREDIT_STALE_MONTHS
    return dt.date(months // 12, months % 12 + 1, 1)


def credit_classes(
    *, bureau_id: int, today: dt.date, entity_ids: list[int]
) -> dict[int, tuple[str, dt.date]]:
    """The latest class of each of ``entity_ids`` up to ``today`` (at most ``CREDIT_STALE_MONTHS`` old)."""
    if not entity_ids:
        return {}
    rows = (
        CreditRiskClass.objects.filter(
            bureau_id=bureau_id,
            entity_id__gte=min(entity_ids),
            entity_id__lte=max(entity_ids),
            month__lte=today,
            month__gte=_month_floor(today),
        )
        .annotate(rn=Window(RowNumber(), partition_by=[F("entity_id")], order_by=F("month").desc()))
        .filter(rn=1)
        .values_list("entity_id", "risk_class", "month")
    )
    wanted = set(entity_ids)
    return {e: (c, m) for e, c, m in rows if e in wanted}


def _points(value: float) -> str:
    return f"+{value:g}" if value >= 0 else f"{value:g}"


def grade_one(
    entity_id: int,
    *,
    signals: Signals,
    settings: RiskSettings,
    credit: tuple[str, dt.date] | None,
) -> Grade:
    """Score, grade and words of one entity from what was loaded (no query)."""
    terms: list[dict] = []
    words: list[str] = []
    score = 0.0
    if credit is not None:
        risk_class, month = credit
        points = class_points_of(settings, risk_class)
        score += points
        text = f"信用风险分类{risk_class}类（{month.year}年{month.month}月）"
        terms.append(
            {
                "indicator": CREDIT_KEY,
                "label": "企业信用风险分类",
                "value": risk_class,
                "weight": points,
                "points": points,
                "text": text,
            }
        )
        words.append(f"{text}{_points(points)}")
    else:
        words.append("无信用风险分类结果，仅按线上指标评定")
    online = []
    for indicator in signals.registered:
        found = signals.values.get(indicator.key, {}).get(entity_id)
        if found is None:
            continue
        weight, cap = weight_of(settings, indicator.key), cap_of(settings, indicator.key)
        raw = weight * found.value
        points = round(min(raw, cap), 2)
        online.append(
            {
                "indicator": indicator.key,
                "label": indicator.label_zh,
                "value": found.value,
                "weight": weight,
                "points": points,
                "text": found.text_zh,
                "capped": raw > cap,
            }
        )
    online.sort(key=lambda t: -t["points"])
    for term in online:
        score += term["points"]
        note = "（封顶）" if term["capped"] else ("（未设权重，不计分）" if term["weight"] == 0 else "")
        words.append(f"{term['text']} {_points(term['points'])}{note}")
    if not online:
        words.append("未发现线上风险指标")
    terms.extend(online)
    score = round(score, 2)
    grade = grade_for(settings, score)
    threshold = {
        RiskGrade.KEY: f"（≥{settings.key_threshold:g}分）",
        RiskGrade.WARNING: f"（≥{settings.warning_threshold:g}分）",
        RiskGrade.GENERAL: f"（<{settings.warning_threshold:g}分）",
    }[grade]
    words.append(f"合计{score:g}分，{GRADE_LABEL[grade]}{threshold}")
    return Grade(
        entity_id=entity_id,
        score=score,
        grade=grade,
        credit_class=credit[0] if credit else "",
        credit_month=credit[1] if credit else None,
        contributions=terms,
        words="；".join(words),
    )


class Grader:
    """``grade_one`` for many entities, each distinct set of inputs worked out once.

    A grade depends on the entity only through its class and what the indicators found, and most of a
    county's entities share those (a class and nothing found): at a million entities the grading is
    then a dictionary lookup and a copy with the entity's id, not a million sentences composed.
    """

    LIMIT = 200_000  # distinct inputs remembered; past it, graded one by one

    def __init__(self, signals: Signals, settings: RiskSettings):
        self.signals, self.settings = signals, settings
        self.cache: dict[tuple, Grade] = {}
        # the indicators' answers turned round: entity → what was found (sparse, so few entities)
        found: dict[int, list] = {}
        for indicator in signals.registered:
            for entity_id, v in signals.values.get(indicator.key, {}).items():
                found.setdefault(entity_id, []).append((indicator.key, v.value, v.text_zh))
        self.found = {e: tuple(v) for e, v in found.items()}

    def __call__(self, entity_id: int, credit: tuple[str, dt.date] | None) -> Grade:
        key = (credit, self.found.get(entity_id, ()))
        k = self.cache.get(key)
        if k is None:
            k = grade_one(entity_id, signals=self.signals, settings=self.settings, credit=credit)
            if len(self.cache) < self.LIMIT:
                self.cache[key] = k
            return k
        return Grade(
            entity_id, k.score, k.grade, k.credit_class, k.credit_month, k.contributions, k.words, k.digest
        )


def entity_chunks(
    *, bureau_id: int, entity_ids: list[int] | None = None, size: int = CHUNK
) -> Iterator[list[int]]:
    """The bureau's entity ids in ascending chunks (keyset, so the millionth costs what the first does)."""
    if entity_ids is not None:
        ids = sorted(set(entity_ids))
        for i in range(0, len(ids), size):
            yield ids[i : i + size]
        return
    last = 0
    while True:
        ids = list(
            MarketEntity.objects.filter(bureau_id=bureau_id, id__gt=last)
            .order_by("id")
            .values_list("id", flat=True)[:size]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def grades_iter(
    *,
    bureau: Bureau | int,
    today: dt.date,
    settings: RiskSettings | None = None,
    entity_ids: list[int] | None = None,
    signals: Signals | None = None,
) -> Iterator[list[Grade]]:
    """The grades of the bureau's entities (or of ``entity_ids``), a chunk at a time, in ascending id order."""
    bureau_id = getattr(bureau, "pk", bureau)
    settings = settings or settings_for(bureau_id)
    signals = signals or signals_load(bureau_id=bureau_id, today=today, entity_ids=entity_ids)
    grader = Grader(signals, settings)
    for ids in entity_chunks(bureau_id=bureau_id, entity_ids=entity_ids):
        credit = credit_classes(bureau_id=bureau_id, today=today, entity_ids=ids)
        yield [grader(e, credit.get(e)) for e in ids]


def grades_compute(
    *,
    bureau: Bureau | int,
    today: dt.date,
    settings: RiskSettings | None = None,
    entity_ids: list[int] | None = None,
) -> dict[int, Grade]:
    """Every entity's grade (score, grade, contributions, words) as of ``today``, computed, not stored."""
    out: dict[int, Grade] = {}
    for chunk in grades_iter(bureau=bureau, today=today, settings=settings, entity_ids=entity_ids):
        out.update((g.entity_id, g) for g in chunk)
    return out


# ---------------------------------------------------------------------------------------------
# Preview: what new settings would change, before they are saved


@dataclass
class Preview:
    """How many entities would move from each grade to each other under the settings previewed."""

    total: int = 0
    changed: int = 0
    before: Counter = field(default_factory=Counter)  # stored grade ("" never graded) → entities
    after: Counter = field(default_factory=Counter)
    moves: Counter = field(default_factory=Counter)  # (from, to) → entities, only where they differ

    def rows(self) -> list[dict]:
        """The moves as the page and the API show them, highest grade first."""
        order = {"key": 0, "warning": 1, "general": 2, "": 3}
        return [
            {
                "from_grade": a,
                "from_label": GRADE_LABEL.get(a, "未评定"),
                "to_grade": b,
                "to_label": GRADE_LABEL[b],
                "count": n,
            }
            for (a, b), n in sorted(self.moves.items(), key=lambda kv: (order[kv[0][0]], order[kv[0][1]]))
        ]


def grades_preview(*, bureau: Bureau | int, today: dt.date, settings: RiskSettings) -> Preview:
    """Grade every entity under ``settings`` (unsaved) and count the changes against the stored grades."""
    bureau_id = getattr(bureau, "pk", bureau)
    out = Preview()
    for chunk in grades_iter(bureau=bureau_id, today=today, settings=settings):
        ids = [g.entity_id for g in chunk]
        stored = dict(
            EntityGrade.objects.filter(bureau_id=bureau_id, entity_id__gte=ids[0], entity_id__lte=ids[-1])
            .values_list("entity_id", "grade")
            .order_by()
        )
        for g in chunk:
            before = stored.get(g.entity_id, "")
            out.total += 1
            out.before[before] += 1
            out.after[g.grade] += 1
            if before != g.grade:
                out.changed += 1
                out.moves[(before, g.grade)] += 1
    return out
