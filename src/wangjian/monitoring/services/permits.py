"""Recording the permit display verdicts (亮证, 亮标) of a presence's entry page in a sweep, beside its licence
display verdict (亮照): one ``LicenceCheck`` per run, presence and kind (``monitoring.permits`` decides).

The bureau's imported permit data (``registry.Permit``) is what a shown number is verified against; a
page that was not read decides nothing, and an unchanged one keeps its previous verdicts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from wangjian.monitoring.choices import LicenceCheckKind
from wangjian.monitoring.models import LicenceCheck
from wangjian.monitoring.permit_shown import permit_links, shown_numbers
from wangjian.monitoring.permits import PermitCheck, PermitVerdict, permit_verdicts
from wangjian.registry.choices import PresenceKind
from wangjian.registry.models import Platform
from wangjian.registry.selectors import permit_lookup

if TYPE_CHECKING:
    from wangjian.monitoring.extract import Extracted
    from wangjian.monitoring.fetching import FetchOutcome
    from wangjian.monitoring.services.state import _Chunk
    from wangjian.registry.models import Presence

# Presences that are sites of their own (a 互联网药品信息服务 certificate is theirs to show, not a platform's).
OWN_SITES = frozenset({PresenceKind.WEBSITE, PresenceKind.SHOP_PAGE})


def ebiz_mark_required() -> bool:
    """Whether the bureau issues an electronic business mark that sellers must show (``WANGJIAN_EBIZ_MARK``)."""
    return bool(getattr(settings, "WANGJIAN_EBIZ_MARK", False))


def presence_permit_checks(
    *,
    presence: Presence,
    page: Extracted,
    rendered: bool,
    fetch_linked: Callable[[list[str]], list[Extracted]],
    today: dt.date,
) -> list[PermitCheck]:
    """The permit verdicts of a presence's entry page, against the permit data of its bureau (and above)."""
    from wangjian.monitoring.licence import _texts

    linked = []
    if not shown_numbers(_texts(page)):
        links = permit_links(page)[:3]
        linked = fetch_linked(links) if links else []
    # A platform's own site (its address is a platform's) shows the platform filing; a shop on a platform
    # is never taken for the platform because the platform's footer on its page names the filing.
    if presence.kind == PresenceKind.PLATFORM_SHOP:
        platform = False
    elif presence.url and Platform.objects.filter(url=presence.url).exists():
        platform = True
    else:
        platform = None
    return permit_verdicts(
        page=page,
        lookup=permit_lookup(bureau=presence.bureau),
        today=today,
        expected_uscc=presence.entity.uscc if presence.entity_id else "",
        linked_pages=linked,
        rendered=rendered,
        website=presence.kind in OWN_SITES,
        platform=platform,
        ebiz_mark=ebiz_mark_required(),
    )


def permits_record(
    state: _Chunk,
    presence: Presence,
    out: FetchOutcome,
    fetch_linked: Callable[[list[str]], list[Extracted]],
    *,
    render: Callable[[str], FetchOutcome] | None = None,
) -> None:
    """The permit verdicts of the entry page (depth 0) in this run; an unchanged page keeps the previous ones.

    A required permit the static page does not show, on a page with scripts, is decided on the page as
    rendered (``render``, when the task may render): "未亮证" is drawn only from what a buyer sees.
    """
    if out.depth != 0:
        return
    checks = LicenceCheck.objects.filter(presence=presence).exclude(kind=LicenceCheckKind.BUSINESS_LICENCE)
    rows: list[dict] = []
    if out.status == "ok" and out.extracted is not None:
        decide = dict(presence=presence, fetch_linked=fetch_linked, today=timezone.localdate(state.now))
        decided = presence_permit_checks(page=out.extracted, rendered=out.rendered, **decide)
        if render is not None and any(c.verdict == PermitVerdict.NEEDS_RENDERING for c in decided):
            shown = render(out.url)
            if shown.status == "ok" and shown.rendered and shown.extracted is not None:
                decided = presence_permit_checks(page=shown.extracted, rendered=True, **decide)
        for check in decided:
            rows.append(
                dict(
                    kind=check.kind,
                    verdict=check.verdict,
                    reason=check.reason[:500],
                    uscc=check.number[:40],
                    name=check.name[:200],
                    evidence_text=check.evidence,
                )
            )
    elif out.status == "unchanged":
        last = checks.exclude(run=state.run).order_by("-id").first()
        if last is None:
            return
        for row in checks.filter(run_id=last.run_id).order_by("kind"):
            rows.append(
                dict(
                    kind=row.kind,
                    verdict=row.verdict,
                    reason=f"页面未变化，沿用上次结论 / page unchanged, previous verdict kept: {row.reason}"[
                        :500
                    ],
                    uscc=row.uscc,
                    name=row.name,
                    evidence_text=row.evidence_text,
                )
            )
    else:
        return  # a page that was not read decides nothing (its failure is on the snapshot)
    # A retried chunk writes the same rows again; a kind no longer decided is not left behind.
    checks.filter(run=state.run).exclude(kind__in=[r["kind"] for r in rows]).delete()
    for values in rows:
        LicenceCheck.objects.update_or_create(
            run=state.run,
            presence=presence,
            kind=values.pop("kind"),
            defaults=dict(bureau_id=presence.bureau_id, url=out.url[:1000], checked_at=state.now, **values),
        )
