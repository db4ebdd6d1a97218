"""The licence display check (亮照亮证核验).

电子商务法 art. 15 (and 网络交易监督管理办法 art. 12): an e-commerce operator shall
continuously display, in a conspicuous place of its home page, its business-licence
information (营业执照信息) or a link to it (电子营业执照链接标识). Operators exempt from
registration under 电子商务法 art. 10 (individuals selling their own farm and sideline
products or family handicrafts, convenience services using their own skills that need no
licence, sporadic small-value trades) shall instead display a statement that they need
not register (依法不需要办理市场主体登记), with their situation.

``licence_verdict`` reads a presence's entry page and decides one ``LicenceVerdict``
against the registry, returning the text it relied on and its offsets, because the
officer who acts on "未亮照" must be able to point at the page:

- ``shown_ok``      a valid USCC shown, registered, and the name shown (if any) is the registered name;
- ``missing``       no licence information, no licence link with a code, no exemption statement;
- ``invalid_code``  a code is shown but is not a valid USCC (GB 32100-2015 check character or format);
- ``mismatch``      a valid code of another entity than the one named (or than the presence's entity);
- ``unregistered``  a valid code that is not in the registry;
- ``exempt``        no code, but the art. 10 statement that registration is not required;
- ``needs_rendering`` not checked: nothing found in the static page, but its scripts could write the
  licence in a browser and it was not rendered — never recorded as ``missing`` (an accusation drawn
  from a page that was not fully read);
- ``link_unread``   not checked: the page shows its licence only as a link (电子营业执照链接标识, "证照信息")
  and no page behind the link could be read — a lawful form of display that was not seen, so not ``missing``;
- ``image_only``    not checked: the licence is shown as a picture (an image the page calls 营业执照) whose
  text the page does not give — shown, but what it shows is for the officer to read, not ``missing``.

Names are compared only where the page gives an entity's name: a name labelled as such (企业名称、主体名称)
or one in the form of a registered name (…有限公司、…合作社、…（个体工商户）). A shop's name beside the code
(“某某官方旗舰店”“某某小馆”) or a shortened name contained in the registered one is reported, not accused.
"""

from __future__ import annotations

import asyncio
import functools
import re
import unicodedata
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from wangjian.monitoring.extract import Extracted, images_named, scan_hits
from wangjian.registry import uscc as uscc_mod


class LicenceVerdict(models.TextChoices):
    """亮照核验结果 (DOMAIN.md: LicenceVerdict)."""

    SHOWN_OK = "shown_ok", _("已亮照且与登记一致")
    MISSING = "missing", _("未亮照")
    INVALID_CODE = "invalid_code", _("代码无效（校验失败）")
    MISMATCH = "mismatch", _("亮照信息与登记主体不符")
    UNREGISTERED = "unregistered", _("代码未在登记库中")
    EXEMPT = "exempt", _("依法无需登记并已声明")
    NEEDS_RENDERING = "needs_rendering", _("未核验（需浏览器渲染）")
    LINK_UNREAD = "link_unread", _("未核验（执照链接页面未能读取）")
    IMAGE_ONLY = "image_only", _("未核验（执照以图片展示，未能读取文字）")


# The verdicts of a check not (yet) made — the licence's and the permits' alike: never an accusation, never "clean".
NOT_CHECKED = frozenset(
    {LicenceVerdict.NEEDS_RENDERING, LicenceVerdict.LINK_UNREAD, LicenceVerdict.IMAGE_ONLY}
)

# lookup(uscc) -> (registered name, registration status) or None when the code is not registered.
Lookup = Callable[[str], tuple[str, str] | None]


@dataclass
class LicenceCheck:
    """What the check decided and the page text it decided on (offsets into ``text_checked``)."""

    verdict: str
    reason: str  # "中文 / English"
    uscc: str = ""  # the code shown, normalised ("" when none)
    name: str = ""  # the name shown beside it ("" when none)
    registered_name: str = ""
    registered_status: str = ""
    evidence: str = ""  # the licence block or exemption statement as the page says it
    start: int = -1  # offsets of ``evidence`` in the text checked
    end: int = -1
    source: str = ""  # piece of the page (extract.SOURCES key) the evidence came from
    licence_links: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)

    def as_contract(self) -> dict:
        """The ``licence`` member of ``wangjian monitor check`` output."""
        return {"verdict": self.verdict, "uscc": self.uscc, "name": self.name}

    def as_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------- reading the page

