"""Annual reports' declared websites and shops (年度报告中的网站、网店), imported and compared with the presences on file.

The seeds ask it in the same words twice (旌德机制 9; 云南实施意见 三(三)1): carry out the annual-report duty of
online entities, check the names and addresses of the websites and shops they declare, and deal with those
that conceal or falsify. Since the 2024 条例 and the 2025 办法, concealing or falsifying is a listing ground for
个体工商户 only (个体工商户年度报告办法 (2025) art. 14); an enterprise is fined and, if serious, put on the
严重违法失信名单 with the penalty decision (条例 art. 18 para. 2). So:

- An import reads the 公示系统's export (CSV or XLSX, Chinese or English headers): 统一社会信用代码, 年度,
  网站或网店名称, 网址, 平台 — one row per declared shop, or one row with no shop for a report that declares
  none. A row that cannot be read is kept with its reason, never dropped silently.
- Each report is compared with the entity's presences (``registry.Presence``) that were on file for that
  year (first seen no later than its last day, not closed): a presence matches a declared shop by its address
  (scheme, ``www.`` and the trailing slash ignored) or by its shop name (the registry's ``shop_key``). A
  presence no shop declares is ``undeclared``; a declared shop no presence matches is ``not_found``.
- An officer turns a mismatch into a clue through the intake port; proposes an abnormal listing for false or
  concealed information when the entity is a 个体工商户 (``to_listing``), or records an enterprise's finding for
  the penalty and 严重违法失信名单 review (``to_review``: kept as a finding, and it can still become a clue);
  or closes it as checked.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed
from wangjian.credit.choices import AbnormalGround, ImportState, MismatchKind, MismatchState
from wangjian.credit.models import (
    AnnualReport,
    AnnualReportImport,
    AnnualReportRejectedRow,
    DeclarationMismatch,
    DeclaredShop,
)
from wangjian.credit.permissions import CREDIT_IMPORT
from wangjian.credit.services import common
from wangjian.credit.services.abnormal import listing_propose
from wangjian.credit.services.transitions import (
    FALSE_INFO_REFUSAL,
    INDIVIDUAL_RULES,
    MISMATCH,
    REGULATION,
    SERIOUS_RULES,
    TRANSITIONS,
    require_worker,
    transition_check,
)
from wangjian.org import permissions
from wangjian.org.models import Bureau, User
from wangjian.platform.intake import Lead, LeadReceipt, lead_submit
from wangjian.platform.intake.choices import SourceKind
from wangjian.registry import uscc as uscc_mod
from wangjian.registry.choices import EntityKind, PresenceStatus
from wangjian.registry.importing import Problem, auto_mapping, open_table
from wangjian.registry.matching import shop_key
from wangjian.registry.models import MarketEntity, Presence

COLUMNS: dict[str, tuple[str, ...]] = {
    "uscc": ("统一社会信用代码", "社会信用代码", "信用代码", "uscc"),
    "year": ("年度", "年报年度", "报告年度", "year"),
    "name": ("网站或网店名称", "网站（网店）名称", "网站(网店)名称", "网店名称", "网站名称", "name"),
    "url": ("网址", "网站（网店）网址", "网站(网店)网址", "网店网址", "url"),
    "platform": ("平台", "所属平台", "网络交易平台", "platform"),
}
REQUIRED = ("uscc", "year")
LABELS = {
    "uscc": "统一社会信用代码",
    "year": "年度",
    "name": "网站或网店名称",
    "url": "网址",
    "platform": "平台",
}
_URL = re.compile(r"^(https?://)?[\w\-.]+\.[a-z\u4e00-\u9fff]{2,}(:\d+)?(/\S*)?$", re.IGNORECASE)


def url_key(url: object) -> str:
    """An address as compared: no scheme, no ``www.``, no trailing slash, lower case (NFKC)."""
    text = unicodedata.normalize("NFKC", str(url or "")).strip().lower()
    text = re.sub(r"^[a-z]+://", "", text)
    text = re.sub(r"^www\.", "", text)
    return text.rstrip("/")


def clean_row(values: dict[str, str], today: dt.date) -> tuple[dict, list[Problem]]:
    problems: list[Problem] = []
    out: dict[str, Any] = {}
    code, problem = uscc_mod.validate(values.get("uscc", ""))
    if problem is not None:
        problems.append(Problem("uscc", values.get("uscc", ""), problem.zh, problem.en))
    out["uscc"] = code
    raw_year = unicodedata.normalize("NFKC", values.get("year", "")).strip().rstrip("年度").rstrip("年")
    if not raw_year.isdigit():
        problems.append(
            Problem(
                "year",
                values.get("year", ""),
                "年度应为四位数字，如 2024",
                "the year is four digits, e.g. 2024",
            )
        )
    else:
        year = int(raw_year)
        if not 2013 <= year < today.year:
            problems.append(
                Problem(
                    "year",
                    raw_year,
                    f"年度报告报送的是上一年度的情况：年度应在2013至{today.year - 1}之间",
                    f"an annual report covers a past year: between 2013 and {today.year - 1}",
                )
            )
        out["year"] = year
    out["name"] = values.get("name", "").strip()[:200]
    out["platform"] = values.get("platform", "").strip()[:100]
    url = unicodedata.normalize("NFKC", values.get("url", "")).strip()
    if url and not _URL.match(url):
        problems.append(Problem("url", url, "网址格式不正确", "not a web address"))
    out["url"] = url[:500]
    return out, problems


def annual_import(
    *,
    bureau: Bureau,
    path: str | Path,
    user: User | None,
    file_name: str | None = None,
    now: dt.datetime | None = None,
) -> AnnualReportImport:
    """Import a file of annual-report rows for ``bureau``; every report touched is compared again.

    A file that cannot be read at all (encoding, no header, a required column missing) is refused with a
    ``ValidationFailed``; a row that cannot be read is kept with its reason.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if user is not None:
        permissions.require(user, CREDIT_IMPORT)
    require_worker(user=user, bureau_id=bureau.pk, what_zh="导入年度报告", what_en="import annual reports")
    table = open_table(path, file_name)
    mapping = auto_mapping(table.headers, COLUMNS)
    missing = [LABELS[c] for c in REQUIRED if c not in mapping]
    if missing:
        raise ValidationFailed(
            f"文件缺少必需的列：{'、'.join(missing)}（表头应含 统一社会信用代码、年度，以及 网站或网店名称、网址、平台）",
            f"the file lacks required columns: {', '.join(c for c in REQUIRED if c not in mapping)}",
            code="columns",
        )
    entities = {
        e.uscc: e for e in MarketEntity.objects.filter(bureau=bureau).only("id", "uscc", "name", "bureau_id")
    }
    touched: dict[int, AnnualReport] = {}
    with transaction.atomic(), acting(user, via="credit"):
        batch = AnnualReportImport.objects.create(
            bureau=bureau,
            file_name=table.file_name[:255],
            encoding=table.encoding,
            imported_at=now,
            user=user if getattr(user, "pk", None) else None,
        )
        rejected: list[AnnualReportRejectedRow] = []
        for number, cells in table.rows:
            batch.total_rows += 1
            values = {name: (cells[i] if i < len(cells) else "") for name, i in mapping.items()}
            row, problems = clean_row(values, today)
            entity = entities.get(row.get("uscc", ""))
            if not problems and entity is None:
                problems.append(
                    Problem(
                        "uscc",
                        row["uscc"],
                        "本局登记库中没有该统一社会信用代码的市场主体",
                        "no entity of this bureau has this code",
                    )
                )
            if problems:
                for p in problems:
                    rejected.append(
                        AnnualReportRejectedRow(
                            batch=batch,
                            row_number=number,
                            column=LABELS.get(p.field, p.field),
                            value=str(p.value)[:500],
                            reason=p.reason[:500],
                            raw=cells,
                        )
                    )
                batch.rejected_count += 1
                continue
            report = touched.get(entity.pk * 10000 + row["year"])
            if report is None:
                report, _created = AnnualReport.objects.get_or_create(
                    entity=entity, year=row["year"], defaults={"bureau": bureau, "batch": batch}
                )
                report.batch = batch
                report.save(update_fields=["batch"])
                report.shops.all().delete()  # the new export is the report as it now stands
                touched[entity.pk * 10000 + row["year"]] = report
            if row["name"] or row["url"]:
                DeclaredShop.objects.create(
                    report=report,
                    name=row["name"],
                    url=row["url"],
                    url_key=url_key(row["url"])[:500],
                    platform=row["platform"],
                    row_number=number,
                )
                batch.shop_count += 1
        AnnualReportRejectedRow.objects.bulk_create(rejected, batch_size=1000)
        batch.report_count = len(touched)
        for report in touched.values():
            batch.mismatch_count += len(declarations_compare(report=report, batch=batch))
        batch.state = ImportState.DONE
        batch.save()
    return batch


