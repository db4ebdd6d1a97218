"""The cases app's penalty decisions as credit reads them (``credit.penalties``), registered in ``CasesConfig.ready``.

A decision counts once it is published (``services.publicity``: 20 working days to publish, 3 months or 3 years
on display, withdrawn within 3 working days of a revocation); its display period and the reason are the ones
publicity computed, so credit never computes them a second way.
"""

from __future__ import annotations

from collections.abc import Iterable

from wangjian.cases.choices import PenaltyKind
from wangjian.cases.models import Case
from wangjian.cases.services.publicity import SHORT_KINDS
from wangjian.credit import penalties
from wangjian.credit.penalties import PenaltyRecord

# 行政处罚信息公示规定 (2021) art. 14 (3): never ended early (吊销营业执照 is not among a case's kinds here)
SEVERE = frozenset(
    {
        PenaltyKind.SUSPEND_BUSINESS,
        PenaltyKind.RESTRICT,
        PenaltyKind.BAR,
        PenaltyKind.LOWER_QUALIFICATION,
        PenaltyKind.REVOKE_LICENCE,
    }
)
LABELS = dict(PenaltyKind.choices)


def penalty_records(entity_ids: list[int]) -> Iterable[PenaltyRecord]:
    """The published penalty decisions of ``entity_ids``."""
    cases = Case.objects.filter(entity_id__in=entity_ids, penalised=True, published_on__isnull=False).only(
        "id",
        "bureau_id",
        "entity_id",
        "decision_number",
        "number",
        "decided_on",
        "published_on",
        "publicity_until",
        "publicity_withdrawn_on",
        "publicity_note",
        "penalty_kinds",
        "domain",
        "fine_amount",
        "executed_on",
    )
    for case in cases:
        kinds = tuple(case.penalty_kinds or ())
        months = None
        if case.publicity_until and case.published_on:
            months = (
                (case.publicity_until.year - case.published_on.year) * 12
                + case.publicity_until.month
                - case.published_on.month
            )
        yield PenaltyRecord(
            source="cases.case",
            ref=str(case.pk),
            bureau_id=case.bureau_id,
            entity_id=case.entity_id,
            number=case.decision_number or case.number,
            decided_on=case.decided_on or case.published_on,
            published_on=case.published_on,
            display_until=case.publicity_until,
            basis=case.publicity_note or "",
            kinds=kinds,
            kind_labels=tuple(str(LABELS.get(k, k)) for k in kinds),
            domain=case.domain or "",
            fine=case.fine_amount,
            short=bool(months is not None and months <= 3 and set(kinds) <= SHORT_KINDS),
            severe=bool(set(kinds) & SEVERE),
            fulfilled_on=case.executed_on,
            withdrawn_on=case.publicity_withdrawn_on,
            url=case.get_absolute_url(),
        )


def register() -> None:
    penalties.register(penalty_records)
