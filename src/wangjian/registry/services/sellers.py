"""Platforms' seller reports (平台报送的经营者信息, 电子商务法 art. 28): imported per platform, then matched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.core.errors import ValidationFailed, WangjianError
from wangjian.org.models import Bureau
from wangjian.registry import importing, matching
from wangjian.registry.choices import (
    ImportKind,
    ImportStatus,
    PresenceKind,
    PresenceStatus,
)
from wangjian.registry.models import (
    ImportBatch,
    Platform,
    Presence,
    SellerReport,
)
from wangjian.registry.services.batches import (
    IMPORT_CHUNK,
    Progress,
    _advance,
    _attributed,
    _bulk_update_audited,
    _check_import_rights,
    _chunks,
    _finish,
    _insert_rows,
    _mapping,
    _Rejects,
    _renew_statistics,
    _start_batch,
)
from wangjian.registry.services.matches import sellers_match


def platform_get_or_create(*, bureau: Bureau, name: str) -> tuple[Platform, bool]:
    name = name.strip()
    if not name:
        raise ValidationFailed("平台名称为空", "the platform name is empty")
    platform = Platform.objects.filter(bureau=bureau, name=name).first()
    if platform:
        return platform, False
    return Platform.objects.create(bureau=bureau, name=name), True


SELLER_FIELDS = (
    "shop_name",
    "claimed_name",
    "claimed_uscc",
    "address",
    "phone",
    "url",
    "exemption",
    "yearly_sales",
)


@_attributed
def sellers_import(
    *,
    bureau: Bureau,
    platform: Platform,
    path: str | Path,
    file_name: str | None = None,
    user: Any = None,
    mapping: dict | None = None,
    progress: Progress | None = None,
    match: bool = True,
    chunk_size: int = IMPORT_CHUNK,
    batch: ImportBatch | None = None,
) -> ImportBatch:
    """Import a platform's seller list (平台报送, 电子商务法 art. 28), upserting by seller ID; then match it.

    Each seller becomes (or updates) a platform-shop presence. The claimed code is kept as
    reported even when it fails the check: the matcher repairs a one-character slip when
    the name agrees.
    """
    _check_import_rights(user, bureau)
    if platform.bureau_id != bureau.pk:
        raise ValidationFailed("平台不属于该局", "the platform belongs to another bureau")
    path = Path(path)
    batch, table = _start_batch(
        bureau=bureau,
        kind=ImportKind.SELLERS,
        path=path,
        file_name=file_name or path.name,
        user=user,
        platform=platform,
        batch=batch,
    )
    rejects = _Rejects(batch)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "processed": 0}
    error: WangjianError | None = None
    seen: dict[str, int] = {}
    try:
        cols = _mapping(table, importing.SELLER_COLUMNS, importing.SELLER_REQUIRED, mapping)
        for chunk in _chunks(table, chunk_size):
            good = []
            for row_number, cells in chunk:
                values = {f: (cells[i] if i < len(cells) else "") for f, i in cols.items()}
                clean, problems = importing.clean_seller_row(values)
                sid = clean.get("seller_id", "")
                if not problems and sid in seen:
                    problems.append(
                        importing.Problem(
                            "seller_id",
                            sid,
                            f"与第{seen[sid]}行店铺ID重复",
                            f"the same shop ID as row {seen[sid]}",
                        )
                    )
                if problems:
                    for p in problems:
                        rejects.add(row_number, p.field, p.value, p.reason, cells)
                    continue
                seen[sid] = row_number
                clean["row_number"] = row_number
                good.append(clean)
            with transaction.atomic():
                _upsert_sellers(bureau, platform, batch, good, set(cols), counts)
                rejects.flush()
            counts["processed"] += len(chunk)
            _advance(batch, counts["processed"])
            if progress:
                progress(counts["processed"], max(table.total_rows, counts["processed"]))
    except WangjianError as exc:
        error = exc
    _renew_statistics(counts, SellerReport, Presence)
    if error is None and match:
        # The batch is finished only when its sellers are matched: the page shows this stage too.
        batch.status = ImportStatus.MATCHING
        batch.processed_rows = counts["processed"]
        batch.save(update_fields=["status", "processed_rows"])

        def matched(done: int, total: int) -> None:
            ImportBatch.objects.filter(pk=batch.pk).update(
                matched_rows=done, match_total=total, heartbeat_at=timezone.now()
            )

        try:
            sellers_match(bureau=bureau, platform=platform, progress=matched)
        except WangjianError as exc:
            error = exc
    _finish(batch, rejects, counts, error)
    if error is not None:
        raise error
    return batch


def _upsert_sellers(
    bureau: Bureau, platform: Platform, batch: ImportBatch, rows: list[dict], present: set[str], counts: dict
) -> None:
    if not rows:
        return
    fields = [f for f in SELLER_FIELDS if f in present]
    ids = [r["seller_id"] for r in rows]
    existing = {
        row[0]: row[1:]
        for row in SellerReport.objects.filter(platform=platform, seller_id__in=ids).values_list(
            "seller_id", "id", *fields
        )
    }
    presences = {p.account_id: p for p in Presence.objects.filter(platform=platform, account_id__in=ids)}
    today = timezone.localdate()
    new_presences: list[dict] = []
    changed_presences: list[Presence] = []
    for r in rows:
        p = presences.get(r["seller_id"])
        shop_name, url = r.get("shop_name", ""), r.get("url", "")
        if p is None:
            new_presences.append(
                {
                    "bureau_id": bureau.pk,
                    "kind": PresenceKind.PLATFORM_SHOP.value,
                    "platform_id": platform.pk,
                    "account_id": r["seller_id"],
                    "shop_name": shop_name,
                    "shop_name_key": matching.shop_key(shop_name)[:200] if shop_name else "",
                    "url": url,
                    "status": PresenceStatus.ACTIVE.value,
                    "first_seen": today,
                    "last_seen": today,
                    "import_batch_id": batch.pk,
                }
            )
        elif ("shop_name" in present and p.shop_name != shop_name) or ("url" in present and p.url != url):
            if "shop_name" in present:
                p.shop_name = shop_name
                p.shop_name_key = matching.shop_key(shop_name)[:200] if shop_name else ""
            if "url" in present:
                p.url = url
            changed_presences.append(p)
    _insert_rows(Presence, new_presences)
    presence_ids = dict(
        Presence.objects.filter(platform=platform, account_id__in=ids).values_list("account_id", "id")
    )
    _bulk_update_audited(changed_presences, ["shop_name", "shop_name_key", "url"])
    Presence.objects.filter(platform=platform, account_id__in=ids, last_seen__lt=today).update(
        last_seen=today
    )

    new: list[dict] = []
    changed: list[SellerReport] = []
    for r in rows:
        current = existing.get(r["seller_id"])
        values = {f: r.get(f, "") for f in fields}
        if current is None:
            new.append(
                {
                    "bureau_id": bureau.pk,
                    "platform_id": platform.pk,
                    "batch_id": batch.pk,
                    "row_number": r["row_number"],
                    "seller_id": r["seller_id"],
                    "presence_id": presence_ids.get(r["seller_id"]),
                    **values,
                }
            )
        elif tuple(values[f] for f in fields) != tuple(current[1:]):
            changed.append(SellerReport(id=current[0], batch=batch, row_number=r["row_number"], **values))
        else:
            counts["unchanged"] += 1
    _insert_rows(SellerReport, new)
    if changed:
        SellerReport.objects.bulk_update(changed, [*fields, "batch", "row_number"], batch_size=500)
    counts["created"] += len(new)
    counts["updated"] += len(changed)
