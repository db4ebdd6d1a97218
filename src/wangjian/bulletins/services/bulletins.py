"""The monthly 通报 of online enforcement (网络市场监管工作通报): drafted, issued once, read with receipts.

旌德's mechanism: 办案机构每月向领导小组办公室提交涉网违法行为查处情况，由领导小组办公室汇总后统一就全县网络交易
监管执法工作情况进行通报. The figures are the statistics registry's (``platform.statistics.values``) for the bureau
and the bureaus below it over the month, with the previous month (环比) and the same month a year before (同比)
beside them, frozen when drafted and recounted only on request while a draft — so the document, its 附件 and its
Excel tables say the same numbers as the registry did when the 通报 was written. The office adds the month's
highlights (free text) and picks typical cases among the cases flagged 典型案例.

Issuing numbers it once (发文字号, a number kind of its own, ``bulletin``: 旌市监网〔2026〕3号), fixes the 成文日期,
writes the Word file and prints the PDF with Chromium (``document``), keeps both in the evidence store by their
SHA-256 and sends it as a notice (``org.Notice``, kind 通报) with both files attached to the bureau's departments
and stations and the bureaus below: every recipient gets a message, and opening the 通报 (its page or a file)
records the read. An issued 通报 never changes: a correction is a new 通报, numbered anew.

Who: ``bulletins.read`` (every role) reads the 通报 of the bureaus one sees and those one received;
``bulletins.issue`` (the office) drafts and issues its own bureau's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from wangjian.bulletins.choices import BulletinState
from wangjian.bulletins.models import Bulletin
from wangjian.bulletins.permissions import BULLETIN_ISSUE, BULLETIN_READ
from wangjian.bulletins.services import document, tables
from wangjian.bulletins.services.periods import (
    as_text,
    chinese_date,
    month_bounds,
    month_label,
    shift,
)
from wangjian.cases.models import Case
from wangjian.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wangjian.evidence.store import get_store
from wangjian.org import permissions
from wangjian.org.models import Bureau, Notice, NoticeAttachment, User
from wangjian.org.selectors import scope
from wangjian.platform import statistics
from wangjian.platform.inbox import selectors as inbox_selectors
from wangjian.platform.inbox.models import Message
from wangjian.platform.inbox.services import notice_publish
from wangjian.platform.numbering import kinds as number_kinds
from wangjian.platform.numbering.services import number_attach, number_issue

NUMBER_KIND = "bulletin"
TEXT_MAX = 20000
TYPICAL_MAX = 10
DEFAULT_ADDRESSEE = "各股室、各市场监管所"
WRITERS = ("只能起草和印发本局的通报", "Only one's own bureau's bulletin is drafted and issued")

# The figures of the 通报, in the order of its 附件 (those registered: an app not installed has none).
FIGURES = (
    "monitoring_pages",
    "findings",
    "findings_confirmed",
    "registry_presences",
    "evidence_captures",
    "clues_received",
    "clues_fed_back",
    "clues_fed_back_on_time",
    "clues_overdue",
    "clues_closed",
    "cases_opened",
    "cases_decided",
    "cases_closed",
    "cases_fines",
    "cases_confiscations",
    "cases_fines_and_confiscations",
    "rectifications",
    "clues_guidance",
    "complaints_received",
    "complaints_accepted",
    "complaints_mediated",
    "complaints_recovered",
    "inspections_drawn",
    "inspections_checked",
    "inspections_published",
)


def register_numbers() -> None:
    number_kinds.register(
        number_kinds.NumberKind(
            NUMBER_KIND, "网络市场监管工作通报文号", "{prefix}网〔{year}〕{seq}号", "通报印发时编号"
        )
    )


# ---------------------------------------------------------------- months


# ---------------------------------------------------------------- who


def bulletins_visible(user: User) -> QuerySet:
    """The 通报 of the bureaus ``user`` sees, and those sent to them (a district's officer reads the city's)."""
    qs = Bulletin.objects.select_related("bureau", "drafted_by", "issued_by", "notice")
    if not user.is_authenticated:
        return qs.none()
    return scope(qs, user) | qs.filter(notice_id__in=inbox_selectors.notice_ids_for(user))


def _own_bureau(user: User, bureau: Bureau | int | None) -> bool:
    bureau_id = bureau.pk if isinstance(bureau, Bureau) else bureau
    return user.is_superuser or (bureau_id is not None and bureau_id == user.bureau_id)


def may_write(user: User, bureau: Bureau | int | None) -> bool:
    return permissions.may(user, BULLETIN_ISSUE) and _own_bureau(user, bureau)


def _require_write(user: User, bureau: Bureau) -> None:
    permissions.require(user, BULLETIN_ISSUE)
    if not _own_bureau(user, bureau):
        raise PermissionDeniedError(*WRITERS)


def bulletin_get(*, user: User, pk: int) -> Bulletin:
    """One 通报: one the user neither sees nor received is missing (404) before a refusal of the table (403)."""
    bulletin = bulletins_visible(user).filter(pk=pk).first()
    if bulletin is None:
        raise NotFoundError("没有这份通报，或无权查看", "No such bulletin, or not visible to you")
    permissions.require(user, BULLETIN_READ)
    return bulletin


# ---------------------------------------------------------------- figures


def tree_scope(bureau: Bureau) -> statistics.Scope:
    """The bureau and the bureaus below it: the county's 通报 covers the county, the city's its districts."""
    return statistics.Scope(bureau_ids=frozenset(bureau.descendant_ids()))


def _reading(scope: statistics.Scope, start: dt.date, end: dt.date, keys: list[str]) -> dict[str, str]:
    reading = statistics.values(scope, start, end, keys=keys, breakdowns=False)
    return {v.figure.key: as_text(v.value) for v in reading.values}


def _change(now: str, before: str) -> dict[str, str | None]:
    a, b = Decimal(now), Decimal(before)
    return {
        "diff": f"{(a - b):f}",
        "pct": f"{((a - b) * 100 / b).quantize(Decimal('0.1')):f}" if b else None,
    }


def bulletin_figures(*, bureau: Bureau, month: dt.date, now: dt.datetime) -> dict[str, Any]:
    """The frozen figures: each figure of the month, the month before and the same month a year before, with
    its 口径; and the campaign table's rows (``tables.campaign_rows``) for the Excel export."""
    start, end = month_bounds(month)
    before = shift(month, -1)
    last_year = shift(month, -12)
    keys = [k for k in FIGURES if k in statistics.keys()]
    scope = tree_scope(bureau)
    current = _reading(scope, start, end, keys)
    previous = _reading(scope, *month_bounds(before), keys)
    year_ago = _reading(scope, *month_bounds(last_year), keys)
    rows = []
    for key in keys:
        figure = statistics.get(key)
        rows.append(
            {
                "key": key,
                "label": figure.label_zh,
                "unit": figure.unit,
                "basis": figure.basis_zh,
                "at_end": figure.at_end,
                "now": current[key],
                "before": previous[key],
                "last_year": year_ago[key],
                "change": _change(current[key], previous[key]),
            }
        )
    return {
        "computed_at": timezone.localtime(now).isoformat(timespec="seconds"),
        "bureau_ids": sorted(scope.bureau_ids or ()),
        "month": {"start": start.isoformat(), "end": end.isoformat(), "label": month_label(start)},
        "previous": {"start": before.isoformat(), "label": month_label(before)},
        "last_year": {"start": last_year.isoformat(), "label": month_label(last_year)},
        "rows": rows,
        "campaign": tables.campaign_rows(bureau=bureau, start=start, end=end),
    }


