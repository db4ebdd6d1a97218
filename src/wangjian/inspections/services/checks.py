"""Online checks of drawn presences, results per item, and their publication (issue 19 point 4).

For an object on the internet the inspection is an online check (网络经营场所线上检查): its presences are
fetched and read as a monitoring sweep reads them — the sweep's crawler, the licence verdict of the entry
page (电子商务法第十五条, 亮照), the permit verdicts (亮证) and the published rule libraries of the bureau
— and the inspector writes the record. A page that was not read decides nothing: a refused or failed fetch
is recorded as such and never as "未发现问题"; a check where some page failed, or whose licence display
could not be decided, is incomplete. A violation found is captured as electronic evidence (as a sweep
captures its findings) and handed to the clue loop through the intake port, once (``OnlineCheck`` is a
``LeadSource``: 线索来源“监督检查”).

Results are recorded per drawn object and item in the publicity system's fixed categories
(``ResultCategory``) and published within 20 working days of the end of the check (《企业公示信息抽查办法》
第十二条; 《企业信息公示暂行条例》第十四条: the results of random checks are published through the
国家企业信用信息公示系统): the end of the check opens the ``inspection.publication`` work item on the
plan, the publication closes it. The export gives the results in the layout the publicity system's
entry screen asks for.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from types import SimpleNamespace

from django.utils import timezone

from wangjian.core.background import dispatch, send
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.core.fetching.addresses import REFUSED_EN, REFUSED_ZH, current_policy
from wangjian.inspections.choices import (
    CheckMethod,
    CheckState,
    DrawState,
    PublishedField,
    ResultCategory,
)
from wangjian.inspections.models import DrawnObject, InspectionItem, InspectionResult, OnlineCheck
from wangjian.inspections.permissions import INSPECTION_CHECK
from wangjian.org import permissions
from wangjian.org.choices import Role
from wangjian.org.models import User
from wangjian.platform.intake.choices import SourceKind
from wangjian.platform.intake.port import Lead, lead_submit
from wangjian.platform.workitems.kinds import WorkItemKind
from wangjian.registry.models import MarketEntity, Presence

log = logging.getLogger(__name__)

PUBLICATION = "inspection.publication"  # the catalogue's clock: 企业公示信息抽查办法 art. 12
WORKITEM_KINDS = (WorkItemKind(PUBLICATION, "公示抽查结果", "抽查计划", clock=PUBLICATION),)

# How an online check reads a presence: the entry page and the pages it links on the same site, as the
# demo task sweeps (depth 1, at most 20 pages), politely (one request at a time per host, half a second apart).
CHECK_DEPTH = 1
CHECK_MAX_PAGES = 20
CHECK_DELAY = 0.5

# fetch_status of a check
FETCH_OK = "ok"  # every page read
FETCH_PARTIAL = "partial"  # the entry page read, some linked page not
FETCH_FAILED = "failed"  # the entry page not read
FETCH_REFUSED = "refused"  # the address is one the platform does not fetch (address policy)

# What a check came to, as the draw page shows it.
OUTCOME_VIOLATION = "violation"
OUTCOME_CLEAN = "clean"
OUTCOME_INCOMPLETE = "incomplete"
OUTCOME_FAILED = "failed"
OUTCOME_LABELS = {
    OUTCOME_VIOLATION: "发现违法行为（已转线索）",
    OUTCOME_CLEAN: "未发现问题",
    OUTCOME_INCOMPLETE: "检查不完整，不能得出未发现问题的结论",
    OUTCOME_FAILED: "未能读取页面，未作检查结论",
}
FETCH_LABELS = {
    FETCH_OK: "已读取全部页面",
    FETCH_PARTIAL: "部分页面未能读取",
    FETCH_FAILED: "未能读取入口页面",
    FETCH_REFUSED: "该地址不予抓取",
}

# The check a page or the API requests runs in the background (a worker of the ``fetch`` queue, or a thread
# of the web process without a broker): ``check_request`` checks and queues, ``check_request_run`` runs.
CHECK_TASK = "wangjian.inspections.tasks.check_request_run"
CHECK_PENDING = (CheckState.QUEUED, CheckState.RUNNING)
# A check still pending after this long died with its process (a restart): it is marked failed and may be
# requested again. A check reads at most 20 pages per presence, half a second apart.
CHECK_STALE_AFTER = dt.timedelta(hours=1)


# ------------------------------------------------------------------------------------------ who may


def is_drawn_inspector(user: User, drawn: DrawnObject) -> bool:
    return any(i.user_id == user.pk for i in drawn.inspectors.all())  # the page prefetches them


def may_record(user: User | None, drawn: DrawnObject) -> bool:
    """ "谁检查、谁负责": the inspectors the draw assigned to this object, and the office of the plan's bureau."""
    if user is None:
        return True
    if not permissions.may(user, INSPECTION_CHECK):
        return False
    if user.is_superuser:
        return True
    if user.bureau_id != drawn.draw.bureau_id:
        return False
    return user.role in (Role.OFFICE_ADMIN, Role.PROVINCE_OFFICE) or is_drawn_inspector(user, drawn)


