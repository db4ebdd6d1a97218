"""The leading group's meetings and their 纪要 (常州: 领导小组的决定以会议纪要形式印发，各成员单位抓好落实).

A meeting is registered with its kind (全体成员会议 yearly, 调度会, 分析会, 联席会议 with outside agencies),
its date, chair and attendees, its minutes and the 纪要's text. Its decisions (议定事项) are written with it,
each for a member unit by a deadline, and become work items (``leadership.decision``) when the 纪要 is issued
with its document number, once. Until then the meeting may be corrected; afterwards it stays as issued: its
decisions are kept whatever is edited, and the meeting cannot move after the deadline of one of them (a
decision cannot be due before its meeting). The attendees, a many-to-many, are written to the change log here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.core.errors import ValidationFailed
from wangjian.core.models import ChangeRecord
from wangjian.leadership.models import Decision, Meeting, MeetingKind
from wangjian.leadership.services import (
    DECISION_KIND,
    NUMBER_KIND,
    _attach,
    _item,
    _only,
    _unit_of,
    require_manage,
)
from wangjian.org.models import Bureau, Department, Station, User
from wangjian.platform.numbering.services import number_attach, number_issue

MEETING_FIELDS = {"title", "held_on", "place", "chair", "outside_attendees", "minutes", "summary", "kind"}


def meeting_check(*, bureau: Bureau, kind: str, title: str, outside_attendees: str, people: list) -> None:
    """What a meeting must have, registered or corrected: its kind and title, a joint meeting's outside
    attendees, a chair and attendees of the bureau's staff."""
    if kind not in MeetingKind.values:
        raise ValidationFailed("请选择会议类型", "Choose the kind of meeting")
    if not (title or "").strip():
        raise ValidationFailed("请填写会议名称", "The meeting needs a title")
    if kind == MeetingKind.JOINT and not (outside_attendees or "").strip():
        raise ValidationFailed(
            "联席会议请填写外单位参会人员", "A joint meeting names the attendees from other authorities"
        )
    for person in people:
        if person is not None and person.bureau_id != bureau.pk:
            raise ValidationFailed(
                "主持人和参会人员须为本局人员（外单位人员请填在外单位参会人员）",
                "Chair and attendees are the bureau's staff (others go in the outside list)",
            )


def meeting_create(
    *,
    bureau: Bureau,
    kind: str,
    title: str,
    held_on: dt.date,
    place: str = "",
    chair: User | None = None,
    attendees: list[User] | tuple = (),
    outside_attendees: str = "",
    minutes: str = "",
    summary: str = "",
    user: Any,
) -> Meeting:
    require_manage(user, bureau.pk)
    title = (title or "").strip()
    meeting_check(
        bureau=bureau, kind=kind, title=title, outside_attendees=outside_attendees, people=[chair, *attendees]
    )
    with transaction.atomic():
        meeting = Meeting.objects.create(
            bureau=bureau,
            kind=kind,
            title=title[:200],
            held_on=held_on,
            place=place,
            chair=chair,
            outside_attendees=outside_attendees,
            minutes=minutes,
            summary=summary,
        )
        if attendees:
            meeting.attendees.set(attendees)
    return meeting


