"""Deadlines of any clock for a bureau, and the bureau's settings — locked where the law fixes them.

``deadline_for`` is what every workflow calls: the bureau's setting (a variant's, else the
clock's, else the catalogue's), computed by ``core.clocks`` with the basis text, the days
skipped, the suspensions, the extensions, and a provisional flag where a year's holidays are
not yet entered. ``policy_set`` is the only way a setting is written, for the page and the API
alike: a statutory clock is refused, a shorten-only clock may not be lengthened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from wangjian.core.clocks import Deadline, Extension, Period, Suspension, compute
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.core.workdays import Calendar
from wangjian.org.models import Bureau
from wangjian.org.selectors import can_manage
from wangjian.platform.clocks.catalogue import ClockKind, Lock, SuspensionKind, get
from wangjian.platform.clocks.models import DeadlinePolicy

MAX_WORK_RULE = 365


@dataclass(frozen=True)
class Setting:
    """The length a bureau runs a clock at, and where that length comes from."""

    kind: ClockKind
    length: int
    basis: str
    source: str  # "catalogue" | "bureau" | "variant"
    policy: DeadlinePolicy | None = None

    @property
    def period(self) -> Period:
        return Period(self.length, self.kind.unit, self.basis)

    @property
    def text(self) -> str:
        """7个工作日; a period counted backwards reads 提前7个工作日."""
        return f"{'提前' if self.length < 0 else ''}{abs(self.length)}{self.kind.unit.label}"


def _basis(text: str, length: int) -> str:
    return text.replace("{n}", str(length))


def setting_for(*, bureau: Bureau | int, clock: str, variant: str = "") -> Setting:
    kind = get(clock)
    if kind.lock == Lock.STATUTORY:
        return Setting(kind, kind.length, kind.basis, "catalogue")
    bureau_id = bureau.pk if isinstance(bureau, Bureau) else bureau
    rows = {p.variant: p for p in DeadlinePolicy.objects.filter(bureau_id=bureau_id, clock=clock)}
    policy = rows.get(variant) if variant else None
    source = "variant"
    if policy is None:
        policy, source = rows.get(""), "bureau"
    if policy is None:
        return Setting(kind, kind.length, _basis(kind.basis, kind.length), "catalogue")
    return Setting(kind, policy.length, _basis(policy.basis or kind.basis, policy.length), source, policy)


def deadline_for(
    *,
    bureau: Bureau | int,
    clock: str,
    start: dt.date,
    variant: str = "",
    suspensions: Iterable[Suspension] = (),
    extensions: Iterable[Extension] = (),
    collective: bool = False,
    calendar: Calendar | None = None,
) -> Deadline:
    """The deadline of ``clock`` for ``bureau`` from ``start`` (the event's day, not counted).

    Only the kinds of time the rule names may be left out (``suspension_check``) and only the
    extension it allows added (``extension_check``; ``collective``: decided by collective discussion).
    """
    setting = setting_for(bureau=bureau, clock=clock, variant=variant)
    suspensions, extensions = tuple(suspensions), tuple(extensions)
    for suspension in suspensions:
        suspension_check(clock=clock, kind=suspension.kind)
        if suspension.end is not None and suspension.end < suspension.start:
            raise ValidationFailed("不计入期间的结束早于开始", "A suspension cannot end before it starts")
    extension_check(clock=clock, extensions=extensions, collective=collective)
    return compute(
        start=start, period=setting.period, suspensions=suspensions, extensions=extensions, calendar=calendar
    )


def suspension_check(*, clock: str, kind: str) -> None:
    """Only the kinds of time the rule names stop this clock (程序规定 arts. 18, 64; 在途时间 art. 80)."""
    clock_kind = get(clock)
    if kind not in clock_kind.stoppers:
        allowed = "、".join(str(SuspensionKind(k).label) for k in sorted(clock_kind.stoppers))
        label = SuspensionKind(kind).label if kind in SuspensionKind.values else kind
        raise ValidationFailed(
            f"“{label}”不计入“{clock_kind.label}”的期限没有依据；可不计入的只有：{allowed}",
            f"'{kind}' does not stop the clock '{clock}'; only: {', '.join(sorted(clock_kind.stoppers))}",
            detail={"clock": clock, "kind": kind},
        )


def extension_check(*, clock: str, extensions: Iterable[Extension], collective: bool = False) -> None:
    """Extensions need an approver, and a statutory clock only the extension its rule allows."""
    clock_kind = get(clock)
    extensions = list(extensions)
    for ext in extensions:
        if not (ext.approved_by or "").strip():
            raise ValidationFailed("延长期限须记录批准人", "An extension needs the name of who approved it")
        if ext.length <= 0:
            raise ValidationFailed("延长的期限应为正数", "An extension must be positive")
    total = sum(e.length for e in extensions)
    if not total or clock_kind.lock == Lock.WORK_RULE:
        return
    if clock_kind.max_extension == 0:
        raise ValidationFailed(
            f"“{clock_kind.label}”是法定期限，不得延长（{clock_kind.basis}）",
            f"The statutory clock '{clock}' cannot be extended",
            detail={"clock": clock},
        )
    if total > clock_kind.max_extension and not (clock_kind.collective_extension and collective):
        raise ValidationFailed(
            f"“{clock_kind.label}”最多延长{clock_kind.max_extension}{clock_kind.unit.label}"
            f"（{clock_kind.extension_basis}）",
            f"The clock '{clock}' may be extended by at most {clock_kind.max_extension} {clock_kind.unit.value}",
            detail={"clock": clock, "max_extension": clock_kind.max_extension},
        )


def policy_check(*, clock: str, length: int) -> ClockKind:
    """The catalogue's verdict on a bureau setting ``clock`` to ``length``: the kind, or the rule that refuses."""
    kind = get(clock)
    if kind.lock == Lock.STATUTORY:
        raise ValidationFailed(
            f"“{kind.label}”是法定期限（{kind.text()}，{kind.basis}），本局不能修改",
            f"'{clock}' is a statutory clock ({kind.length} {kind.unit.value}); a bureau cannot change it",
            code="clock_locked",
            detail={"clock": clock, "lock": kind.lock.value, "length": kind.length},
        )
    if not isinstance(length, int) or length <= 0:
        raise ValidationFailed("期限长度应为正整数", "The length must be a positive whole number")
    if kind.lock == Lock.SHORTEN_ONLY and length > kind.length:
        raise ValidationFailed(
            f"“{kind.label}”的法定上限是{kind.text()}（{kind.basis}），本局只能缩短，不能延长",
            f"'{clock}' may only be shortened below its statutory {kind.length} {kind.unit.value}",
            code="clock_locked",
            detail={"clock": clock, "lock": kind.lock.value, "length": kind.length},
        )
    if length > MAX_WORK_RULE:
        raise ValidationFailed(
            f"期限长度不能超过{MAX_WORK_RULE}", f"The length cannot exceed {MAX_WORK_RULE}"
        )
    return kind


def policy_set(
    *, bureau: Bureau, clock: str, length: Any, basis: str = "", variant: str = "", user: Any
) -> DeadlinePolicy:
    """Set the bureau's length of ``clock`` (the office only), refused where the law fixes it."""
    if user is not None and not can_manage(user, bureau):
        raise PermissionDeniedError(
            "只有本局办公室管理员可以设置时限规则", "Only the bureau's office administrator sets its clocks"
        )
    try:
        length = int(length)
    except (TypeError, ValueError):
        raise ValidationFailed("期限长度应为正整数", "The length must be a positive whole number") from None
    policy_check(clock=clock, length=length)
    with transaction.atomic():
        policy = DeadlinePolicy.objects.filter(bureau=bureau, clock=clock, variant=variant).first()
        if policy is None:
            policy = DeadlinePolicy(bureau=bureau, clock=clock, variant=variant)
        policy.length = length
        policy.basis = (basis or "").strip()[:300]
        policy.save()
    return policy


def policy_remove(*, policy: DeadlinePolicy, user: Any) -> None:
    """Back to the catalogue's length."""
    if user is not None and not can_manage(user, policy.bureau_id):
        raise PermissionDeniedError(
            "只有本局办公室管理员可以设置时限规则", "Only the bureau's office administrator sets its clocks"
        )
    policy.delete()
