"""The dashboards' rankings (排名): the top platforms and the top market entities, for the page's scope and period.

Two boxes, one a subject (``rankings.PLATFORMS``, ``rankings.ENTITIES``): each draws one registered
ranking of its subject as a horizontal bar chart and, under it, a plain table of the same rows with
the link to each row's records — so the page prints, and works without JavaScript. The query string
picks the ranking of each box (``rank_platform``, ``rank_entity``); by default the findings', or, when
the page's filters rule those out, the first of the subject that can honour them.

A ranking that cannot honour the page's filters says so instead of ranking unfiltered numbers, as the
figures' charts do (``dashboard._not_filtered``). One grouped query a box, bounded by ``LIMIT``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from django.utils.translation import gettext as _

from wangjian.core.errors import ValidationFailed
from wangjian.platform.statistics import rankings, reading
from wangjian.platform.statistics.rankings import ENTITIES, PLATFORMS, Ranking
from wangjian.platform.statistics.registry import FILTER_LABELS, Scope

LIMIT = 10
# The query parameter that picks a box's ranking, and the ranking drawn by default.
PARAMS = {PLATFORMS: "rank_platform", ENTITIES: "rank_entity"}
DEFAULTS = {PLATFORMS: "findings_by_platform", ENTITIES: "findings_by_entity"}


class Asked(Protocol):
    """What a box needs of the dashboard's ``Ask``."""

    scope: Scope
    start: dt.date
    end: dt.date
    picks: Mapping[str, str]


def picks_from(params: Mapping[str, str]) -> dict[str, str]:
    """The rankings the query string picks (``rank_platform``, ``rank_entity``): a registered one of the box's
    subject, or refused in both languages."""
    out = {}
    for subject, name in PARAMS.items():
        key = (params.get(name) or "").strip()
        if not key:
            continue
        ranking = rankings.get_ranking(key)
        if ranking.subject != subject:
            raise ValidationFailed(
                f"{name} 应为{rankings.SUBJECTS[subject]}的排名：{key}",
                f"{name} must be a ranking of {rankings.SUBJECTS_EN[subject]}: {key}",
            )
        out[subject] = key
    return out


@dataclass
class RankingBox:
    id: str  # ranking-platform | ranking-entity
    subject: str
    title: str
    param: str
    choices: list[tuple[str, str]]  # (key, label) of the subject's rankings
    ranking: Ranking | None = None
    rows: list[tuple[int, str, object, str]] = field(default_factory=list)  # (rank, label, number, url)
    note: str = ""  # why nothing is drawn, or what is left out

    @property
    def data_id(self) -> str:
        return f"{self.id}-data"

    @property
    def drawn(self) -> bool:
        return bool(self.rows)

    @property
    def subject_label(self) -> str:
        return rankings.SUBJECTS[self.subject]

    @property
    def selected(self) -> str:
        return self.ranking.key if self.ranking else ""

    def data(self) -> dict:
        """The chart's JSON (``dashboard.js``): one series, a bar a row, each with its records' address."""
        name = f"{self.ranking.label_zh}（{self.ranking.unit}）" if self.ranking else ""
        return {
            "kind": "hbar",
            "labels": [label for _r, label, _n, _u in self.rows],
            "series": [
                {"name": name, "data": [n for *_x, n, _u in self.rows], "urls": [u for *_x, u in self.rows]}
            ],
            "url": "",
        }


def _cannot(ranking: Ranking, scope: Scope) -> str:
    filters = "、".join(FILTER_LABELS[f] for f in rankings.unsupported(ranking, scope))
    return _("%(name)s不能按%(filters)s筛选，未画出") % {"name": ranking.label_zh, "filters": filters}


def box(ask: Asked, subject: str) -> RankingBox:
    """The box of ``subject``: the ranking picked (or the default) for the ask's scope and period."""
    choices = rankings.rankings(subject)
    out = RankingBox(
        id=f"ranking-{subject}",
        subject=subject,
        title=_("平台排名") if subject == PLATFORMS else _("经营主体排名"),
        param=PARAMS[subject],
        choices=[(r.key, r.label_zh) for r in choices],
    )
    if not choices:
        out.note = _("没有登记%(subject)s的排名") % {"subject": rankings.SUBJECTS[subject]}
        return out
    picked = ask.picks.get(subject)
    if picked:
        ranking = rankings.get_ranking(picked)
    else:
        usable = [r for r in choices if not rankings.unsupported(r, ask.scope)]
        default = next((r for r in usable if r.key == DEFAULTS[subject]), None)
        ranking = default or (usable or choices)[0]
        if ranking.key != DEFAULTS[subject] and DEFAULTS[subject] in {r.key for r in choices}:
            out.note = _("%(cannot)s；改为显示%(other)s") % {
                "cannot": _cannot(rankings.get_ranking(DEFAULTS[subject]), ask.scope),
                "other": ranking.label_zh,
            }
    out.ranking = ranking
    if rankings.unsupported(ranking, ask.scope):
        out.note = _cannot(ranking, ask.scope)
        return out
    rows = ranking.compute(ask.scope, ask.start, ask.end, LIMIT)
    out.rows = [
        (i, row.label, reading.plain(row.number), ranking.row_url(ask.scope, ask.start, ask.end, row.id))
        for i, row in enumerate(rows, start=1)
    ]
    if not rows:
        out.note = "；".join(filter(None, [out.note, _("所选期间和范围内没有数据")]))
    return out


def boxes(ask: Asked) -> list[RankingBox]:
    return [box(ask, subject) for subject in (PLATFORMS, ENTITIES)]
