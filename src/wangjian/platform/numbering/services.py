"""Issuing document numbers (文号): gap-free under concurrent writers, never reused, voided only with a reason.

A number is taken from its bureau's, kind's and year's sequence inside the transaction that
issues the document, with the sequence row locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's
``BEGIN IMMEDIATE`` serialises writers): a transaction that fails returns its number with it, so
the register has no gaps, and two clerks issuing at the same moment never get the same number. A
voided number stays in the register, marked, and is never issued again.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org.models import Bureau
from wangjian.org.selectors import can_manage
from wangjian.platform.numbering.kinds import get
from wangjian.platform.numbering.models import IssuedNumber, NumberFormat, Sequence

_PLACEHOLDER = re.compile(r"\{([a-z]+)(?::[^{}]*)?\}")


def default_prefix(bureau: Bureau) -> str:
    """The bureau's abbreviation as its documents write it: 旌德县市场监督管理局 → 旌市监."""
    return f"{bureau.name[:1] or '局'}市监"


def number_format(*, bureau: Bureau, kind: str) -> tuple[str, str]:
    """(prefix, pattern) the bureau numbers ``kind`` with."""
    found = NumberFormat.objects.filter(bureau=bureau, kind=kind).first()
    if found is not None:
        return found.prefix, found.pattern
    return default_prefix(bureau), get(kind).pattern


def render(pattern: str, *, prefix: str, year: int, seq: int) -> str:
    return pattern.format(prefix=prefix, year=year, seq=seq)


def pattern_check(pattern: str, prefix: str) -> str:
    """A pattern must name the sequence and the year, and nothing else than prefix, year and seq."""
    names = set(_PLACEHOLDER.findall(pattern))
    if "seq" not in names or "year" not in names:
        raise ValidationFailed(
            "文号格式须包含 {year}（年度）和 {seq}（序号）", "A pattern must contain {year} and {seq}"
        )
    if names - {"prefix", "year", "seq"}:
        raise ValidationFailed(
            f"文号格式只能使用 {{prefix}}、{{year}}、{{seq}}：{pattern}",
            f"A pattern may use only {{prefix}}, {{year}} and {{seq}}: {pattern}",
        )
    try:
        return render(pattern, prefix=prefix, year=2026, seq=1)
    except (ValueError, IndexError, KeyError) as exc:
        raise ValidationFailed(f"文号格式无效：{pattern}", f"Invalid pattern {pattern}: {exc}") from None


def number_format_set(*, bureau: Bureau, kind: str, prefix: str, pattern: str, user: Any) -> NumberFormat:
    """The office sets its abbreviation and pattern for a kind; numbers already issued keep their text."""
    if user is not None and not can_manage(user, bureau):
        raise PermissionDeniedError(
            "只有本局办公室管理员可以设置文号格式",
            "Only the bureau's office administrator sets number formats",
        )
    get(kind)
    prefix, pattern = (prefix or "").strip(), (pattern or "").strip()
    if not prefix:
        raise ValidationFailed("请填写机关代字", "The abbreviation (prefix) is required")
    pattern_check(pattern, prefix)
    found = NumberFormat.objects.filter(bureau=bureau, kind=kind).first() or NumberFormat(
        bureau=bureau, kind=kind
    )
    found.prefix, found.pattern = prefix[:30], pattern[:100]
    found.save()
    return found


def _locked_sequence(bureau: Bureau, kind: str, year: int) -> Sequence:
    """The sequence row, locked for this transaction (made first if this is the year's first number)."""
    row = Sequence.objects.select_for_update().filter(bureau=bureau, kind=kind, year=year).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            Sequence.objects.create(bureau=bureau, kind=kind, year=year)
    except IntegrityError:
        pass  # another writer made it at the same moment: lock theirs
    return Sequence.objects.select_for_update().get(bureau=bureau, kind=kind, year=year)


