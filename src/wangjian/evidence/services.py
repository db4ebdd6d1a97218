"""Writes of the evidence app: capture, access, export, link, delete, checkpoint.

Legal basis: 《市场监督管理行政执法电子数据取证暂行规定》 (SAMR, in force 2024-04-07) —
electronic data is collected with its method, time, operators and source recorded and an
integrity check value computed, so that a reviewer, a court or the party can verify it.
Every function here returns what it decided and why; every one that touches evidence
writes the bureau's ledger.
"""

from __future__ import annotations

import datetime as dt
import json
import mimetypes
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from wangjian.core import uploads
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.evidence import access, anchors, conf, engine, ledger, retention
from wangjian.evidence.accesses import (  # re-exported: the writes of an access (views, downloads, exports)
    access_reason_text as access_reason_text,
)
from wangjian.evidence.accesses import actor_name, evidence_access
from wangjian.evidence.accesses import evidence_download as evidence_download
from wangjian.evidence.accesses import evidence_page_viewed as evidence_page_viewed
from wangjian.evidence.accesses import evidence_view_record as evidence_view_record
from wangjian.evidence.choices import (
    CaptureMode,
    CaptureStatus,
    FileRole,
    LedgerAction,
    UploadKind,
)
from wangjian.evidence.models import (
    EvidenceCapture,
    EvidenceFile,
    EvidenceLink,
    LedgerCheckpoint,
)
from wangjian.evidence.permissions import EVIDENCE_CAPTURE
from wangjian.evidence.store import get_store
from wangjian.org import permissions

if TYPE_CHECKING:
    from wangjian.org.models import Bureau, User


def can_capture(user: User | None) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or (user.bureau_id and permissions.may(user, EVIDENCE_CAPTURE)))
    )


@dataclass
class CaptureOutcome:
    """What ``evidence_capture`` did: the stored capture, and notes for the officer."""

    capture: EvidenceCapture
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.capture.ok


FILE_TYPES = {
    FileRole.WARC: ("capture.warc.gz", "application/warc"),
    FileRole.SCREENSHOT: ("screenshot.png", "image/png"),
    FileRole.HTML: ("page.html", "text/html; charset=utf-8"),
    FileRole.TEXT: ("text.txt", "text/plain; charset=utf-8"),
    FileRole.METADATA: ("metadata.json", "application/json"),
}


def _metadata(
    result: engine.CaptureResult,
    *,
    operators: list[str],
    purpose: str,
    case_ref: str,
    bureau: Bureau,
    user: User | None,
) -> dict[str, Any]:
    return {
        "format": "wangjian-evidence-capture/1",
        "bureau": {"name": bureau.name, "code": bureau.code},
        "requested_url": result.requested_url,
        "final_url": result.final_url,
        "redirects": result.redirects,
        "resolved_ip": result.resolved_ip,
        "http_status": result.status,
        "response_headers": [[k, v] for k, v in result.response_headers],
        "title": result.title,
        "method": result.mode,
        "started": engine.times(result.started_at),
        "finished": engine.times(result.finished_at or result.started_at),
        "clock": "服务器系统时钟 / server system clock",
        "user_agent": result.user_agent,
        "tool": result.tool,
        "page_ready": result.page_ready,
        # What the page asked for at addresses the server may not reach: listed, never fetched.
        "refused_requests": result.refused,
        "operators": operators,
        "account": actor_name(user),
        "purpose": purpose,
        "case_ref": case_ref,
        "status": "ok" if result.ok else "failed",
        "failure": {"reason": result.failure_code, "detail": result.failure_detail}
        if not result.ok
        else None,
        "requests": [
            {
                "url": ex.url,
                "method": ex.method,
                "status": ex.status,
                "ip": ex.ip,
                "bytes": len(ex.body),
                "sha256": engine.sha256(ex.body),
            }
            for ex in result.exchanges
        ],
    }


