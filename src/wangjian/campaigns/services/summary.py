"""The final summary (总结) assembled from the months, the typical cases and the photos and videos.

The summary's figures are the months' tables added up, column by column and unit by unit (a submitted
table's values as submitted, a missing one's as computed now); beside them each unit's texts month by
month and its closing text (the final period's table), the typical cases with their decision documents,
and the 督查 groups' scores.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from wangjian.campaigns import columns as column_defs
from wangjian.campaigns.models import Campaign, CampaignUnit, Media, MediaKind, PeriodKind, TypicalCase
from wangjian.campaigns.services import tables
from wangjian.campaigns.services.plan import require_manage
from wangjian.core import uploads
from wangjian.core.errors import ValidationFailed
from wangjian.org.models import User

MIN_TYPICAL = 3  # 天津's plan: at least three typical cases with their penalty decisions


@dataclass
class UnitSummary:
    unit: CampaignUnit
    totals: list[Decimal]
    texts: list[tuple[str, str]] = field(default_factory=list)  # (period label, text)
    final_text: str = ""
    late: list[str] = field(default_factory=list)  # the periods it was late in


@dataclass
class Summary:
    campaign: Campaign
    columns: list[column_defs.Column]
    months: list[Any]
    units: list[UnitSummary]
    totals: list[Decimal]
    typical: list[TypicalCase]
    media: list[Media]

    @property
    def typical_short(self) -> int:
        return max(0, MIN_TYPICAL - len(self.typical))


def summary(*, campaign: Campaign, today: dt.date) -> Summary:
    cols = column_defs.columns_of(campaign)
    periods = list(campaign.periods.order_by("start"))
    months = [p for p in periods if p.kind == PeriodKind.MONTH and p.start <= today]
    final = next((p for p in periods if p.kind == PeriodKind.FINAL), None)
    by_unit: dict[int, UnitSummary] = {}
    for unit in campaign.units.select_related("department", "station", "bureau"):
        by_unit[unit.pk] = UnitSummary(unit=unit, totals=[Decimal(0) for _ in cols])
    overviews = []
    for period in months:
        data = tables.overview(period=period, today=today)
        overviews.append(data)
        for row in data.rows:
            us = by_unit[row.unit.pk]
            for i, cell in enumerate(row.cells):
                us.totals[i] += cell.value or 0
            if row.report and row.report.text:
                us.texts.append((period.label, row.report.text))
            if row.late:
                us.late.append(period.label)
    if final is not None:
        for report in final.reports.all():
            if report.unit_id in by_unit:
                by_unit[report.unit_id].final_text = report.text
    units = list(by_unit.values())
    totals = [sum((u.totals[i] for u in units), Decimal(0)) for i in range(len(cols))]
    typical = list(
        campaign.typical_cases.select_related("case", "case__bureau").prefetch_related("case__documents")
    )
    return Summary(
        campaign=campaign,
        columns=cols,
        months=overviews,
        units=units,
        totals=totals,
        typical=typical,
        media=list(campaign.media.all()),
    )


def decision_documents(typical: TypicalCase) -> list:
    """The case's penalty decisions (行政处罚决定书), issued ones first."""
    docs = [d for d in typical.case.documents.all() if d.kind == "penalty_decision"]
    return sorted(docs, key=lambda d: (not d.issued, d.pk))


def summary_xlsx(*, campaign: Campaign, today: dt.date) -> bytes:
    """The summary as a workbook: the totals by unit, each unit's texts, the typical cases."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from wangjian.core.exports import xlsx_append

    data = summary(campaign=campaign, today=today)
    book = Workbook()
    sheet = book.active
    sheet.title = "统计汇总"
    xlsx_append(sheet, [f"{campaign.title}工作总结统计表"])
    sheet["A1"].font = Font(bold=True, size=14)
    xlsx_append(sheet, [f"{campaign.bureau}　{campaign.start} 至 {campaign.end}　{campaign.document_number}"])
    xlsx_append(sheet, ["单位", *[f"{c.label}（{c.unit}）" for c in data.columns], "逾期月份"])
    for u in data.units:
        xlsx_append(sheet, [str(u.unit), *[float(t) for t in u.totals], "、".join(u.late)])
    xlsx_append(sheet, ["合计", *[float(t) for t in data.totals], ""])
    texts = book.create_sheet("文字说明")
    xlsx_append(texts, ["单位", "期间", "文字说明"])
    for u in data.units:
        for label, text in u.texts:
            xlsx_append(texts, [str(u.unit), label, text])
        if u.final_text:
            xlsx_append(texts, [str(u.unit), "总结", u.final_text])
    cases = book.create_sheet("典型案例")
    xlsx_append(cases, ["案件", "当事人", "立案编号", "处罚决定书文号", "案例简介"])
    for t in data.typical:
        docs = decision_documents(t)
        xlsx_append(
            cases,
            [
                t.case.title,
                t.case.party_name,
                t.case.number,
                "、".join(d.number for d in docs if d.number),
                t.note,
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def typical_add(*, user: User | None, campaign: Campaign, case: Any, note: str = "") -> TypicalCase:
    """Pick a case flagged typical (典型案例, set on the case) of the campaign's bureaus."""
    require_manage(user, campaign)
    if not case.typical:
        raise ValidationFailed(
            "只能选用已标记为典型案例的案件（在案件页面“标记典型案例”）",
            "Only a case flagged typical can be picked (flag it on the case's page)",
        )
    if case.bureau_id not in campaign.bureau.descendant_ids():
        raise ValidationFailed("只能选用本局及下级局的案件", "Only cases of the bureau and those below it")
    item, _ = TypicalCase.objects.update_or_create(
        campaign=campaign, case=case, defaults={"note": note.strip()}
    )
    return item


def typical_candidates(campaign: Campaign) -> Any:
    from wangjian.cases.models import Case

    picked = campaign.typical_cases.values_list("case_id", flat=True)
    return Case.objects.filter(typical=True, bureau_id__in=campaign.bureau.descendant_ids()).exclude(
        pk__in=picked
    )


def _kind_of(name: str, content_type: str) -> str:
    lower = (content_type or "").lower()
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if lower.startswith("image/") or ext in {"jpg", "jpeg", "png", "gif", "webp", "bmp", "heic"}:
        return MediaKind.PHOTO
    if lower.startswith("video/") or ext in {"mp4", "mov", "avi", "mkv", "webm", "flv", "3gp"}:
        return MediaKind.VIDEO
    return MediaKind.OTHER


def media_add(*, user: User | None, campaign: Campaign, file: Any, description: str) -> Media:
    """A photo or video with its description: held to the evidence cap, stored in the ``campaigns`` area,
    its SHA-256 computed from the bytes as they are read (never whole in memory)."""
    require_manage(user, campaign)
    uploads.check_size(file, kind=uploads.EVIDENCE)
    if not (description or "").strip():
        raise ValidationFailed("请填写图片或视频的说明", "Describe the photo or video")
    digest, size = hashlib.sha256(), 0
    if hasattr(file, "seek"):
        file.seek(0)
    chunks = file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b"")
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    if hasattr(file, "seek"):
        file.seek(0)
    name = str(getattr(file, "name", "") or "附件").rsplit("/", 1)[-1][:200]
    return Media.objects.create(
        campaign=campaign,
        kind=_kind_of(name, getattr(file, "content_type", "")),
        file=file,
        name=name,
        description=description.strip(),
        sha256=digest.hexdigest(),
        size=size,
        uploaded_by=user if getattr(user, "pk", None) else None,
    )
