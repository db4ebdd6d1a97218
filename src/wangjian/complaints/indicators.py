"""Complaints' risk indicator (``platform.indicators``): a business complained about again and again.

The office's own rule of the analysis (``services.analysis.repeated``): ``repeat_threshold`` or more
complaints (投诉, not 举报) received within ``repeat_days`` (3 within 90 days by default) flag a business.
Below the threshold a business is not flagged and the indicator says nothing. A complaint counts for the
entity it is linked to, else for the entity whose 统一社会信用代码 it names — as ``repeated`` groups them.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from wangjian.complaints.choices import Kind
from wangjian.complaints.models import Complaint
from wangjian.complaints.services.analysis import settings_for
from wangjian.org.models import Bureau
from wangjian.platform.indicators import Indicator, IndicatorValue, register
from wangjian.registry.indicators import counts_by_entity


def repeated(bureau_id: int, entity_ids: list[int] | None, today: dt.date) -> dict[int, IndicatorValue]:
    settings = settings_for(Bureau(pk=bureau_id))
    since = today - dt.timedelta(days=settings.repeat_days)
    complaints = Complaint.objects.filter(
        bureau_id=bureau_id, kind=Kind.COMPLAINT, received_on__range=(since, today)
    )
    linked = (
        complaints.filter(entity__isnull=False).values_list("entity_id").annotate(n=Count("id")).order_by()
    )
    if entity_ids is not None:
        linked = linked.filter(entity_id__in=entity_ids)
    by_code = (
        complaints.filter(entity__isnull=True)
        .exclude(respondent_uscc="")
        .values_list("respondent_uscc")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = counts_by_entity(bureau_id, by_entity=linked, by_uscc=by_code, entity_ids=entity_ids)
    return {
        k: IndicatorValue(
            n,
            f"近{settings.repeat_days}日被投诉{int(n)}件（重复投诉，提示阈值{settings.repeat_threshold}件）",
        )
        for k, n in counts.items()
        if n >= settings.repeat_threshold
    }


REPEATED = Indicator("complaints.repeated", "重复投诉", "complained about repeatedly", "complaints", repeated)


def register_all() -> None:
    register(REPEATED)
