"""Deduplication by hand and sharing: merge a duplicate into an open clue, split a different matter off, share a clue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from wangjian.clues.choices import (
    OPEN_STATES,
    Action,
)
from wangjian.clues.models import Clue, ClueSource
from wangjian.clues.services.duties import _duty_end
from wangjian.clues.services.filing import filing_end
from wangjian.clues.services.intake import IntakeResult, clue_intake
from wangjian.clues.services.steps import _step
from wangjian.clues.services.transitions import _record, transition_check
from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed
from wangjian.org.models import User
from wangjian.platform.workitems.models import WorkItemState

# ---------------------------------------------------------------- dedup by hand, sharing


def clue_merge(
    *, clue: Clue, into: Clue, user: User, reason: str = "", now: dt.datetime | None = None
) -> Clue:
    """The office merges a duplicate into another open clue of the bureau; its sources move across."""
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.MERGE)
    if into.pk == clue.pk or into.bureau_id != clue.bureau_id or into.state not in OPEN_STATES:
        raise ValidationFailed(
            "只能并入本局另一条在办线索", "Merge only into another open clue of the bureau"
        )
    with transaction.atomic(), acting(user, via="clues"):
        moved = clue.sources.update(clue=into)
        into.shared_with.add(*clue.shared_with.all())
        if clue.finder_id and clue.finder_id != into.finder_id:
            into.shared_with.add(clue.finder_id)
        clue.merged_into = into
        clue.feedback_due = None
        _duty_end(clue, user=user, result=f"并入线索 {into.number}", state=WorkItemState.CANCELLED, now=now)
        filing_end(clue, user=user, result=f"并入线索 {into.number}", state=WorkItemState.CANCELLED, now=now)
        _step(clue, user, Action.MERGE, reason, now, into=into.number)
        _record(
            into,
            Action.MERGE,
            user,
            from_state=into.state,
            comment=f"并入 {clue.number}（{moved} 个来源）",
            now=now,
        )
    return into


def clue_split(
    *,
    clue: Clue,
    source_ids: Iterable[int],
    user: User,
    domain: str | None = None,
    reason: str = "",
    now: dt.datetime | None = None,
) -> IntakeResult:
    """The office splits sources that are a different matter off into a new clue, routed on its own."""
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.SPLIT)
    ids = set(source_ids)
    sources = list(clue.sources.filter(pk__in=ids))
    if not sources or len(sources) != len(ids) or clue.sources.count() <= len(sources):
        raise ValidationFailed(
            "请选择本线索的部分来源拆分（至少保留一个来源）",
            "Choose some, not all, of this clue's sources to split off",
        )
    with transaction.atomic(), acting(user, via="clues"):
        first = sources[0]
        result = clue_intake(
            bureau=clue.bureau,
            source_kind=first.kind,
            source_ref=first.ref,
            domain=domain or clue.domain,
            facts=first.facts or clue.facts,
            entity=clue.entity,
            presence=clue.presence,
            entity_name=clue.entity_name,
            entity_uscc=clue.entity_uscc,
            presence_label=clue.presence_label,
            region_code=clue.region_code,
            finder=first.finder,
            now=now,
            dedup=False,
        )
        result.source.delete()  # the new clue keeps the very sources split off, not a copy
        ClueSource.objects.filter(pk__in=[s.pk for s in sources]).update(clue=result.clue)
        _record(
            clue,
            Action.SPLIT,
            user,
            from_state=clue.state,
            comment=reason or f"拆分出 {result.clue.number}",
            now=now,
            detail={"new": result.clue.number},
        )
    return result


def clue_share(*, clue: Clue, user: User, with_user: User, now: dt.datetime | None = None) -> None:
    """Let another officer read the clue (e.g. an assisting department of the duty list)."""
    transition_check(user=user, clue=clue, action=Action.SHARE)
    if with_user.bureau_id != clue.bureau_id:
        raise ValidationFailed("只能共享给本局人员", "Share only with staff of the bureau")
    clue.shared_with.add(with_user)
    _record(clue, Action.SHARE, user, from_state=clue.state, comment=str(with_user), now=now)
