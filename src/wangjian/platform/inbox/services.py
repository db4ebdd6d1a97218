"""The inbox's writes: messages made once per event and user, pushes sent once per address, quiet hours.

Any app tells people something with ``notify``: one message per user (the inbox) and one push per
Apprise address of those users and of the units named (a department's or station's group robot),
each keyed by the event so that a retried job never makes a second one. Pushes outside the
bureau's working hours wait until the next working period, unless urgent (督办). A bureau's
webhooks receive every workflow event of the bureau (``webhook_post``), at any hour: machines keep
no office hours. Notices (通知、通报) are published here too: each recipient gets a message whose
read time is the read receipt.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import apprise
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.core.fetching.addresses import REFUSED, REFUSED_EN, REFUSED_ZH, push_url_refused
from wangjian.core.workdays import UncoveredYearError, current
from wangjian.org.models import Bureau, Department, Notice, Station, User
from wangjian.org.selectors import can_manage, visible_bureau_ids
from wangjian.platform.followup.services import followup_settings
from wangjian.platform.inbox.models import Delivery, DeliveryStatus, Message, MessageKind, PushAddress
from wangjian.platform.numbering.services import number_issue

MAX_ATTEMPTS = 5


def subject_ref(obj: models.Model | None) -> dict[str, str]:
    if obj is None:
        return {"subject_type": "", "subject_id": ""}
    return {"subject_type": obj._meta.label_lower, "subject_id": str(obj.pk)}


def notify(
    *,
    key: str,
    users: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    subject: models.Model | None = None,
    url: str = "",
    urgent: bool = False,
    units: Iterable[Department | Station] = (),
    now: dt.datetime | None = None,
) -> list[Message]:
    """Messages and pushes for one event, each made once whatever the retries.

    ``key`` names the event (``clue12:remind:feedback:2025-10-13``); each user's message and each
    address's push carry it, and a unique constraint refuses a second copy. Returns the messages
    made now (empty when they existed already).
    """
    now = now or timezone.now()
    if subject is not None and not url and hasattr(subject, "get_absolute_url"):
        url = subject.get_absolute_url()
    made: list[Message] = []
    users = list(users)
    keys = {user.pk: f"{key}:u{user.pk}"[:200] for user in users}
    existing = set(Message.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    seen: set[int] = {pk for pk, k in keys.items() if k in existing}  # made by an earlier run
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    key=keys[user.pk],
                    user=user,
                    kind=kind,
                    title=title[:200],
                    body=body,
                    urgent=urgent,
                    url=url[:500],
                    created_at=now,
                    **subject_ref(subject),
                )
        except IntegrityError:
            continue
        made.append(message)
    # Pushes are keyed by event and address, so a retry that died between the message and its
    # push completes the push without ever making a second one.
    units = list(units)
    cond = Q(user_id__in=list(keys))
    for unit in units:
        cond |= Q(station=unit) if isinstance(unit, Station) else Q(department=unit)
    addresses = list(PushAddress.objects.filter(cond, is_active=True)) if keys or units else []
    if addresses:
        by_user = {m.user_id: m for m in Message.objects.filter(key__in=keys.values())}
        first = next(iter(by_user.values()), None)
        for address in addresses:
            message = by_user.get(address.user_id) if address.user_id else first
            _delivery(f"{key}:a{address.pk}", address, message, title, body, urgent, now)
    return made


def webhook_post(*, bureau_id: int, key: str, title: str, payload: dict[str, Any], now: dt.datetime) -> int:
    """Push one event of the bureau's workflows to each of its webhooks, once each (never held back)."""
    hooks = list(PushAddress.objects.filter(bureau_id=bureau_id, is_active=True))
    body = json.dumps(payload, ensure_ascii=False)
    for hook in hooks:
        _delivery(f"{key}:a{hook.pk}", hook, None, title, body, True, now)
    return len(hooks)


