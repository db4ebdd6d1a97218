"""Small pieces every credit service uses: reading a step's values, the day of a step, who may act."""

from __future__ import annotations

import datetime as dt
from typing import Any

from wangjian.core.errors import ValidationFailed
from wangjian.credit.permissions import CREDIT_ACT
from wangjian.org import permissions
from wangjian.org.models import User


def text(values: dict[str, Any], name: str) -> str:
    value = values.get(name) or ""
    return value.strip() if isinstance(value, str) else str(value)


def need(value: str, zh: str, en: str) -> str:
    if not value:
        raise ValidationFailed(zh, en)
    return value


def day(values: dict[str, Any], name: str, today: dt.date, *, default: dt.date | None = None) -> dt.date:
    """The date ``values[name]`` (a date or ISO text), else ``default`` or today; never later than today."""
    value = values.get(name) or default or today
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationFailed(
                f"日期格式有误：{value}", f"Not a date: {value}", detail={name: value}
            ) from None
    if value > today:
        raise ValidationFailed(
            f"日期不能晚于今天：{value:%Y-%m-%d}",
            f"The date cannot be in the future: {value}",
            detail={name: str(value)},
        )
    return value


def not_before(value: dt.date, earliest: dt.date | None, zh: str, en: str) -> None:
    if earliest is not None and value < earliest:
        raise ValidationFailed(
            f"{zh}（{value:%Y-%m-%d} 早于 {earliest:%Y-%m-%d}）", f"{en} ({value} < {earliest})"
        )


def may_act(user: User | None) -> None:
    """The permission table's row first (``credit.credit.act``); the system (``None``) always may."""
    if user is not None:
        permissions.require(user, CREDIT_ACT)


def flag(values: dict[str, Any], name: str) -> bool:
    value = values.get(name)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
