"""Registering a complaint or a report: checked, numbered, routed, with its first clock.

A 投诉 must name its complainant with a way to reach them (art. 9); a 举报 may be anonymous — the duties toward
a named reporter apply only when one is named. Jurisdiction is checked (``services.jurisdiction``), then the
matter is routed inside the bureau: a complaint to the station whose territory covers the business's place (基层所
handle the county's consumer disputes), else to the department that leads 消费者权益 in the duty list; a report
to the unit the duty list names for its field (as a clue would be). A complaint's acceptance clock (7 working days
from receipt, art. 14) is a work item of that unit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.complaints.choices import Action, Channel, Kind, RespondentKind, State
from wangjian.complaints.models import Complaint
from wangjian.complaints.permissions import COMPLAINT_CREATE
from wangjian.complaints.services.clocks import ACCEPTANCE, clock_open, clock_spec
from wangjian.complaints.services.transitions import record, records
from wangjian.core.audit import acting
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.core.models import bulk_create_audited
from wangjian.org import permissions
from wangjian.org.choices import Domain
from wangjian.org.models import Bureau, Department, Station, User
from wangjian.org.services import responsible_for
from wangjian.platform.numbering import kinds as number_kinds
from wangjian.platform.numbering.services import number_issue, number_issue_many
from wangjian.platform.workitems.services import workitems_insert, workitems_prepare

NUMBER_KIND = "complaint"
ACCEPTANCE_TITLE = "决定是否受理投诉"


def register_numbers() -> None:
    number_kinds.register(
        number_kinds.NumberKind(NUMBER_KIND, "投诉举报登记编号", "{prefix}诉〔{year}〕{seq}号", "登记时编号")
    )


def route(complaint: Complaint) -> str:
    """Set the handling unit; returns why, in Chinese."""
    bureau = complaint.bureau
    region = complaint.respondent_region
    if complaint.kind == Kind.COMPLAINT and region:
        for station in Station.objects.filter(bureau=bureau, is_active=True).order_by("id"):
            if station.covers(region):
                complaint.station, complaint.department = station, None
                return f"被投诉人经营地 {region} 属{station}辖区，由该所办理消费者投诉"
    domain = (
        complaint.domain if complaint.kind == Kind.REPORT and complaint.domain else Domain.CONSUMER_RIGHTS
    )
    duty = responsible_for(bureau, domain, region or None)
    complaint.station = duty.station
    complaint.department = None if duty.station else duty.department
    return duty.reason_zh


def complaint_register(
    *,
    user: User | None,
    bureau: Bureau,
    values: dict[str, Any],
    now: dt.datetime | None = None,
    check_permission: bool = True,
) -> Complaint:
    """A new 投诉 or 举报 (manual entry, the API, or one row of a 12315 import)."""
    now = now or timezone.now()
    if check_permission:
        permissions.require(user, COMPLAINT_CREATE)
        if not user.is_superuser and user.bureau_id != bureau.pk:
            raise PermissionDeniedError(
                "只能登记本局的投诉举报", "Only your own bureau's complaints are registered"
            )
    complaint = _build(bureau, values, now)
    jurisdiction_set(complaint)
    complaint.routing_basis = route(complaint)
    with transaction.atomic(), acting(user, via="complaints"):
        complaint.number = number_issue(bureau=bureau, kind=NUMBER_KIND, user=user, now=now).number
        complaint.save()
        if complaint.kind == Kind.COMPLAINT:
            item = clock_open(complaint, ACCEPTANCE, complaint.received_on, now, title=ACCEPTANCE_TITLE)
            complaint.accept_due, complaint.accept_basis = item.due, item.due_basis
            complaint.save(update_fields=["accept_due", "accept_basis"])
        record(
            complaint,
            Action.REGISTER,
            user,
            comment=f"登记（{complaint.get_channel_display()}）；{complaint.routing_basis}",
            now=now,
        )
    return complaint


class _Memo:
    """Jurisdiction and routing of an import, worked out once per distinct place and field: a 12315 export
    of a thousand rows names a few dozen businesses' places, and each answer depends on nothing else."""

    def __init__(self) -> None:
        self.places: dict[tuple, tuple[str, str]] = {}
        self.routes: dict[tuple, tuple[Station | None, Department | None, str]] = {}

    def apply(self, complaint: Complaint) -> None:
        c = complaint
        key = (c.kind, c.respondent_kind, c.respondent_region, c.platform_region)
        if key not in self.places:
            jurisdiction_set(c)
            self.places[key] = (c.jurisdiction, c.jurisdiction_basis)
        c.jurisdiction, c.jurisdiction_basis = self.places[key]
        key = (c.kind, c.respondent_region, c.domain if c.kind == Kind.REPORT else "")
        if key not in self.routes:
            basis = route(c)
            self.routes[key] = (c.station, c.department, basis)
        c.station, c.department, c.routing_basis = self.routes[key]