def _require_record(user: User | None, drawn: DrawnObject) -> None:
    if user is None:
        return
    permissions.require(user, INSPECTION_CHECK)
    if not may_record(user, drawn):
        raise PermissionDeniedError(
            "只有本次抽取为该主体抽中的检查人员或本局办公室可以检查和记录结果",
            "Only the inspectors the draw assigned to this object, or the bureau's office, check it and record",
        )


def _require_open(drawn: DrawnObject) -> None:
    draw = drawn.draw
    if draw.state != DrawState.DRAWN:
        raise ValidationFailed("尚未完成抽取", "The draw has not been made yet")
    if draw.replaced_by.exists():
        raise ValidationFailed(
            "该抽取已被重新抽取替代，请在新的抽取中检查",
            "This draw was replaced by a re-draw: check in the new one",
        )
    if draw.plan.results_published_at is not None:
        raise ValidationFailed(
            "抽查结果已公示，不能再修改", "The results are published: nothing changes any more"
        )


# ------------------------------------------------------------------------------------------ the check


@dataclass
class _Read:
    """What the crawl of one presence gave: each page's outcome, the entry page, the verdicts and hits."""

    status: str
    reason: str
    licence_verdict: str = ""
    licence_reason: str = ""
    licence_evidence: str = ""
    permits: list | None = None
    hits: list | None = None
    entry_url: str = ""


def _db_lookup(code: str) -> tuple[str, str] | None:
    return MarketEntity.objects.filter(uscc=code).order_by("id").values_list("name", "status").first()


