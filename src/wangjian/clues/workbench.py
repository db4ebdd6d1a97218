"""The workbench section "我的线索": the officer's clues overdue or due soon, and the office's queue."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wangjian.clues import selectors
from wangjian.platform.workbench import register, register_domain_section


@register
def my_clues(user) -> dict | None:
    if not user.is_authenticated:
        return None
    items = selectors.workbench_items(user=user)
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


@register_domain_section
def domain_clues(user, domain: str, bureau=None) -> dict | None:
    """A domain page's clues: the open ones of the bureau in that domain, due soonest first."""
    if not user.is_authenticated:
        return None
    qs = selectors.unit_clues(user=user).filter(domain=domain)
    if bureau is not None:
        qs = qs.filter(bureau=bureau)
    today = timezone.localdate()
    rows = [
        {
            "label": f"{c.number} 【{c.get_state_display()}】{c.title}",
            "url": c.get_absolute_url(),
            "due": f"{c.due:%Y-%m-%d}" + ("（暂定）" if c.current_due_provisional else "") if c.due else "",
            "overdue": bool(c.due and c.due < today and not c.current_due_provisional),
        }
        for c in qs[:15]
    ]
    return {
        "title": _("线索（在办）"),
        "items": rows,
        "url": reverse("clues:clue_list") + f"?domain={domain}",
    }
