"""The inbox's reads: a user's messages and unread count, notices with their read receipts, push addresses."""

from __future__ import annotations

from django.db.models import BigIntegerField, CharField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast

from wangjian.org.models import Notice, User
from wangjian.org.selectors import can_manage
from wangjian.platform.inbox.models import Message, PushAddress


def messages_for(user: User) -> QuerySet:
    return Message.objects.filter(user=user)


def unread_count(user: User) -> int:
    return Message.objects.filter(user=user, read_at__isnull=True).count()


def notices_for(user: User) -> QuerySet:
    """Published notices sent to ``user``, newest first, each with ``read_at`` (None when unread)."""
    mine = Message.objects.filter(
        user=user, subject_type="org.notice", subject_id=Cast(OuterRef("pk"), output_field=CharField())
    )
    return (
        Notice.objects.filter(published_at__isnull=False, pk__in=notice_ids_for(user))
        .annotate(read_at=Subquery(mine.values("read_at")[:1]))
        .select_related("bureau")
        .order_by("-published_at")
    )


def notice_ids_for(user: User) -> QuerySet:
    """The ids of the notices ``user`` received (a subquery)."""
    return (
        Message.objects.filter(user=user, subject_type="org.notice")
        .annotate(notice_id=Cast("subject_id", output_field=BigIntegerField()))
        .values("notice_id")
    )


def notice_receipt(*, notice: Notice, user: User) -> Message | None:
    return Message.objects.about(notice).filter(user=user).first()


def notice_receipts(*, notice: Notice) -> QuerySet:
    """Every recipient's message of the notice: who, which unit, when read (the read receipts)."""
    return (
        Message.objects.about(notice)
        .select_related("user", "user__bureau", "user__department", "user__station")
        .order_by("read_at", "user__username")
    )


def notice_unread_users(*, notice: Notice) -> QuerySet:
    unread = Message.objects.about(notice).filter(read_at__isnull=True).values("user_id")
    return User.objects.filter(pk__in=unread).select_related("bureau", "department", "station")


def push_addresses_for(user: User) -> dict:
    """The user's own push addresses, and — for the office — those of the bureau's units and webhooks."""
    units = PushAddress.objects.none()
    if user.bureau_id and can_manage(user, user.bureau_id):
        units = PushAddress.objects.filter(
            Q(department__bureau_id=user.bureau_id)
            | Q(station__bureau_id=user.bureau_id)
            | Q(bureau_id=user.bureau_id)
        ).select_related("department", "station")
    return {"mine": PushAddress.objects.filter(user=user), "units": units}
