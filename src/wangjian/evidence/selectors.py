"""Reads of the evidence app: who may see which capture, its files, and the integrity check.

Lists follow the organisation rule (own bureau and the bureaus below it); one capture is also seen by
whoever may see a clue or case it is linked to (``access``: the rule, and the registry the upper apps
fill). The integrity
check (``evidence_verify``) is what ``wangjian evidence verify`` and the viewer show: it
re-hashes every stored file, walks each bureau's ledger chain, checks the checkpoint
signatures and compares the database with the checkpoint heads anchored in the evidence store
(``anchors``), naming exactly which item — by its number — was altered or is missing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from wangjian.core.errors import NotFoundError
from wangjian.core.models import ChangeRecord
from wangjian.evidence import access, anchors, keys, ledger
from wangjian.evidence.choices import CaptureStatus, LedgerAction
from wangjian.evidence.models import BureauKey, EvidenceCapture, LedgerCheckpoint, LedgerEntry
from wangjian.evidence.store import BlobMissing, BlobStore, get_store
from wangjian.org.selectors import scope

if TYPE_CHECKING:
    from wangjian.org.models import Bureau, User


def capture_list(*, user: User) -> QuerySet[EvidenceCapture]:
    return scope(EvidenceCapture.objects.select_related("bureau", "captured_by"), user)


def capture_get(*, user: User, pk: int) -> EvidenceCapture:
    """One capture ``user`` may see (``access.capture_sight``), with why (its ``Sight``) kept on it for the
    record of the view (``capture_sight``). A capture that does not exist and one the user may not see are refused alike."""
    capture = EvidenceCapture.objects.select_related("bureau", "captured_by").filter(pk=pk).first()
    sight = access.capture_sight(user=user, capture=capture) if capture is not None else None
    if not sight:
        raise NotFoundError(f"取证记录 {pk} 不存在或无权查看", f"capture {pk} not found or not visible")
    capture._sight = (user.pk, sight)
    return capture


def capture_sight(*, user: User, capture: EvidenceCapture) -> access.Sight:
    """Why ``user`` sees ``capture`` (kept by ``capture_get``; worked out again for a capture got otherwise)."""
    kept = getattr(capture, "_sight", None)
    if kept is not None and kept[0] == getattr(user, "pk", None):
        return kept[1]
    return access.capture_sight(user=user, capture=capture)


def capture_blob(*, capture: EvidenceCapture, name: str) -> bytes:
    f = capture.files.filter(name=name).first()
    if f is None:
        raise NotFoundError(f"取证记录没有文件 {name}", f"capture has no file {name}")
    return get_store().get(f.sha256)


def capture_access_log(*, capture: EvidenceCapture) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(bureau_id=capture.bureau_id, capture_id_ref=capture.pk).order_by("seq")


def capture_page_views(*, capture: EvidenceCapture, limit: int = 20) -> QuerySet[ChangeRecord]:
    """Who opened the capture's page, newest first (the change log's 查看 records, not the ledger)."""
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(EvidenceCapture),
        object_id=str(capture.pk),
        action=ChangeRecord.Action.VIEW,
    ).order_by("-time", "-id")[:limit]


@dataclass
class Problem:
    item: str  # what exactly: "capture 3 file screenshot.png", "ledger 341825 entry #5", …
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.item}: {self.zh} / {self.en}"


@dataclass
class VerifyReport:
    problems: list[Problem] = field(default_factory=list)
    captures: int = 0
    files: int = 0
    entries: int = 0
    checkpoints: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, item: str, zh: str, en: str) -> None:
        self.problems.append(Problem(item, zh, en))

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "captures": self.captures,
            "files": self.files,
            "ledger_entries": self.entries,
            "checkpoints": self.checkpoints,
            "problems": [p.__dict__ for p in self.problems],
            "notes": self.notes,
        }


def _verify_capture(
    capture: EvidenceCapture, report: VerifyReport, store: BlobStore, capture_entries: dict
) -> None:
    report.captures += 1
    label = f"取证记录 capture {capture.pk}"
    rows = {f.name: f for f in capture.files.all()}
    for f in rows.values():
        report.files += 1
        item = f"{label} 文件 file {f.name} ({store.describe(f.sha256)})"
        try:
            data = store.get(f.sha256)
        except BlobMissing:
            report.add(item, "文件缺失", "file missing")
            continue
        actual = hashlib.sha256(data).hexdigest()
        if actual != f.sha256:
            report.add(item, f"文件已被改动（现哈希 {actual}）", f"file altered (now hashes to {actual})")
        elif len(data) != f.size:
            report.add(item, "文件长度不符", "file size differs")
    meta_row = rows.get("metadata.json")
    if meta_row is None or meta_row.sha256 != capture.metadata_sha256:
        report.add(
            f"{label} metadata.json", "元数据记录与取证记录不符", "metadata record does not match the capture"
        )
    else:
        try:
            meta = json.loads(store.get(meta_row.sha256))
            listed = {f["name"]: f["sha256"] for f in meta.get("files", [])}
            for name, row in rows.items():
                if name != "metadata.json" and listed.get(name) != row.sha256:
                    report.add(
                        f"{label} 文件 file {name}",
                        "与元数据中的哈希不符",
                        "differs from the metadata's hash",
                    )
        except (BlobMissing, ValueError):
            pass  # already reported as missing or altered above
    entry = capture_entries.get((capture.bureau_id, capture.pk))
    if entry is None:
        report.add(f"{label}", "台账中没有该取证记录的登记", "no ledger entry for this capture")
    else:
        recorded = entry.detail.get("files", {})
        current = {name: row.sha256 for name, row in rows.items()}
        if recorded != current:
            changed = sorted(set(recorded.items()) ^ set(current.items()))
            names = sorted({name for name, _ in changed})
            report.add(
                f"{label} 文件 file {', '.join(names)}",
                "文件清单与台账登记不符（数据库被改动）",
                "file list differs from the ledger entry (database altered)",
            )


def _numbers(first: int, last: int) -> str:
    return f"#{first}" if first == last else f"#{first}–#{last}"


def _verify_chain(bureau: Bureau, report: VerifyReport, store: BlobStore) -> dict:
    """Walk one bureau's chain, its checkpoints and the heads anchored in the store; returns
    {(bureau_id, capture_id): capture entry} for the file checks."""
    entries = LedgerEntry.objects.filter(bureau=bureau).order_by("seq").iterator(chunk_size=2000)
    label = f"台账 ledger {bureau.code}"
    prev = ledger.GENESIS
    expected_seq = 1
    by_seq: dict[int, str] = {}
    last_seq = 0
    capture_entries: dict = {}
    deleted: set[int] = set()
    for e in entries:
        report.entries += 1
        item = f"{label} 条目 entry #{e.seq}"
        if e.seq != expected_seq:
            report.add(
                f"{label} 条目 entry {_numbers(expected_seq, e.seq - 1)}",
                "条目缺失（序号不连续）",
                f"entry missing (next found is #{e.seq})"
                if e.seq - 1 == expected_seq
                else f"entries missing (next found is #{e.seq})",
            )
        if e.prev_hash != prev:
            report.add(item, "与上一条目的哈希链断开", "hash chain broken (previous hash differs)")
        if ledger.entry_hash(e) != e.entry_hash:
            report.add(item, "条目内容已被改动", "entry content altered")
        prev = e.entry_hash
        expected_seq = e.seq + 1
        by_seq[e.seq] = e.entry_hash
        last_seq = e.seq
        if e.action == LedgerAction.CAPTURE and e.capture_id_ref:
            capture_entries[(bureau.pk, e.capture_id_ref)] = e
        if e.action == LedgerAction.DELETE and e.capture_id_ref:
            deleted.add(e.capture_id_ref)
    key_row = BureauKey.objects.filter(bureau=bureau).first()
    checkpoints = list(LedgerCheckpoint.objects.filter(bureau=bureau).order_by("seq"))
    public = keys.load_public(key_row.public_key_pem) if key_row is not None else None
    anchored = anchors.read(bureau.code, public=public)
    if key_row is not None:
        try:
            private = keys.load_private(bureau, create=False)
            if keys.fingerprint(private.public_key()) != key_row.fingerprint:
                report.add(
                    f"{label} 公钥 public key", "与本局私钥不匹配", "does not match the bureau's private key"
                )
        except Exception:  # the private key may be kept off this machine
            report.notes.append(f"{label}: 本机无私钥，仅用公钥验证 / private key not on this machine")
    elif checkpoints or anchored.heads or anchored.latest or anchored.invalid:
        report.add(f"{label} 公钥 public key", "公钥缺失", "public key missing")
    for cp in checkpoints:
        report.checkpoints += 1
        item = f"{label} 检查点 checkpoint @#{cp.seq}"
        signed_hash = by_seq.get(cp.seq)
        if signed_hash is None:
            report.add(item, "检查点所签的条目缺失", "signed entry missing")
        elif signed_hash != cp.entry_hash:
            report.add(item, "所签哈希与台账条目不符", "signed hash differs from the ledger entry")
        if public is not None:
            if cp.key_fingerprint != key_row.fingerprint:
                report.add(item, "签名公钥指纹不符", "key fingerprint differs")
            message = ledger.checkpoint_message(
                bureau_code=bureau.code,
                seq=cp.seq,
                entry_hash_=cp.entry_hash,
                time_iso=cp.time.isoformat(),
                number=cp.number if cp.message_version >= 2 else None,
            )
            if not keys.verify_signed(cp.algorithm, public, message, cp.signature):
                report.add(item, "签名无效", "signature invalid")
    if last_seq and (not checkpoints or checkpoints[-1].seq < last_seq):
        signed = checkpoints[-1].seq if checkpoints else 0
        report.notes.append(
            f"{label}: 条目 #{signed + 1}–#{last_seq} 尚未签名检查点（哈希链已校验）"
            f" / entries after #{signed} not yet under a signed checkpoint (chain checked)"
        )
    existing = set(EvidenceCapture.objects.filter(bureau=bureau).values_list("pk", flat=True))
    missing_captures: set[int] = set()
    for _bureau_id, capture_id in capture_entries:
        if capture_id not in existing and capture_id not in deleted:
            missing_captures.add(capture_id)
            files = capture_entries[(bureau.pk, capture_id)].detail.get("files", {})
            gone = sorted(name for name, sha in files.items() if not store.exists(sha))
            report.add(
                f"取证记录 capture {capture_id}",
                "记录缺失（台账无删除登记）" + (f"；存储中的文件也已缺失：{', '.join(gone)}" if gone else ""),
                "record missing (no deletion in the ledger)"
                + (f"; its stored files are gone too: {', '.join(gone)}" if gone else ""),
            )
    _verify_anchors(
        bureau,
        report,
        anchored=anchored,
        checkpoints=checkpoints,
        by_seq=by_seq,
        last_seq=last_seq,
        existing=existing,
        deleted=deleted,
        missing_captures=missing_captures,
    )
    return capture_entries


def _verify_anchors(
    bureau: Bureau,
    report: VerifyReport,
    *,
    anchored: anchors.Anchored,
    checkpoints: list[LedgerCheckpoint],
    by_seq: dict[int, str],
    last_seq: int,
    existing: set[int],
    deleted: set[int],
    missing_captures: set[int],
) -> None:
    """Compare the database with the heads anchored outside it (``anchors``): a ledger cut short, a
    checkpoint deleted, a capture deleted with its entry — each named by its number."""
    label = f"台账 ledger {bureau.code}"
    if anchored.unreadable:
        report.add(
            f"{label} 证据存储 evidence store",
            f"无法读取锚定的检查点记录：{anchored.unreadable}",
            f"anchored checkpoint heads unreadable: {anchored.unreadable}",
        )
    for where, zh, en in anchored.invalid:
        report.add(
            f"{label} 存储记录 store record {where}", f"锚定记录无效：{zh}", f"anchored head invalid: {en}"
        )
    heads = dict(anchored.heads)
    if anchored.latest is not None:
        heads.setdefault(int(anchored.latest["number"]), anchored.latest)
    db = {cp.number: cp for cp in checkpoints}
    top = max([*heads, *db], default=0)

    def cp_item(number: int) -> str:
        return f"{label} 第{number}号检查点 checkpoint No. {number}"

    for number in range(1, top + 1):
        head, cp = heads.get(number), db.get(number)
        if cp is None and head is not None:
            report.add(
                cp_item(number),
                f"检查点缺失：数据库中没有，证据存储中有其锚定记录（截至条目 #{head['seq']}）",
                "checkpoint missing from the database; anchored in the evidence store"
                f" (up to entry #{head['seq']})",
            )
        elif cp is None:
            report.add(
                cp_item(number), "检查点缺失（编号不连续）", "checkpoint missing (numbers not consecutive)"
            )
        elif head is None:
            if cp.message_version >= 2:
                report.add(
                    cp_item(number),
                    f"未锚定到证据存储（截至条目 #{cp.seq}；wangjian evidence checkpoint 会补写）",
                    f"not anchored in the evidence store (up to entry #{cp.seq}; wangjian evidence checkpoint"
                    " writes it)",
                )
            else:
                report.notes.append(
                    f"{cp_item(number)}: 编号之前签名的旧检查点，尚未锚定到证据存储"
                    " / signed before numbering, not yet anchored in the evidence store"
                )
        elif (head["seq"], head["entry_hash"], head["time"], head["signature"]) != (
            cp.seq,
            cp.entry_hash,
            cp.time.isoformat(),
            cp.signature,
        ):
            report.add(
                cp_item(number),
                f"与证据存储中的锚定记录（截至条目 #{head['seq']}）不符",
                f"differs from its anchor in the evidence store (up to entry #{head['seq']})",
            )
        if head is not None and (cp is None or cp.entry_hash != head["entry_hash"]):
            # Without its own checkpoint row the anchored head is the only witness of that entry.
            actual = by_seq.get(int(head["seq"]))
            if actual is not None and actual != head["entry_hash"]:
                report.add(
                    f"{label} 条目 entry #{head['seq']}",
                    "与证据存储中锚定的哈希不符（台账被改写）",
                    "differs from the hash anchored in the evidence store (ledger rewritten)",
                )
    newest_db = max(db.values(), key=lambda c: c.number, default=None)
    latest = anchored.top
    if latest is not None and (newest_db is None or newest_db.number < int(latest["number"])):
        anchored_zh = f"证据存储中锚定的最新检查点第{latest['number']}号（截至条目 #{latest['seq']}）"
        anchored_en = (
            f"the latest head anchored in the evidence store, No. {latest['number']} (entry #{latest['seq']})"
        )
        if newest_db is None:
            zh = f"数据库中没有检查点，而有{anchored_zh}"
            en = f"the database has no checkpoint, but there is {anchored_en}"
        else:
            zh = f"数据库中最新的检查点为第{newest_db.number}号（截至条目 #{newest_db.seq}），早于{anchored_zh}"
            en = (
                f"the database's newest checkpoint, No. {newest_db.number} (entry #{newest_db.seq}),"
                f" is older than {anchored_en}"
            )
        report.add(f"{label} 最新检查点 latest checkpoint", zh, en)
    signed_top = max([int(h["seq"]) for h in heads.values()] + [cp.seq for cp in checkpoints], default=0)
    if signed_top > last_seq:
        report.add(
            f"{label} 条目 entry {_numbers(last_seq + 1, signed_top)}",
            f"条目缺失：台账末尾被截断（检查点已签名至条目 #{signed_top}，数据库只到 #{last_seq}）",
            f"entries missing: the ledger's tail was cut (checkpoints signed up to entry #{signed_top},"
            f" the database ends at #{last_seq})",
        )
    for head in sorted(heads.values(), key=lambda h: int(h["number"])):
        for capture_id, seq in anchors.captures_of(head):
            if capture_id in existing or capture_id in deleted or capture_id in missing_captures:
                continue
            missing_captures.add(capture_id)
            report.add(
                f"取证记录 capture {capture_id}",
                f"记录缺失（登记于台账条目 #{seq}，该登记已锚定于证据存储；台账无删除登记）",
                f"record missing (registered by ledger entry #{seq}, anchored in the evidence store;"
                " no deletion in the ledger)",
            )


def evidence_verify(*, capture_ids: list[int] | None = None) -> VerifyReport:
    """Re-hash files, walk the chains, check signatures and the anchored heads; ``capture_ids=None``
    checks everything, including bureaus whose ledger is gone from the database but anchored in the store."""
    from wangjian.org.models import Bureau

    report = VerifyReport()
    store = get_store()
    captures = EvidenceCapture.objects.select_related("bureau").prefetch_related("files")
    if capture_ids is not None:
        captures = captures.filter(pk__in=capture_ids)
        found = {c.pk for c in captures}
        for missing in sorted(set(capture_ids) - found):
            report.add(f"取证记录 capture {missing}", "不存在", "does not exist")
        bureau_ids = {c.bureau_id for c in captures}
    else:
        bureau_ids = (
            set(LedgerEntry.objects.values_list("bureau_id", flat=True).distinct())
            | set(captures.values_list("bureau_id", flat=True).distinct())
            | set(LedgerCheckpoint.objects.values_list("bureau_id", flat=True).distinct())
        )
        codes = anchors.bureau_codes()
        known = dict(Bureau.objects.filter(code__in=codes).values_list("code", "pk"))
        bureau_ids |= set(known.values())
        for code in sorted(set(codes) - set(known)):
            report.add(
                f"台账 ledger {code}",
                "证据存储中有该局锚定的检查点，但数据库中没有该局",
                "checkpoint heads anchored in the evidence store for a bureau the database does not have",
            )
    capture_entries: dict = {}
    for bureau in Bureau.objects.filter(pk__in=bureau_ids).order_by("code"):
        capture_entries.update(_verify_chain(bureau, report, store))
    for capture in captures.order_by("pk"):
        _verify_capture(capture, report, store, capture_entries)
    return report


def capture_summary(capture: EvidenceCapture) -> dict[str, Any]:
    """The capture as the ``--json`` output and the API give it."""
    return {
        "id": capture.pk,
        "bureau": capture.bureau.code,
        "url": capture.url,
        "final_url": capture.final_url,
        "mode": capture.mode,
        "status": capture.status,
        "ok": capture.status == CaptureStatus.OK,
        "failure_reason": capture.failure_reason,
        "failure_detail": capture.failure_detail,
        "http_status": capture.http_status,
        "resolved_ip": capture.resolved_ip,
        "title": capture.title,
        "purpose": capture.purpose,
        "case_ref": capture.case_ref,
        "operators": capture.operators,
        "started_at": capture.started_at.isoformat(),
        "finished_at": capture.finished_at.isoformat(),
        "retain_until": capture.retain_until.isoformat(),
        "metadata_sha256": capture.metadata_sha256,
        "files": [
            {
                "name": f.name,
                "role": f.role,
                "sha256": f.sha256,
                "size": f.size,
                "content_type": f.content_type,
            }
            for f in capture.files.all()
        ],
    }


def capture_archived_response(
    *, capture: EvidenceCapture, url: str | None = None
) -> tuple[str, bytes] | None:
    """(content type, body) of the archived response for ``url`` (default: the final page) from the WARC."""
    import io

    from warcio.archiveiterator import ArchiveIterator

    target = url or capture.final_url or capture.url
    f = capture.files.filter(name="capture.warc.gz").first()
    if f is None:
        return None
    for record in ArchiveIterator(io.BytesIO(get_store().get(f.sha256))):
        if record.rec_type == "response" and record.rec_headers.get_header("WARC-Target-URI") == target:
            content_type = record.http_headers.get_header("Content-Type") or "application/octet-stream"
            return content_type, record.content_stream().read()
    return None


def capture_verification(*, capture: EvidenceCapture) -> VerifyReport:
    """The viewer's check: the capture's files re-hashed against the database, its metadata and its own
    ledger entry (whose hash is recomputed). The whole chain and the signatures: ``evidence verify``."""
    report = VerifyReport()
    entries = {}
    entry = LedgerEntry.objects.filter(
        bureau_id=capture.bureau_id, capture_id_ref=capture.pk, action=LedgerAction.CAPTURE
    ).first()
    if entry is not None:
        report.entries = 1
        if ledger.entry_hash(entry) != entry.entry_hash:
            report.add(
                f"台账 ledger {capture.bureau.code} 条目 entry #{entry.seq}",
                "条目内容已被改动",
                "entry content altered",
            )
        entries[(capture.bureau_id, capture.pk)] = entry
    _verify_capture(capture, report, get_store(), entries)
    return report


def text_with_highlight(text: str, term: str) -> list[tuple[str, bool]]:
    """The visible text cut into (piece, is_match) so the viewer can mark the finding."""
    term = (term or "").strip()
    if not term:
        return [(text, False)]
    pieces, start = [], 0
    while True:
        i = text.find(term, start)
        if i < 0:
            pieces.append((text[start:], False))
            return pieces
        pieces.append((text[start:i], False))
        pieces.append((term, True))
        start = i + len(term)


def replay_document(*, capture: EvidenceCapture, resource_base: str) -> bytes | None:
    """The archived page made inert for replay: the rendered DOM (else the archived response) without
    scripts, with every image, stylesheet and frame pointed at ``resource_base?u=<original URL>``, so
    that the browser asks only the archive."""
    from urllib.parse import quote, urljoin

    from selectolax.lexbor import LexborHTMLParser

    names = set(capture.files.values_list("name", flat=True))
    if "page.html" in names:
        html = capture_blob(capture=capture, name="page.html").decode("utf-8")
    else:
        archived = capture_archived_response(capture=capture)
        if archived is None:
            return None
        from wangjian.evidence.engine import decode_html

        html = decode_html(archived[1], archived[0])
    tree = LexborHTMLParser(html)
    for node in tree.css("script, noscript, base, meta[http-equiv]"):
        node.decompose()
    page_url = capture.final_url or capture.url
    sep = "&" if "?" in resource_base else "?"  # the base may carry the replay origin's ticket
    for node in tree.css("[src], link[href], [srcset], [poster]"):
        for attr in ("src", "href", "poster"):
            value = node.attributes.get(attr)
            if value:
                node.attrs[attr] = f"{resource_base}{sep}u={quote(urljoin(page_url, value.strip()), safe='')}"
        if node.attributes.get("srcset") is not None:
            del node.attrs["srcset"]
    for node in tree.css("[onload], [onerror], [onclick]"):
        for attr in ("onload", "onerror", "onclick"):
            if node.attributes.get(attr) is not None:
                del node.attrs[attr]
    return (tree.html or "").encode("utf-8")


def ledger_entries(*, user: User, action: str = "") -> QuerySet[LedgerEntry]:
    qs = scope(LedgerEntry.objects.select_related("bureau"), user).order_by("-time", "-id")
    return qs.filter(action=action) if action else qs


def ledger_checkpoints(*, user: User) -> QuerySet[LedgerCheckpoint]:
    return scope(LedgerCheckpoint.objects.select_related("bureau"), user).order_by("-time", "-id")


def bureau_keys(*, user: User) -> QuerySet[BureauKey]:
    return scope(BureauKey.objects.select_related("bureau"), user).order_by("bureau__code")
