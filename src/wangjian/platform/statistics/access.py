"""Who reads which figures: a request (bureau, below, unit, domain, platform, period) made into a ``Scope``.

The permission table's ``stats.read`` (``platform.permissions``) lets every role read figures; the
bureau a figure is about is decided here:

- the office (办公室管理员, 省局办公室管理员), the leading group and the auditor read their bureau's figures
  and those of any bureau below it, by default the bureau together with the bureaus below — the same
  roles that see the whole bureau's clues and its subordinates' (``clues.selectors.BUREAU_WIDE_ROLES``);
- a department head, officer, station officer or legal reviewer reads their own bureau's figures only
  (the whole bureau's, or filtered to a unit); asking for another bureau, or for the bureaus below,
  is refused naming the rule;
- the superuser and the system (a command, ``user=None``) read any bureau, and every bureau at once
  when none is named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from wangjian.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wangjian.org import permissions as table
from wangjian.org.choices import Domain, Role
from wangjian.org.models import Bureau, Department, Station, User
from wangjian.platform.permissions import STATS_READ
from wangjian.platform.statistics.registry import Scope

TREE_ROLES = frozenset({Role.OFFICE_ADMIN, Role.PROVINCE_OFFICE, Role.LEADING_GROUP, Role.AUDITOR})

OWN_BUREAU_ONLY = (
    "只有办公室、领导小组成员和审计人员可以查看下级局的统计数据；本人只能查看本局的统计数据",
    "Only the office, the leading group and auditors read the figures of the bureaus below; "
    "you may read your own bureau's figures only",
)


def reads_the_tree(user: User | None) -> bool:
    """May ``user`` read the figures of the bureaus below their own?"""
    return user is None or user.is_superuser or user.role in TREE_ROLES


def scope_for(
    *,
    user: User | None,
    bureau: Bureau | None = None,
    below: bool | None = None,
    department_id: int | None = None,
    station_id: int | None = None,
    domain: str = "",
    platform_id: int | None = None,
) -> tuple[Scope, Bureau | None, bool]:
    """The scope ``user`` asks for, the bureau it is about (``None``: every bureau) and whether the bureaus
    below it are in, or a refusal."""
    if user is not None:
        table.require(user, STATS_READ)
    everyone = user is None or user.is_superuser
    if bureau is None and not everyone:
        if user.bureau_id is None:
            raise PermissionDeniedError(
                "本账号未设置所属局，不能查看统计数据", "Your account has no bureau: no figures to read"
            )
        bureau = user.bureau
    if bureau is not None and not everyone:
        if reads_the_tree(user):
            if bureau.pk not in user.bureau.descendant_ids():
                raise NotFoundError("没有该局或不在本人可见范围", "No such bureau, or not one you may see")
        elif bureau.pk != user.bureau_id or below:
            raise PermissionDeniedError(*OWN_BUREAU_ONLY, detail={"permission": STATS_READ})
    if below is None:
        below = reads_the_tree(user)
    if bureau is None:
        ids = None
    else:
        ids = frozenset(bureau.descendant_ids() if below else {bureau.pk})
    if domain and domain not in Domain.values:
        raise ValidationFailed(f"未知的监管领域：{domain}", f"Unknown domain: {domain}")
    for model, pk, zh, en in (
        (Department, department_id, "科室", "department"),
        (Station, station_id, "基层所", "station"),
    ):
        if pk is None:
            continue
        unit = model.objects.filter(pk=pk).first()
        if unit is None or (ids is not None and unit.bureau_id not in ids):
            raise NotFoundError(f"没有该{zh}或不在所查局的范围内", f"No such {en} in the bureaus asked for")
    scope = Scope(
        bureau_ids=ids,
        department_id=department_id,
        station_id=station_id,
        domain=domain,
        platform_id=platform_id,
    )
    return scope, bureau, bool(below and bureau is not None)


# ---------------------------------------------------------------- reading a request's parameters


EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


def parse_date(text: str, name: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        day = None
    if day is None or not EARLIEST <= day <= LATEST:
        raise ValidationFailed(
            f"{name} 应为1900年至2999年间的日期，如 2026-01-31：{text}",
            f"{name} must be a date between 1900 and 2999 such as 2026-01-31: {text}",
        )
    return day


def parse_id(text: str | None, name: str) -> int | None:
    if text is None or str(text).strip() == "":
        return None
    text = str(text).strip()
    if not text.isdigit() or int(text) <= 0 or len(text) > 18:
        raise ValidationFailed(f"{name} 应为正整数：{text}", f"{name} must be a positive integer: {text}")
    return int(text)


def parse_bool(text: str | None, name: str) -> bool | None:
    if text is None or str(text).strip() == "":
        return None
    value = str(text).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValidationFailed(f"{name} 应为 true 或 false：{text}", f"{name} must be true or false: {text}")


def period(params: Mapping[str, str], today: dt.date) -> tuple[dt.date, dt.date]:
    """``from`` … ``to`` of the request; by default the calendar year of ``today`` up to ``today``."""
    start = parse_date(params["from"], "from") if params.get("from") else dt.date(today.year, 1, 1)
    end = parse_date(params["to"], "to") if params.get("to") else today
    if start > end:
        raise ValidationFailed(
            f"统计期间的起始日期 {start} 晚于截止日期 {end}",
            f"The period starts ({start}) after it ends ({end})",
        )
    if (end - start).days > 366 * 20:
        raise ValidationFailed("统计期间不能超过二十年", "The period cannot exceed twenty years")
    return start, end


def bureau_by(*, pk: int | None = None, code: str = "") -> Bureau | None:
    """The bureau named by id or by its 6-digit code, or ``None`` when neither is given."""
    if pk is None and not code:
        return None
    bureau = (
        Bureau.objects.filter(pk=pk).first() if pk is not None else Bureau.objects.filter(code=code).first()
    )
    if bureau is None:
        raise NotFoundError(
            f"找不到该市场监管局：{pk if pk is not None else code}", f"No such bureau: {pk or code}"
        )
    return bureau


def scope_from_params(*, user: User | None, params: Mapping[str, str]) -> tuple[Scope, Bureau | None, bool]:
    """``scope_for`` from a request's query string (``bureau`` id or ``bureau_code``, ``below``, ``department``,
    ``station``, ``domain``, ``platform``)."""
    bureau = bureau_by(
        pk=parse_id(params.get("bureau"), "bureau"), code=(params.get("bureau_code") or "").strip()
    )
    return scope_for(
        user=user,
        bureau=bureau,
        below=parse_bool(params.get("below"), "below"),
        department_id=parse_id(params.get("department"), "department"),
        station_id=parse_id(params.get("station"), "station"),
        domain=(params.get("domain") or "").strip(),
        platform_id=parse_id(params.get("platform"), "platform"),
    )
