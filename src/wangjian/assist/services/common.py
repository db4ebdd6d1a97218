"""Small pieces the assist services share: who is told, the work item of a request, reading a step's values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from wangjian.core.errors import ValidationFailed
from wangjian.org import permissions
from wangjian.org.models import User
from wangjian.platform.inbox.models import MessageKind
from wangjian.platform.inbox.services import notify
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.models import WorkItem, WorkItemState
from wangjian.platform.workitems.services import workitem_finish


def today_of(now: dt.datetime) -> dt.date:
    return timezone.localtime(now).date()


def may(user: User | None, key: str) -> None:
    """The permission table's row first; the system (``None``: the exchange layer, a command) always may."""
    if user is not None:
        permissions.require(user, key)


def text(values: dict[str, Any], name: str) -> str:
    value = values.get(name) or ""
    return value.strip() if isinstance(value, str) else str(value)


def ids(values: dict[str, Any], name: str) -> list[int]:
    """A list of ids from a form (``"3, 4"`` or repeated fields) or a JSON body (``[3, 4]``)."""
    raw = values.get(name) or []
    if isinstance(raw, str):
        raw = [p for p in raw.replace("，", ",").replace(" ", ",").split(",") if p]
    if not isinstance(raw, list | tuple):
        raw = [raw]
    out = []
    for part in raw:
        part = str(part).strip()
        if not part.isdigit() or len(part) > 18:
            raise ValidationFailed(f"编号应为数字：{part}", f"Not an id: {part}", detail={name: part})
        out.append(int(part))
    return out


def open_item(subject: Any, kinds: Iterable[str]) -> WorkItem | None:
    return (
        workitem_selectors.items_of(subject)
        .filter(kind__in=list(kinds), state=WorkItemState.OPEN)
        .order_by("-id")
        .first()
    )


def end_items(
    subject: Any, kinds: Iterable[str], *, user: User | None, result: str, state: str, now: dt.datetime
) -> None:
    for item in workitem_selectors.items_of(subject).filter(kind__in=list(kinds), state=WorkItemState.OPEN):
        workitem_finish(item=item, user=None, actor=user, result=result, state=state, now=now)


def tell(
    *,
    key: str,
    users: Iterable[User],
    title: str,
    body: str = "",
    subject: Any,
    now: dt.datetime,
    kind: str = MessageKind.STATE,
    urgent: bool = False,
) -> None:
    users = [u for u in {u.pk: u for u in users if u is not None and u.is_active}.values()]
    if users:
        notify(
            key=key, users=users, kind=kind, title=title, body=body, subject=subject, urgent=urgent, now=now
        )


# What carries a letter or an answer to a partner bureau on another instance (``assist.crossing`` fills it at
# start-up with the exchange's signed messages); without it, a letter to an external bureau goes by post.
OUTBOUND: dict[str, Any] = {
    "request": lambda request, user, now: None,
    "answer": lambda request, user, now: None,
}
