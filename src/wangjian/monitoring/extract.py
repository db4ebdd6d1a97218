"""Text of a page as a buyer sees it, each piece with where it came from (网页文本提取).

A violation can sit in the visible text, in an image's alt or title (a product photo
captioned "包治百病"), in the meta description a search engine shows, in ``<noscript>``
text, or in the JSON-LD product data the platform publishes. The rule engine scans one
combined text; ``Extracted.source_at(offset)`` tells an officer which piece a hit was in
("图片替代文字 img alt", "JSON-LD 商品描述"), because a finding must say where the page said it.

Scripts, styles and templates are dropped (a buyer never sees them); inline markup is
joined without spaces ("最<b>佳</b>" is "最佳" on screen) and block elements start a new
line, so two paragraphs are never glued into one term.
"""

from __future__ import annotations

import csv
import io
import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin

from selectolax.lexbor import LexborHTMLParser

from wangjian.core import textnorm
from wangjian.core.charset import decode_body

# Where a piece of text came from: identifier → (中文, English) for reports.
SOURCES = {
    "title": ("网页标题", "page title"),
    "meta_description": ("网页描述", "meta description"),
    "meta_keywords": ("网页关键词", "meta keywords"),
    "body": ("页面正文", "visible text"),
    "img_alt": ("图片替代文字", "img alt"),
    "img_title": ("图片标题", "img title"),
    "jsonld_name": ("JSON-LD 商品名称", "JSON-LD product name"),
    "jsonld_description": ("JSON-LD 商品描述", "JSON-LD product description"),
    "jsonld_price": ("JSON-LD 商品价格", "JSON-LD offer price"),
    "feed_title": ("平台报送商品标题", "feed listing title"),
    "feed_description": ("平台报送商品描述", "feed listing description"),
}

_BLOCK_TAGS = (
    "address|article|aside|blockquote|br|caption|dd|div|dl|dt|fieldset|figcaption|figure|footer|form|"
    "h[1-6]|header|hr|li|main|nav|noscript|ol|option|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul"
)
_BLOCK_OPEN = re.compile(rf"<(?:/?)(?:{_BLOCK_TAGS})\b", re.I)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
_NEWLINES = re.compile(r"\s*\n\s*")
_LIMIT_PIECE = 20_000
_JSONLD = re.compile(
    r"<script[^>]*?type\s*=\s*[\"']?application/ld\+json[^>]*>(.*?)</script\s*>", re.I | re.S
)
_TAG = re.compile(r"<[^>]*>")
_JS_TYPES = ("", "text/javascript", "module", "application/javascript")

# What a script does when it puts text on the page a static read cannot see (DOM writes, jQuery writes).
_WRITES = re.compile(
    r"document\.write(?:ln)?\s*\(|\.(?:inner|outer)HTML\s*[+]?=|\.(?:textContent|innerText|nodeValue)\s*[+]?=|"
    r"insertAdjacent(?:HTML|Text|Element)\s*\(|createTextNode\s*\(|\.(?:appendChild|append|prepend|"
    r"replaceChildren|replaceWith|insertBefore)\s*\(|\$\([^)]*\)\s*\.(?:html|text|append|prepend|after|before)\s*\("
)
# Roots that a front-end framework fills in the browser (React, Vue, Angular, Next, Nuxt, Svelte, Alpine).
_FRAMEWORK_IDS = ("app", "root", "__next", "__nuxt", "q-app", "svelte", "main-app", "vue-app", "react-root")
_FRAMEWORK_ATTRS = (
    "data-reactroot",
    "ng-app",
    "ng-version",
    "data-v-app",
    "v-cloak",
    "x-data",
    "data-server-rendered",
)
# Where a shop usually shows its licence (亮照区域): an empty one is filled by a script, or shows nothing.
_LICENCE_AREA = re.compile(r"licen[cs]e|yyzz|zhizhao|zzlz|liangzhao|business-?info|qualification", re.I)


@dataclass
class Piece:
    source: str  # a key of SOURCES
    text: str
    where: str = ""  # e.g. the image's src, so the officer can find it on the page

    @property
    def label(self) -> str:
        zh, en = SOURCES.get(self.source, (self.source, self.source))
        return f"{zh} / {en}"