def _read_presence(presence: Presence, *, today: dt.date, render: str, delay: float) -> _Read:
    """Crawl one presence with the sweep's crawler and decide on what was read, as a sweep decides.

    The fetching runs in the crawler's event loop; the verdicts (which read the registry and the permit
    data) are decided here, in the caller's thread and database connection.
    """
    from wangjian.monitoring.extract import scan_hits
    from wangjian.monitoring.licence import (
        LicenceVerdict,
        licence_links,
        licence_verdict,
        needs_rendering,
        wants_linked_pages,
    )
    from wangjian.monitoring.selectors import engine_for
    from wangjian.monitoring.services.crawl import ChunkCrawler
    from wangjian.monitoring.services.permits import presence_permit_checks

    url = presence.url or ""
    if not url.startswith(("http://", "https://")):
        return _Read(FETCH_FAILED, "该网络经营场所没有可访问的网址 / the presence has no web address")
    if current_policy().url_refused(url):
        return _Read(FETCH_REFUSED, f"{REFUSED_ZH} / {REFUSED_EN}")
    crawler = ChunkCrawler(
        SimpleNamespace(depth=CHECK_DEPTH, max_pages=CHECK_MAX_PAGES, delay=delay, render=render)
    )
    try:
        outcomes = crawler.crawl([presence], {})[0]
        entry = next((o for o in outcomes if o.depth == 0), None)
        if entry is None or entry.status != "ok" or entry.extracted is None:
            reason = entry.reason if entry is not None else "未取得入口页面 / the entry page was not fetched"
            return _Read(FETCH_FAILED, (reason or "抓取失败 / fetch failed")[:500], entry_url=url)
        if render != "never" and needs_rendering(entry.extracted, rendered=entry.rendered):
            shown = crawler.render(entry.url)
            if shown.status == "ok" and shown.rendered and shown.extracted is not None:
                entry = shown
        page = entry.extracted
        linked = []
        if wants_linked_pages(page):
            linked = crawler.fetch_linked(licence_links(page)[:3])
        expected = presence.entity.uscc if presence.entity_id else ""
        licence = licence_verdict(
            page=page,
            lookup=_db_lookup,
            expected_uscc=expected,
            linked_pages=linked,
            rendered=entry.rendered,
            platform_usccs=presence.platform_operator_usccs,
        )
        permits = presence_permit_checks(
            presence=presence,
            page=page,
            rendered=entry.rendered,
            fetch_linked=crawler.fetch_linked,
            today=today,
        )
        engine = engine_for(bureau=presence.bureau)
        hits, failed = [], []
        read = {entry.url: entry}
        for out in outcomes:
            read.setdefault(out.url, out)
        for out in read.values():
            if out.status != "ok" or out.extracted is None:
                failed.append(f"{out.url}（{out.reason or out.status}）")
                continue
            for hit in scan_hits(engine, out.extracted):
                hits.append({**hit, "page_url": out.url})
    finally:
        crawler.close()
    status, reason = (
        FETCH_OK,
        f"已读取 {len(read) - len(failed)} 个页面 / {len(read) - len(failed)} pages read",
    )
    if failed:
        status = FETCH_PARTIAL
        reason = f"{len(failed)} 个页面未能读取 / {len(failed)} pages not read: " + "；".join(failed[:5])
    if licence.verdict == LicenceVerdict.NEEDS_RENDERING:
        reason = f"{reason}；亮照需浏览器渲染后才能判定 / the licence display needs rendering"
    return _Read(
        status,
        reason[:500],
        licence_verdict=licence.verdict,
        licence_reason=licence.reason[:500],
        licence_evidence=licence.evidence,
        permits=[c.as_contract() | {"evidence": c.evidence} for c in permits],
        hits=hits,
        entry_url=entry.url,
    )


def violations_of(check: OnlineCheck) -> list[tuple[str, str]]:
    """(domain, what) for each suspected violation the check found: rule hits, licence and permit verdicts.

    The verdicts that are violations are the monitoring review's (``LICENCE_CLUE_DOMAIN``,
    ``PERMIT_CLUE_VERDICTS``): a verdict that could not be decided is none.
    """
    from wangjian.monitoring.choices import CATEGORY_DOMAIN
    from wangjian.monitoring.services.review import (
        LICENCE_CLUE_DOMAIN,
        PERMIT_CLUE_DOMAIN,
        PERMIT_CLUE_VERDICTS,
    )

    out = []
    if check.licence_verdict in LICENCE_CLUE_DOMAIN:
        out.append((LICENCE_CLUE_DOMAIN[check.licence_verdict], f"亮照：{check.licence_reason}"))
    for p in check.permits or []:
        if p.get("verdict") in PERMIT_CLUE_VERDICTS and p.get("kind") in PERMIT_CLUE_DOMAIN:
            out.append((PERMIT_CLUE_DOMAIN[p["kind"]], f"亮证：{p.get('reason', '')}"))
    for h in check.hits or []:
        out.append(
            (
                CATEGORY_DOMAIN.get(h.get("category"), "internet_advertising"),
                f"页面 {h.get('page_url', '')} 出现“{h.get('matched', '')}”（规则 {h.get('rule', '')}，"
                f"依据：{h.get('legal_basis') or '—'}）",
            )
        )
    return out


def check_outcome(check: OnlineCheck) -> str:
    """What the check came to; "clean" only when every page was read and every verdict decided."""
    from wangjian.monitoring.licence import NOT_CHECKED

    if check.violation:
        return OUTCOME_VIOLATION
    if check.fetch_status in (FETCH_FAILED, FETCH_REFUSED):
        return OUTCOME_FAILED
    undecided = check.licence_verdict in ("", *NOT_CHECKED) or any(
        p.get("verdict") in NOT_CHECKED for p in check.permits or []
    )
    if check.fetch_status != FETCH_OK or undecided:
        return OUTCOME_INCOMPLETE
    return OUTCOME_CLEAN


