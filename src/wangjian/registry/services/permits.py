"""Importing the permit data (许可证和备案数据) the licensing departments export: the basis of 亮证核验.

The same machinery as the registry's import (``batches``): CSV or XLSX, Chinese or English headers,
chunked writes through the change log, every refused row kept with its row number, column and
reason in Chinese and English. A permit is keyed by its bureau, kind and number, so importing the
same export again changes nothing and a later export updates what changed (a permit revoked since,
a renewal with a new date).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import translation

from wangjian.core.errors import WangjianError
from wangjian.org.models import Bureau
from wangjian.registry import importing
from wangjian.registry import permits as permit_numbers
from wangjian.registry import uscc as uscc_mod
from wangjian.registry.choices import ImportKind, PermitKind, PermitStatus
from wangjian.registry.models import ImportBatch, Permit
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

PERMIT_UPDATABLE = (
    "holder_name",
    "holder_uscc",
    "region_code",
    "valid_from",
    "valid_to",
    "status",
    "scope",
    "authority",
)
# The file's column → the model's field, where the names differ.
_FIELD = {"permit_status": "status"}


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """The Chinese labels (and the English ones) of a vocabulary: exports write either."""
    out = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            out.update({str(c.label): c.value for c in choices})
    return out


@functools.cache
def _kind_words() -> dict[str, str]:
    """What a kind column may say (the labels read when first needed, in Chinese and English)."""
    return {
        **{c.value: c.value for c in PermitKind},
        **_labels(PermitKind),
        "食品经营许可": PermitKind.FOOD_LICENCE,
        "食品经营许可证": PermitKind.FOOD_LICENCE,
        "仅销售预包装食品备案": PermitKind.FOOD_FILING,
        "预包装食品备案": PermitKind.FOOD_FILING,
        "食品经营备案": PermitKind.FOOD_FILING,
        "药品经营许可证": PermitKind.DRUG_LICENCE,
        "药品经营许可": PermitKind.DRUG_LICENCE,
        "互联网药品信息服务资格证书": PermitKind.DRUG_INFO,
        "互联网药品信息服务": PermitKind.DRUG_INFO,
        "医疗器械经营许可证": PermitKind.DEVICE_LICENCE,
        "第三类医疗器械经营许可": PermitKind.DEVICE_LICENCE,
        "第二类医疗器械经营备案": PermitKind.DEVICE_FILING,
        "医疗器械经营备案": PermitKind.DEVICE_FILING,
        "第二类医疗器械经营备案凭证": PermitKind.DEVICE_FILING,
        "网络食品交易第三方平台备案": PermitKind.PLATFORM_FILING,
    }


@functools.cache
def _status_words() -> dict[str, str]:
    return {
        **{c.value: c.value for c in PermitStatus},
        **_labels(PermitStatus),
        "正常": PermitStatus.VALID,
        "在用": PermitStatus.VALID,
        "有效期内": PermitStatus.VALID,
        "过期": PermitStatus.EXPIRED,
        "失效": PermitStatus.EXPIRED,
        "已失效": PermitStatus.EXPIRED,
        "已注销": PermitStatus.CANCELLED,
        "已吊销": PermitStatus.REVOKED,
        "已撤销": PermitStatus.WITHDRAWN,
        "撤回": PermitStatus.WITHDRAWN,
    }


def _text(values: dict[str, str], name: str) -> str:
    return unicodedata.normalize("NFKC", values.get(name, "") or "").strip()


def clean_permit_row(values: dict[str, str]) -> tuple[dict, list[importing.Problem]]:
    """One row of a permit export → model field values, or the problems that reject it.

    The kind comes from its column or, when the file has none, from the number's shape
    (JY… a food licence, 皖DA… a drug licence …); a number whose shape is not its kind's, or
    whose format is wrong (``registry.permits``), is refused: a sweep would never match it.
    """
    problems: list[importing.Problem] = []
    raw_number = _text(values, "number")
    number = permit_numbers.normalize(raw_number)
    out: dict[str, Any] = {"number": number}
    shaped = permit_numbers.kind_of(number) if number else None
    raw_kind = _text(values, "permit_kind")
    kind = _kind_words().get(raw_kind) if raw_kind else shaped
    if not number:
        problems.append(importing.Problem("number", "", "编号为空", "the number is empty"))
    elif raw_kind and kind is None:
        problems.append(
            importing.Problem(
                "permit_kind",
                raw_kind,
                "无法识别的许可类型（食品经营许可证、仅销售预包装食品备案、药品经营许可证等）",
                "unknown permit kind (food business licence, pre-packaged food filing, drug licence …)",
            )
        )
    elif kind is None:
        problems.append(
            importing.Problem(
                "number",
                raw_number,
                "无法从编号识别许可类型，请增加“许可类型”列",
                "the number's shape names no permit kind: add a 许可类型 column",
            )
        )
    else:
        problem = permit_numbers.problem(kind, number)
        if problem is not None and shaped and shaped != kind:
            label = dict(PermitKind.choices)[shaped]
            problem = permit_numbers.NumberProblem(
                f"编号格式属于“{label}”，与许可类型不符",
                f"the number is shaped like a {shaped}, not a {kind}",
            )
        if problem is not None:
            problems.append(importing.Problem("number", raw_number, problem.zh, problem.en))
    out["kind"] = kind or ""
    holder_uscc = _text(values, "holder_uscc")
    if holder_uscc:
        code, problem = uscc_mod.validate(holder_uscc)
        if problem is not None:
            problems.append(importing.Problem("holder_uscc", holder_uscc, problem.zh, problem.en))
        out["holder_uscc"] = code
    elif "holder_uscc" in values:
        out["holder_uscc"] = ""
    for name, limit in (("holder_name", 200), ("authority", 100), ("scope", 2000)):
        if name in values:
            out[name] = _text(values, name)
            if len(out[name]) > limit:
                problems.append(
                    importing.Problem(
                        name, out[name][:50], f"超过{limit}个字符", f"longer than {limit} characters"
                    )
                )
    if "region_code" in values or kind in (PermitKind.FOOD_LICENCE, PermitKind.FOOD_FILING):
        region = _text(values, "region_code") or permit_numbers.region_key(kind or "", number)
        if region and not re.fullmatch(r"\d{6}(\d{3})?(\d{3})?", region):
            problems.append(
                importing.Problem(
                    "region_code",
                    region,
                    "区划代码应为6、9或12位数字",
                    "a division code has 6, 9 or 12 digits",
                )
            )
        out["region_code"] = region
    for name in ("valid_from", "valid_to"):
        if name in values:
            try:
                out[name] = importing.parse_date(values[name])
            except ValueError:
                problems.append(
                    importing.Problem(
                        name,
                        values[name],
                        "日期格式无法识别（应如 2020-05-01）",
                        "unreadable date (2020-05-01)",
                    )
                )
    if isinstance(out.get("valid_from"), dt.date) and isinstance(out.get("valid_to"), dt.date):
        if out["valid_from"] > out["valid_to"]:
            problems.append(
                importing.Problem(
                    "valid_to",
                    values.get("valid_to", ""),
                    "有效期至早于有效期起",
                    "the end of validity is before its start",
                )
            )
    if "permit_status" in values:
        raw = _text(values, "permit_status")
        status = _status_words().get(raw) if raw else PermitStatus.VALID
        if status is None:
            problems.append(
                importing.Problem(
                    "permit_status",
                    raw,
                    "无法识别的许可状态（有效/已过期/注销/吊销/撤销）",
                    "unknown permit status (valid, expired, cancelled, revoked, withdrawn)",
                )
            )
        out["status"] = status or PermitStatus.VALID
    return out, problems


@_attributed
def permits_import(
    *,
    bureau: Bureau,
    path: str | Path,
    file_name: str | None = None,
    user: Any = None,
    mapping: dict | None = None,
    source: str = "许可数据导入",
    progress: Progress | None = None,
    chunk_size: int = IMPORT_CHUNK,
    batch: ImportBatch | None = None,
) -> ImportBatch:
    """Import a permit export into ``bureau``'s permit data: an idempotent upsert by (kind, number).

    Rows refused (a number of the wrong format or kind, an invalid holder code, an unreadable
    date or status, a number repeating an earlier row) are kept with the reason; nothing is
    dropped silently. Only the columns the file has are compared and written.
    """
    _check_import_rights(user, bureau, ImportKind.PERMITS)
    path = Path(path)
    batch, table = _start_batch(
        bureau=bureau,
        kind=ImportKind.PERMITS,
        path=path,
        file_name=file_name or path.name,
        user=user,
        batch=batch,
    )
    rejects = _Rejects(batch)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "processed": 0}
    error: WangjianError | None = None
    seen: dict[tuple[str, str], int] = {}
    try:
        cols = _mapping(table, importing.PERMIT_COLUMNS, importing.PERMIT_REQUIRED, mapping)
        present = {_FIELD.get(c, c) for c in cols}
        for chunk in _chunks(table, chunk_size):
            good: list[dict] = []
            for row_number, cells in chunk:
                values = {f: (cells[i] if i < len(cells) else "") for f, i in cols.items()}
                clean, problems = clean_permit_row(values)
                key = (clean["kind"], clean["number"])
                if not problems and key in seen:
                    problems.append(
                        importing.Problem(
                            "number",
                            clean["number"],
                            f"与第{seen[key]}行编号重复",
                            f"the same number as row {seen[key]}",
                        )
                    )
                if problems:
                    for p in problems:
                        rejects.add(row_number, p.field, p.value, p.reason, cells)
                    continue
                seen[key] = row_number
                good.append(clean)
            with transaction.atomic():
                _upsert_permits(bureau, batch, good, present, source, counts)
                rejects.flush()
            counts["processed"] += len(chunk)
            _advance(batch, counts["processed"])
            if progress:
                progress(counts["processed"], max(table.total_rows, counts["processed"]))
    except WangjianError as exc:
        error = exc
    _finish(batch, rejects, counts, error)
    _renew_statistics(counts, Permit)
    if error is not None:
        raise error
    return batch


def _upsert_permits(
    bureau: Bureau, batch: ImportBatch, rows: list[dict], present: set[str], source: str, counts: dict
) -> None:
    if not rows:
        return
    fields = [f for f in PERMIT_UPDATABLE if f in present or (f == "region_code" and f in rows[0])]
    existing: dict[tuple[str, str], tuple] = {}
    for kind in {r["kind"] for r in rows}:
        numbers = [r["number"] for r in rows if r["kind"] == kind]
        for row in Permit.objects.filter(bureau=bureau, kind=kind, number__in=numbers).values_list(
            "number", "id", *fields
        ):
            existing[(kind, row[0])] = row[1:]
    new: list[dict] = []
    changed: dict[int, dict] = {}
    for r in rows:
        current = existing.get((r["kind"], r["number"]))
        if current is None:
            new.append(
                {
                    **r,
                    "number_region": permit_numbers.region_key(r["kind"], r["number"])[:12],
                    "bureau_id": bureau.pk,
                    "import_batch_id": batch.pk,
                    "source": source,
                }
            )
            continue
        pk, stored = current[0], current[1:]
        wanted = tuple(r.get(f, stored[i]) for i, f in enumerate(fields))
        if wanted != tuple(stored):
            changed[pk] = {f: r[f] for f in fields if f in r}
        else:
            counts["unchanged"] += 1
    _insert_rows(Permit, new)
    counts["created"] += len(new)
    if changed:
        objs = list(Permit.objects.filter(pk__in=list(changed)))
        for obj in objs:
            for f, v in changed[obj.pk].items():
                setattr(obj, f, v)
            obj.import_batch = batch
        _bulk_update_audited(objs, [*fields, "import_batch"])
        counts["updated"] += len(objs)