def _presences_of(report: AnnualReport) -> list[Presence]:
    """The entity's presences on file for the report's year: seen by its last day (or undated), not closed."""
    end = dt.date(report.year, 12, 31)
    return [
        p
        for p in Presence.objects.filter(entity_id=report.entity_id)
        .exclude(status=PresenceStatus.CLOSED)
        .select_related("platform")
        if p.first_seen is None or p.first_seen <= end
    ]


def declarations_compare(
    *, report: AnnualReport, batch: AnnualReportImport | None = None
) -> list[DeclarationMismatch]:
    """Compare one report's declared shops with the presences on file; the open mismatches of the report
    that no longer hold are deleted, handled ones kept. Returns the mismatches that hold now."""
    presences = _presences_of(report)
    by_url = {url_key(p.url): p for p in presences if p.url}
    by_name = {p.shop_name_key: p for p in presences if p.shop_name_key}
    matched: set[int] = set()
    found: list[tuple[str, str, str, Presence | None, DeclaredShop | None]] = []
    for shop in report.shops.all():
        presence = by_url.get(shop.url_key) if shop.url_key else None
        if presence is None and shop.name:
            presence = by_name.get(shop_key(shop.name)[:200])
        if presence is not None:
            matched.add(presence.pk)
            if shop.presence_id != presence.pk:
                shop.presence = presence
                shop.save(update_fields=["presence"])
            continue
        key = "declared:" + (shop.url_key or shop_key(shop.name))
        platform = f"（平台：{shop.platform}）" if shop.platform else ""
        detail = (
            f"{report.year}年度报告申报的网站/网店“{shop.name or '—'}”{shop.url and '，网址 ' + shop.url}{platform}"
            "在本局登记的网络经营场所中未见：请核实是否真实存在、是否已关闭或网址有误"
        )
        found.append((MismatchKind.NOT_FOUND, key[:500], detail, None, shop))
    for p in presences:
        if p.pk in matched:
            continue
        where = f"{p.platform.name}的" if p.platform_id else ""
        detail = (
            f"登记在案的{where}{p.get_kind_display()}“{p}”{p.url and '（' + p.url + '）'}"
            f"未在{report.year}年度报告中申报（年度报告应申报开设的网站、网店名称和网址）"
        )
        found.append((MismatchKind.UNDECLARED, f"presence:{p.pk}", detail, p, None))
    keep: list[DeclarationMismatch] = []
    for kind, key, detail, presence, shop in found:
        mismatch, created = DeclarationMismatch.objects.get_or_create(
            entity_id=report.entity_id,
            year=report.year,
            kind=kind,
            key=key,
            defaults={
                "bureau_id": report.bureau_id,
                "detail": detail,
                "presence": presence,
                "declared": shop,
                "batch": batch,
            },
        )
        if not created and mismatch.state == MismatchState.OPEN:
            mismatch.detail, mismatch.presence, mismatch.declared, mismatch.batch = (
                detail,
                presence,
                shop,
                batch or mismatch.batch,
            )
            mismatch.save()
        keep.append(mismatch)
    DeclarationMismatch.objects.filter(
        entity_id=report.entity_id, year=report.year, state=MismatchState.OPEN
    ).exclude(pk__in=[m.pk for m in keep]).delete()
    return keep