def _capture(check: OnlineCheck, inspectors: list[str], url: str) -> None:
    """Capture the page as electronic evidence, as a sweep captures a finding (on a worker, or at once)."""
    result = send(
        "wangjian.evidence.tasks.evidence_capture",
        url=url,
        operators=inspectors or ["双随机线上检查"],
        purpose=f"双随机抽查线上检查发现违法行为：{check.presence}",
        bureau_id=check.bureau_id,
        mode="http",
        link_model="inspections.OnlineCheck",
        link_id=check.pk,
    )
    from celery.result import EagerResult

    if isinstance(result, EagerResult) and result.successful():
        check.capture_id = result.result
        OnlineCheck.objects.filter(pk=check.pk).update(capture_id=result.result)


def _to_clue(check: OnlineCheck, found: list[tuple[str, str]], user: User | None, now: dt.datetime) -> None:
    """Hand the violation to the clue loop through the intake port, once (the check keeps the number)."""
    if check.clue_number:
        return
    plan = check.drawn.draw.plan
    facts = (
        f"双随机抽查（{plan.title}，抽取 #{check.drawn.draw_id}）线上检查 {check.presence}（{check.url}）发现："
        + "；".join(what for _d, what in found)
        + (f"。检查记录：{check.record}" if check.record else "")
    )
    capture = check.capture
    receipt = lead_submit(
        Lead(
            bureau=check.bureau.code,
            source_kind=SourceKind.INSPECTION,
            source_ref=f"inspections.check:{check.pk}",
            domain=found[0][0],
            facts=facts[:4000],
            found_on=timezone.localtime(check.checked_at).date(),
            evidence=(f"evidence:{capture.metadata_sha256}",)
            if capture is not None and capture.metadata_sha256
            else (),
            finder=user.username if user else "",
            entity_uscc=check.drawn.entity.uscc,
            entity_name=check.drawn.entity.name,
            **check.presence.lead_keys(),
        ),
        now=now,
    )
    check.clue_number = receipt.number
    check.save(update_fields=["clue_number", "last_updated"])


def check_run(
    *,
    drawn: DrawnObject,
    user: User | None,
    presence: Presence | None = None,
    record: str = "",
    now: dt.datetime | None = None,
    render: str = "auto",
    delay: float | None = None,
) -> list[OnlineCheck]:
    """The online check of a drawn object: each of its presences (or the one given) fetched and decided.

    Every check is recorded, whatever its outcome; a failed or refused fetch says so and decides nothing.
    A violation is captured as evidence and becomes a clue (线索来源：监督检查).
    """
    now = now or timezone.now()
    delay = CHECK_DELAY if delay is None else delay
    _require_record(user, drawn)
    _require_open(drawn)
    presences = (
        [presence]
        if presence is not None
        else list(
            Presence.objects.filter(entity_id=drawn.entity_id)
            .select_related("entity", "bureau")
            .order_by("pk")
        )
    )
    if presence is not None and presence.entity_id != drawn.entity_id:
        raise ValidationFailed("该网络经营场所不属于抽中的主体", "The presence is not the drawn entity's")
    if not presences:
        raise ValidationFailed(
            "抽中的主体没有登记网络经营场所，无法线上检查", "The drawn entity has no presence to check online"
        )
    inspectors = [i.user.name or i.user.username for i in drawn.inspectors.select_related("user")]
    checks = []
    for p in presences:
        read = _read_presence(p, today=timezone.localdate(now), render=render, delay=delay)
        check = OnlineCheck(
            bureau_id=drawn.draw.bureau_id,
            drawn=drawn,
            presence=p,
            url=(read.entry_url or p.url or "")[:500],
            checked_at=now,
            checked_by=user if getattr(user, "pk", None) else None,
            fetch_status=read.status,
            fetch_reason=read.reason,
            licence_verdict=read.licence_verdict,
            licence_reason=read.licence_reason,
            permits=read.permits or [],
            hits=read.hits or [],
            record=(record or "").strip(),
        )
        found = violations_of(check)
        check.violation = bool(found)
        check.save()
        if found:
            pages = [h.get("page_url") for h in check.hits if h.get("page_url")]
            _capture(check, inspectors, pages[0] if pages else check.url)
            _to_clue(check, found, user, now)
        checks.append(check)
    return checks