def figure_values(bulletin: Bulletin) -> dict[str, str]:
    """``{key: this month's value as text}`` of the frozen figures."""
    return {row["key"]: row["now"] for row in bulletin.figures.get("rows", [])}


# ---------------------------------------------------------------- the 通报's life


def bulletin_draft(
    *,
    user: User,
    bureau: Bureau | None,
    month: dt.date,
    highlights: str = "",
    now: dt.datetime | None = None,
) -> Bulletin:
    """A draft for a month that has ended (its figures would still move otherwise), one draft per month."""
    now = now or timezone.now()
    if bureau is None:
        raise PermissionDeniedError(
            "没有所属局的账号不能起草通报", "An account without a bureau drafts no bulletin"
        )
    _require_write(user, bureau)
    start, end = month_bounds(month)
    if end >= timezone.localtime(now).date():
        raise ValidationFailed(
            f"{month_label(start)}至{chinese_date(end)}结束，期满后方可起草通报",
            f"The month runs until {end}; the bulletin is drafted after it ends",
        )
    open_draft = Bulletin.objects.filter(bureau=bureau, month=start, state=BulletinState.DRAFT).first()
    if open_draft is not None:
        raise ValidationFailed(
            f"{open_draft.title}已有草稿，请在草稿上修改",
            f"A draft of this month's bulletin exists already (#{open_draft.pk})",
            detail={"bulletin": open_draft.pk},
        )
    bulletin = Bulletin(
        bureau=bureau,
        month=start,
        title=f"关于{month_label(start)}网络市场监管工作情况的通报",
        addressee=DEFAULT_ADDRESSEE,
        figures=bulletin_figures(bureau=bureau, month=start, now=now),
        drafted_by=user,
        drafted_at=now,
    )
    _set_text(bulletin, highlights=highlights)
    bulletin.save()
    return bulletin