LABELS = re.compile(
    r"统一社会信用代码|社会信用代码|信用代码|营业执照注册号|工商注册号|注册号|营业执照编号|执照编号|"
    r"营业执照|电子营业执照|证照信息|经营者信息|主体信息|亮照"
)
_CODE = re.compile(r"(?<![0-9A-Za-z])(?:[0-9A-Za-z][ \-‐]?){17}[0-9A-Za-z](?![0-9A-Za-z])")
_LOOSE = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{16,20}(?![0-9A-Za-z])")
_ORG_CODE = re.compile(r"(?<![0-9A-Z])([0-9A-Z]{8})-([0-9X])(?![0-9A-Z])")
_OLD_REG_NO = re.compile(r"(?<![0-9])\d{15}(?![0-9])")
_NAME_LABEL = re.compile(
    r"(?<!店铺)(?<!网店)(?<!商品)(?<!产品)(?<!品牌)(?<!商户)(?<!商家)(?<!店)"
    r"(?:企业名称|主体名称|经营者名称|公司名称|单位名称|名称|经营者)\s*[:：]\s*"
    r"([^\s:：，,；;。|｜/<>]{2,60})"
)
# The forms of a registered name (市场主体登记管理条例实施细则: 组织形式) that a shop's name does not take.
_ENTITY_FORM = re.compile(
    r"(?:公司|合作社|联合社|个体工商户|\(个体\)|合伙\)|合伙企业|独资企业|经营部|门市部|商行|厂|事务所|研究所|集团)\)?$"
)
_SOLE_TRADER = re.compile(r"\((?:个体工商户|个体)\)$")
_OFFICIAL_LINK_CODE = re.compile(r"gsxt\.gov\.cn.*?[?&]serial=([0-9A-Za-z]{18})(?![0-9A-Za-z])", re.I)
_NEXT_FIELD = re.compile(
    r"统一社会信用代码|社会信用代码|信用代码|注册号|住所|地址|电话|法定代表人|负责人|经营场所|登记机关|营业执照|类型"
)
_LEGAL_FORMS = (
    "股份有限公司|有限责任公司|有限公司|农民专业合作社|专业合作社|合作社|分公司|经营部|门市部|商行|商店|"
    "工作室|服务部|加工厂|厂|店|中心|超市|馆|坊|庄"
)
_NAME_FORM = re.compile(rf"[\u4e00-\u9fff（）()A-Za-z0-9·]{{2,40}}?(?:{_LEGAL_FORMS})")
EXEMPTION = re.compile(
    r"(?:依法)?(?:不需要|无需|无须|不需|不必)(?:办理|进行)?(?:市场主体|工商)?登记|"
    r"个人销售自产农副产品|销售自产农副产品|家庭手工业产品|"
    r"(?:个人)?利用自己的技能从事依法无须取得许可的便民劳务活动|便民劳务活动|零星小额交易"
)
_LICENCE_IMAGE = re.compile(r"营业执照|执照|证照|license|licence|yyzz|zhizhao", re.I)
# The electronic licence's mark (亮照标识) is an icon that links to the display, not a picture of the licence.
_LICENCE_MARK = re.compile(r"标识|图标|icon|logo|链接|亮照|gsxt|zzlz", re.I)
_LICENCE_LINK = re.compile(r"营业执照|电子执照|亮照|证照|license|licence|gsxt|zzlz|yyzz", re.I)
_BRACKETS = str.maketrans(
    {"（": "(", "）": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "［": "(", "］": ")"}
)
_NAME_NOISE = re.compile(r"[\s\u3000·.\-]")
NEAR = 80  # characters between a label and the code or name it introduces


def _fold(text: str) -> str:
    """NFKC per character (full-width → half-width) keeping offsets, and upper case ASCII."""
    out = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch) if ord(ch) > 127 else ch
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


def _search_form(text: str) -> str:
    """The text as searched: folded, upper case, traditional → simplified when that keeps every offset."""
    folded = _fold(text).upper()
    simplified = _t2s().convert(folded)
    return simplified if len(simplified) == len(folded) else folded


