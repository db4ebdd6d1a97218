"""Writes of the shared calendar: entering and importing a year's holiday arrangement.

The calendar is national and every legal deadline counted in working days stands on it: a change
moves deadlines of every bureau. So only the superuser and the province office enter it
(``permissions.CALENDAR_EDIT``), every change is in the change log, and the deadlines computed
from it follow at once: the apps that keep deadlines register a follower
(``register_deadline_follower``) that computes its open deadlines again on the changed calendar,
saves those that move, and says which (``MovedDeadline``); the change returns them
(``CalendarChange.moved``) for the page, the API and the command to show.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.db import transaction

from wangjian.core import permissions, workdays, yamltext
from wangjian.core.audit import acting, current_actor
from wangjian.core.errors import ValidationFailed
from wangjian.core.models import CalendarDay, ChangeRecord, HolidayArrangement

CALENDAR_REFUSED = (
    "只有超级管理员和省局办公室管理员可以修改全国工作日历：它决定各局的法定期限",
    "Only the superuser and the province office may edit the national working-day calendar: "
    "every bureau's legal deadlines are counted on it",
)


@dataclass(frozen=True)
class MovedDeadline:
    """A legal deadline a calendar change moved: what it is, whose, from which day to which."""

    what: str  # 线索 旌市监线〔2026〕0003 反馈核查情况（价格监督检查股）
    bureau: str
    before: dt.date | None
    after: dt.date | None
    url: str = ""
    basis: str = ""
    overdue: bool = False  # it had been marked overdue before the change

    def as_dict(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "bureau": self.bureau,
            "before": self.before.isoformat() if self.before else None,
            "after": self.after.isoformat() if self.after else None,
            "url": self.url,
            "basis": self.basis,
            "overdue": self.overdue,
        }


@dataclass
class CalendarChange:
    """What a calendar change did: the year, the day or arrangement written, and the deadlines it moved."""

    year: int
    day: CalendarDay | None = None
    arrangement: HolidayArrangement | None = None
    moved: list[MovedDeadline] = field(default_factory=list)


_FOLLOWERS: list[Callable[..., list[MovedDeadline]]] = []


def register_deadline_follower(follower: Callable[..., list[MovedDeadline]]) -> None:
    """``follower(calendar=…)`` computes its open deadlines again on ``calendar`` (a fresh
    ``workdays.Calendar``), saves those that change and returns those whose day moved."""
    if follower not in _FOLLOWERS:
        _FOLLOWERS.append(follower)


def _deadlines_follow(reason: str, year: int) -> list[MovedDeadline]:
    """Inside the calendar's transaction: every follower on the calendar as it now stands. Each moved
    deadline's own change record names the calendar change as its reason, and the year's arrangement
    gets a change record listing every deadline the change moved, from which day to which."""
    calendar = workdays.Calendar.load()
    actor = current_actor()
    moved: list[MovedDeadline] = []
    with acting(actor.acting_user, via=actor.via, reason=reason[:300]):
        for follower in _FOLLOWERS:
            moved.extend(follower(calendar=calendar))
        moved.sort(key=lambda m: (m.bureau, m.before or dt.date.min, m.what))
        arrangement = HolidayArrangement.objects.filter(year=year).first()
        if moved and arrangement is not None:
            ChangeRecord.log(
                arrangement,
                ChangeRecord.Action.UPDATE,
                {"moved_deadlines": [f"{m.bureau} {m.what}：{m.before}" for m in moved]},
                {"moved_deadlines": [f"{m.bureau} {m.what}：{m.after}" for m in moved]},
            )
    return moved


def calendar_edit_check(user: Any) -> None:
    """Refuse ``user`` unless they may enter the national calendar (the superuser, the province office)."""
    permissions.require(permissions.CALENDAR_EDIT, user, *CALENDAR_REFUSED)


_KIND_WORDS = {
    "holiday": CalendarDay.Kind.HOLIDAY,
    "放假": CalendarDay.Kind.HOLIDAY,
    "休": CalendarDay.Kind.HOLIDAY,
    "workday": CalendarDay.Kind.WORKDAY,
    "上班": CalendarDay.Kind.WORKDAY,
    "调休上班": CalendarDay.Kind.WORKDAY,
    "班": CalendarDay.Kind.WORKDAY,
}


def _expand(value: Any, row: str, errors: list[dict]) -> list[dt.date]:
    """A date, or a range "2026-10-01..2026-10-07" / "2026-10-01~2026-10-07"."""
    if isinstance(value, dt.date):
        return [value]
    text = str(value).strip()
    for sep in ("..", "~", "至"):
        if sep in text:
            a, b = (p.strip() for p in text.split(sep, 1))
            try:
                start, end = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
            except ValueError:
                errors.append(
                    {"row": row, "value": text, "reason": "日期范围格式应为 YYYY-MM-DD..YYYY-MM-DD"}
                )
                return []
            if end < start:
                errors.append({"row": row, "value": text, "reason": "日期范围的结束早于开始"})
                return []
            return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    try:
        return [dt.date.fromisoformat(text)]
    except ValueError:
        errors.append({"row": row, "value": text, "reason": "日期格式应为 YYYY-MM-DD"})
        return []


def arrangement_parse(content: bytes | str, filename: str = "") -> dict:
    """Parse a year's arrangement from YAML or CSV into ``{"year", "notice", "days": [(date, kind, name)]}``.

    YAML::

        year: 2027
        notice: 国务院办公厅关于2027年部分节假日安排的通知
        holidays:
          - {name: 元旦, dates: 2027-01-01..2027-01-03}
        workdays:
          - {name: 春节, date: 2027-02-07}

    CSV: columns ``date,kind,name`` (kind ``holiday``/``放假`` or ``workday``/``上班``), dates may be ranges.
    """
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    errors: list[dict] = []
    days: list[tuple[dt.date, str, str]] = []
    year = None
    notice = ""
    if filename.lower().endswith(".csv") or (not filename and text.lstrip().lower().startswith("date")):
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or not {"date", "kind"} <= {f.strip() for f in reader.fieldnames}:
            raise ValidationFailed("CSV 需要列 date,kind,name", "CSV needs the columns date,kind,name")
        for n, row in enumerate(reader, start=2):
            kind = _KIND_WORDS.get((row.get("kind") or "").strip())
            if kind is None:
                errors.append(
                    {"row": n, "value": row.get("kind"), "reason": "kind 应为 holiday/放假 或 workday/上班"}
                )
                continue
            for d in _expand(row.get("date", ""), str(n), errors):
                days.append((d, kind, (row.get("name") or "").strip()))
    else:
        try:
            data = yamltext.safe_load(text)
        except yaml.YAMLError as exc:
            raise ValidationFailed("YAML 格式错误", f"Invalid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise ValidationFailed(
                "YAML 顶层应为映射（year/notice/holidays/workdays）", "YAML must be a mapping"
            )
        year = data.get("year")
        notice = str(data.get("notice") or "")
        for key, kind in (("holidays", CalendarDay.Kind.HOLIDAY), ("workdays", CalendarDay.Kind.WORKDAY)):
            for i, item in enumerate(data.get(key) or [], start=1):
                if not isinstance(item, dict):
                    item = {"date": item}
                value = item.get("dates", item.get("date"))
                if value is None:
                    errors.append({"row": f"{key}[{i}]", "value": str(item), "reason": "缺少 date/dates"})
                    continue
                values = value if isinstance(value, list) else [value]
                for v in values:
                    for d in _expand(v, f"{key}[{i}]", errors):
                        days.append((d, kind, str(item.get("name") or "")))
    years = {d.year for d, _, _ in days}
    if year is None and len(years) == 1:
        year = years.pop()
    if year is None:
        errors.append({"row": "-", "value": "", "reason": "无法确定年度：请写明 year"})
    else:
        year = int(year)
        for d, _, _ in days:
            # A year's notice may reach into the next January/February (e.g. 元旦 bridging years).
            if d.year not in (year, year + 1, year - 1):
                errors.append({"row": "-", "value": d.isoformat(), "reason": f"日期不属于{year}年"})
    seen: dict[dt.date, str] = {}
    for d, kind, _ in days:
        if d in seen and seen[d] != kind:
            errors.append({"row": "-", "value": d.isoformat(), "reason": "同一日期既是放假又是上班"})
        seen[d] = kind
    if errors:
        first = errors[0]
        raise ValidationFailed(
            f"节假日安排有 {len(errors)} 处错误，未导入。{first['row']}：{first['value']} {first['reason']}",
            f"{len(errors)} error(s) in the arrangement; nothing imported.",
            detail=errors,
        )
    if not days:
        raise ValidationFailed("节假日安排中没有任何日期", "The arrangement lists no dates")
    return {"year": year, "notice": notice, "days": days}


def arrangement_import(*, content: bytes | str, filename: str = "", user: Any = None) -> CalendarChange:
    """Enter a year's arrangement (replacing an earlier entry of the same year), with who entered it;
    the deadlines it moves follow (``CalendarChange.moved``)."""
    calendar_edit_check(user)
    parsed = arrangement_parse(content, filename)
    with transaction.atomic():
        arrangement = HolidayArrangement.objects.filter(year=parsed["year"]).first()
        if arrangement is None:
            arrangement = HolidayArrangement.objects.create(
                year=parsed["year"],
                notice=parsed["notice"],
                entered_by=user if getattr(user, "pk", None) else None,
            )
        else:
            arrangement.notice = parsed["notice"] or arrangement.notice
            arrangement.entered_by = user if getattr(user, "pk", None) else arrangement.entered_by
            arrangement.save()
            for day in arrangement.days.all():
                day.delete()
        for d, kind, name in parsed["days"]:
            existing = CalendarDay.objects.filter(date=d).first()
            if existing:  # entered under a neighbouring year's notice: this notice wins
                existing.delete()
            CalendarDay.objects.create(arrangement=arrangement, date=d, kind=kind, name=name)
        moved = _deadlines_follow(
            f"工作日历变更：录入{arrangement.year}年节假日安排 / calendar: {arrangement.year} arrangement entered",
            arrangement.year,
        )
    return CalendarChange(year=arrangement.year, arrangement=arrangement, moved=moved)


def calendar_day_set(*, date: dt.date, kind: str | None, name: str = "", user: Any = None) -> CalendarChange:
    """Mark one date as holiday or make-up working day (``kind=None`` removes the entry); the deadlines
    it moves follow (``CalendarChange.moved``)."""
    calendar_edit_check(user)
    what = dict(CalendarDay.Kind.choices).get(kind, "取消录入") if kind else "取消录入"
    with transaction.atomic():
        existing = CalendarDay.objects.filter(date=date).first()
        if existing:
            existing.delete()
        day = None
        if kind is not None:
            arrangement, _ = HolidayArrangement.objects.get_or_create(
                year=date.year, defaults={"entered_by": user if getattr(user, "pk", None) else None}
            )
            day = CalendarDay.objects.create(arrangement=arrangement, date=date, kind=kind, name=name)
        moved = _deadlines_follow(
            f"工作日历变更：{date.isoformat()} {what} {name}".strip() + f" / calendar: {date}", date.year
        )
    return CalendarChange(year=date.year, day=day, moved=moved)