def evidence_capture(
    *,
    url: str,
    operators: list[str],
    purpose: str,
    case_ref: str = "",
    mode: str = CaptureMode.BROWSER,
    user: User | None = None,
    bureau: Bureau | None = None,
    timeout: float | None = None,
    max_bytes: int | None = None,
    link_to: models.Model | None = None,
) -> CaptureOutcome:
    """Capture ``url`` as electronic evidence and store it, successful or failed.

    The operators are the officers who collected it (the rule asks for two enforcement
    officers); ``user`` is the account that pressed the button (``None`` for a sweep or the
    command line, where ``bureau`` must be given). ``link_to`` (a finding, a clue) links the
    stored capture to that matter at once, so that it is held while the matter is open.
    """
    operators = [o.strip() for o in operators if o and o.strip()]
    purpose = (purpose or "").strip()
    problems = []
    if not operators:
        problems.append("须填写取证人员 / at least one operator is required")
    if not purpose:
        problems.append("须填写取证事由 / the purpose is required")
    if mode not in CaptureMode.values:
        problems.append(f"取证方式无效 / unknown mode: {mode}")
    if user is not None and not can_capture(user):
        raise PermissionDeniedError("无权取证", "not allowed to capture evidence")
    bureau = bureau or (user.bureau if user is not None and user.bureau_id else None)
    if bureau is None:
        problems.append("须指定取证单位 / the capturing bureau is required")
    if problems:
        raise ValidationFailed("取证请求不完整", "incomplete capture request", detail=problems)
    notes = []
    if len(operators) < 2:
        notes.append("仅记录一名取证人员；执法取证应由两名以上执法人员进行。 / only one operator recorded.")
    timeout = timeout or float(conf.get("WANGJIAN_EVIDENCE_TIMEOUT", 30))
    max_bytes = max_bytes or conf.get_int("WANGJIAN_EVIDENCE_MAX_BYTES", 50 * 1024 * 1024)
    if mode == CaptureMode.HTTP:
        result = engine.capture_http(url, timeout=timeout, max_bytes=max_bytes)
    else:
        result = engine.capture_browser(url, timeout=timeout, max_bytes=max_bytes)
    outcome = _store_result(
        result, operators=operators, purpose=purpose, case_ref=case_ref, bureau=bureau, user=user, notes=notes
    )
    if link_to is not None:
        evidence_link(capture=outcome.capture, obj=link_to, user=user)
    return outcome


def _store_result(
    result: engine.CaptureResult,
    *,
    operators: list[str],
    purpose: str,
    case_ref: str,
    bureau: Bureau,
    user: User | None,
    notes: list[str],
) -> CaptureOutcome:
    store = get_store()
    files: list[tuple[str, bytes]] = []
    if result.exchanges:
        files.append((FileRole.WARC, engine.build_warc(result)))
    if result.ok:
        if result.screenshot:
            files.append((FileRole.SCREENSHOT, result.screenshot))
        files.append((FileRole.HTML, result.html.encode("utf-8")))
        files.append((FileRole.TEXT, result.text.encode("utf-8")))
    meta = _metadata(
        result, operators=operators, purpose=purpose, case_ref=case_ref, bureau=bureau, user=user
    )
    meta["files"] = [
        {"name": FILE_TYPES[role][0], "role": str(role), "bytes": len(data), "sha256": engine.sha256(data)}
        for role, data in files
    ]
    meta_bytes = json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    files.append((FileRole.METADATA, meta_bytes))
    digests = {role: store.put(data) for role, data in files}
    with transaction.atomic():
        capture = EvidenceCapture.objects.create(
            bureau=bureau,
            url=result.requested_url[:2000],
            final_url=result.final_url[:2000],
            mode=result.mode,
            status=CaptureStatus.OK if result.ok else CaptureStatus.FAILED,
            failure_reason=result.failure_code,
            failure_detail=result.failure_detail,
            http_status=result.status,
            resolved_ip=result.resolved_ip,
            title=result.title[:500],
            purpose=purpose[:500],
            case_ref=case_ref[:100],
            operators=operators,
            captured_by=user if getattr(user, "pk", None) else None,
            started_at=result.started_at,
            finished_at=result.finished_at or result.started_at,
            metadata_sha256=digests[FileRole.METADATA],
            retain_until=retention.retain_until(timezone.localdate(result.started_at)),
        )
        for role, data in files:
            name, content_type = FILE_TYPES[role]
            EvidenceFile.objects.create(
                capture=capture,
                role=role,
                name=name,
                sha256=digests[role],
                size=len(data),
                content_type=content_type,
            )
        ledger.append(
            bureau=bureau,
            action=LedgerAction.CAPTURE,
            user_name=actor_name(user),
            reason=purpose,
            capture_id=capture.pk,
            detail={
                "url": capture.url,
                "status": capture.status,
                "failure": capture.failure_reason,
                "operators": operators,
                "files": {FILE_TYPES[role][0]: digests[role] for role, _ in files},
            },
        )
    if not result.ok:
        notes.append(
            f"取证失败：{capture.get_failure_reason_display()} / capture failed: {result.failure_detail}"
        )
    return CaptureOutcome(capture=capture, notes=notes)


