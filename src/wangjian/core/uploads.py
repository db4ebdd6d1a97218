"""Bounded uploads: every file the web receives has a size cap by kind, and a zip is measured before it is opened.

Found on a running instance: an upload had no size cap, and a 113 KB XLSX cost seconds of
CPU and 130 MB of memory. So there are two kinds of upload, each with its cap from the
environment — imports (the registry, seller lists, rule libraries, and every other file a
page takes: ``WANGJIAN_IMPORT_MAX_BYTES``, 50 MB) and evidence (a clue's attachments, videos
among them: ``WANGJIAN_EVIDENCE_UPLOAD_MAX_BYTES``, 2 GB) — enforced three times:

- by the server: ``wangjian serve`` refuses a body larger than the largest cap before reading
  it, and ``UploadLimitMiddleware`` (``core.middleware``) refuses a body larger than its
  page's cap by its ``Content-Length`` before anything parses it, then counts each file's
  bytes as they stream in (``CappedUploadHandler``) in case the length lied;
- by Django: a file larger than ``FILE_UPLOAD_MAX_MEMORY_SIZE`` is spooled to a temporary file
  on disk and stored from there in chunks, never held in memory whole;
- by the services (``check_size``), so a command, a task and every page refuse alike.

All three say the same sentence (``too_large``), so the page and the API show one message.

A zip (XLSX is one) is refused before parsing when its members declare more than
``WANGJIAN_ZIP_MAX_BYTES`` uncompressed, or expand more than ``WANGJIAN_ZIP_MAX_RATIO`` times
(``zip_check``): the declared sizes are binding, since ``zipfile`` stops a member at its
declared size and fails its checksum.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler

from wangjian.core.errors import ValidationFailed, WangjianError

IMPORT = "import"
EVIDENCE = "evidence"

MB = 1024 * 1024
# kind → (setting, default bytes, what the cap is called in Chinese and English)
KINDS: dict[str, tuple[str, int, str, str]] = {
    IMPORT: ("WANGJIAN_IMPORT_MAX_BYTES", 50 * MB, "导入文件", "import files"),
    EVIDENCE: ("WANGJIAN_EVIDENCE_UPLOAD_MAX_BYTES", 2048 * MB, "证据与附件", "evidence and attachments"),
}
DEFAULT_KIND = IMPORT  # a page that names no kind (notices, duty lists, calendars) takes the import cap

# A multipart body carries the form's other fields and the part headers besides the file.
FORM_ALLOWANCE = 1 * MB

ZIP_MAX_BYTES = 500 * MB  # declared uncompressed total of a zip's members (WANGJIAN_ZIP_MAX_BYTES)
ZIP_MAX_RATIO = 100  # uncompressed / compressed, per member and overall (WANGJIAN_ZIP_MAX_RATIO)
ZIP_MAX_MEMBERS = 10_000  # a workbook has a few dozen parts
ZIP_RATIO_FLOOR = 1 * MB  # smaller members may compress as well as they like (an empty sheet does)


class UploadTooLarge(WangjianError):
    code = "too_large"
    http_status = 413


def cap(kind: str) -> int:
    """The size cap of ``kind`` in bytes: the Django setting (read from the environment), else the default."""
    setting, default, _zh, _en = KINDS[kind]
    return int(getattr(settings, setting, None) or default)


def largest_cap() -> int:
    return max(cap(kind) for kind in KINDS)


def human_size(n: int) -> str:
    if n >= 1024 * MB:
        return f"{n / (1024 * MB):g} GB"
    if n >= MB:
        return f"{n / MB:g} MB"
    if n >= 1024:
        return f"{n / 1024:g} KB"
    return f"{n} B"


def too_large(kind: str, size: int | None = None) -> UploadTooLarge:
    """The one refusal of an upload over its cap: the same words from the server, the pages and the API."""
    _setting, _default, zh, en = KINDS[kind]
    limit = cap(kind)
    detail: dict[str, Any] = {"kind": kind, "cap": limit}
    if size is not None:
        detail["size"] = size
    return UploadTooLarge(
        f"上传的文件超过{zh}的大小上限 {human_size(limit)}，未接收",
        f"the upload is over the size cap for {en} ({human_size(limit)}) and was not accepted",
        detail=detail,
    )


def file_size(file: Any) -> int | None:
    """The size of an uploaded or opened file, without reading it."""
    size = getattr(file, "size", None)
    if size is not None:
        return int(size)
    try:
        position = file.tell()
        file.seek(0, 2)
        end = file.tell()
        file.seek(position)
        return int(end)
    except (AttributeError, OSError, ValueError):
        return None


def check_size(file: Any, *, kind: str) -> None:
    """Refuse ``file`` (an upload, an open file, or bytes) when it is larger than the cap of ``kind``."""
    size = len(file) if isinstance(file, (bytes, bytearray)) else file_size(file)
    if size is not None and size > cap(kind):
        raise too_large(kind, size)


# ---------------------------------------------------------------------------------------------
# Zips (XLSX): measured from the central directory before a byte is decompressed


def zip_limits() -> tuple[int, float]:
    total = int(getattr(settings, "WANGJIAN_ZIP_MAX_BYTES", None) or ZIP_MAX_BYTES)
    ratio = float(getattr(settings, "WANGJIAN_ZIP_MAX_RATIO", None) or ZIP_MAX_RATIO)
    return total, ratio


def _zip_refused(problem_zh: str, problem_en: str, name: str, detail: dict) -> ValidationFailed:
    where_zh = f"“{name}”" if name else ""
    where_en = f" {name!r}" if name else ""
    return ValidationFailed(
        f"压缩文件{where_zh}解压后过大，疑为“压缩炸弹”，未解析：{problem_zh}",
        f"the compressed file{where_en} would expand too far (a zip bomb?) and was not parsed: {problem_en}",
        code="zip_bomb",
        detail=detail,
    )


def zip_check(source: str | Any | IO[bytes], *, name: str = "") -> None:
    """Refuse a zip (an XLSX) whose members declare too much: every member's uncompressed size, their
    total and the compression ratio, read from the central directory before anything is decompressed.

    A file that is not a zip at all is left to the reader, whose own error says what it is.
    """
    max_total, max_ratio = zip_limits()
    rewind: Callable[[], Any] | None = None
    if hasattr(source, "seek"):
        position = source.tell()

        def rewind() -> None:
            source.seek(position)

    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return
    finally:
        if rewind is not None:
            rewind()
    if len(members) > ZIP_MAX_MEMBERS:
        raise _zip_refused(
            f"包含 {len(members)} 个成员（上限 {ZIP_MAX_MEMBERS}）",
            f"{len(members)} members (at most {ZIP_MAX_MEMBERS})",
            name,
            {"members": len(members)},
        )
    total = compressed = 0
    for member in members:
        total += member.file_size
        compressed += member.compress_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > max_total:
            raise _zip_refused(
                f"成员 {member.filename} 声明解压后 {human_size(member.file_size)}（上限 {human_size(max_total)}）",
                f"member {member.filename} declares {human_size(member.file_size)} uncompressed"
                f" (at most {human_size(max_total)})",
                name,
                {"member": member.filename, "size": member.file_size, "cap": max_total},
            )
        if member.file_size > ZIP_RATIO_FLOOR and ratio > max_ratio:
            raise _zip_refused(
                f"成员 {member.filename} 压缩比 {ratio:.0f}:1（上限 {max_ratio:g}:1）",
                f"member {member.filename} has a compression ratio of {ratio:.0f}:1 (at most {max_ratio:g}:1)",
                name,
                {"member": member.filename, "ratio": round(ratio), "max_ratio": max_ratio},
            )
    if total > max_total:
        raise _zip_refused(
            f"各成员声明解压后共 {human_size(total)}（上限 {human_size(max_total)}）",
            f"the members declare {human_size(total)} uncompressed in all (at most {human_size(max_total)})",
            name,
            {"size": total, "cap": max_total},
        )
    if total > ZIP_RATIO_FLOOR and total / max(compressed, 1) > max_ratio:
        raise _zip_refused(
            f"整体压缩比 {total / max(compressed, 1):.0f}:1（上限 {max_ratio:g}:1）",
            f"an overall compression ratio of {total / max(compressed, 1):.0f}:1 (at most {max_ratio:g}:1)",
            name,
            {"ratio": round(total / max(compressed, 1)), "max_ratio": max_ratio},
        )


# ---------------------------------------------------------------------------------------------
# The server's side: which cap a view has, and a handler that counts the bytes as they arrive


def upload_limit(kind: str) -> Callable:
    """Give a view the cap of ``kind`` (``@upload_limit(EVIDENCE)``; a class-based view or a DRF
    viewset sets ``upload_kind`` instead). Views that name none take ``DEFAULT_KIND``."""
    if kind not in KINDS:
        raise ValueError(f"unknown upload kind {kind!r}")

    def decorate(view: Callable) -> Callable:
        view.upload_kind = kind
        return view

    return decorate


def view_kind(view: Any) -> str:
    """The upload kind of a resolved view: the function's, its class-based view's or its DRF viewset's."""
    for holder in (view, getattr(view, "view_class", None), getattr(view, "cls", None)):
        kind = getattr(holder, "upload_kind", None)
        if kind in KINDS:
            return kind
    return DEFAULT_KIND


