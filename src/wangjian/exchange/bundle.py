"""The container every message between two instances travels in, and its receipt (报文与回执).

A message is one ZIP file, the same whether it is posted to the partner's endpoint or carried by hand:

* ``envelope.json`` — who sends to whom, what kind of item, when, and the SHA-256 and size of every other
  member (``body.json`` and each attachment, e.g. a WACZ evidence package);
* ``body.json`` — the item itself: natural keys only (bureau codes, USCC, numbers, dates), never an id of
  the sending database;
* ``attachments/…`` — files, stored as they are;
* ``signature.json`` — the Ed25519 signature of the exact bytes of ``envelope.json`` by the sending bureau's
  key (the one ``wangjian evidence pubkey`` publishes), with the key's fingerprint;
* ``README.txt`` — how to check it without wangjian.

Whoever holds the sender's published key checks the whole message offline: the signature over the envelope,
then each member against the envelope's hash (``openssl pkeyutl -verify -pubin -inkey sender.pem -rawin -in
envelope.json -sigfile signature.bin``, ``sha256sum``). Nothing outside the envelope is trusted; a member not
named in it, or named and missing, makes the message tampered. This follows the government-exchange layers
(X-Road, eDelivery AS4) in what matters here: the signature covers a manifest of hashes, both sides keep the
signed container, and a signed receipt answers each message.

A receipt is a small signed JSON document: the message it answers (id and the SHA-256 of its envelope),
accepted or refused with the reason, when, and what the message became on the receiving side.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import re
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from wangjian.core.errors import WangjianError

FORMAT = "wangjian-exchange/1"
RECEIPT_FORMAT = "wangjian-receipt/1"
ALGORITHM = "ed25519"
#: a message bigger than this is refused before it is opened (four packages of the evidence app's largest)
MAX_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 200
_NAME = re.compile(r"^attachments/[\w.\-（）()]{1,120}$")  # a file name (Chinese included), never a path
_CODE = re.compile(r"^[0-9]{6,12}$")

README = """wangjian 跨实例报文 / wangjian exchange message ({format})