@dataclass
class Link:
    href: str  # absolute, without fragment
    text: str  # anchor text (or the alt of an image inside it)


@dataclass
class Extracted:
    """The pieces of one page and their concatenation for scanning."""

    title: str = ""
    pieces: list[Piece] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    frames: list[str] = field(
        default_factory=list
    )  # addresses of embedded frames (iframe, embed): the 亮照 badge
    has_scripts: bool = False  # executable scripts (inline or loaded): text may change in a browser
    # Why a browser would show text this static read did not see ("document.write", "框架根节点 #app" …).
    script_writes: list[str] = field(default_factory=list)
    _combined: str | None = field(default=None, repr=False)
    _starts: list[int] = field(default_factory=list, repr=False)

    @property
    def text(self) -> str:
        """The visible text alone (what a buyer reads on the page)."""
        return "\n".join(p.text for p in self.pieces if p.source == "body")

    @property
    def hrefs(self) -> list[str]:
        return [link.href for link in self.links]

    @property
    def writes_text(self) -> bool:
        """Scripts on this page write text into it: what it says is only known once rendered."""
        return bool(self.script_writes)

    @property
    def combined(self) -> str:
        """All pieces, one per line block, in page order of importance; what the rule engine scans."""
        if self._combined is None:
            parts, starts, pos = [], [], 0
            for p in self.pieces:
                starts.append(pos)
                parts.append(p.text)
                pos += len(p.text) + 1
            self._combined = "\n".join(parts)
            self._starts = starts
        return self._combined

    def source_at(self, offset: int) -> tuple[Piece, int] | None:
        """The piece holding ``offset`` of ``combined`` and the offset inside that piece."""
        self.combined  # noqa: B018 — builds the offsets
        i = bisect_right(self._starts, offset) - 1
        if i < 0:
            return None
        piece = self.pieces[i]
        inner = offset - self._starts[i]
        return (piece, inner) if inner <= len(piece.text) else None


def _clean(text: str) -> str:
    text = _SPACES.sub(" ", textnorm.without_surrogates(text))
    return _NEWLINES.sub("\n", text).strip()


def _origin(url: str) -> str:
    """ "http://host:port" of an absolute URL ("" otherwise)."""
    if not url.startswith(("http://", "https://")):
        return ""
    end = url.find("/", url.index("//") + 2)
    return url if end < 0 else url[:end]


def _jsonld_products(data: Any) -> list[dict]:
    found: list[dict] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            kind = node.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and k.lower() in ("product", "productgroup", "offer") for k in kinds):
                found.append(node)
            for key in ("@graph", "itemListElement", "item", "mainEntity", "hasVariant"):
                if key in node:
                    stack.append(node[key])
    return found


def _price_text(offers: Any) -> list[str]:
    out = []
    for o in offers if isinstance(offers, list) else [offers]:
        if not isinstance(o, dict):
            continue
        cur = str(o.get("priceCurrency") or "")
        for key in ("price", "lowPrice", "highPrice"):
            if o.get(key) not in (None, ""):
                out.append(f"{o[key]} {cur}".strip())
    return out


def _framework_roots(tree: LexborHTMLParser) -> list[str]:
    """Roots a front-end framework or a script fills in the browser, and licence areas left empty for one."""
    found = []
    for ident in _FRAMEWORK_IDS:
        node = tree.css_first(f"#{ident}")
        if node is not None and not node.text(strip=True):
            found.append(f"空的框架根节点 / empty framework root: #{ident}")
    for attr in _FRAMEWORK_ATTRS:
        if tree.css_first(f"[{attr}]") is not None:
            found.append(f"前端框架标记 / framework marker: {attr}")
    if tree.css_first("app-root") is not None:
        found.append("前端框架标记 / framework marker: <app-root>")
    for node in tree.css("[id], [class]"):
        where = f"{node.attributes.get('id') or ''} {node.attributes.get('class') or ''}"
        if _LICENCE_AREA.search(where) and not node.text(strip=True) and node.css_first("img") is None:
            found.append(f"亮照区域为空 / empty licence area: {where.strip()}")
            break
    return found