def mismatch_act(
    *,
    mismatch: DeclarationMismatch,
    user: User | None,
    action: str,
    values: dict[str, Any],
    now: dt.datetime | None = None,
) -> str:
    """Turn a mismatch into a clue (the intake port); into a proposed abnormal listing (a 个体工商户) or a
    finding for the penalty and 严重违法失信名单 review (an enterprise); or close it as checked."""
    common.may_act(user)
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    transition_check(user=user, record=MISMATCH, obj=mismatch, action=action)
    note = common.text(values, "note")
    individual = mismatch.entity.kind == EntityKind.INDIVIDUAL
    if action == "to_listing" and not individual:
        zh, en = FALSE_INFO_REFUSAL
        raise ValidationFailed(
            f"{zh}。请“转行政处罚及严重违法失信名单审查”",
            f"{en} Record it for the penalty and serious-list review instead.",
            code="ground_not_applicable",
        )
    if action == "to_review" and individual:
        raise ValidationFailed(
            f"个体工商户年度报告隐瞒真实情况、弄虚作假的，应提请列入经营异常名录（{INDIVIDUAL_RULES}第十四条）",
            "An individual business's false report is a ground for listing it as abnormal: propose the listing",
            code="ground_not_applicable",
        )
    with transaction.atomic(), acting(user, via="credit"):
        if action == "to_clue":
            receipt = mismatch_to_clue(mismatch=mismatch, user=user, note=note, now=now)
            message = f"线索 {receipt.number}：{receipt.reason_zh}"
        elif action == "to_listing":
            listing = listing_propose(
                bureau=mismatch.bureau,
                entity=mismatch.entity,
                ground=AbnormalGround.FALSE_INFO,
                user=user,
                period_end=common.day(values, "found_on", today),
                facts=mismatch.detail + (f"。{note}" if note else ""),
                now=now,
            )
            mismatch.listing = listing
            message = f"已提请{listing.listing_word}（公示信息隐瞒真实情况、弄虚作假），{listing.listing_due} 前作出列入决定"
        elif action == "to_review":
            message = (
                f"已记录为待行政处罚及严重违法失信名单审查的发现（{REGULATION}第十八条第二款；"
                f"情节严重的随处罚决定列入严重违法失信名单，{SERIOUS_RULES}第十三条）"
            )
        else:
            common.need(note, "请写明核实情况", "Say what the check found")
            message = "已记录核实情况"
        mismatch.state = TRANSITIONS[(MISMATCH, action)].target
        mismatch.handled_by = user if getattr(user, "pk", None) else None
        mismatch.handled_on, mismatch.note = today, note
        mismatch.save()
    return message