@functools.cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def normalize_name(name: str) -> str:
    """Names compared after width, brackets, spaces and traditional characters are normalised; the
    "（个体工商户）" a sole trader's registered name ends with, and a bracket left unclosed at either end
    by the page's layout, do not count."""
    text = unicodedata.normalize("NFKC", name).translate(_BRACKETS)
    text = _NAME_NOISE.sub("", text)
    text = _SOLE_TRADER.sub("", _t2s().convert(text).upper())
    if text.startswith("(") and text.count("(") > text.count(")"):
        text = text[1:]
    if text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1]
    return text


def names_agree(shown: str, registered: str) -> bool | None:
    """True when the names are the same; None when one contains the other (a shortened name, a shop's
    name built on the 字号), which is reported but proves nothing; False otherwise."""
    a, b = normalize_name(shown), normalize_name(registered)
    if a == b:
        return True
    if len(a) >= 4 and len(b) >= 4 and (a in b or b in a):
        return None
    return False


@dataclass
class _Found:
    code: str
    start: int
    end: int
    labelled: bool


def _codes(folded: str) -> list[_Found]:
    found = []
    labels = [m.end() for m in LABELS.finditer(folded)]
    for m in _CODE.finditer(folded):
        code = uscc_mod.normalize(m.group(0))
        if sum(c.isdigit() for c in code) < 8:
            continue  # words and long identifiers in Latin letters are not codes
        labelled = any(0 <= m.start() - e <= NEAR for e in labels)
        found.append(_Found(code, m.start(), m.end(), labelled))
    # Right after a label, a 组织机构代码 (8 + 1 characters, GB 11714) is what the page gives as the code: invalid.
    for m in _ORG_CODE.finditer(folded):
        if not any(f.start <= m.start() < f.end for f in found) and any(
            0 <= m.start() - e <= 20 for e in labels
        ):
            found.append(_Found(m.group(1) + m.group(2), m.start(), m.end(), True))
    # Right after a label, a code of the wrong length (17 or 19 characters) is still the code shown.
    for m in _LOOSE.finditer(folded):
        if len(m.group(0)) == 18 or any(f.start <= m.start() < f.end for f in found):
            continue
        if sum(c.isdigit() for c in m.group(0)) >= 8 and any(0 <= m.start() - e <= 20 for e in labels):
            found.append(_Found(m.group(0), m.start(), m.end(), True))
    return found


def _shown_name(folded: str, original: str, code_at: int) -> tuple[str, bool]:
    """The entity name the page gives beside the code, and whether the page says it is the entity's name (a
    labelled name, or one in the form of a registered name). The nearest wins, a labelled name counting half
    its distance: "企业名称：…" a line above the code is its name, but a platform's footer ("…网络科技有限公司
    统一社会信用代码：…") names the platform, not the shop whose block ends further up."""
    candidates: list[tuple[float, str, bool]] = []
    for m in _NAME_LABEL.finditer(folded):
        if abs(m.start() - code_at) <= NEAR * 2:
            # Pages often run the fields together ("名称：某某公司统一社会信用代码：…"): cut at the next field.
            name = _NEXT_FIELD.split(original[m.start(1) : m.end(1)])[0].strip()
            if name:
                candidates.append((abs(m.start() - code_at) / 2, name, True))
    for m in _NAME_FORM.finditer(folded, max(0, code_at - NEAR), min(len(folded), code_at + NEAR)):
        name = original[m.start() : m.end()]
        distance = code_at - m.end() if m.end() <= code_at else m.start() - code_at
        candidates.append((abs(distance), name, bool(_ENTITY_FORM.search(normalize_name(name)))))
    if not candidates:
        return "", False
    _, name, entity = min(candidates, key=lambda c: c[0])
    return name, entity


def _platform_footer(found: _Found, folded: str, original: str, lookup: Lookup) -> bool:
    """Whether the platform operator's code stands as the platform's own (its name beside it, or none), not
    as the shop's: a shop that shows the platform's code under its own name shows another entity's code."""
    name, _ = _shown_name(folded, original, found.start)
    registered = lookup(found.code)
    return not name or registered is None or names_agree(name, registered[0]) is not False


def wants_linked_pages(page: Extracted) -> bool:
    """Whether the pages behind the licence links must be read: the page itself shows no code that could be
    the licence (a labelled code, or a valid one), the case where art. 15's link identifier is the display."""
    return not any(
        f.labelled or uscc_mod.problem(f.code) is None for f in _codes(_search_form(page.combined))
    )


