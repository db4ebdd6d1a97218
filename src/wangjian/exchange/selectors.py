"""The exchange's reads: who sees which message and which received evidence package.

A message is read by the office and department heads of its bureau and the bureaus above (the organisation
rule). A package that arrived with a clue is evidence of that clue: whoever may see the clue opens it, so the
owning app says who that is at start-up (``register_viewer("clues.clue", fn)``); the exchange imports no app.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable

from django.db import models
from django.db.models import QuerySet

from wangjian.exchange.models import Message, Partner, ReceivedPackage
from wangjian.exchange.permissions import MESSAGE_READ, PARTNER_MANAGE
from wangjian.org import permissions
from wangjian.org.models import User
from wangjian.org.selectors import scope

_VIEWERS: dict[str, Callable[[User, int], bool]] = {}


def register_viewer(model_label: str, may_see: Callable[[User, int], bool]) -> None:
    """``may_see(user, object_id)``: whether ``user`` may see the record packages are linked to."""
    _VIEWERS[model_label] = may_see


def messages_visible(user: User) -> QuerySet[Message]:
    if not permissions.may(user, MESSAGE_READ):
        return Message.objects.none()
    return scope(Message.objects.select_related("partner", "bureau"), user)


def partners_visible(user: User) -> QuerySet[Partner]:
    if not (permissions.may(user, MESSAGE_READ) or permissions.may(user, PARTNER_MANAGE)):
        return Partner.objects.none()
    return scope(Partner.objects.select_related("bureau", "agreement"), user)


def package_visible(user: User, package: ReceivedPackage) -> bool:
    if messages_visible(user).filter(pk=package.message_id).exists():
        return True
    may_see = _VIEWERS.get(package.linked_model)
    return bool(may_see and package.linked_id and may_see(user, package.linked_id))


def packages_for(model_label: str, object_id: int) -> list[ReceivedPackage]:
    """The verified packages linked to one record (a clue's evidence that came from a partner)."""
    return list(
        ReceivedPackage.objects.filter(linked_model=model_label, linked_id=object_id).select_related(
            "message__partner"
        )
    )


def package_bytes(package: ReceivedPackage) -> bytes:
    """The package's bytes, read from the signed container it arrived in (kept once, never copied)."""
    with package.message.bundle.open("rb") as fh, zipfile.ZipFile(fh) as zf:
        return zf.read(f"attachments/{package.name}")


def bundle_bytes(message: Message) -> bytes:
    with message.bundle.open("rb") as fh:
        return fh.read()


def messages_about(message_id: str) -> list[Message]:
    """The message ``message_id`` and those answering it (a request and its answer), oldest first."""
    return list(
        Message.objects.filter(models.Q(message_id=message_id) | models.Q(in_reply_to=message_id))
        .select_related("partner")
        .order_by("recorded_at", "id")
    )