def _require_draft(bulletin: Bulletin) -> None:
    if bulletin.issued:
        raise ValidationFailed(
            f"{bulletin.title}（{bulletin.number}）已印发，不再修改；如需更正请另行起草通报",
            "An issued bulletin never changes: draft a new one to correct it",
        )


def _set_text(bulletin: Bulletin, **values: str) -> None:
    for field, limit, zh in (
        ("highlights", TEXT_MAX, "工作亮点"),
        ("addressee", 300, "主送机关"),
        ("copy_to", 300, "抄送机关"),
    ):
        if field not in values or values[field] is None:
            continue
        text = "\n".join(line.rstrip() for line in str(values[field]).strip().splitlines())
        if len(text) > limit:
            raise ValidationFailed(f"{zh}不超过{limit}字", f"The {field} is at most {limit} characters")
        if field == "addressee" and not text:
            raise ValidationFailed("请填写主送机关", "Name the addressees (主送机关)")
        setattr(bulletin, field, text)


def bulletin_edit(
    *,
    bulletin: Bulletin,
    user: User,
    highlights: str | None = None,
    addressee: str | None = None,
    copy_to: str | None = None,
    typical_cases: list[int] | None = None,
) -> Bulletin:
    """The office's highlights, addressees, 抄送 and typical cases; only while a draft."""
    _require_write(user, bulletin.bureau)
    _require_draft(bulletin)
    _set_text(bulletin, highlights=highlights, addressee=addressee, copy_to=copy_to)
    bulletin.save()
    if typical_cases is not None:
        ids = {int(pk) for pk in typical_cases}
        if len(ids) > TYPICAL_MAX:
            raise ValidationFailed(f"典型案例不超过{TYPICAL_MAX}件", f"At most {TYPICAL_MAX} typical cases")
        found = set(typical_candidates(bulletin).filter(pk__in=ids).values_list("pk", flat=True))
        if found != ids:
            raise ValidationFailed(
                "典型案例只能从本局及下级局标记为典型案例的案件中选择",
                "Typical cases are chosen among the cases of the bureau (and those below) flagged typical",
                detail={"cases": sorted(ids - found)},
            )
        bulletin.typical_cases.set(sorted(ids))
    return bulletin


def typical_candidates(bulletin: Bulletin) -> QuerySet:
    """The cases flagged 典型案例 of the bureau and those below (``cases.Case.typical``), latest decision first."""
    return Case.objects.filter(bureau_id__in=bulletin.bureau.descendant_ids(), typical=True).order_by(
        "-decided_on", "-id"
    )


def bulletin_recount(*, bulletin: Bulletin, user: User, now: dt.datetime | None = None) -> Bulletin:
    """Count the month again (records entered late); only while a draft."""
    now = now or timezone.now()
    _require_write(user, bulletin.bureau)
    _require_draft(bulletin)
    bulletin.figures = bulletin_figures(bureau=bulletin.bureau, month=bulletin.month, now=now)
    bulletin.save(update_fields=["figures", "last_updated"])
    return bulletin


def notice_targets(bureau: Bureau) -> dict[str, list[int]]:
    """Who the 通报 goes to: the bureau's departments and stations, and the bureaus below it."""
    return {
        "departments": list(bureau.departments.values_list("pk", flat=True)),
        "stations": list(bureau.stations.values_list("pk", flat=True)),
        "bureaus": sorted(bureau.descendant_ids() - {bureau.pk}),
    }