def _official_link_codes(links: list[str]) -> list[tuple[str, str]]:
    """Codes carried by links to the national 电子营业执照 display (``zzlz.gsxt.gov.cn …?serial=<code>…``):
    the link identifier the law allows, whose serial is the operator's code, as (source, text) pieces."""
    out = []
    for href in links:
        if m := _OFFICIAL_LINK_CODE.search(href):
            out.append(
                ("licence_link", f"电子营业执照亮照链接 统一社会信用代码：{m.group(1)}（{href[:200]}）")
            )
    return out


def licence_links(page: Extracted) -> list[str]:
    """Links on the page that lead to licence information (电子营业执照链接标识)."""
    return [link.href for link in page.links if _LICENCE_LINK.search(f"{link.text} {link.href}")]


def licence_images(page: Extracted | str) -> list[str]:
    """Images the page calls its licence (alt or title 营业执照, or a file named so), not the 亮照 mark: their
    addresses."""
    return images_named(page, _LICENCE_IMAGE, _LICENCE_MARK, unless_address=True)


def _texts(page: Extracted | str) -> list[tuple[str, str]]:
    if isinstance(page, str):
        return [("body", page)]
    keep = ("body", "img_alt", "img_title", "title", "meta_description")
    return [(p.source, p.text) for p in page.pieces if p.source in keep]


def _snippet(text: str, start: int, end: int, pad: int = 30) -> tuple[str, int, int]:
    s, e = max(0, start - pad), min(len(text), end + pad)
    return text[s:e], s, e


def shows_nothing_statically(page: Extracted) -> bool:
    """No code that could be the licence (a labelled or a valid one), exemption statement or licence link in the
    static page: the case a script could change."""
    folded = _search_form(page.combined)
    return (
        wants_linked_pages(page)
        and not EXEMPTION.search(folded)
        and not licence_links(page)
        and not _official_link_codes(page.frames)
    )


def needs_rendering(page: Extracted | str, *, rendered: bool) -> bool:
    """Whether the licence verdict of this entry page must wait for a browser (issue: rendering before verdicts).

    A page whose scripts write text, or whose licence area is empty while it has scripts, and which
    shows no code, statement or link as served, may show its licence once its scripts ran; "未亮照"
    is an accusation, so it is drawn only from what a buyer sees, i.e. the rendered page.
    """
    if rendered or not isinstance(page, Extracted) or not page.has_scripts:
        return False
    return shows_nothing_statically(page)