def complaints_register_many(
    *,
    user: User | None,
    bureau: Bureau,
    rows: list[dict[str, Any]],
    now: dt.datetime | None = None,
    fields: dict[str, Any] | None = None,
) -> list[Complaint | WangjianError]:
    """Many new records at once — a chunk of a 12315 import — each as ``complaint_register`` makes one.

    Every row is checked, placed and routed as by hand and numbered in order; the complaints get their
    acceptance clocks (7 working days from receipt, art. 14). Instead of one query after another per row,
    numbers are reserved as a block, records, clocks, change records and history are inserted a chunk at
    a time, and the units are not told row by row (the import tells each unit once). Returns, row for row,
    the record or the reason it was refused. ``fields`` are set on every record (the import's batch). The
    caller checks the permission to import.
    """
    now = now or timezone.now()
    memo = _Memo()
    out: list[Complaint | WangjianError] = []
    good: list[Complaint] = []
    for values in rows:
        try:
            complaint = _build(bureau, values, now)
            memo.apply(complaint)
        except WangjianError as exc:
            out.append(exc)
            continue
        out.append(complaint)
        good.append(complaint)
    specs = [
        {**clock_spec(c, ACCEPTANCE, c.received_on, title=ACCEPTANCE_TITLE), "subject": None}
        for c in good
        if c.kind == Kind.COMPLAINT
    ]
    prepared = iter(workitems_prepare(specs=specs, now=now))
    complaints, items = [], []
    for complaint in good:
        if complaint.kind != Kind.COMPLAINT:
            continue
        item = next(prepared)
        if isinstance(item, WangjianError):  # its acceptance clock cannot be counted: the row is refused
            out[out.index(complaint)] = item
            continue
        complaint.accept_due, complaint.accept_basis = item.due, item.due_basis
        complaints.append(complaint)
        items.append(item)
    good = [c for c in out if isinstance(c, Complaint)]
    if not good:
        return out
    with transaction.atomic(), acting(user, via="complaints"):
        numbers = number_issue_many(bureau=bureau, kind=NUMBER_KIND, count=len(good), user=user, now=now)
        for complaint, issued in zip(good, numbers, strict=True):
            complaint.number = issued.number
            for name, value in (fields or {}).items():
                setattr(complaint, name, value)
        bulk_create_audited(good)
        for item, complaint in zip(items, complaints, strict=True):
            item.reference = complaint.number[:80]
        workitems_insert(items=items, subjects=complaints)
        records(
            [(c, Action.REGISTER, f"登记（{c.get_channel_display()}）；{c.routing_basis}") for c in good],
            user,
            now=now,
        )
    return out


def _build(bureau: Bureau, values: dict[str, Any], now: dt.datetime) -> Complaint:
    """The record as given, checked (kind, receipt date, content), not yet routed or saved."""
    kind = values.get("kind") or Kind.COMPLAINT
    if kind not in Kind.values:
        raise ValidationFailed(f"类别应为投诉或举报：{kind}", f"Kind must be complaint or report: {kind}")
    received = values.get("received_on") or timezone.localtime(now).date()
    if received > timezone.localtime(now).date():
        raise ValidationFailed("收到日期不能晚于今天", "The receipt date cannot be in the future")
    complaint = Complaint(
        bureau=bureau,
        kind=kind,
        channel=values.get("channel") or Channel.OTHER,
        source_number=(values.get("source_number") or "").strip()[:60],
        received_on=received,
        person_name=(values.get("person_name") or "").strip()[:100],
        person_phone=(values.get("person_phone") or "").strip()[:40],
        person_address=(values.get("person_address") or "").strip()[:300],
        person_id_number=(values.get("person_id_number") or "").strip()[:40],
        respondent_name=(values.get("respondent_name") or "").strip()[:200],
        respondent_uscc=(values.get("respondent_uscc") or "").strip().upper()[:18],
        respondent_kind=values.get("respondent_kind") or RespondentKind.SELLER,
        respondent_region=(values.get("respondent_region") or "").strip()[:12],
        platform_name=(values.get("platform_name") or "").strip()[:100],
        platform_region=(values.get("platform_region") or "").strip()[:12],
        presence_label=(values.get("presence_label") or "").strip()[:500],
        domain=values.get("domain") or "",
        category=(values.get("category") or "").strip()[:100],
        summary=(values.get("summary") or "").strip(),
        demand=(values.get("demand") or "").strip(),
        amount=Decimal(str(values["amount"])) if values.get("amount") not in (None, "") else None,
    )
    complaint.anonymous = kind == Kind.REPORT and not complaint.person_name
    if kind == Kind.REPORT:
        complaint.state = State.VERIFYING  # a report is verified first (核查), a complaint awaits acceptance
    check_content(complaint)
    return complaint


def check_content(complaint: Complaint) -> None:
    """What a 投诉 must carry (art. 9: the complainant's name, phone and address, the business, the demand and
    the facts); a 举报 needs the business and the facts, its reporter may stay unnamed."""
    if not complaint.respondent_name:
        raise ValidationFailed(
            "请填写被投诉人/被举报人名称", "Name the business complained about or reported"
        )
    if not complaint.summary:
        raise ValidationFailed("请填写投诉举报内容（事实）", "State the facts")
    if complaint.kind == Kind.COMPLAINT:
        missing = [
            label
            for label, value in (
                ("投诉人姓名", complaint.person_name),
                ("联系电话", complaint.person_phone),
            )
            if not value
        ]
        if missing:
            raise ValidationFailed(
                f"投诉须提供{'、'.join(missing)}（投诉举报处理暂行办法第九条）；匿名反映违法行为的请按举报登记",
                "A complaint names its complainant and a phone (art. 9); an anonymous matter is a report",
            )


def jurisdiction_set(complaint: Complaint) -> None:
    from wangjian.complaints.services.jurisdiction import complaint_jurisdiction

    check = complaint_jurisdiction(
        bureau=complaint.bureau,
        kind=complaint.kind,
        channel=complaint.respondent_kind,
        party_region=complaint.respondent_region,
        platform_region=complaint.platform_region,
        received_first=True,
    )
    complaint.jurisdiction = str(check.ground or "")
    complaint.jurisdiction_basis = check.reason_zh
