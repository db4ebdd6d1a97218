"""The workbench section "我的线索": the officer's clues overdue or due soon, and the office's queue."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wangjian.platform.workbench import register


@register
def my_clues(user) -> dict | None:
    from wangjian.clues.selectors import workbench_items

    if not user.is_authenticated:
        return None
    items = workbench_items(user=user)
    if not items:
        return None
    return {
        "title": _("我的线索（逾期、即将到期在前）"),
        "items": [
            {
                "label": i.label,
                "url": i.url,
                "due": f"{i.due:%Y-%m-%d}" if i.due else "",
                "overdue": i.overdue,
            }
            for i in items
        ],
        "url": reverse("clues:clue_list"),
    }


@register
def my_clue_notifications(user) -> dict | None:
    """Unread clue notifications (分派、提醒、逾期、督办), newest first."""
    from wangjian.clues.selectors import notifications_for

    if not user.is_authenticated:
        return None
    unread = list(notifications_for(user).filter(read_at__isnull=True)[:8])
    if not unread:
        return None
    return {
        "title": _("线索通知（未读）"),
        "items": [
            {
                "label": ("【紧急】" if n.urgent else "") + n.title,
                "url": n.clue.get_absolute_url() if n.clue_id else reverse("clues:notifications"),
                "due": f"{timezone.localtime(n.created_at):%m-%d %H:%M}",
                "overdue": n.kind in ("overdue", "escalated"),
            }
            for n in unread
        ],
        "url": reverse("clues:notifications"),
    }