def licence_verdict(
    *,
    page: Extracted | str,
    lookup: Lookup,
    expected_uscc: str = "",
    linked_pages: list[Extracted | str] | None = None,
    rendered: bool = False,
    platform_usccs: Iterable[str] = (),
) -> LicenceCheck:
    """Decide the licence display verdict of a presence's entry page (电子商务法 art. 15, art. 10).

    ``linked_pages`` are the pages behind the licence links (``licence_links``) when the
    home page shows only a link; ``expected_uscc`` is the code of the entity the presence is
    linked to in the registry, when known — a valid code of another entity is a mismatch.
    ``rendered`` says whether ``page`` is the DOM after scripts ran; a static page with scripts
    that shows nothing is ``needs_rendering``, not ``missing``. ``platform_usccs`` are the codes of the
    platform's operator: a platform shop's page shows them in the platform's footer, and they say nothing of
    the shop (unless the shop is the platform's own, ``expected_uscc``).
    """
    links = licence_links(page) if isinstance(page, Extracted) else []
    platform = {uscc_mod.normalize(c) for c in platform_usccs if c} - {
        uscc_mod.normalize(expected_uscc or "")
    }
    frames = page.frames if isinstance(page, Extracted) else []
    sources = (
        _texts(page)
        + _official_link_codes(links + frames)
        + [t for lp in linked_pages or [] for t in _texts(lp)]
    )
    best: tuple[int, str, str, str, _Found] | None = None  # (rank, source, original, folded, found)
    all_codes: list[str] = []
    exemption: tuple[str, str, re.Match] | None = None
    old_reg: tuple[str, str, re.Match] | None = None
    for source, original in sources:
        folded = _search_form(original)
        for f in _codes(folded):
            all_codes.append(f.code)
            valid = uscc_mod.problem(f.code) is None
            if not f.labelled and not valid:
                continue  # eighteen characters nobody calls a licence (a telephone number, an order) are no code shown
            if f.code in platform and _platform_footer(f, folded, original, lookup):
                continue  # the platform operator's own licence in the platform's footer
            rank = (0 if f.labelled else 2) + (0 if valid else 1)
            if best is None or rank < best[0]:
                best = (rank, source, original, folded, f)
        if exemption is None and (m := EXEMPTION.search(folded)):
            exemption = (source, original, m)
        if old_reg is None and (m := _OLD_REG_NO.search(folded)):
            if any(0 <= m.start() - lm.end() <= NEAR for lm in LABELS.finditer(folded)):
                old_reg = (source, original, m)

    if best is None or (best[0] >= 2 and exemption is not None):
        if exemption is not None:
            source, original, m = exemption
            ev, s, e = _snippet(original, m.start(), m.end())
            return LicenceCheck(
                LicenceVerdict.EXEMPT,
                "页面声明依法无需办理市场主体登记（电子商务法第十条）/ "
                "the page states that registration is not required (E-Commerce Law art. 10)",
                evidence=ev,
                start=s,
                end=e,
                source=source,
                licence_links=links,
            )
        if old_reg is not None:
            source, original, m = old_reg
            ev, s, e = _snippet(original, m.start(), m.end())
            return LicenceCheck(
                LicenceVerdict.INVALID_CODE,
                "仅显示旧版15位注册号，未显示统一社会信用代码 / "
                "only an old 15-digit registration number is shown, not a USCC",
                uscc=m.group(0),
                evidence=ev,
                start=s,
                end=e,
                source=source,
                licence_links=links,
            )
        # Nothing the page shows could be the shop's licence (the platform's footer code and unlabelled numbers
        # set aside), and its scripts could write one: not checked until rendered.
        if best is None and not rendered and isinstance(page, Extracted) and page.has_scripts and not links:
            return LicenceCheck(
                LicenceVerdict.NEEDS_RENDERING,
                "页面含脚本且未经浏览器渲染，静态页面未见营业执照信息；须渲染后方可核验，不作“未亮照”结论 / "
                "the page has scripts and was not rendered; nothing is shown statically, so it is not checked "
                "until rendered (no 'missing' verdict)",
                licence_links=links,
            )
        if best is None and links and not linked_pages:
            return LicenceCheck(
                LicenceVerdict.LINK_UNREAD,
                "页面以链接方式公示营业执照信息，但链接页面未能读取，不作“未亮照”结论 / "
                "the licence is shown as a link whose page could not be read; not checked (no 'missing' verdict)",
                licence_links=links,
            )
        images = [src for p in [page, *(linked_pages or [])] for src in licence_images(p)]
        if best is None and images:
            return LicenceCheck(
                LicenceVerdict.IMAGE_ONLY,
                "营业执照以图片展示，页面文字未给出统一社会信用代码，须人工查看图片，不作“未亮照”结论 / "
                "the licence is shown as a picture whose text the page does not give: for an officer to read, "
                "not 'missing'",
                evidence=images[0][:300],
                licence_links=links,
            )
        if best is None:
            return LicenceCheck(
                LicenceVerdict.MISSING,
                (
                    "有执照链接但未能读取到统一社会信用代码 / a licence link was found but no USCC could be read"
                    if links
                    else "首页未发现营业执照信息、电子营业执照链接或无需登记声明（电子商务法第十五条）/ "
                    "no licence information, licence link or exemption statement on the home page (art. 15)"
                ),
                licence_links=links,
            )

    _, source, original, folded, found = best
    code = found.code
    name, entity_name = _shown_name(folded, original, found.start)
    ev, s, e = _snippet(original, found.start, found.end, pad=60)
    common = {
        "uscc": code,
        "name": name,
        "evidence": ev,
        "start": s,
        "end": e,
        "source": source,
        "licence_links": links,
        "candidates": all_codes,
    }
    problem = uscc_mod.problem(code)
    if problem is not None:
        return LicenceCheck(
            LicenceVerdict.INVALID_CODE,
            f"页面显示的代码不是有效的统一社会信用代码：{problem.zh} / the code shown is not a valid USCC: {problem.en}",
            **common,
        )
    registered = lookup(code)
    if registered is None:
        return LicenceCheck(
            LicenceVerdict.UNREGISTERED,
            "代码有效但登记库中无此主体 / a valid code that is not in the registry",
            **common,
        )
    reg_name, reg_status = registered
    common.update(registered_name=reg_name, registered_status=reg_status)
    if expected_uscc and uscc_mod.normalize(expected_uscc) != code:
        return LicenceCheck(
            LicenceVerdict.MISMATCH,
            f"页面代码属于“{reg_name}”，不是该网店关联的主体（{expected_uscc}）/ "
            f"the code shown belongs to another entity than the one linked to this presence",
            **common,
        )
    agree = names_agree(name, reg_name) if name else True
    if agree is False and entity_name:
        return LicenceCheck(
            LicenceVerdict.MISMATCH,
            f"页面名称“{name}”与登记名称“{reg_name}”不一致 / the name shown differs from the registered name",
            **common,
        )
    zh, en = "代码有效、已登记，名称一致", "valid, registered code and matching name"
    if agree is not True:
        zh = f"代码有效、已登记；页面所示名称“{name}”不是登记名称（店铺名称或简称），供核对"
        en = f"valid, registered code; the name shown ({name}) is a shop's or shortened name, for checking"
    if reg_status and reg_status not in ("existing", "operating", "存续", "在业"):
        zh += f"（注意：登记状态为“{reg_status}”）"
        en += f" (note: registration status is {reg_status!r})"
    return LicenceCheck(LicenceVerdict.SHOWN_OK, f"{zh} / {en}", **common)