def extract(html: str, *, base_url: str = "") -> Extracted:
    """Pieces of an HTML document (visible text, meta, image text, JSON-LD products) and its links."""
    out = Extracted()
    # A newline before every block element, so paragraphs stay apart after markup is removed.
    tree = LexborHTMLParser(_BLOCK_OPEN.sub(lambda m: "\n" + m.group(0), html))
    pieces = out.pieces

    title = tree.css_first("title")
    if title is not None:
        out.title = _clean(title.text())
        if out.title:
            pieces.append(Piece("title", out.title))
    for meta in tree.css("meta[name], meta[property]"):
        name = (meta.attributes.get("name") or meta.attributes.get("property") or "").lower()
        content = _clean(meta.attributes.get("content") or "")
        if not content:
            continue
        if name in ("description", "og:description"):
            pieces.append(Piece("meta_description", content[:_LIMIT_PIECE], name))
        elif name == "keywords":
            pieces.append(Piece("meta_keywords", content[:_LIMIT_PIECE], name))

    # JSON-LD is read from the original markup (the block newlines above would break its strings).
    for m in _JSONLD.finditer(html):
        try:
            data = json.loads(m.group(1).strip() or "null", strict=False)
        except ValueError:
            continue
        for product in _jsonld_products(data):
            for key, source in (("name", "jsonld_name"), ("description", "jsonld_description")):
                value = product.get(key)
                if isinstance(value, str) and (value := _clean(_TAG.sub("", value))):
                    pieces.append(Piece(source, value[:_LIMIT_PIECE], "application/ld+json"))
            for price in _price_text(product.get("offers")):
                pieces.append(Piece("jsonld_price", price, "application/ld+json"))
    for script in tree.css("script"):
        if (script.attributes.get("type") or "").lower() not in _JS_TYPES:
            continue
        out.has_scripts = True
        if not script.attributes.get("src") and (m := _WRITES.search(script.text() or "")):
            why = "脚本写入文字 / a script writes text: " + m.group(0).strip("( =+")
            if why not in out.script_writes:
                out.script_writes.append(why)
    if out.has_scripts:
        out.script_writes += _framework_roots(tree)

    body = tree.body
    if body is not None:
        for img in body.css("img"):
            src = img.attributes.get("src") or ""
            for attr, source in (("alt", "img_alt"), ("title", "img_title")):
                value = _clean(img.attributes.get(attr) or "")
                if value:
                    pieces.append(Piece(source, value[:_LIMIT_PIECE], src))
        seen_links: set[str] = set()
        origin = _origin(base_url)
        for a in body.css("a[href]"):
            href = (a.attributes.get("href") or "").strip()
            if not href or href.startswith(("javascript:", "mailto:", "tel:", "data:", "#")):
                continue
            if href.startswith("/") and not href.startswith("//") and origin and "/." not in href:
                absolute = origin + href.split("#", 1)[0]  # the common case, without urljoin's cost
            else:
                absolute = urldefrag(urljoin(base_url, href))[0] if base_url else href
            if absolute in seen_links:
                continue
            seen_links.add(absolute)
            text = " ".join(a.text(separator="").split())
            if not text:
                img = a.css_first("img[alt]")
                text = _clean(img.attributes.get("alt") or "") if img is not None else ""
            out.links.append(Link(absolute, text))
        for frame in body.css("iframe[src], embed[src]"):
            src = (frame.attributes.get("src") or "").strip()
            if src.startswith(("http://", "https://", "/")):
                out.frames.append(urljoin(base_url, src) if base_url else src)
        body.strip_tags(["script", "style", "template", "svg", "canvas", "iframe", "object"])
        visible = _clean(body.text(separator=""))
        if visible:
            pieces.insert(1 if out.title else 0, Piece("body", visible))
    return out