def number_issue(
    *,
    bureau: Bureau,
    kind: str,
    subject: models.Model | None = None,
    user: Any = None,
    now: dt.datetime | None = None,
) -> IssuedNumber:
    """The next number of ``kind`` for ``bureau`` in the year of ``now``, recorded in the register.

    Call it inside the transaction that issues the document, so that the number and the document
    commit or roll back together.
    """
    get(kind)
    now = now or timezone.now()
    year = timezone.localtime(now).year
    prefix, pattern = number_format(bureau=bureau, kind=kind)
    with transaction.atomic():
        sequence = _locked_sequence(bureau, kind, year)
        Sequence.objects.filter(pk=sequence.pk).update(last=models.F("last") + 1)
        seq = Sequence.objects.values_list("last", flat=True).get(pk=sequence.pk)
        issued = IssuedNumber.objects.create(
            bureau=bureau,
            kind=kind,
            year=year,
            seq=seq,
            number=render(pattern, prefix=prefix, year=year, seq=seq),
            issued_at=now,
            issued_by=user if getattr(user, "pk", None) else None,
        )
        if subject is not None:
            number_attach(issued=issued, subject=subject)
    return issued


def number_issue_many(
    *,
    bureau: Bureau,
    kind: str,
    count: int,
    user: Any = None,
    now: dt.datetime | None = None,
) -> list[IssuedNumber]:
    """``count`` consecutive numbers of ``kind`` at once (an import registering a chunk of records), each
    recorded in the register as ``number_issue`` records one: one lock of the sequence, two inserts.

    Call it inside the transaction that saves the records, so that a failed chunk leaves no numbers.
    """
    get(kind)
    if count <= 0:
        return []
    now = now or timezone.now()
    year = timezone.localtime(now).year
    prefix, pattern = number_format(bureau=bureau, kind=kind)
    issued_by = user if getattr(user, "pk", None) else None
    with transaction.atomic():
        sequence = _locked_sequence(bureau, kind, year)
        Sequence.objects.filter(pk=sequence.pk).update(last=models.F("last") + count)
        last = Sequence.objects.values_list("last", flat=True).get(pk=sequence.pk)
        numbers = [
            IssuedNumber(
                bureau=bureau,
                kind=kind,
                year=year,
                seq=seq,
                number=render(pattern, prefix=prefix, year=year, seq=seq),
                issued_at=now,
                issued_by=issued_by,
            )
            for seq in range(last - count + 1, last + 1)
        ]
        return IssuedNumber.objects.bulk_create(numbers, batch_size=1000)


def number_attach(*, issued: IssuedNumber, subject: models.Model) -> IssuedNumber:
    """Say what a number numbers, once the document exists (the number is taken first, inside its transaction)."""
    issued.subject_type = subject._meta.label_lower
    issued.subject_id = str(subject.pk)
    issued.subject_label = str(subject)[:300]
    IssuedNumber.objects.filter(pk=issued.pk).update(
        subject_type=issued.subject_type, subject_id=issued.subject_id, subject_label=issued.subject_label
    )
    return issued


def number_void(
    *, issued: IssuedNumber, user: Any, reason: str, now: dt.datetime | None = None
) -> IssuedNumber:
    """Void a number (作废): it stays in the register, marked, and is never issued again."""
    if user is not None and not can_manage(user, issued.bureau_id):
        raise PermissionDeniedError(
            "只有本局办公室管理员可以作废文号", "Only the office administrator voids numbers"
        )
    kind = get(issued.kind)
    if not kind.voidable:
        raise ValidationFailed(
            f"{kind.label}不作废（{kind.note}）", f"A number of kind '{kind.key}' is never voided"
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("作废文号须说明理由", "A reason is required to void a number")
    if issued.voided:
        raise ValidationFailed(f"文号 {issued.number} 已作废", f"{issued.number} was voided already")
    issued.voided_at = now or timezone.now()
    issued.voided_by = user if getattr(user, "pk", None) else None
    issued.void_reason = reason[:300]
    issued.save(update_fields=["voided_at", "voided_by", "void_reason"])
    return issued


def sequence_gaps(*, bureau: Bureau, kind: str, year: int) -> list[int]:
    """Sequence numbers missing from the register (there should be none: a check the office can run)."""
    seqs = set(IssuedNumber.objects.filter(bureau=bureau, kind=kind, year=year).values_list("seq", flat=True))
    return [n for n in range(1, max(seqs, default=0) + 1) if n not in seqs]
