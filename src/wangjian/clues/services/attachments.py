"""A clue's attachments and its reporters' details: personal data, shown to those who act on the clue, every view logged."""

from __future__ import annotations

from typing import Any

from wangjian.clues.models import Clue, ClueAttachment, ClueSource
from wangjian.clues.services.transitions import clue_parties
from wangjian.core import uploads
from wangjian.core.errors import NotFoundError, PermissionDeniedError
from wangjian.core.models import ChangeRecord

# ---------------------------------------------------------------------------------------------
# Attachments: kept in WANGJIAN_STORAGE's "clues" area; every download is logged


def reporter_reveal(*, clue: Clue, source_id: int, user: Any) -> ClueSource:
    """A reporter's name and contact, for who acts on the clue (the unit, its head, the office, the
    leading group); the view is logged (查看敏感信息). Others see the name masked."""
    source = clue.sources.filter(pk=source_id).exclude(reporter_name="").first()
    if source is None:
        raise NotFoundError("该来源没有举报人信息", "This source names no reporter")
    if not clue_parties(user=user, clue=clue):
        raise PermissionDeniedError(
            "只有承办单位、办公室和领导小组可以查看举报人信息",
            "Only the unit, the office and the leading group see a reporter's details",
        )
    ChangeRecord.log_view(source, user=user, bureau_id=clue.bureau_id, label=f"{clue.number} · 举报人")
    return source


def attachment_check(*, file: Any) -> None:
    """A clue's attachment is evidence (photos, recordings, screen videos): held to the evidence cap
    (``WANGJIAN_EVIDENCE_UPLOAD_MAX_BYTES``), checked before the clue is registered with it."""
    uploads.check_size(file, kind=uploads.EVIDENCE)


def attachment_add(*, clue: Clue, file: Any, user: Any) -> ClueAttachment:
    """Attach a file (a complaint's letter, a photo, a platform's reply, a video) to the clue.

    The file is stored from the upload's temporary file in chunks (Django spools anything over
    ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to disk), never read into memory whole.
    """
    attachment_check(file=file)
    return ClueAttachment.objects.create(
        clue=clue, file=file, name=str(getattr(file, "name", "") or "附件")[:200], uploaded_by=user
    )


def attachment_open(*, clue: Clue, attachment_id: int, user: Any) -> tuple[ClueAttachment, Any]:
    """The attachment's file for download, the download logged (查看敏感信息): attachments of
    complaints and reports often carry a complainant's name, ID number or phone."""
    attachment = clue.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFoundError("没有该附件", "no such attachment")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise NotFoundError(
            f"附件文件缺失：{attachment.name}", f"attachment file missing: {attachment.name}"
        ) from None
    ChangeRecord.log_view(
        attachment, user=user, bureau_id=clue.bureau_id, label=f"{clue.number} · {attachment.name}"
    )
    return attachment, handle
