"""Writes of an access to a capture: the ledger entry of a registered view, a download or an export, and
the change-log record of a page opened — who, when, why, and for someone outside the capture's bureau the
clue or case they came through (``access.Sight``). Re-exported by ``services``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import translation

from wangjian.core.errors import NotFoundError, ValidationFailed
from wangjian.core.models import ChangeRecord
from wangjian.evidence import access, ledger
from wangjian.evidence.choices import AccessReason, LedgerAction
from wangjian.evidence.models import EvidenceCapture, EvidenceFile, LedgerEntry
from wangjian.evidence.store import get_store

if TYPE_CHECKING:
    from wangjian.org.models import User


def actor_name(user: User | None) -> str:
    if user is None or not getattr(user, "pk", None):
        return "system"
    full = getattr(user, "name", "") or (user.get_full_name() if hasattr(user, "get_full_name") else "")
    return f"{user.username}（{full}）" if full else user.username


def evidence_access(
    *,
    capture: EvidenceCapture,
    user: User | None,
    action: str = LedgerAction.VIEW,
    reason: str = "",
    sight: access.Sight | None = None,
) -> LedgerEntry:
    """Write one access (view, download, export) to the ledger: who, when, why, and — for someone
    outside the capture's bureau — through which clue or case (``access.Sight``).

    ``reason`` is written as given: pages pass ``access_reason_text`` of a fixed choice, never
    what a request brings; the command line's operator writes their own.
    """
    if sight is None and getattr(user, "pk", None):
        sight = access.capture_sight(user=user, capture=capture)
    return ledger.append(
        bureau=capture.bureau,
        action=action,
        user_name=actor_name(user),
        reason=reason,
        capture_id=capture.pk,
        detail={"url": capture.url, **(sight.record() if sight is not None else {})},
    )


def access_reason_text(code: str) -> str:
    """The ledger's words for an access reason chosen on a page: one of ``AccessReason``, in Chinese
    whatever the page's language; anything else is refused, so that a request cannot write free text
    into the evidence ledger."""
    if code not in AccessReason.values:
        raise ValidationFailed(
            "查阅事由须从列表中选择", "choose the reason from the list", detail=[str(code)[:100]]
        )
    with translation.override("zh-hans"):
        return str(AccessReason(code).label)


def evidence_view_record(
    *, capture: EvidenceCapture, user: User | None, reason: str, sight: access.Sight | None = None
) -> LedgerEntry:
    """登记查阅: an officer records in the ledger that they consulted the capture, and why (an
    ``AccessReason`` code). Pages call it by POST only; opening the page records the view in the
    change log (``evidence_page_viewed``), never in the ledger."""
    return evidence_access(
        capture=capture, user=user, action=LedgerAction.VIEW, reason=access_reason_text(reason), sight=sight
    )


def evidence_page_viewed(
    *, capture: EvidenceCapture, user: User | None, sight: access.Sight | None = None
) -> None:
    """Who opened the capture's page (or read it through the API), in the change log (查看), as views of
    other personal data are kept: a GET writes nothing into the evidence ledger, so that no link can add
    to it. Someone outside the bureau is recorded with the clue or case they came through."""
    ChangeRecord.log_view(
        capture,
        user=user,
        bureau_id=capture.bureau_id,
        label=f"取证记录 #{capture.pk} {capture.url}",
        reason=sight.reason if sight is not None else "",
    )


def evidence_download(
    *, capture: EvidenceCapture, user: User | None, name: str, sight: access.Sight | None = None
) -> tuple[EvidenceFile, bytes]:
    """One stored file of the capture, its download written to the ledger (by POST, with the file's
    name as the reason: a name the capture has, never text from the request)."""
    f = capture.files.filter(name=name).first()
    if f is None:
        raise NotFoundError(f"取证记录没有文件 {name}", f"capture has no file {name}")
    data = get_store().get(f.sha256)
    evidence_access(
        capture=capture, user=user, action=LedgerAction.DOWNLOAD, reason=f"下载 {f.name}", sight=sight
    )
    return f, data