def _delivery(
    key: str,
    address: PushAddress,
    message: Message | None,
    title: str,
    body: str,
    urgent: bool,
    now: dt.datetime,
) -> None:
    Delivery.objects.get_or_create(
        key=key[:220],
        defaults={
            "address": address,
            "message": message,
            "title": title[:200],
            "body": body,
            "urgent": urgent,
            "created_at": now,
        },
    )


def apprise_send(url: str, title: str, body: str) -> tuple[bool, str]:
    """Push through Apprise (mailto://, dingtalk://, wecombot://, json:// …)."""
    if push_url_refused(url):  # checked again when sent: a name may resolve elsewhere by now
        return False, REFUSED
    sender = apprise.Apprise()
    if not sender.add(url):
        return False, "无效的 Apprise 地址 / invalid Apprise URL"
    ok = sender.notify(title=title, body=body or title)
    return bool(ok), "" if ok else "Apprise 发送失败 / Apprise reported failure"


def is_quiet_time(now: dt.datetime, *, bureau: Bureau | int | None = None) -> bool:
    """Outside working hours (a working day of the calendar, the bureau's hours) pushes wait unless urgent."""
    local = timezone.localtime(now)
    try:
        working = current().is_working_day(local.date())
    except UncoveredYearError:
        return False  # an unentered year: better to send than to hold a message back
    settings = followup_settings(bureau) if bureau is not None else None
    start = settings.work_start if settings else dt.time(8, 30)
    end = settings.work_end if settings else dt.time(17, 30)
    return not (working and start <= local.time() < end)


@dataclass
class DeliveryReport:
    sent: int = 0
    deferred: int = 0
    failed: int = 0


def deliveries_send(
    *, now: dt.datetime | None = None, send: Callable[[str, str, str], tuple[bool, str]] | None = None
) -> DeliveryReport:
    """Send waiting pushes. Each is claimed by one conditional update, so two workers never both send it."""
    now = now or timezone.now()
    send = send or apprise_send
    report = DeliveryReport()
    quiet: dict[int | None, bool] = {}
    waiting = (
        Delivery.objects.filter(
            Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.DEFERRED])
            | Q(status=DeliveryStatus.FAILED, attempts__lt=MAX_ATTEMPTS)
        )
        .select_related("address__user", "address__department", "address__station")
        .order_by("id")
    )  # in the order the events happened
    for delivery in waiting:
        bureau_id = delivery.address.audit_bureau_id()
        if bureau_id not in quiet:
            quiet[bureau_id] = is_quiet_time(now, bureau=bureau_id)
        if quiet[bureau_id] and not delivery.urgent:
            if delivery.status != DeliveryStatus.DEFERRED:
                Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.DEFERRED)
            report.deferred += 1
            continue
        claimed = Delivery.objects.filter(pk=delivery.pk, status=delivery.status).update(
            status=DeliveryStatus.SENDING, attempts=delivery.attempts + 1
        )
        if not claimed:
            continue
        try:
            ok, error = send(delivery.address.url, delivery.title, delivery.body)
        except Exception as exc:  # any transport error is recorded, never lost
            ok, error = False, f"{type(exc).__name__}: {exc}"
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SENT if ok else DeliveryStatus.FAILED,
            sent_at=now if ok else None,
            error=error[:500],
        )
        if ok:
            report.sent += 1
        else:
            report.failed += 1
    return report


def message_mark_read(*, message: Message, user: User) -> bool:
    if message.user_id != user.pk:
        raise PermissionDeniedError("只能标记自己的消息", "You can only mark your own messages")
    return bool(Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=timezone.now()))


def messages_mark_all_read(*, user: User) -> int:
    return Message.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


# ---------------------------------------------------------------- push addresses, per user and per unit


