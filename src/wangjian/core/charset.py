"""Decoding bytes of the web: the charset from the byte-order mark, the HTTP header, ``<meta charset>``,
and only then detection.

Chinese sites still serve GBK/GB18030, often without declaring it; GBK/GB2312 labels are decoded as
GB18030 (their superset), and an undeclared page that decodes as GB18030 into common characters is
taken as such before a statistical guess (charset-normalizer). Shared by every reader of fetched
bytes (sweeps, feeds, evidence), so it lives in the kernel.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.I)
# WHATWG treats these labels as GBK; GB18030 is a strict superset, so nothing declared as GBK is lost.
_GB_FAMILY = {"gbk", "gb2312", "gb_2312", "gb_2312-80", "x-gbk", "csgb2312", "chinese", "iso-ir-58", "euc-cn"}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def _canonical(label: str) -> str | None:
    label = label.strip().strip("\"'").lower()
    if label in _GB_FAMILY:
        return "gb18030"
    if label in ("iso-8859-1", "latin1", "ascii", "us-ascii"):
        # Browsers read these as windows-1252; never the right answer for a Chinese page with high bytes.
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_body(body: bytes, content_type: str = "") -> tuple[str, str, str]:
    """(text, encoding, source): BOM, then HTTP header, then ``<meta charset>``, then detection.

    The BOM goes first as browsers do (WHATWG "encoding sniffing"): a file that starts with
    one is in that encoding whatever the header claims.
    """
    for bom, enc in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(enc, errors="replace"), enc, "bom"
    candidates: list[tuple[str, str]] = []
    m = _CT_CHARSET.search(content_type or "")
    if m and (enc := _canonical(m.group(1))):
        candidates.append((enc, "header"))
    m = _META_CHARSET.search(body[:4096])
    if m and (enc := _canonical(m.group(1).decode("ascii", "ignore"))):
        candidates.append((enc, "meta"))
    for enc, source in candidates:
        if enc == "cp1252" and len(candidates) > 1:
            continue
        try:
            return body.decode(enc), enc, source
        except UnicodeDecodeError:
            # A declared charset that does not fit the bytes: try the next clue rather than garble the page.
            continue
    try:
        return body.decode("utf-8"), "utf-8", "detected"
    except UnicodeDecodeError:
        pass
    try:
        # Chinese sites without a declaration are overwhelmingly GBK/GB18030; strict decoding tells.
        text = body.decode("gb18030")
        if _mostly_cjk(text):
            return text, "gb18030", "detected"
    except UnicodeDecodeError:
        pass
    best = from_bytes(body).best()
    if best is not None:
        return str(best), _canonical(best.encoding) or best.encoding, "detected"
    if candidates:
        enc, source = candidates[0]
        return body.decode(enc, errors="replace"), enc, source
    return body.decode("utf-8", errors="replace"), "utf-8", "default"


_CJK = re.compile(r"[\u4e00-\u9fff]")
_RARE = re.compile(r"[\u3400-\u4dbf\ue000-\uf8ff\U00020000-\U0002fa1f]")


def _mostly_cjk(text: str) -> bool:
    """GB18030 decodes almost any byte string; a real Chinese page has common characters, few rare ones."""
    common = len(_CJK.findall(text))
    rare = len(_RARE.findall(text))
    return common > 0 and rare <= common * 0.05