MAX_UPLOAD_FILES = 50  # files in one upload record (a scanned 笔录 of many pages is one PDF)
_UNSAFE_NAME = re.compile(r"[^\w.\-（）()\u4e00-\u9fff]+")


def _upload_name(name: str, taken: set[str]) -> str:
    """A file's name as stored: no folders, no control characters, unique in the record, not a role's name."""
    base = _UNSAFE_NAME.sub("_", os.path.basename(name or "").strip())[:90].strip("._") or "file"
    candidate, n = base, 1
    while candidate in taken or candidate in RESERVED_NAMES:
        stem, dot, ext = base.rpartition(".")
        candidate = f"{stem or base}-{n}{dot}{ext}" if dot else f"{base}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


RESERVED_NAMES = {name for name, _ in FILE_TYPES.values()}


def evidence_upload(
    *,
    files: list[Any],
    kind: str,
    description: str,
    operators: list[str],
    purpose: str,
    collected_at: dt.datetime | None = None,
    source: str = "",
    case_ref: str = "",
    user: User | None = None,
    bureau: Bureau | None = None,
    link_to: models.Model | None = None,
) -> CaptureOutcome:
    """Take in evidence collected outside the browser (photos, videos, screen recordings of an APP, a
    mini-program or a live stream, scanned 询问笔录 and 现场检查笔录, a platform's documents) as a record
    like a capture: every file hashed into the immutable store, the metadata naming who collected what,
    when and where from, and the bureau's ledger written — so the same verification and the same signed
    package apply. ``files`` are uploads (or open files) with a ``name``; each is read in chunks.
    """
    operators = [o.strip() for o in operators if o and o.strip()]
    purpose, description, source = (
        (purpose or "").strip(),
        (description or "").strip(),
        (source or "").strip(),
    )
    problems = []
    if not files:
        problems.append("请选择要上传的证据文件 / choose the files to upload")
    if len(files) > MAX_UPLOAD_FILES:
        problems.append(f"一次最多上传 {MAX_UPLOAD_FILES} 个文件 / at most {MAX_UPLOAD_FILES} files at once")
    if kind not in UploadKind.values:
        problems.append("请选择证据类型 / choose the kind of evidence")
    if not operators:
        problems.append("须填写取证人员 / at least one operator is required")
    if not purpose:
        problems.append("须填写取证事由 / the purpose is required")
    if not description:
        problems.append(
            "须说明证据内容及来源（如：某APP店铺页录屏） / describe the evidence and where it comes from"
        )
    if user is not None and not can_capture(user):
        raise PermissionDeniedError("无权取证", "not allowed to capture evidence")
    bureau = bureau or (user.bureau if user is not None and user.bureau_id else None)
    if bureau is None:
        problems.append("须指定取证单位 / the capturing bureau is required")
    if problems:
        raise ValidationFailed(
            "证据上传不完整：" + "；".join(p.split(" / ")[0] for p in problems),
            "incomplete evidence upload",
            detail=problems,
        )
    for f in files:
        uploads.check_size(f, kind=uploads.EVIDENCE)
    notes = []
    if len(operators) < 2:
        notes.append("仅记录一名取证人员；执法取证应由两名以上执法人员进行。 / only one operator recorded.")
    started = timezone.now()
    store = get_store()
    taken: set[str] = set()
    stored: list[dict[str, Any]] = []
    for f in files:
        digest, size = store.put_file(f)
        stored.append(
            {
                "name": _upload_name(getattr(f, "name", ""), taken),
                "original_name": os.path.basename(getattr(f, "name", "") or "")[:200],
                "role": str(FileRole.UPLOAD),
                "bytes": size,
                "sha256": digest,
                "content_type": (
                    getattr(f, "content_type", "")
                    or mimetypes.guess_type(f.name or "")[0]
                    or "application/octet-stream"
                )[:100],
            }
        )
    finished = timezone.now()
    meta = {
        "format": "wangjian-evidence-upload/1",
        "bureau": {"name": bureau.name, "code": bureau.code},
        "method": CaptureMode.UPLOAD,
        "kind": kind,
        "kind_label": str(UploadKind(kind).label),
        "description": description,
        "source": source,
        "collected_at": engine.times(collected_at) if collected_at else None,
        "received": engine.times(started),
        "clock": "服务器系统时钟 / server system clock",
        "operators": operators,
        "account": actor_name(user),
        "purpose": purpose,
        "case_ref": case_ref,
        "status": "ok",
        "files": [
            {k: f[k] for k in ("name", "original_name", "role", "bytes", "sha256", "content_type")}
            for f in stored
        ],
    }
    meta_bytes = json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    meta_digest = store.put(meta_bytes)
    with transaction.atomic():
        capture = EvidenceCapture.objects.create(
            bureau=bureau,
            url="",
            mode=CaptureMode.UPLOAD,
            status=CaptureStatus.OK,
            title=f"{UploadKind(kind).label}：{description}"[:500],
            purpose=purpose[:500],
            case_ref=case_ref[:100],
            operators=operators,
            captured_by=user if getattr(user, "pk", None) else None,
            started_at=started,
            finished_at=finished,
            metadata_sha256=meta_digest,
            retain_until=retention.retain_until(timezone.localdate(started)),
        )
        for f in stored:
            EvidenceFile.objects.create(
                capture=capture,
                role=FileRole.UPLOAD,
                name=f["name"],
                sha256=f["sha256"],
                size=f["bytes"],
                content_type=f["content_type"],
            )
        name, content_type = FILE_TYPES[FileRole.METADATA]
        EvidenceFile.objects.create(
            capture=capture,
            role=FileRole.METADATA,
            name=name,
            sha256=meta_digest,
            size=len(meta_bytes),
            content_type=content_type,
        )
        ledger.append(
            bureau=bureau,
            action=LedgerAction.CAPTURE,
            user_name=actor_name(user),
            reason=purpose,
            capture_id=capture.pk,
            detail={
                "url": "",
                "mode": CaptureMode.UPLOAD,
                "kind": kind,
                "status": capture.status,
                "operators": operators,
                "files": {**{f["name"]: f["sha256"] for f in stored}, name: meta_digest},
            },
        )
    if link_to is not None:
        evidence_link(capture=capture, obj=link_to, user=user)
    return CaptureOutcome(capture=capture, notes=notes)