核验方法（无需 wangjian）/ To check it without wangjian:
1. 取得发送局公布的签名公钥 sender.pem（wangjian evidence pubkey）/ get the sender's published key;
2. base64 -d 出 signature.json 中的 signature 存为 signature.bin / decode the signature to signature.bin;
3. openssl pkeyutl -verify -pubin -inkey sender.pem -rawin -in envelope.json -sigfile signature.bin
4. sha256sum body.json attachments/* 与 envelope.json 所列哈希逐一比对 / compare each hash with the envelope.
"""


class BundleRefused(WangjianError):
    """A message that cannot be read as one, or whose contents do not match its signed envelope."""

    code = "malformed"

    def __init__(self, zh: str, en: str, *, code: str = "malformed"):
        super().__init__(zh, en, code=code)


@dataclass(frozen=True)
class Attachment:
    name: str  # the file name inside attachments/
    data: bytes
    media_type: str = "application/octet-stream"

    @property
    def path(self) -> str:
        return f"attachments/{self.name}"


@dataclass
class Opened:
    """A message read from its bytes: the envelope, body and attachments, and the signature as given."""

    envelope: dict[str, Any]
    envelope_bytes: bytes
    body: dict[str, Any]
    attachments: dict[str, bytes] = field(default_factory=dict)  # path → bytes
    signature: str = ""
    key_fingerprint: str = ""
    algorithm: str = ""

    @property
    def message_id(self) -> str:
        return str(self.envelope.get("id", ""))

    @property
    def kind(self) -> str:
        return str(self.envelope.get("kind", ""))

    @property
    def sender_code(self) -> str:
        return str((self.envelope.get("sender") or {}).get("code", ""))

    @property
    def recipient_code(self) -> str:
        return str((self.envelope.get("recipient") or {}).get("code", ""))

    @property
    def created(self) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(str(self.envelope.get("created", "")))
        except ValueError:
            return None

    @property
    def envelope_sha256(self) -> str:
        return sha256(self.envelope_bytes)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical(value: Any) -> bytes:
    """The one byte form of a JSON value both sides hash and sign (sorted keys, no spaces, UTF-8)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def new_id() -> str:
    return str(uuid.uuid4())


def build(
    *,
    message_id: str,
    kind: str,
    sender: Mapping[str, str],
    recipient: Mapping[str, str],
    created: dt.datetime,
    body: Mapping[str, Any],
    attachments: Sequence[Attachment] = (),
    sign: Any,
    key_fingerprint: str,
    in_reply_to: str = "",
) -> bytes:
    """The message's bytes; ``sign(data) -> base64 signature`` signs the envelope with the sender's key."""
    body_bytes = canonical(dict(body))
    names = [a.name for a in attachments]
    if len(set(names)) != len(names):
        raise ValueError("attachment names repeat")
    bad = [a.path for a in attachments if not _NAME.match(a.path)]
    if bad:
        raise ValueError(f"attachment names must be plain file names: {bad[0]}")
    envelope = {
        "format": FORMAT,
        "id": message_id,
        "kind": kind,
        "in_reply_to": in_reply_to,
        "sender": dict(sender),
        "recipient": dict(recipient),
        "created": created.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "members": [{"path": "body.json", "sha256": sha256(body_bytes), "size": len(body_bytes)}]
        + [
            {"path": a.path, "sha256": sha256(a.data), "size": len(a.data), "media_type": a.media_type}
            for a in attachments
        ],
    }
    envelope_bytes = canonical(envelope)
    signature = {"algorithm": ALGORITHM, "key": key_fingerprint, "signature": sign(envelope_bytes)}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("envelope.json", envelope_bytes, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("signature.json", canonical(signature), compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("body.json", body_bytes, compress_type=zipfile.ZIP_DEFLATED)
        for a in attachments:  # packages are compressed already
            zf.writestr(a.path, a.data, compress_type=zipfile.ZIP_STORED)
        zf.writestr("README.txt", README.format(format=FORMAT), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _json(zf: zipfile.ZipFile, name: str) -> tuple[bytes, Any]:
    try:
        raw = zf.read(name)
        return raw, json.loads(raw)
    except KeyError:
        raise BundleRefused(f"报文缺少 {name}", f"The message has no {name}", code="unsigned") from None
    except (ValueError, UnicodeDecodeError):
        raise BundleRefused(f"{name} 不是有效的 JSON", f"{name} is not valid JSON") from None


def open_bundle(data: bytes) -> Opened:
    """Read a message and check its members against its envelope (not yet the signature: ``verify``).

    Refused (``BundleRefused``) when it is not a ZIP, too big, lacks the envelope or the signature, or a
    member differs from, is missing from or is not named in the envelope.
    """
    if len(data) > MAX_BYTES:
        raise BundleRefused(
            f"报文超过 {MAX_BYTES // 1024 // 1024} MB", f"The message exceeds {MAX_BYTES // 1024 // 1024} MB"
        )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise BundleRefused("不是 wangjian 报文（ZIP）", "Not a wangjian message (ZIP)") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_BYTES:
            raise BundleRefused("报文内文件过多或过大", "Too many or too large members in the message")
        envelope_bytes, envelope = _json(zf, "envelope.json")
        if not isinstance(envelope, dict) or envelope.get("format") != FORMAT:
            raise BundleRefused(f"报文格式不是 {FORMAT}", f"The message format is not {FORMAT}")
        if "signature.json" not in zf.namelist():
            raise BundleRefused("报文未签名", "The message is not signed", code="unsigned")
        _raw, signature = _json(zf, "signature.json")
        members = envelope.get("members")
        if not isinstance(members, list) or not members or members[0].get("path") != "body.json":
            raise BundleRefused("信封未列出报文内容", "The envelope does not list the message's contents")
        named = {"envelope.json", "signature.json", "README.txt"}
        contents: dict[str, bytes] = {}
        for member in members:
            path = str(member.get("path", ""))
            if path != "body.json" and not _NAME.match(path):
                raise BundleRefused(
                    f"信封中的文件名不合规：{path}", f"Bad member name in the envelope: {path}"
                )
            named.add(path)
            try:
                content = zf.read(path)
            except KeyError:
                raise BundleRefused(
                    f"信封列出的 {path} 缺失", f"{path}, named in the envelope, is missing", code="tampered"
                ) from None
            if sha256(content) != member.get("sha256") or len(content) != member.get("size"):
                raise BundleRefused(
                    f"{path} 与信封所列哈希不符（报文被改动）",
                    f"{path} differs from the hash in the envelope (the message was altered)",
                    code="tampered",
                )
            contents[path] = content
        extra = sorted(set(zf.namelist()) - named)
        if extra:
            raise BundleRefused(
                f"报文含信封未列出的文件：{extra[0]}",
                f"The message holds a file the envelope does not name: {extra[0]}",
                code="tampered",
            )
    try:
        body = json.loads(contents.pop("body.json"))
    except ValueError:
        raise BundleRefused("body.json 不是有效的 JSON", "body.json is not valid JSON") from None
    opened = Opened(
        envelope=envelope,
        envelope_bytes=envelope_bytes,
        body=body if isinstance(body, dict) else {},
        attachments=contents,
        signature=str((signature or {}).get("signature", "")),
        key_fingerprint=str((signature or {}).get("key", "")),
        algorithm=str((signature or {}).get("algorithm", "")),
    )
    for attr, label in (("sender_code", "发送方"), ("recipient_code", "接收方")):
        if not _CODE.match(getattr(opened, attr)):
            raise BundleRefused(
                f"信封中的{label}代码无效", f"The envelope's {attr.split('_')[0]} code is invalid"
            )
    if not opened.message_id or opened.created is None or not opened.kind:
        raise BundleRefused("信封缺少编号、时间或类型", "The envelope lacks its id, time or kind")
    if not opened.signature:
        raise BundleRefused("报文未签名", "The message is not signed", code="unsigned")
    return opened


def verify(opened: Opened, *, verify_signature: Any) -> bool:
    """Whether the envelope's signature is by the key ``verify_signature(data, signature_b64)`` checks."""
    if opened.algorithm != ALGORITHM:
        return False
    try:
        base64.b64decode(opened.signature, validate=True)
    except ValueError:
        return False
    return bool(verify_signature(opened.envelope_bytes, opened.signature))


def receipt(
    *,
    opened_or_id: Opened | Mapping[str, str],
    status: str,
    by_code: str,
    at: dt.datetime,
    reason_zh: str = "",
    reason_en: str = "",
    result: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The unsigned receipt document answering a message (``status``: accepted, duplicate or refused)."""
    if isinstance(opened_or_id, Opened):
        ref = {
            "id": opened_or_id.message_id,
            "envelope_sha256": opened_or_id.envelope_sha256,
            "sender": opened_or_id.sender_code,
        }
    else:
        ref = dict(opened_or_id)
    return {
        "format": RECEIPT_FORMAT,
        "message": ref,
        "status": status,
        "by": by_code,
        "at": at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "reason_zh": reason_zh,
        "reason_en": reason_en,
        "result": dict(result or {}),
    }


def sign_receipt(document: Mapping[str, Any], *, sign: Any, key_fingerprint: str) -> dict[str, Any]:
    return {
        "receipt": dict(document),
        "algorithm": ALGORITHM,
        "key": key_fingerprint,
        "signature": sign(canonical(document)),
    }


def receipt_verified(signed: Mapping[str, Any], *, verify_signature: Any) -> bool:
    document = signed.get("receipt")
    if not isinstance(document, dict) or signed.get("algorithm") != ALGORITHM:
        return False
    return bool(verify_signature(canonical(document), str(signed.get("signature", ""))))
