"""A platform's reports recorded by hand and its declared re-verifications (网络交易监督管理办法 arts. 24, 25)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.core import uploads
from wangjian.core.errors import ValidationFailed
from wangjian.org.models import User
from wangjian.outreach.models import Reverification, SellerReportRecord
from wangjian.outreach.services.common import day, may_act, not_before, today_of
from wangjian.outreach.windows import REPORT_MONTHS


def file_check(file: Any) -> None:
    """Letters, reports and answers are held to the evidence cap (``WANGJIAN_EVIDENCE_UPLOAD_MAX_BYTES``)."""
    if file:
        uploads.check_size(file, kind=uploads.EVIDENCE)


def _same_bureau(obj: Any) -> None:
    if obj.platform.bureau_id != obj.bureau_id:
        raise ValidationFailed("平台不属于该局", "The platform belongs to another bureau")


def report_record(
    *, record: SellerReportRecord, user: User | None, now: dt.datetime | None = None
) -> SellerReportRecord:
    """A report that came another way than an import: its window (January or July) and the day it arrived."""
    now = now or timezone.now()
    may_act(user, record.bureau_id)
    _same_bureau(record)
    today = today_of(now)
    record.received_on = day(record.received_on, today, name="received_on")
    if record.window is None or record.window.month not in REPORT_MONTHS:
        raise ValidationFailed("报送期应为某年1月或7月", "The window is January or July of a year")
    record.window = record.window.replace(day=1)
    not_before(
        record.received_on, record.window, "收到日期早于报送期", "The report arrived before its window"
    )
    file_check(record.file)
    record.recorded_by = user if getattr(user, "pk", None) else None
    with transaction.atomic():
        record.save()
    return record


def reverification_record(
    *, reverification: Reverification, user: User | None, now: dt.datetime | None = None
) -> Reverification:
    """The day the platform says it verified and updated its sellers' identity information."""
    now = now or timezone.now()
    may_act(user, reverification.bureau_id)
    _same_bureau(reverification)
    reverification.verified_on = day(reverification.verified_on, today_of(now), name="verified_on")
    reverification.recorded_by = user if getattr(user, "pk", None) else None
    reverification.save()
    return reverification