def evidence_checkpoint(*, bureau: Bureau) -> LedgerCheckpoint | None:
    """Sign the head of the bureau's ledger now (also done every N entries and before each export),
    and anchor in the evidence store any checkpoint it lacks (a store that was down) once committed."""
    cp = ledger.checkpoint(bureau=bureau)
    transaction.on_commit(lambda: anchors.anchor_missing(bureau))
    return cp


def evidence_link(*, capture: EvidenceCapture, obj: models.Model, user: User | None = None) -> EvidenceLink:
    """Link a capture to a clue, finding or case; the capture is then held while that matter is open."""
    ct = ContentType.objects.get_for_model(obj.__class__)
    link, created = EvidenceLink.objects.get_or_create(
        capture=capture, content_type=ct, object_id=str(obj.pk), defaults={"object_repr": str(obj)[:300]}
    )
    if created:
        ledger.append(
            bureau=capture.bureau,
            action=LedgerAction.LINK,
            user_name=actor_name(user),
            capture_id=capture.pk,
            detail={"object": f"{ct.app_label}.{ct.model}:{obj.pk}", "repr": str(obj)[:300]},
        )
    return link


@dataclass
class Holds:
    """Why a capture may not be deleted (empty: it may)."""

    reasons: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.reasons)


def evidence_holds(*, capture: EvidenceCapture, today: dt.date | None = None) -> Holds:
    """The holds on a capture: open linked matters, and the retention period."""
    today = today or timezone.localdate()
    holds = Holds()
    for link in capture.links.select_related("content_type"):
        label = f"{link.content_type.app_label}.{link.content_type.model}"
        rule = retention.rule_for(label)
        model = link.content_type.model_class()
        obj = model._default_manager.filter(pk=link.object_id).first() if model else None
        if rule is None:
            if obj is not None:
                holds.reasons.append(
                    f"关联对象 {link.object_repr} 仍存在 / linked to {label}:{link.object_id}"
                )
        elif obj is not None and rule.is_open(obj):
            holds.reasons.append(
                f"关联的{rule.label}“{link.object_repr}”尚未办结 / linked {label}:{link.object_id} is open"
            )
    if capture.retain_until > today:
        holds.reasons.append(
            f"保存期限至 {capture.retain_until:%Y-%m-%d} / retained until {capture.retain_until:%Y-%m-%d}"
        )
    return holds


