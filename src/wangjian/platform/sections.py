"""The platform's own sections of the workbench and the domain pages: open work items of every app.

Kinds an app lists in its own section (a clue's duties in 我的线索) are left out here, so nothing
shows twice.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wangjian.platform.workbench import register, register_domain_section
from wangjian.platform.workitems import kinds, selectors


def _own_section_kinds() -> list[str]:
    return [k.key for k in kinds.kinds() if k.own_section]


def _rows(items) -> list[dict]:
    today = timezone.localdate()
    return [
        {
            "label": f"{item.reference} {item.title}".strip() + (f"（{item.unit}）" if item.unit else ""),
            "url": item.get_absolute_url(),
            "due": f"{item.due:%Y-%m-%d}" + ("（暂定）" if item.due_provisional else "") if item.due else "",
            "overdue": selectors.is_late(item, today),
        }
        for item in items
    ]


@register
def my_work_items(user) -> dict | None:
    if not user.is_authenticated:
        return None
    items = list(selectors.open_items_for(user, exclude_kinds=_own_section_kinds())[:15])
    if not items:
        return None
    return {
        "title": _("待办事项（逾期、即将到期在前）"),
        "items": _rows(items),
        "url": reverse("platform:workitem_list"),
    }


@register_domain_section
def domain_work_items(user, domain: str, bureau=None) -> dict | None:
    items = list(
        selectors.domain_items(user, domain, bureau_id=getattr(bureau, "pk", None)).exclude(
            kind__in=_own_section_kinds()
        )[:15]
    )
    return {"title": _("待办事项"), "items": _rows(items), "url": reverse("platform:workitem_list")}
