"""RFC 3161 trusted timestamps, when the bureau configures a timestamp authority (可信时间戳).

``WANGJIAN_EVIDENCE_TSA_URL`` names the authority. The package signature is sent to it (its
SHA-256, in a ``TimeStampReq``); the authority's signed ``TimeStampResp`` proves that the
signature — and therefore the package list it signs — existed at that time, independently of
the bureau's own clock. A reviewer checks it with
``openssl ts -verify -data sig -in evidence/timestamp-rfc3161 -CAfile <authority's certificate>``.
"""

from __future__ import annotations

import hashlib
import secrets

import httpx

from wangjian.core.errors import WangjianError
from wangjian.evidence import conf

SHA256_ALGORITHM = bytes.fromhex("300d06096086480165030402010500")  # AlgorithmIdentifier sha256, NULL


def tsa_url() -> str:
    return conf.get("WANGJIAN_EVIDENCE_TSA_URL", "")


def _len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _tlv(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _len(len(body)) + body


def _integer(value: int) -> bytes:
    body = value.to_bytes((value.bit_length() + 8) // 8 or 1, "big")  # leading 0 keeps it positive
    return _tlv(0x02, body)


def request_for(data: bytes, *, nonce: int | None = None) -> bytes:
    """DER ``TimeStampReq`` (version 1, SHA-256 imprint of ``data``, nonce, certReq TRUE)."""
    imprint = _tlv(0x30, SHA256_ALGORITHM + _tlv(0x04, hashlib.sha256(data).digest()))
    nonce = nonce if nonce is not None else secrets.randbits(63)
    return _tlv(0x30, _integer(1) + imprint + _integer(nonce) + _tlv(0x01, b"\xff"))


def _read(der: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, start of body, end of body) of the element at ``pos``."""
    tag = der[pos]
    first = der[pos + 1]
    if first < 0x80:
        return tag, pos + 2, pos + 2 + first
    n = first & 0x7F
    length = int.from_bytes(der[pos + 2 : pos + 2 + n], "big")
    return tag, pos + 2 + n, pos + 2 + n + length


def response_status(der: bytes) -> int:
    """The PKIStatus of a ``TimeStampResp`` (0 granted, 1 granted with modifications)."""
    tag, start, _ = _read(der, 0)
    if tag != 0x30:
        raise ValueError("not a TimeStampResp")
    tag, start, _ = _read(der, start)  # PKIStatusInfo
    if tag != 0x30:
        raise ValueError("no PKIStatusInfo")
    tag, start, end = _read(der, start)
    if tag != 0x02:
        raise ValueError("no PKIStatus")
    return int.from_bytes(der[start:end], "big")


def stamp(data: bytes, *, url: str | None = None, timeout: float = 15.0) -> bytes:
    """The authority's DER ``TimeStampResp`` for ``data``; an error names the authority and the reason."""
    url = url or tsa_url()
    try:
        response = httpx.post(
            url,
            content=request_for(data),
            headers={"Content-Type": "application/timestamp-query", "Accept": "application/timestamp-reply"},
            timeout=timeout,
        )
        response.raise_for_status()
        status = response_status(response.content)
    except (httpx.HTTPError, ValueError, IndexError) as exc:
        raise WangjianError(
            f"时间戳服务不可用：{url}",
            f"timestamp authority failed: {url}",
            code="evidence_tsa",
            detail=str(exc),
        ) from exc
    if status not in (0, 1):
        raise WangjianError(
            f"时间戳服务拒绝请求（状态 {status}）：{url}",
            f"timestamp authority refused (status {status}): {url}",
            code="evidence_tsa",
        )
    return response.content