def check_note(*, check: OnlineCheck, user: User | None, record: str) -> OnlineCheck:
    """The inspector's record of a check (检查记录), written or completed after the fetch, until the results
    are published; the change log keeps each version (``OnlineCheck`` is audited)."""
    _require_record(user, check.drawn)
    _require_open(check.drawn)
    if not (record or "").strip():
        raise ValidationFailed("请填写检查记录", "The record is empty")
    check.record = record.strip()
    check.save(update_fields=["record", "last_updated"])
    return check


# ------------------------------------------------------------------------------------------ in the background


def check_pending(drawn: DrawnObject, now: dt.datetime | None = None) -> bool:
    """Is a check of ``drawn`` queued or running (and not so old that it died with its process)?"""
    if drawn.check_state not in CHECK_PENDING:
        return False
    now = now or timezone.now()
    return drawn.check_requested_at is None or now - drawn.check_requested_at < CHECK_STALE_AFTER


def _stale_fail(drawn: DrawnObject, now: dt.datetime) -> None:
    """A pending check that outlived ``CHECK_STALE_AFTER`` is recorded as failed, with why."""
    if drawn.check_state in CHECK_PENDING and not check_pending(drawn, now):
        DrawnObject.objects.filter(pk=drawn.pk, check_state__in=CHECK_PENDING).update(
            check_state=CheckState.FAILED,
            check_finished_at=now,
            check_error="检查超过一小时未完成，已中断（可能因服务重启），未作检查结论 / "
            "the check did not finish within an hour and was abandoned",
        )
        drawn.refresh_from_db()


def check_request(
    *,
    drawn: DrawnObject,
    user: User | None,
    presence: Presence | None = None,
    record: str = "",
    now: dt.datetime | None = None,
    background: bool = True,
) -> DrawnObject:
    """Request the online check of a drawn object: refused at once as ``check_run`` would refuse it (who may,
    the draw open, the presence the entity's, a presence to check) or while another check of it is pending;
    then queued and run in the background (``dispatch``: a worker, a thread, or here when neither can see
    this transaction's rows). ``background=False`` runs it here (the demo, the command line).

    Returns the drawn object with its ``check_state``: ``queued``/``running`` while pending, ``done`` or
    ``failed`` (with ``check_error``) when it ran before the answer.
    """
    now = now or timezone.now()
    _require_record(user, drawn)
    _require_open(drawn)
    if presence is not None and presence.entity_id != drawn.entity_id:
        raise ValidationFailed("该网络经营场所不属于抽中的主体", "The presence is not the drawn entity's")
    if presence is None and not Presence.objects.filter(entity_id=drawn.entity_id).exists():
        raise ValidationFailed(
            "抽中的主体没有登记网络经营场所，无法线上检查", "The drawn entity has no presence to check online"
        )
    drawn.refresh_from_db()
    _stale_fail(drawn, now)
    claimed = (
        DrawnObject.objects.filter(pk=drawn.pk)
        .exclude(check_state__in=CHECK_PENDING)
        .update(
            check_state=CheckState.QUEUED,
            check_requested_at=now,
            check_requested_by=user if getattr(user, "pk", None) else None,
            check_presence=presence,
            check_record=(record or "").strip(),
            check_finished_at=None,
            check_error="",
        )
    )
    if not claimed:
        raise ValidationFailed(
            "该主体的线上检查正在进行中，请待其完成后再检查",
            "A check of this object is already queued or running: wait for it to finish",
        )
    if background:
        dispatch(CHECK_TASK, thread_name=f"wangjian-inspection-check-{drawn.pk}", drawn_id=drawn.pk)
    else:
        check_request_run(drawn=drawn)
    drawn.refresh_from_db()
    return drawn