def bulletin_issue(*, bulletin: Bulletin, user: User, now: dt.datetime | None = None) -> Bulletin:
    """Issue the 通报: numbered once, dated, written to Word and PDF, kept by their hashes, sent as a notice.

    The number is taken inside the transaction that marks it issued, so a failed print returns it.
    """
    now = now or timezone.now()
    _require_write(user, bulletin.bureau)
    _require_draft(bulletin)
    if not bulletin.highlights.strip():
        raise ValidationFailed(
            "请先填写本月工作亮点，再印发通报", "Write the month's highlights before issuing"
        )
    try:
        with transaction.atomic():
            _require_draft(Bulletin.objects.select_for_update().get(pk=bulletin.pk))  # issued meanwhile?
            issued = number_issue(bureau=bulletin.bureau, kind=NUMBER_KIND, user=user, now=now)
            bulletin.number = issued.number
            bulletin.signed_on = timezone.localtime(now).date()
            bulletin.state, bulletin.issued_at, bulletin.issued_by = BulletinState.ISSUED, now, user
            docx = document.docx_bytes(bulletin)
            pdf = document.pdf_bytes(bulletin)
            store = get_store()
            bulletin.docx_sha256, bulletin.docx_size = store.put(docx), len(docx)
            bulletin.pdf_sha256, bulletin.pdf_size = store.put(pdf), len(pdf)
            bulletin.notice = _send(bulletin, user=user, docx=docx, pdf=pdf, now=now)
            bulletin.save()
            number_attach(issued=issued, subject=bulletin)
    except Exception:
        bulletin.refresh_from_db()
        raise
    return bulletin


def _send(bulletin: Bulletin, *, user: User, docx: bytes, pdf: bytes, now: dt.datetime) -> Notice:
    """The notice that carries the 通报 (its number, both files and a link), published to the recipients."""
    targets = notice_targets(bulletin.bureau)
    notice = Notice.objects.create(
        bureau=bulletin.bureau,
        kind=Notice.Kind.BULLETIN,
        number=bulletin.number,  # numbered once: the notice carries the 通报's number, takes none of its own
        title=bulletin.title,
        body="\n".join(
            [
                *document.summary(bulletin),
                f"全文见附件（Word和PDF），或在系统中打开：{bulletin.get_absolute_url()}",
            ]
        ),
        author=user,
    )
    notice.target_departments.set(targets["departments"])
    notice.target_stations.set(targets["stations"])
    notice.target_bureaus.set(targets["bureaus"])
    name = document.file_name(bulletin)
    for data, ext in ((pdf, "pdf"), (docx, "docx")):
        NoticeAttachment.objects.create(
            notice=notice,
            file=ContentFile(data, name=f"{name}.{ext}"),
            name=f"{name}.{ext}",
            uploaded_by=user,
        )
    notice_publish(notice=notice, user=user, now=now)
    return notice


# ---------------------------------------------------------------- reading it


def bulletin_opened(*, bulletin: Bulletin, user: User, now: dt.datetime | None = None) -> bool:
    """A recipient opened the 通报 (its page or a file): their receipt is recorded, once. False for others."""
    if bulletin.notice_id is None:
        return False
    mine = Message.objects.about(bulletin.notice).filter(user=user)
    mine.filter(read_at__isnull=True).update(read_at=now or timezone.now())
    return mine.exists()


def receipts(bulletin: Bulletin) -> QuerySet:
    """Each recipient and when they read it (the sender's side sees these)."""
    if bulletin.notice_id is None:
        return Message.objects.none()
    return inbox_selectors.notice_receipts(notice=bulletin.notice)


def _kept(bulletin: Bulletin, sha256: str, what: str) -> bytes:
    data = get_store().get(sha256)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ValidationFailed(
            f"{bulletin.title}（{bulletin.number}）的{what}与登记的SHA-256不符，已被改动，不予提供",
            f"The kept {what} differs from its recorded SHA-256: it was changed and is not served",
        )
    return data


def bulletin_file(*, bulletin: Bulletin, kind: str) -> bytes:
    """The issued 通报's Word file or PDF as kept (checked against its hash); a draft's written now."""
    if kind not in ("docx", "pdf"):
        raise NotFoundError("没有这种文件", "No such file")
    if not bulletin.issued:
        return document.docx_bytes(bulletin) if kind == "docx" else document.pdf_bytes(bulletin)
    if kind == "docx":
        return _kept(bulletin, bulletin.docx_sha256, "Word文件")
    return _kept(bulletin, bulletin.pdf_sha256, "PDF")