# --------------------------------------------------------------------------- one presence, end to end


async def presence_check(
    *,
    url: str,
    lookup: Lookup,
    fetcher,
    engine=None,
    depth: int = 0,
    max_pages: int = 50,
    expected_uscc: str = "",
    on_record: Callable[[dict], None] | None = None,
    entry_checks: Callable[[Any], Awaitable[dict]] | None = None,
) -> list[dict]:
    """Crawl one presence, decide its licence verdict on the entry page, scan every page with ``engine``.

    ``entry_checks(outcome)`` adds its members to the entry page's record (the permit checks, 亮证:
    ``permits.permit_entry_checks`` gives ``{"permits": [...]}``).

    Returns (and passes to ``on_record`` as they come) one record per page, the contract of
    ``wangjian monitor check``: ``{"url", "status", "reason", "licence" (entry page only), "hits"}``.
    The licence links of the entry page are followed when it shows no code itself, because
    art. 15 allows the display as a link (电子营业执照链接标识).
    """
    records: list[dict] = []

    async def linked_pages(page: Extracted) -> list[Extracted]:
        linked = []
        if wants_linked_pages(page):
            for link in licence_links(page)[:3]:
                lo = await fetcher.fetch(link, depth=1)
                if lo.ok and lo.extracted is not None:
                    linked.append(lo.extracted)
        return linked

    async def decide(out) -> LicenceCheck:
        # In a worker thread: ``lookup`` may query the database, which is not allowed in the event loop.
        return await asyncio.to_thread(
            licence_verdict,
            page=out.extracted,
            lookup=lookup,
            expected_uscc=expected_uscc,
            linked_pages=await linked_pages(out.extracted),
            rendered=out.rendered,
        )

    async def page_done(out) -> None:
        licence = None
        if out.depth == 0 and out.extracted is not None:
            check = await decide(out)
            if check.verdict == LicenceVerdict.NEEDS_RENDERING and fetcher.render != "never":
                # Scripts could write the licence: decide on what a buyer sees, the rendered page.
                shown = await fetcher.fetch(out.url, depth=0, render="always")
                if shown.ok and shown.rendered and shown.extracted is not None:
                    out = shown
                    check = await decide(out)
                else:
                    check.reason += f"（渲染失败 / rendering failed: {shown.reason}）"
            licence = check.as_contract() | {"reason": check.reason, "evidence": check.evidence}
        record: dict = {
            "url": out.url,
            "status": out.status,
            "reason": out.reason,
            "http_status": out.http_status,
            "depth": out.depth,
            "content_hash": out.content_hash,
            "rendered": out.rendered,
        }
        if out.depth == 0:
            record["licence"] = licence
            if entry_checks is not None:
                record.update(await entry_checks(out))
        ok = engine is not None and out.extracted is not None and out.status == "ok"
        record["hits"] = scan_hits(engine, out.extracted) if ok else []
        records.append(record)
        if on_record is not None:
            on_record(record)

    await fetcher.crawl(url, depth=depth, max_pages=max_pages, on_page=page_done)
    return records
