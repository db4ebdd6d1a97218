"""Numbers for the year's records from each bureau's register (``platform.numbering``): gap-free, in the order
the records were made, a block per bureau and month (``number_issue_many``), each dated when it was issued
and naming what it numbers, as ``number_issue`` and ``number_attach`` record one."""

from __future__ import annotations

import datetime as dt

from wangjian.bulletins.demo_history.rows import rows_update
from wangjian.org.models import Bureau
from wangjian.platform.numbering.services import number_issue_many


def numbers_issue(kind: str, items: list[tuple[Bureau, dt.datetime, object]], user_of) -> list[tuple]:
    """``[(issued number, record)]`` for ``items`` (bureau, when issued, record), in the order given.

    ``user_of(bureau)`` is who issues the bureau's numbers."""
    blocks: dict[tuple, list[tuple[dt.datetime, object]]] = {}
    for bureau, when, record in items:
        blocks.setdefault((bureau, when.year, when.month), []).append((when, record))
    out = []
    for (bureau, _y, _m), block in blocks.items():
        numbers = number_issue_many(
            bureau=bureau, kind=kind, count=len(block), user=user_of(bureau), now=block[0][0]
        )
        for (when, record), number in zip(block, numbers, strict=True):
            number.issued_at = when
            out.append((number, record))
    return out


def numbers_attach(issued: list[tuple]) -> None:
    """Say in the register what each number numbers, once the records have their ids."""
    for number, subject in issued:
        number.subject_type = subject._meta.label_lower
        number.subject_id = str(subject.pk)
        number.subject_label = str(subject)[:300]
    rows_update([n for n, _s in issued], ["subject_type", "subject_id", "subject_label", "issued_at"])
