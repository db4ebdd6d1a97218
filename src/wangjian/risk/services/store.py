"""Storing the grades: the current grade per entity, its history, the entity's ``risk_grade``, and the
stricter treatment a change to 重点监控 starts.

A grading that says the same as the stored one (its ``digest``) writes nothing, so the nightly run over a
million entities writes only what changed. A change of grade is a ``GradeChange`` with its reasons; an
entity's first grading is recorded as a change only when it is not 一般监控 (a million "— → 一般" rows say
nothing). The entity's ``risk_grade`` (registry) follows in bulk, so monitoring tasks (``risk_grades``) and
inspection draws select by it.

A change to 重点监控 (旌德 二(七); 四(四): "对信用风险高的经营者，要有针对性地采取严格监管措施") starts what the office
set (``RiskSettings``): a check task for the station whose territory covers the entity's 区划 (the longest
covering code), else for the unit the duty list names for ``task_domain`` ("谁监管、谁检查、谁负责"), with
the reasons in its body; and the entity is in the bureau's 重点监控 sweep from its next run.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wangjian.core.bulk import delete_ids, insert_rows, set_column
from wangjian.core.errors import WangjianError
from wangjian.org import permissions
from wangjian.org.models import Bureau, Station
from wangjian.org.services import responsible_for
from wangjian.platform.inbox.models import MessageKind
from wangjian.platform.inbox.services import notify
from wangjian.platform.indicators import day_start
from wangjian.platform.workitems import services as workitems
from wangjian.platform.workitems.kinds import WorkItemKind
from wangjian.platform.workitems.selectors import unit_users
from wangjian.registry.choices import RiskGrade
from wangjian.registry.models import MarketEntity
from wangjian.risk.models import EntityGrade, GradeChange, RiskSettings
from wangjian.risk.permissions import SETTINGS_MANAGE
from wangjian.risk.services.grading import GRADE_LABEL, Grade, grades_iter, settings_for, signals_load

BASIS = "旌德县市场监督管理局线上线下一体化监管工作机制 二(七)、四(四)：对信用风险高的经营者有针对性地采取严格监管措施"
KEY_CHECK = WorkItemKind("risk.key_check", "重点监控主体核查", "主体")


@dataclass
class StoreResult:
    """What one grading run did: entities graded, rows written, changes by from → to, tasks handed out."""

    bureau_id: int
    today: dt.date
    graded: int = 0
    written: int = 0
    changed: int = 0
    tasks: int = 0
    task_failures: list[str] = field(default_factory=list)
    by_grade: Counter = field(default_factory=Counter)
    moves: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "bureau": self.bureau_id,
            "today": self.today.isoformat(),
            "graded": self.graded,
            "written": self.written,
            "changed": self.changed,
            "tasks": self.tasks,
            "task_failures": self.task_failures,
            "by_grade": {g: self.by_grade.get(g, 0) for g in RiskGrade.values},
            "moves": [{"from": a, "to": b, "count": n} for (a, b), n in sorted(self.moves.items())],
            "seconds": round(self.seconds, 2),
        }


def _now_for(today: dt.date) -> dt.datetime:
    """The moment a grading of ``today`` acts at: now when it is today, else noon of that day (a re-run)."""
    return timezone.now() if today == timezone.localdate() else day_start(today) + dt.timedelta(hours=12)


def grades_store(
    *,
    bureau: Bureau,
    today: dt.date,
    user: Any = None,
    now: dt.datetime | None = None,
    entity_ids: list[int] | None = None,
) -> StoreResult:
    """Grade the bureau's entities as of ``today`` and store what changed (see the module's docstring).

    ``user`` is who asked (the page's 立即重新评定: the office); ``None`` is the daily job.
    """
    if user is not None:
        permissions.require(user, SETTINGS_MANAGE)
    started = time.monotonic()
    now = now or _now_for(today)
    settings = settings_for(bureau)
    result = StoreResult(bureau.pk, today)
    signals = signals_load(bureau_id=bureau.pk, today=today, entity_ids=entity_ids)
    treatment = _Treatment(bureau, settings, now)
    for chunk in grades_iter(
        bureau=bureau, today=today, settings=settings, entity_ids=entity_ids, signals=signals
    ):
        with transaction.atomic():
            _store_chunk(bureau, today, chunk, result, treatment)
    treatment.tell_units()
    result.tasks, result.task_failures = treatment.made, treatment.failures
    result.seconds = time.monotonic() - started
    return result


def _store_chunk(
    bureau: Bureau, today: dt.date, chunk: list[Grade], result: StoreResult, treatment: _Treatment
) -> None:
    ids = [g.entity_id for g in chunk]
    # read as tuples: a model instance per stored row cost more than the grading itself
    stored = {
        entity_id: (pk, grade, digest, since)
        for entity_id, pk, grade, digest, since in EntityGrade.objects.filter(
            bureau=bureau, entity_id__gte=ids[0], entity_id__lte=ids[-1]
        )
        .values_list("entity_id", "id", "grade", "digest", "since")
        .order_by()
    }
    new_rows, rewritten, changes, regraded = [], [], [], defaultdict(list)
    for g in chunk:
        result.graded += 1
        result.by_grade[g.grade] += 1
        known = stored.get(g.entity_id)
        if known is not None and known[2] == g.digest:
            continue
        before = known[1] if known is not None else ""
        row = {
            "bureau_id": bureau.pk,
            "entity_id": g.entity_id,
            "grade": g.grade,
            "score": g.score,
            "credit_class": g.credit_class,
            "credit_month": g.credit_month,
            "contributions": g.contributions,
            "words": g.words,
            "digest": g.digest,
            "graded_on": today,
            "since": known[3] if known is not None and before == g.grade else today,
        }
        if known is None:
            new_rows.append(row)
        else:
            row["id"] = known[0]
            rewritten.append(row)
        if before != g.grade:
            regraded[g.grade].append(g.entity_id)
            if before or g.grade != RiskGrade.GENERAL:
                changes.append((g, before, row))
    # written as rows, not model instances (``core.bulk``: COPY on PostgreSQL); a changed grade is its
    # row rewritten under the same id (the key-check work items name the row by id)
    insert_rows(EntityGrade, new_rows)
    delete_ids(EntityGrade, [r["id"] for r in rewritten])
    insert_rows(EntityGrade, rewritten, with_pk=True)
    result.written += len(new_rows) + len(rewritten)
    set_column(MarketEntity, regraded, field="risk_grade")
    history = [
        GradeChange(
            bureau=bureau,
            entity_id=g.entity_id,
            on=today,
            from_grade=before,
            to_grade=g.grade,
            score=g.score,
            reasons=g.words,
            contributions=g.contributions,
        )
        for g, before, _row in changes
    ]
    GradeChange.objects.bulk_create(history, batch_size=2000)
    keys = [(g, before, change) for (g, before, _r), change in zip(changes, history, strict=True)]
    for g, before, _change in keys:
        result.moves[(before, g.grade)] += 1
        result.changed += 1
    became_key = [(g, c) for g, before, c in keys if g.grade == RiskGrade.KEY and before != RiskGrade.KEY]
    if became_key:
        rows = EntityGrade.objects.in_bulk([g.entity_id for g, _c in became_key], field_name="entity_id")
        for g, change in became_key:
            treatment.add(rows[g.entity_id], change)
    treatment.flush()


class _Treatment:
    """The check tasks of the entities that became 重点监控, handed out a chunk at a time, each unit told once."""

    def __init__(self, bureau: Bureau, settings: RiskSettings, now: dt.datetime):
        self.bureau, self.settings, self.now = bureau, settings, now
        self.pending: list[tuple[EntityGrade, GradeChange]] = []
        self.stations = list(Station.objects.filter(bureau=bureau, is_active=True).order_by("id"))
        self.units: dict[str, tuple[Any, Any, str]] = {}
        self.told: dict[tuple[int | None, int | None], tuple[Any, list[str]]] = {}
        self.made = 0
        self.failures: list[str] = []

    def add(self, row: EntityGrade, change: GradeChange) -> None:
        if self.settings.task_on_key:
            self.pending.append((row, change))

    def unit_for(self, region_code: str) -> tuple[Any, Any, str]:
        """(department, station, why): the station covering the 区划 (longest code), else the duty-list unit."""
        if region_code not in self.units:
            best, best_code = None, ""
            for station in self.stations:
                code = station.covers(region_code) if region_code else None
                if code and len(code) > len(best_code):
                    best, best_code = station, code
            if best is not None:
                self.units[region_code] = (None, best, f"区划 {region_code} 属{best}辖区（{best_code}）")
            else:
                found = responsible_for(self.bureau, self.settings.task_domain, region_code or None)
                self.units[region_code] = (found.department, found.station, found.reason_zh)
        return self.units[region_code]

    def flush(self) -> None:
        if not self.pending:
            return
        entities = {
            e.pk: e
            for e in MarketEntity.objects.filter(pk__in=[r.entity_id for r, _c in self.pending]).only(
                "id", "name", "uscc", "region_code"
            )
        }
        specs, rows = [], []
        for row, change in self.pending:
            entity = entities[row.entity_id]
            department, station, why = self.unit_for(entity.region_code)
            specs.append(
                {
                    "bureau": self.bureau,
                    "kind": KEY_CHECK.key,
                    "title": f"重点监控主体核查：{entity.name}",
                    "body": f"{entity.name}（{entity.uscc}）于 {change.on:%Y-%m-%d} 转为重点监控。\n"
                    f"理由：{change.reasons}\n派发：{why}\n依据：{BASIS}",
                    "department": department,
                    "station": station,
                    "working_days": self.settings.task_working_days,
                    "reference": entity.uscc,
                    "domain": self.settings.task_domain,
                }
            )
            rows.append((row, change, entity))
        prepared = workitems.workitems_prepare(specs=specs, now=self.now)
        items, subjects, links = [], [], []
        for item, (row, change, entity) in zip(prepared, rows, strict=True):
            if isinstance(item, WangjianError):
                self.failures.append(f"{entity.name}：{item.zh}")
                continue
            items.append(item)
            subjects.append(row)
            links.append(change)
        workitems.workitems_insert(items=items, subjects=subjects)
        for item, change in zip(items, links, strict=True):
            change.work_item = item
            unit = item.station or item.department
            self.told.setdefault((item.department_id, item.station_id), (unit, []))[1].append(item.title)
        GradeChange.objects.bulk_update(links, ["work_item"], batch_size=2000)
        self.made += len(items)
        self.pending = []

    def tell_units(self) -> None:
        """One message to each unit that received check tasks, not one per entity."""
        if not self.told:
            return
        url = reverse("platform:workitem_list")
        for (department_id, station_id), (unit, titles) in self.told.items():
            notify(
                key=f"risk{self.bureau.pk}:{self.now:%Y%m%d%H%M%S}:d{department_id or 0}s{station_id or 0}",
                users=unit_users(department=department_id, station=station_id),
                units=[unit] if unit else [],
                kind=MessageKind.TASK,
                title=f"风险分级：{len(titles)}个主体转为重点监控，请按期核查",
                body="\n".join(titles[:50]),
                url=url,
                now=self.now,
            )


def grade_label(grade: str) -> str:
    return GRADE_LABEL.get(grade, "未评定")


def grades_store_all(*, today: dt.date | None = None) -> list[dict]:
    """The daily job: every bureau with entities graded as of ``today`` (the local date by default)."""
    today = today or timezone.localdate()
    bureau_ids = MarketEntity.objects.values_list("bureau_id", flat=True).distinct().order_by("bureau_id")
    return [grades_store(bureau=b, today=today).as_dict() for b in Bureau.objects.filter(pk__in=bureau_ids)]