def evidence_delete(*, capture: EvidenceCapture, user: User | None = None, reason: str) -> dict[str, Any]:
    """Delete a capture whose holds are all released; the deletion itself goes to the ledger.

    Blobs shared with another capture (same bytes) stay in the store.
    """
    from wangjian.org.selectors import can_manage

    if user is not None and not can_manage(user, capture.bureau_id):
        raise PermissionDeniedError(
            "只有本局办公室管理员可以删除证据", "only the office administrator may delete"
        )
    if not (reason or "").strip():
        raise ValidationFailed("须填写删除事由", "a reason is required to delete evidence")
    holds = evidence_holds(capture=capture)
    if holds:
        raise WangjianError(
            "该证据不能删除", "this evidence cannot be deleted", code="evidence_held", detail=holds.reasons
        )
    files = list(capture.files.all())
    capture_id, bureau = capture.pk, capture.bureau
    with transaction.atomic():
        ledger.append(
            bureau=bureau,
            action=LedgerAction.DELETE,
            user_name=actor_name(user),
            reason=reason,
            capture_id=capture_id,
            detail={"url": capture.url, "files": {f.name: f.sha256 for f in files}},
        )
        capture.links.all().delete()
        capture.delete()
    store = get_store()
    removed = []
    for f in files:
        if not EvidenceFile.objects.filter(sha256=f.sha256).exists():
            store.remove(f.sha256)
            removed.append(f.sha256)
    return {"deleted": capture_id, "blobs_removed": removed, "reason": reason}


def evidence_purge_expired(*, today: dt.date | None = None, reason: str = "保存期限届满") -> dict[str, Any]:
    """Delete every capture past its retention period and held by no open matter."""
    today = today or timezone.localdate()
    deleted, kept = [], []
    for capture in EvidenceCapture.objects.filter(retain_until__lte=today).select_related("bureau"):
        holds = evidence_holds(capture=capture, today=today)
        if holds:
            kept.append({"capture": capture.pk, "holds": holds.reasons})
            continue
        deleted.append(evidence_delete(capture=capture, user=None, reason=reason)["deleted"])
    return {"deleted": deleted, "kept": kept}


def evidence_export(
    *,
    capture: EvidenceCapture,
    user: User | None = None,
    reason: str = "",
    pdf: bool = True,
    sight: access.Sight | None = None,
) -> bytes:
    """The signed evidence package (WACZ) of ``capture`` for whoever may see it (``access``); the export is
    written to the ledger first."""
    from wangjian.evidence.package import build_package

    if user is not None:
        sight = sight if sight is not None else access.capture_sight(user=user, capture=capture)
        if not sight:
            raise PermissionDeniedError("无权导出该证据", "not allowed to export this evidence")
    evidence_access(
        capture=capture, user=user, action=LedgerAction.EXPORT, reason=reason or "导出证据包", sight=sight
    )
    return build_package(capture, pdf=pdf)
