"""The domain pages' section of the monitoring: findings of the domain waiting for the office's review."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wangjian.monitoring.choices import CATEGORY_DOMAIN, FindingStatus
from wangjian.monitoring.models import Finding
from wangjian.org.selectors import scope
from wangjian.platform.workbench import register_domain_section


@register_domain_section
def domain_findings(user, domain: str, bureau=None) -> dict | None:
    if not user.is_authenticated:
        return None
    categories = [c for c, d in CATEGORY_DOMAIN.items() if d == domain]
    qs = scope(Finding.objects.filter(status=FindingStatus.NEW), user).filter(
        Q(rule__version__library__domain=domain)
        | Q(category__in=categories) & (Q(rule__isnull=True) | Q(rule__version__library__domain=""))
    )
    if bureau is not None:
        qs = qs.filter(bureau=bureau)
    rows = [
        {
            "label": f"{f.presence} “{f.matched}” {f.rule_name}",
            "url": reverse("monitoring:finding", args=[f.pk]),
            "due": f"{timezone.localtime(f.first_seen):%Y-%m-%d}",
            "overdue": False,
        }
        for f in qs.select_related("presence").order_by("-id")[:15]
    ]
    return {"title": _("监测发现（待审核）"), "items": rows, "url": reverse("monitoring:finding_list")}