class CappedUploadHandler(FileUploadHandler):
    """First of the upload handlers: passes every chunk on, counting each file's bytes, and stops the
    upload with ``too_large`` the moment a file passes the cap (a body without a true length)."""

    def __init__(self, request: Any = None, *, kind: str = DEFAULT_KIND):
        super().__init__(request)
        self.kind = kind
        self.cap = cap(kind)
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.cap:
            raise too_large(self.kind)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) makes the file


# ---------------------------------------------------------------------------------------------
# An import's file on disk


@contextlib.contextmanager
def import_path(source: str | Path | bytes | IO[bytes], file_name: str, *, prefix: str) -> Iterator[Path]:
    """The file of an import on disk (the table readers read paths), within the import cap whatever it came
    as: a path is checked in place; bytes or a file object are written to a temporary file (``prefix``,
    the name's extension kept), removed afterwards."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_file() and path.stat().st_size > cap(IMPORT):
            raise too_large(IMPORT, path.stat().st_size)
        yield path
        return
    check_size(source, kind=IMPORT)
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=Path(file_name).suffix.lower()[:10])
    try:
        with os.fdopen(fd, "wb") as out:
            if isinstance(source, (bytes, bytearray)):
                out.write(source)
            else:
                for chunk in iter(lambda: source.read(1 << 20), b""):
                    out.write(chunk)
        yield Path(name)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file on disk, read a megabyte at a time."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