def images_named(
    page: Extracted | str, named: re.Pattern, unless: re.Pattern, *, unless_address: bool = False
) -> list[str]:
    """The addresses of the page's images whose alt or title (or file name) matches ``named`` and whose alt or
    title does not match ``unless`` (nor, with ``unless_address``, their address): a licence or a permit shown
    as a picture."""
    if not isinstance(page, Extracted):
        return []
    return [
        p.where or p.text
        for p in page.pieces
        if p.source in ("img_alt", "img_title")
        and (named.search(p.text) or named.search(p.where))
        and not unless.search(f"{p.text} {p.where}" if unless_address else p.text)
    ]


# --------------------------------------------------------------------------- platform listing feeds


@dataclass
class FeedListing:
    """One row of a platform's listing feed (平台报送商品信息), scanned without fetching the page."""

    listing_id: str
    shop_id: str
    title: str
    description: str
    price: str
    url: str
    row: int
    category: str = ""  # the platform's category of goods (类目), when the feed gives it

    def extracted(self) -> Extracted:
        pieces = [Piece("feed_title", self.title, self.url)]
        if self.description:
            pieces.append(Piece("feed_description", self.description, self.url))
        return Extracted(title=self.title, pieces=pieces)


_FEED_FIELDS = {
    "listing_id": ("listing_id", "商品ID", "商品编号", "id"),
    "shop_id": ("shop_id", "店铺ID", "店铺编号", "seller_id"),
    "title": ("title", "商品标题", "商品名称", "标题"),
    "description": ("description", "商品描述", "描述", "详情"),
    "price": ("price", "价格", "售价"),
    "url": ("url", "商品链接", "链接", "网址"),
    "category": ("category", "类目", "商品类目", "分类", "商品分类", "经营类目"),
}


def _feed_row(raw: dict, row: int) -> tuple[FeedListing | None, str]:
    values = {}
    lowered = {str(k).strip().lstrip("\ufeff").lower(): v for k, v in raw.items()}
    for key, names in _FEED_FIELDS.items():
        for name in names:
            if name.lower() in lowered and lowered[name.lower()] not in (None, ""):
                values[key] = textnorm.without_surrogates(str(lowered[name.lower()])).strip()
                break
    if not values.get("listing_id") or not values.get("title"):
        return None, "缺少商品ID或标题 / listing_id or title missing"
    return FeedListing(
        values["listing_id"],
        values.get("shop_id", ""),
        values["title"],
        values.get("description", ""),
        values.get("price", ""),
        values.get("url", ""),
        row,
        values.get("category", ""),
    ), ""


def read_feed(data: bytes | str, *, fmt: str = "") -> tuple[list[FeedListing], list[tuple[int, str]]]:
    """Listings of a JSONL or CSV feed and the rejected rows (row number, reason) — none silently dropped."""
    if isinstance(data, bytes):
        data = decode_body(data)[0]
    data = data.lstrip("\ufeff")
    fmt = fmt or ("jsonl" if data.lstrip().startswith("{") else "csv")
    listings: list[FeedListing] = []
    rejected: list[tuple[int, str]] = []
    if fmt == "jsonl":
        for n, line in enumerate(data.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except ValueError as exc:
                rejected.append((n, f"不是有效的 JSON / invalid JSON: {exc}"))
                continue
            if not isinstance(raw, dict):
                rejected.append((n, "每行应为一个 JSON 对象 / each line must be a JSON object"))
                continue
            item, why = _feed_row(raw, n)
            (listings.append(item) if item else rejected.append((n, why)))
    else:
        for n, raw in enumerate(csv.DictReader(io.StringIO(data)), start=2):
            item, why = _feed_row(raw, n)
            (listings.append(item) if item else rejected.append((n, why)))
    return listings, rejected


def scan_hits(engine: Any, page: Extracted) -> list[dict]:
    """The rule engine's hits on a page, each with the piece it was found in (``source``) and the offset there.

    ``start``/``end`` are code-point offsets into ``page.combined``; ``source_offset`` is the
    offset inside that piece, so the officer is shown the image alt or JSON-LD text it came from.
    """
    hits = []
    for hit in engine.scan(page.combined).hits:
        h = hit.as_contract()
        where = page.source_at(hit.start)
        if where is not None:
            h["source"], h["source_offset"] = where[0].source, where[1]
        hits.append(h)
    return hits
