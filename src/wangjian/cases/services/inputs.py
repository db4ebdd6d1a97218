"""Small readers of a step's input shared by the after-decision and measure steps: a day, an amount, this case's row."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from wangjian.cases.models import Case
from wangjian.core.errors import ValidationFailed
from wangjian.org.models import User

CENT = Decimal("0.01")


def day(value: Any, zh: str, en: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ValidationFailed(zh, en) from None


def not_future(day: dt.date, today: dt.date, what: str) -> None:
    if day > today:
        raise ValidationFailed(f"{what}不能晚于今天", f"The date ({day}) cannot be in the future")


def money(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise ValidationFailed("金额应为数字（元）", "An amount must be a number of yuan") from None
    if amount <= 0:
        raise ValidationFailed("缴款金额应大于零", "The amount paid must be positive")
    return amount


def lead(case: Case) -> User | None:
    row = case.case_officers.select_related("user").order_by("-lead", "id").first()
    return row.user if row else None


def own(model: type, case: Case, value: Any, what: str) -> Any:
    """A remedy or a measure of this case, given as the form's choice or its id."""
    pk = getattr(value, "pk", value)
    found = model.objects.filter(case=case, pk=pk).first() if pk not in (None, "") else None
    if found is None:
        raise ValidationFailed(f"请选择本案的{what}", f"Choose a {model.__name__} of this case")
    return found
