"""The evidence package (证据包): a signed WACZ that a reviewer checks with standard tools only.

Layout (the WACZ 1.1.1 convention, so that web-archive players replay it)::

    archive/data.warc.gz          every HTTP exchange of the page load
    indexes/index.cdx             CDXJ index of the WARC
    pages/pages.jsonl             the captured page (URL, time, title, visible text)
    evidence/screenshot.png       full-page screenshot
    evidence/metadata.json        method, time (UTC and Beijing), operators, source, hashes
    evidence/page.html, text.txt  rendered HTML and visible text
    evidence/work_record.pdf      电子数据取证工作记录 (printed by Chromium)
    evidence/ledger.json          this capture's ledger entries and the signed checkpoint
    evidence/public_key.pem       the bureau's ECDSA P-256 package-signing public key
    evidence/ledger_public_key.pem  the bureau's Ed25519 ledger key (checks ledger.json's checkpoint)
    evidence/sha256sums.txt       for ``sha256sum -c evidence/sha256sums.txt`` in the unpacked folder
    evidence/signature-base64     the ECDSA signature of datapackage.json's hash (no extension:
                                  it signs the package list, so the list cannot contain it)
    datapackage.json              every file above with its SHA-256
    datapackage-digest.json       the SHA-256 of datapackage.json and ``signedData`` (signature,
                                  public key, created), as the WACZ signing specification describes

The signature is the WACZ specification's anonymous signing: ECDSA P-256 with SHA-256 over
the ``hash`` string, base64 DER in ``signedData.signature`` and the SubjectPublicKeyInfo in
``signedData.publicKey``, so players that check WACZ signatures accept it. An RFC 3161 timestamp of the signature is added when a timestamp authority is configured
(``WANGJIAN_EVIDENCE_TSA_URL``): ``signedData.timeSignature`` and ``evidence/timestamp-rfc3161``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import logging
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from wangjian import __version__ as WANGJIAN_VERSION
from wangjian.core.errors import WangjianError
from wangjian.evidence import anchors, engine, keys, ledger, timestamp
from wangjian.evidence.choices import LedgerAction
from wangjian.evidence.models import EvidenceCapture, LedgerCheckpoint, LedgerEntry
from wangjian.evidence.store import get_store

log = logging.getLogger(__name__)
WACZ_VERSION = "1.1.1"
SOFTWARE = f"wangjian {WANGJIAN_VERSION} (evidence)"
EXTRA_FILES = {
    "screenshot.png": "screenshot",
    "metadata.json": "metadata",
    "page.html": "html",
    "text.txt": "text",
}


def _cdxj_index(warc: bytes) -> bytes:
    from cdxj_indexer.main import write_cdx_index

    with tempfile.TemporaryDirectory() as tmp:
        warc_path = os.path.join(tmp, "data.warc.gz")
        out_path = os.path.join(tmp, "index.cdx")
        Path(warc_path).write_bytes(warc)
        write_cdx_index(out_path, [warc_path], {"sort": True, "filename": "data.warc.gz"})
        return Path(out_path).read_bytes()


def _ledger_excerpt(capture: EvidenceCapture, checkpoint: LedgerCheckpoint | None) -> dict[str, Any]:
    entries = LedgerEntry.objects.filter(bureau_id=capture.bureau_id, capture_id_ref=capture.pk).order_by(
        "seq"
    )
    return {
        "bureau": {"name": capture.bureau.name, "code": capture.bureau.code},
        "entries": [
            {
                "seq": e.seq,
                "time": e.time.isoformat(),
                "action": e.action,
                "user": e.user_name,
                "reason": e.reason,
                "detail": e.detail,
                "prev_hash": e.prev_hash,
                "entry_hash": e.entry_hash,
            }
            for e in entries
        ],
        "checkpoint": None
        if checkpoint is None
        else {
            "number": checkpoint.number,
            "seq": checkpoint.seq,
            "entry_hash": checkpoint.entry_hash,
            "time": checkpoint.time.isoformat(),
            "key_fingerprint": checkpoint.key_fingerprint,
            "signature": checkpoint.signature,
            "algorithm": checkpoint.algorithm,
            "signed_message": anchors.checkpoint_message(checkpoint).decode(),
        },
    }


def work_record_html(capture: EvidenceCapture, files: list[dict[str, Any]], *, fingerprint: str) -> str:
    """The 电子数据取证工作记录 as HTML (printed to PDF by Chromium)."""
    from zoneinfo import ZoneInfo

    shanghai = ZoneInfo("Asia/Shanghai")
    return render_to_string(
        "evidence/work_record.html",
        {
            "capture": capture,
            "files": files,
            "fingerprint": fingerprint,
            # formatted here: the template's date filter would turn UTC back into Beijing time
            "started_local": capture.started_at.astimezone(shanghai).strftime("%Y年%m月%d日 %H:%M:%S"),
            "finished_local": capture.finished_at.astimezone(shanghai).strftime("%H:%M:%S"),
            "started_utc": capture.started_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
            "finished_utc": capture.finished_at.astimezone(dt.UTC).strftime("%H:%M:%S"),
            "printed": timezone.localtime(),
            "software": SOFTWARE,
            "tsa": timestamp.tsa_url(),
        },
    )


def build_package(capture: EvidenceCapture, *, pdf: bool = True) -> bytes:
    """The signed WACZ of ``capture`` (callers write the export to the ledger first)."""
    store = get_store()
    rows = {f.name: f for f in capture.files.all()}
    private, key_row = ledger.bureau_key(capture.bureau)
    checkpoint = ledger.checkpoint(bureau=capture.bureau)
    created = timezone.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    contents: dict[str, bytes] = {}
    if "capture.warc.gz" in rows:
        warc = store.get(rows["capture.warc.gz"].sha256)
        contents["archive/data.warc.gz"] = warc
        contents["indexes/index.cdx"] = _cdxj_index(warc)
    else:  # a failed capture with no exchange: an empty, valid WARC with only the warcinfo
        warc = engine.build_warc(
            engine.CaptureResult(
                requested_url=capture.url or f"urn:wangjian:evidence:{capture.pk}",
                mode=capture.mode,
                started_at=capture.started_at,
            )
        )
        contents["archive/data.warc.gz"] = warc
        contents["indexes/index.cdx"] = _cdxj_index(warc)
    text = store.get(rows["text.txt"].sha256).decode("utf-8") if "text.txt" in rows else ""
    page = {
        "id": f"capture-{capture.pk}",
        "url": capture.final_url or capture.url or f"urn:wangjian:evidence:{capture.pk}",
        "ts": capture.started_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "title": capture.title or capture.url,
        "text": text,
    }
    header = {"format": "json-pages-1.0", "id": "pages", "title": "All Pages", "hasText": bool(text)}
    pages = [header] + ([page] if capture.ok else [])
    contents["pages/pages.jsonl"] = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pages).encode()
    for name in EXTRA_FILES:
        if name in rows:
            contents[f"evidence/{name}"] = store.get(rows[name].sha256)
    for name, row in rows.items():  # uploaded evidence: photos, videos, recordings, scanned records
        if row.role == "upload":
            contents[f"evidence/uploads/{name}"] = store.get(row.sha256)
    contents["evidence/ledger.json"] = json.dumps(
        _ledger_excerpt(capture, checkpoint), ensure_ascii=False, indent=2
    ).encode()
    contents["evidence/public_key.pem"] = key_row.package_public_key_pem.encode()
    contents["evidence/ledger_public_key.pem"] = key_row.public_key_pem.encode()
    if pdf:
        listed = [
            {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
            for path, data in contents.items()
        ]
        html = work_record_html(capture, listed, fingerprint=key_row.package_fingerprint)
        contents["evidence/work_record.pdf"] = engine.render_pdf(html)
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {path}\n" for path, data in sorted(contents.items()))
    contents["evidence/sha256sums.txt"] = sums.encode()

    datapackage = {
        "profile": "data-package",
        "resources": [
            {
                "name": path.rsplit("/", 1)[-1].lower(),
                "path": path,
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
            }
            for path, data in contents.items()
        ],
        "wacz_version": WACZ_VERSION,
        "software": SOFTWARE,
        "created": created,
        "title": f"电子数据取证 #{capture.pk} {capture.title or capture.url}"[:300],
        "description": capture.purpose,
        "mainPageUrl": page["url"] or f"urn:wangjian:evidence:{capture.pk}",
        "mainPageDate": page["ts"],
    }
    datapackage_bytes = json.dumps(datapackage, ensure_ascii=False, indent=2).encode()
    digest = "sha256:" + hashlib.sha256(datapackage_bytes).hexdigest()
    package_private = ledger.package_key(capture.bureau)
    signature = keys.sign_package(package_private, digest.encode())
    digest_doc = {
        "path": "datapackage.json",
        "hash": digest,
        "signedData": {
            "hash": digest,
            "created": created,
            "software": SOFTWARE,
            "signature": signature,
            "publicKey": base64.b64encode(keys.public_der(package_private.public_key())).decode(),
            "keyFingerprint": key_row.package_fingerprint,
        },
    }
    time_stamp = b""
    if timestamp.tsa_url():
        try:
            time_stamp = timestamp.stamp(base64.b64decode(signature))
            digest_doc["signedData"]["timeSignature"] = base64.b64encode(time_stamp).decode()
            digest_doc["signedData"]["timestampAuthority"] = timestamp.tsa_url()
        except WangjianError as exc:  # the package stays signed; the missing timestamp is stated in it
            log.warning("evidence timestamp failed: %s (%s)", exc, exc.detail)
            digest_doc["signedData"]["timestampError"] = f"{exc.zh} / {exc.en}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for path, data in contents.items():
            stored = path.startswith(("archive/", "indexes/")) or path.endswith((".png", ".pdf"))
            zf.writestr(path, data, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
        zf.writestr("evidence/signature-base64", signature + "\n", compress_type=zipfile.ZIP_DEFLATED)
        if time_stamp:
            zf.writestr("evidence/timestamp-rfc3161", time_stamp, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("datapackage.json", datapackage_bytes, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr(
            "datapackage-digest.json",
            json.dumps(digest_doc, ensure_ascii=False, indent=2).encode(),
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return out.getvalue()


@dataclass
class PackageCheck:
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_package(data: bytes, *, public_key_pem: str | None = None) -> PackageCheck:
    """Check a package as a reviewer would: file hashes, datapackage digest, signature.

    With ``public_key_pem`` (the bureau's published key) the signature must be by that key;
    without it, by the key inside the package.
    """
    check = PackageCheck()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        for required in (
            "datapackage.json",
            "datapackage-digest.json",
            "archive/data.warc.gz",
            "pages/pages.jsonl",
        ):
            if required not in names:
                check.problems.append(f"{required}: 缺失 / missing")
        if check.problems:
            return check
        datapackage_bytes = zf.read("datapackage.json")
        datapackage = json.loads(datapackage_bytes)
        for res in datapackage["resources"]:
            if res["path"] not in names:
                check.problems.append(f"{res['path']}: 缺失 / missing")
                continue
            actual = "sha256:" + hashlib.sha256(zf.read(res["path"])).hexdigest()
            if actual != res["hash"]:
                check.problems.append(f"{res['path']}: 哈希不符 / hash differs")
        digest_doc = json.loads(zf.read("datapackage-digest.json"))
        actual = "sha256:" + hashlib.sha256(datapackage_bytes).hexdigest()
        if digest_doc.get("hash") != actual:
            check.problems.append(
                "datapackage.json: 与 datapackage-digest.json 不符 / differs from its digest"
            )
        signed = digest_doc.get("signedData") or {}
        if signed.get("hash") != digest_doc.get("hash") or signed.get("created") != datapackage.get(
            "created"
        ):
            check.problems.append("datapackage-digest.json: signedData 与包不符 / signedData does not match")
        from cryptography.hazmat.primitives.serialization import load_der_public_key

        try:
            inner = load_der_public_key(base64.b64decode(signed.get("publicKey", "")))
        except ValueError:
            check.problems.append("datapackage-digest.json: 公钥无效 / invalid public key")
            return check
        try:
            public = keys.load_package_public(public_key_pem) if public_key_pem else inner
        except (WangjianError, ValueError):
            check.problems.append(
                "给定公钥不是本局证据包签名公钥 / the given key is not a package-signing key"
            )
            return check
        if public_key_pem and keys.public_der(inner) != keys.public_der(public):
            check.problems.append(
                "datapackage-digest.json: 签名公钥不是本局公钥 / not signed by the bureau's key"
            )
        if not isinstance(public, keys.ec.EllipticCurvePublicKey) or not keys.verify_package(
            public, signed.get("hash", "").encode(), signed.get("signature", "")
        ):
            check.problems.append("datapackage-digest.json: 签名无效 / signature invalid")
    return check


__all__ = ["build_package", "check_package", "LedgerAction"]
