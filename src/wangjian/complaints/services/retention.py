"""Personal data kept no longer than needed (个人信息保护法 art. 19): a closed record's complainant or reporter data
(name, phone, address, ID number) is erased ``retention_years`` after it ended (3 by default, the office sets it);
the record itself stays, for the figures. Never while a legal hold covers it: the clue it became still open, or a
case opened from that clue not yet closed.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from wangjian.complaints.choices import ENDED_STATES, Action
from wangjian.complaints.models import Complaint, ComplaintSettings
from wangjian.complaints.services.transitions import record
from wangjian.core.audit import acting
from wangjian.core.clocks import add_months

PERSONAL = ("person_name", "person_phone", "person_address", "person_id_number")


def held(complaint: Complaint) -> str:
    """Why the record's personal data must stay, or ""."""
    clue = complaint.clue
    if clue is None:
        return ""
    from wangjian.clues.choices import OPEN_STATES

    if clue.state in OPEN_STATES:
        return f"线索 {clue.number} 尚在办理"
    case = getattr(clue, "case", None)
    if case is not None and case.state not in ("closed", "not_filed", "withdrawn"):
        return f"案件 {case.number or case.pk} 尚未结案"
    return ""


def erase_expired(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Erase the personal data of every ended record past its bureau's retention period; report the counts."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    years = dict(ComplaintSettings.objects.values_list("bureau_id", "retention_years"))
    erased = kept = 0
    candidates = (
        Complaint.objects.filter(state__in=ENDED_STATES, erased_at__isnull=True, ended_on__isnull=False)
        .exclude(person_name="", person_phone="", person_address="", person_id_number="")
        .select_related("clue")
    )
    for complaint in candidates.iterator():
        keep_until = add_months(complaint.ended_on, 12 * years.get(complaint.bureau_id, 3))
        if today <= keep_until:
            continue
        why = held(complaint)
        if why:
            kept += 1
            continue
        with transaction.atomic(), acting(None, via="complaints"):
            for name in PERSONAL:
                setattr(complaint, name, "")
            complaint.erased_at = now
            complaint.save()
            record(
                complaint,
                Action.ERASE,
                None,
                from_state=complaint.state,
                comment=f"办结已满保存期限（至 {keep_until}），投诉人/举报人个人信息已删除，记录保留",
                now=now,
            )
        erased += 1
    return {"erased": erased, "held": kept}
