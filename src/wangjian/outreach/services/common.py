"""What every outreach service checks first: who may act, on which bureau's row, and the day of a step."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org import permissions
from wangjian.org.choices import DepartmentKind, Role
from wangjian.org.models import User
from wangjian.outreach.permissions import OUTREACH_ACT


def may_act(user: User | None, bureau_id: int | None) -> None:
    """The table's row, then the rest of the rule: an officer acts from the network unit, everyone for their own
    bureau only. ``None`` is the system (a case's transfer written here by ``cases``)."""
    if user is None or user.is_superuser:
        return
    permissions.require(user, OUTREACH_ACT)
    if user.role == Role.OFFICER and getattr(user.department, "kind", "") != DepartmentKind.ONLINE_TRADE:
        raise PermissionDeniedError(
            "业务人员只有网络交易监管科室的可以办理平台责任和外部门协作事项",
            "Only officers of the network unit (网络交易监管) record platform duties and outside requests",
            detail={"rule": "network_unit"},
        )
    if bureau_id is not None and user.bureau_id != bureau_id:
        raise PermissionDeniedError("只能办理本局的事项", "Only your own bureau's records")


def can_act(user: User, bureau_id: int | None = None) -> bool:
    try:
        may_act(user, bureau_id if bureau_id is not None else user.bureau_id)
    except PermissionDeniedError:
        return False
    return user.bureau_id is not None or user.is_superuser


def today_of(now: dt.datetime) -> dt.date:
    return timezone.localtime(now).date()


def text(values: dict[str, Any], name: str) -> str:
    value = values.get(name) or ""
    return value.strip() if isinstance(value, str) else str(value)


def need(value: str, zh: str, en: str) -> str:
    if not (value or "").strip():
        raise ValidationFailed(zh, en)
    return value.strip()


def day(value: Any, today: dt.date, *, name: str = "date", default: dt.date | None = None) -> dt.date:
    """A date (a date or ISO text), else ``default``; never later than ``today``."""
    value = value or default
    if value is None:
        raise ValidationFailed("请填写日期", "The date is required", detail={name: ""})
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


def lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]