def decision_add(
    *,
    meeting: Meeting,
    text: str,
    due: dt.date,
    department: Department | None = None,
    station: Station | None = None,
    user: Any,
) -> Decision:
    """A decision of the 纪要 for a member unit by a deadline; it becomes a work item when the 纪要 is issued."""
    require_manage(user, meeting.bureau_id)
    if meeting.issued:
        raise ValidationFailed("纪要已印发，不能再增加议定事项", "The 纪要 is issued: no more decisions")
    department, station = _unit_of(user, meeting.bureau, department, station)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("请填写议定事项", "The decision needs its text")
    if due < meeting.held_on:
        raise ValidationFailed("完成期限不能早于会议日期", "A decision cannot be due before the meeting")
    seq = (meeting.decisions.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    return Decision.objects.create(
        meeting=meeting,
        seq=seq,
        text=text,
        due=due,
        department=department if station is None else None,
        station=station,
    )


def decision_remove(*, decision: Decision, user: Any) -> None:
    require_manage(user, decision.meeting.bureau_id)
    if decision.meeting.issued:
        raise ValidationFailed("纪要已印发，议定事项不能删除", "The 纪要 is issued: its decisions stay")
    decision.delete()


def minutes_issue(*, meeting: Meeting, user: Any, now: dt.datetime | None = None) -> Meeting:
    """印发纪要: the 纪要 is numbered (once) and each decision is handed to its unit as a work item."""
    require_manage(user, meeting.bureau_id)
    now = now or timezone.now()
    if meeting.issued:
        raise ValidationFailed(
            f"纪要已印发（{meeting.summary_number}）",
            f"The 纪要 is issued already ({meeting.summary_number})",
        )
    if not meeting.summary.strip():
        raise ValidationFailed("请先填写纪要正文", "Write the 纪要 first")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.issued:
            raise ValidationFailed("纪要已印发", "The 纪要 is issued already")
        issued = number_issue(bureau=meeting.bureau, kind=NUMBER_KIND, user=user, now=now)
        meeting.summary_number = issued.number
        meeting.summary_issued_at = now
        meeting.summary_issued_by = user if getattr(user, "pk", None) else None
        meeting.save()
        number_attach(issued=issued, subject=meeting)
        for decision in meeting.decisions.select_related("department", "station").order_by("seq"):
            item = _item(
                bureau=meeting.bureau,
                kind=DECISION_KIND,
                title=decision.text[:200],
                body=f"{meeting.title}（{meeting.summary_number}）第{decision.seq}项：{decision.text}",
                department=decision.department,
                station=decision.station,
                due=decision.due,
                reference=f"{meeting.summary_number}-{decision.seq}",
                now=now,
                user=user,
            )
            _attach(item, decision)
            decision.work_item = item
            decision.save(update_fields=["work_item"])
    return meeting


# ---------------------------------------------------------------- corrections


def _names(users: Any) -> list[str]:
    return sorted(f"{u.name or u.username}（{u.pk}）" for u in users)


def meeting_editable(*, meeting: Meeting, user: Any) -> None:
    """Who runs the year corrects a meeting, until its 纪要 is issued (the edit page asks before showing)."""
    require_manage(user, meeting.bureau_id)
    if meeting.issued:
        raise ValidationFailed(
            f"纪要已印发（{meeting.summary_number}），不再修改",
            f"The 纪要 {meeting.summary_number} is issued",
        )


def meeting_update(*, meeting: Meeting, user: Any, **values: Any) -> Meeting:
    """The meeting's facts, minutes and 纪要 until the 纪要 is issued; the record stays as issued afterwards.

    Checked as a new meeting is (its kind, title, joint meetings' outside attendees, the bureau's staff);
    its decisions stay as they are, so the meeting may not move after the earliest one is due."""
    meeting_editable(meeting=meeting, user=user)
    attendees = values.pop("attendees", None)
    _only(values, MEETING_FIELDS)
    if "title" in values:
        values["title"] = (values["title"] or "").strip()[:200]
    merged = {name: values.get(name, getattr(meeting, name)) for name in MEETING_FIELDS}
    before = list(meeting.attendees.all())
    meeting_check(
        bureau=meeting.bureau,
        kind=merged["kind"],
        title=merged["title"],
        outside_attendees=merged["outside_attendees"],
        people=[merged["chair"], *(attendees if attendees is not None else before)],
    )
    first = meeting.decisions.order_by("due", "seq").first()
    if first is not None and merged["held_on"] > first.due:
        raise ValidationFailed(
            f"会议日期不能晚于议定事项第{first.seq}项的完成期限（{first.due:%Y-%m-%d}），请先调整议定事项",
            f"The meeting cannot be after decision {first.seq}'s deadline ({first.due})",
        )
    with transaction.atomic():
        for name, value in values.items():
            setattr(meeting, name, value)
        meeting.save()
        if attendees is not None and {u.pk for u in attendees} != {u.pk for u in before}:
            meeting.attendees.set(attendees)
            ChangeRecord.log(
                meeting,
                ChangeRecord.Action.UPDATE,
                {"attendees": _names(before)},
                {"attendees": _names(attendees)},
            )
    return meeting