def push_address_add(
    *,
    actor: User,
    url: str,
    label: str = "",
    department: Department | None = None,
    station: Station | None = None,
    bureau: Bureau | None = None,
) -> PushAddress:
    """Add an Apprise address: one's own, a unit's (the office), or the bureau's webhook (the office)."""
    url = (url or "").strip()
    if not url:
        raise ValidationFailed("请填写 Apprise 推送地址", "An Apprise URL is required")
    if not apprise.Apprise().add(url):
        raise ValidationFailed(
            "无法识别的推送地址（应为 Apprise 格式，如 mailto://、dingtalk://、wecombot://）",
            "Not an Apprise URL (e.g. mailto://, dingtalk://, wecombot://)",
        )
    if push_url_refused(url):
        raise ValidationFailed(REFUSED_ZH, REFUSED_EN)
    unit = station or department
    if bureau is not None:
        if not can_manage(actor, bureau):
            raise PermissionDeniedError(
                "只有本局办公室管理员可以设置本局的 Webhook",
                "Only the bureau's office administrator sets its webhooks",
            )
        return PushAddress.objects.create(bureau=bureau, url=url, label=label)
    if unit is not None:
        if not can_manage(actor, unit.bureau_id):
            raise PermissionDeniedError(
                "只有本局办公室管理员可以设置科室、基层所的推送地址",
                "Only the bureau's office administrator sets a unit's push address",
            )
        return PushAddress.objects.create(
            department=department if station is None else None, station=station, url=url, label=label
        )
    return PushAddress.objects.create(user=actor, url=url, label=label)


def push_address_remove(*, actor: User, address: PushAddress) -> None:
    if address.user_id != actor.pk and not can_manage(actor, address.audit_bureau_id()):
        raise PermissionDeniedError("不能删除他人的推送地址", "You cannot remove someone else's push address")
    address.delete()


# ---------------------------------------------------------------- notices (通知、通报)


def notice_recipients(notice: Notice) -> models.QuerySet:
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(bureau__in=notice.target_bureaus.all())
            | Q(department__in=notice.target_departments.all())
            | Q(station__in=notice.target_stations.all())
        )
        .distinct()
    )


def notice_publish(*, notice: Notice, user: User, now: dt.datetime | None = None) -> int:
    """Publish a notice: every active user of the target bureaus, departments and stations gets a message.

    A bureau publishes only to itself and the bureaus below it. The notice takes its 文号 from the
    bureau's numbering when first published. Publishing again reaches new recipients only. Returns
    the number of recipients.
    """
    now = now or timezone.now()
    allowed = visible_bureau_ids(user)
    targets = set(notice.target_bureaus.values_list("pk", flat=True))
    targets |= set(notice.target_departments.values_list("bureau_id", flat=True))
    targets |= set(notice.target_stations.values_list("bureau_id", flat=True))
    if not targets:
        raise ValidationFailed("请选择至少一个接收单位", "Choose at least one recipient")
    if allowed is not None and not targets <= allowed:
        raise PermissionDeniedError(
            "只能向本局及下级单位发布通知", "Notices go only to your bureau and those below it"
        )
    with transaction.atomic():
        if notice.published_at is None:
            notice.published_at = now
            notice.author = notice.author or user
            if not notice.number:
                notice.number = number_issue(
                    bureau=notice.bureau, kind="notice", subject=notice, user=user, now=now
                ).number
            notice.save()
        notify(
            key=f"notice{notice.pk}",
            users=notice_recipients(notice),
            kind=MessageKind.NOTICE,
            title=f"{notice.get_kind_display()}：{notice.title}",
            body=notice.body[:500],
            subject=notice,
            now=notice.published_at,
        )
    return Message.objects.about(notice).count()


def notice_mark_read(*, notice: Notice, user: User) -> bool:
    """Confirm reading (确认已读); returns False when the user is not a recipient."""
    mine = Message.objects.about(notice).filter(user=user)
    mine.filter(read_at__isnull=True).update(read_at=timezone.now())
    return mine.exists()
