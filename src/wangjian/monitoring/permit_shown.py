"""Where a page shows a permit (亮证): the permit and filing numbers in its text, labelled or not, its links
to a certificates page, its electronic business mark — what ``permits.permit_verdicts`` decides on.

A number found beside its label is taken as the number shown even when malformed (the verdict is then
"invalid format", never "not shown"); an unlabelled one only when it has the kind's shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wangjian.monitoring.extract import Extracted, images_named
from wangjian.monitoring.licence import _NAME_LABEL, _NEXT_FIELD, _search_form
from wangjian.registry import permits as numbers
from wangjian.registry.choices import PermitKind

_P = f"[{numbers.PROVINCES}]"
_LABEL_END = r"(?:编号|号码|号|凭证)?\s*[:：]?\s*"
# (regex, the permit kind a match is; None: from the number's own shape)
_FREE: list[tuple[re.Pattern, str | None]] = [
    (re.compile(r"(?<![0-9A-Z])(?:JY|YB)\d[0-9A-Z]{2,22}(?![0-9A-Z])"), None),
    (re.compile(rf"{_P}[A-D][AB]\d{{7,9}}(?![0-9])"), PermitKind.DRUG_LICENCE),
    (
        re.compile(rf"\(\s*{_P}\s*\)\s*[-—–]?\s*(?:非)?经营性\s*[-—–]\s*\d{{2,6}}\s*[-—–]\s*\d{{1,8}}"),
        PermitKind.DRUG_INFO,
    ),
    (re.compile(rf"{_P}[\u4e00-\u9fff]{{0,2}}?(?:食)?药监械经营许\d{{0,14}}号?"), PermitKind.DEVICE_LICENCE),
    (re.compile(rf"{_P}[\u4e00-\u9fff]{{0,2}}?(?:食)?药监械经营备\d{{0,14}}号?"), PermitKind.DEVICE_FILING),
    (re.compile(rf"{_P}?网食(?:备|[AB](?=\d))\s*[:：]?\s*[0-9A-Z]*号?"), PermitKind.PLATFORM_FILING),
]
# A label, then whatever the page gives as the number (a malformed one too: it is "invalid", not "not shown").
_LABELLED: list[tuple[re.Pattern, str]] = [
    (re.compile(rf"食品(?:经营|流通)许可证?{_LABEL_END}([0-9A-Z]{{4,24}})"), PermitKind.FOOD_LICENCE),
    # The 餐饮服务许可证 (皖餐证字…) replaced by the 食品经营许可证 in 2015: shown for the food licence, and invalid.
    (
        re.compile(rf"餐饮服务许可证?{_LABEL_END}({_P}?餐证字[0-9A-Z]{{4,24}}号?|[0-9A-Z]{{4,24}})"),
        PermitKind.FOOD_LICENCE,
    ),
    (
        re.compile(rf"(?:预包装食品|食品经营)(?:销售)?备案{_LABEL_END}([0-9A-Z]{{4,24}})"),
        PermitKind.FOOD_FILING,
    ),
    (re.compile(rf"药品经营许可证?{_LABEL_END}({_P}?[A-Z0-9]{{3,20}})"), PermitKind.DRUG_LICENCE),
    (
        re.compile(rf"互联网药品信息服务(?:资格)?(?:证书)?{_LABEL_END}([^\s，,;；。]{{4,30}})"),
        PermitKind.DRUG_INFO,
    ),
    (
        re.compile(rf"医疗器械经营许可证?{_LABEL_END}([^\s，,;；。]{{4,30}})"),
        PermitKind.DEVICE_LICENCE,
    ),
    (
        re.compile(rf"(?:第二类)?医疗器械经营备案(?:凭证)?{_LABEL_END}([^\s，,;；。]{{4,30}})"),
        PermitKind.DEVICE_FILING,
    ),
]
# Links to a page of certificates (资质证照), followed when the entry page shows no permit itself.
PERMIT_LINK = re.compile(r"资质|证照|许可证|经营许可|备案凭证|qualification|zizhi|xuke|permit", re.I)
# The electronic business mark: a link or image the bureau's mark is (亮标).
EBIZ_MARK = re.compile(
    r"电子营业执照|亮照|网络经营主体|经营主体标识|网店标识|红盾|工商网监|电子标识|gsxt|zzlz|yyzz|hongdun",
    re.I,
)


HOLDER_NEAR = 60  # characters between a permit number and the holder name that goes with it


@dataclass
class Shown:
    permit_kind: str
    number: str  # normalised
    start: int
    end: int
    source: str
    original: str
    folded: str
    labelled: bool

    @property
    def problem(self) -> numbers.NumberProblem | None:
        return numbers.problem(self.permit_kind, self.number)

    @property
    def holder_name(self) -> str:
        """The holder the page names beside the number (经营者名称：…), the closest labelled name within
        ``HOLDER_NEAR`` characters; "" when none — a name elsewhere on the page is not the permit's."""
        best: tuple[int, str] | None = None
        for m in _NAME_LABEL.finditer(self.folded):
            distance = min(abs(m.start() - self.end), abs(self.start - m.end()))
            if distance <= HOLDER_NEAR and (best is None or distance < best[0]):
                best = (distance, self.original[m.start(1) : m.end(1)])
        return _NEXT_FIELD.split(best[1])[0].strip() if best else ""