def check_request_run(
    *,
    drawn: DrawnObject,
    now: dt.datetime | None = None,
    render: str = "auto",
    delay: float | None = None,
) -> list[OnlineCheck]:
    """Run a queued check (the worker's side of ``check_request``); a second delivery does nothing.

    Whatever stops it — a refusal since the request (the draw replaced, the results published, the
    inspector no longer drawn), an error of ours — the object's check ends ``failed`` with the reason and
    no check is recorded as clean; a fetch that fails is a recorded check (``fetch_status``), as always.
    """
    if not DrawnObject.objects.filter(pk=drawn.pk, check_state=CheckState.QUEUED).update(
        check_state=CheckState.RUNNING
    ):
        return []
    drawn = (
        DrawnObject.objects.select_related(
            "draw__plan", "draw__bureau", "entity", "check_requested_by", "check_presence"
        )
        .prefetch_related("inspectors__user")
        .get(pk=drawn.pk)
    )
    user = drawn.check_requested_by
    try:
        checks = check_run(
            drawn=drawn,
            user=user,
            presence=drawn.check_presence,
            record=drawn.check_record,
            now=now,
            render=render,
            delay=delay,
        )
    except WangjianError as exc:
        _check_failed(drawn, str(exc))
        return []
    except Exception:  # the request must end, and say why; the log has the traceback
        log.exception("online check of drawn object %s failed", drawn.pk)
        _check_failed(
            drawn, "检查因内部错误中止，未作检查结论；请联系管理员 / the check stopped on an internal error"
        )
        return []
    DrawnObject.objects.filter(pk=drawn.pk).update(
        check_state=CheckState.DONE, check_finished_at=timezone.now(), check_error=""
    )
    return checks


def _check_failed(drawn: DrawnObject, reason: str) -> None:
    DrawnObject.objects.filter(pk=drawn.pk).update(
        check_state=CheckState.FAILED, check_finished_at=timezone.now(), check_error=reason[:500]
    )


# ------------------------------------------------------------------------------------------ results


def result_record(
    *,
    drawn: DrawnObject,
    item: InspectionItem,
    category: str,
    note: str = "",
    user: User | None,
    checked_on: dt.date | None = None,
    now: dt.datetime | None = None,
    checked_field: str = "",
    published_value: str = "",
    found_value: str = "",
) -> InspectionResult:
    """The result of one item of the plan for one drawn object, in the publicity system's categories.

    "未发现问题" is not recorded for an object whose online checks could not read its pages or found a
    violation: a result says what the check showed. A check of published information (公示信息检查,
    《企业信息公示暂行条例》第十四条) records what was compared: the item of the annual report or other
    published information checked (``PublishedField``), what the entity published and what was found.
    """
    now = now or timezone.now()
    _require_record(user, drawn)
    _require_open(drawn)
    if category not in ResultCategory.values:
        raise ValidationFailed(f"未知的检查结果类别：{category}", f"Unknown result category: {category}")
    if not drawn.draw.plan.plan_items.filter(item=item).exists():
        raise ValidationFailed("该抽查事项不在本计划中", "The item is not in the plan")
    compared = {
        "checked_field": checked_field or "",
        "published_value": (published_value or "").strip()[:500],
        "found_value": (found_value or "").strip()[:500],
    }
    if item.method == CheckMethod.PUBLISHED_INFO:
        if compared["checked_field"] not in PublishedField.values:
            raise ValidationFailed(
                "公示信息检查须选择核查的公示信息项目",
                "A check of published information names the item checked",
            )
    elif any(compared.values()):
        raise ValidationFailed(
            "只有公示信息检查记录核查的公示信息项目",
            "Only a check of published information records the item compared",
        )
    if category == ResultCategory.NO_PROBLEM:
        checks = list(drawn.checks.all())
        if any(c.violation for c in checks):
            raise ValidationFailed(
                "线上检查发现了违法行为，不能记录为“未发现问题”",
                "An online check found a violation: the result cannot be 'no problem found'",
            )
        if checks and not any(check_outcome(c) == OUTCOME_CLEAN for c in checks) and not (note or "").strip():
            raise ValidationFailed(
                "线上检查未能完整读取页面；记录“未发现问题”须在说明中写明依据",
                "No online check read the pages fully: say in the note what 'no problem found' rests on",
            )
    result, _ = InspectionResult.objects.get_or_create(
        drawn=drawn,
        item=item,
        defaults={
            "bureau_id": drawn.draw.bureau_id,
            "category": category,
            "checked_on": timezone.localdate(now),
        },
    )
    result.category = category
    result.note = (note or "").strip()
    result.checked_on = checked_on or timezone.localdate(now)
    result.recorded_by = user if getattr(user, "pk", None) else None
    for name, value in compared.items():
        setattr(result, name, value)
    result.save()
    return result