def mismatch_to_clue(
    *, mismatch: DeclarationMismatch, user: User | None, note: str = "", now: dt.datetime | None = None
) -> LeadReceipt:
    """The lead: the entity by its code, the presence by its keys, the facts in the officer's words."""
    if mismatch.clue_number:
        raise ValidationFailed(f"已转为线索 {mismatch.clue_number}", f"already clue {mismatch.clue_number}")
    entity = mismatch.entity
    basis = (
        f"{INDIVIDUAL_RULES}第十四条"
        if entity.kind == EntityKind.INDIVIDUAL
        else f"{REGULATION}第十八条第二款：罚款，情节严重的列入严重违法失信名单"
    )
    facts = (
        f"年度报告申报比对：{entity.name}（{entity.uscc}）{mismatch.detail}。"
        f"涉嫌年度报告隐瞒真实情况、弄虚作假（{basis}），请核查。" + (f"（{note}）" if note else "")
    )
    receipt = lead_submit(
        Lead(
            bureau=mismatch.bureau.code,
            source_kind=SourceKind.INSPECTION,
            source_ref=f"credit.mismatch:{mismatch.pk}",
            domain="credit",
            facts=facts,
            entity_uscc=entity.uscc,
            entity_name=entity.name,
            region=entity.region_code,
            finder=getattr(user, "username", "") or "",
            **(mismatch.presence.lead_keys() if mismatch.presence_id else {}),
        ),
        now=now,
    )
    mismatch.clue_number = receipt.number
    return receipt