def shown_numbers(sources: list[tuple[str, str]]) -> list[Shown]:
    """Every permit number the texts show, labelled or not, each once (the labelled reading wins)."""
    out: list[Shown] = []
    for source, original in sources:
        folded = _search_form(original)
        found: list[Shown] = []
        for rx, kind in _LABELLED:
            for m in rx.finditer(folded):
                token = m.group(1)
                number = numbers.normalize(token)
                shaped = numbers.kind_of(number)
                if kind == PermitKind.FOOD_LICENCE and number.startswith("YB"):
                    shaped = PermitKind.FOOD_FILING
                found.append(
                    Shown(shaped or kind, number, m.start(1), m.end(1), source, original, folded, True)
                )
        for rx, kind in _FREE:
            for m in rx.finditer(folded):
                if any(f.start < m.end() and m.start() < f.end for f in found):
                    continue
                number = numbers.normalize(m.group(0))
                found.append(
                    Shown(
                        kind or numbers.kind_of(number) or "",
                        number,
                        m.start(),
                        m.end(),
                        source,
                        original,
                        folded,
                        False,
                    )
                )
        out += [f for f in found if f.permit_kind]
    return out


def best(shown: list[Shown], *kinds: str) -> Shown | None:
    """The number to decide on among those of ``kinds`` (in the order given): a well-formed one first."""
    of = [s for s in shown if s.permit_kind in kinds]
    if not of:
        return None
    return min(of, key=lambda s: (s.problem is not None, kinds.index(s.permit_kind), not s.labelled, s.start))


def permit_links(page: Extracted) -> list[str]:
    """Links of the page to its certificates (资质证照), where a permit may be shown instead."""
    return [link.href for link in page.links if PERMIT_LINK.search(f"{link.text} {link.href}")]


_PERMIT_IMAGE = re.compile(r"许可证|经营许可|备案凭证|备案证|资质|证照|xuke|zizhi|permit|licen[cs]e", re.I)
_NOT_A_PERMIT = re.compile(r"营业执照|标识|图标|icon|logo|亮照|gsxt|zzlz", re.I)


def permit_images(page: Extracted | str) -> list[str]:
    """Images the page calls a permit or its certificates (alt or title 食品经营许可证, 资质; or a file named so),
    not the business licence or a mark: their addresses."""
    return images_named(page, _PERMIT_IMAGE, _NOT_A_PERMIT)


def ebiz_mark_shown(page: Extracted | str) -> str:
    """The electronic business mark the page shows (a link's text or image alt, or its address)."""
    if not isinstance(page, Extracted):
        return ""
    for link in page.links:
        if EBIZ_MARK.search(f"{link.text} {link.href}"):
            return link.text or link.href
    for piece in page.pieces:
        if piece.source in ("img_alt", "img_title") and EBIZ_MARK.search(piece.text):
            return piece.text
    return ""


def needs_rendering(page: Extracted | str, *, rendered: bool) -> bool:
    """The page has scripts and was not rendered: what it does not show statically may appear in a browser."""
    return not rendered and isinstance(page, Extracted) and page.has_scripts
