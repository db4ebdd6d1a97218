"""Matching platform sellers to registered entities (精准匹配), with reasons an officer can read.

Platforms must report their sellers' identity and licence information (电子商务法 art. 27,
28; 网络交易监督管理办法 art. 24–25). The reported names and codes are often written
differently from the registry: full-width letters, traditional characters, 有限责任公司
for 有限公司, a region prefix or a branch suffix, a mistyped character in the code. This
module normalises names and codes, finds candidates through indexes ("blocking": by
code, by normalised name, by name core, by phone) instead of comparing every pair, scores
each candidate and says why.

Pure functions, no database: ``services.sellers_match`` feeds it and stores the result.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import opencc

from wangjian.core import regions
from wangjian.registry import uscc as uscc_mod

_T2S = opencc.OpenCC("t2s")

_BRACKETS = str.maketrans(
    {
        "【": "(",
        "】": ")",
        "[": "(",
        "]": ")",
        "〔": "(",
        "〕": ")",
        "{": "(",
        "}": ")",
        "「": "(",
        "」": ")",
        "《": "(",
        "》": ")",
        "<": "(",
        ">": ")",
    }
)
_DROP = re.compile(r"[\s\"'“”‘’·•.,，、。:：;；!！?？*＊/\\|_~`^\-–—]+")

# Legal-form spellings and the one form they mean (企业名称登记管理规定: 有限责任公司 may be written 有限公司).
_FORM_VARIANTS = [
    ("有限责任公司", "有限公司"),
    ("股份有限公司", "股份有限公司"),
    ("农民专业合作社", "专业合作社"),
    ("农民合作社", "专业合作社"),
    ("(特殊普通合伙)", "(合伙)"),
    ("(普通合伙)", "(合伙)"),
    ("(有限合伙)", "(合伙)"),
]
# Legal forms stripped from the end of the name to get its core (longest first).
_FORMS = [
    "集团股份有限公司",
    "集团有限公司",
    "股份有限公司",
    "有限公司",
    "专业合作社",
    "个人独资企业",
    "合伙企业",
    "(合伙)",
    "合作社",
    "公司",
]
_FORM_TAIL = re.compile("(?:" + "|".join(re.escape(f) for f in _FORMS) + ")$")
_BRANCH = re.compile(
    r"^(?P<base>.+?(?:股份有限公司|有限公司|公司|专业合作社|合作社|企业|厂))"
    r"(?P<branch>.*?(?:分公司|分店|经营部|门市部|营业部|分部|办事处|分厂|分社))$"
)
_BRANCH_TAIL = re.compile(
    r"^(?P<base>.{2,}?)(?P<branch>(?:第?[一二三四五六七八九十0-9]+)?(?:分公司|经营部|门市部|分店|营业部|办事处|分厂))$"
)
_SHOP_SUFFIX = re.compile(r"(?:官方旗舰店|旗舰店|专营店|专卖店|官方店|企业店|直营店|的小店|小店|的店|店铺)$")
_PAREN = re.compile(r"\(([^()]*)\)")
# Generic words of the extra (sub-county) names in data/regions.txt, for their short forms.
_EXTRA_SUFFIXES = ("街道", "镇", "乡")


@lru_cache(maxsize=1)
def _extra_names() -> frozenset[str]:
    """``data/regions.txt``: what the division list lacks (中国, the townships a bureau adds), with short forms."""
    names: set[str] = set()
    path = Path(__file__).with_name("data") / "regions.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        names.add(line)
        for suffix in _EXTRA_SUFFIXES:
            if line.endswith(suffix) and len(line) - len(suffix) >= 2:
                names.add(line[: -len(suffix)])
                break
    return frozenset(names)


@lru_cache(maxsize=1)
def gazetteer() -> frozenset[str]:
    """Division names (and their short forms) that may prefix an entity name.

    The GB/T 2260 divisions in the forms the name rules allow at the front (``core.regions.
    prefix_forms``: a district's short form only after its city, so that 光明乳业 keeps its
    字号), plus the extras of ``data/regions.txt``.
    """
    return regions.name_prefixes() | _extra_names()


@lru_cache(maxsize=1)
def _bracketed_names() -> frozenset[str]:
    """Names recognised when a whole bracket holds them (宏达(宣州)商贸): every division and short form.

    A bracket that holds exactly a division name is the region written after the 字号
    (企业名称登记管理规定), so there is nothing to confuse it with and no form is held back.
    """
    return regions.names() | _extra_names()


# A short form (旌德, 长兴) read first must leave room for a 字号 and a 行业 of two characters
# each (企业名称 = 行政区划 + 字号 + 行业或经营特点 + 组织形式; 字号 of two characters or more):
# in 长兴茶叶有限公司 长兴 is the 字号, in 旌德宏达商贸有限公司 旌德 is the county.
_SHORT_FIRST_REST = 4


@lru_cache(maxsize=1)
def _gazetteer_by_first() -> dict[str, tuple[int, ...]]:
    """The lengths of the prefix forms by their first character, longest first.

    A prefix test is then a few dict lookups (``text[:n] in _prefix_forms()``) instead of a
    ``startswith`` over every name beginning with that character.
    """
    out: dict[str, set[int]] = defaultdict(set)
    for name in gazetteer():
        out[name[0]].add(len(name))
    return {k: tuple(sorted(v, reverse=True)) for k, v in out.items()}


@lru_cache(maxsize=1)
def _prefix_forms() -> dict[str, regions.PrefixForm | None]:
    """Each prefix form with what ``core.regions`` knows of it (None for the extras, which fit anywhere)."""
    forms = regions.prefix_forms()
    extras = _extra_names()
    return {name: None if name in extras else forms.get(name) for name in gazetteer()}


def fold(text: object) -> str:
    """Full-width → half-width (NFKC), traditional → simplified, one kind of bracket, no spaces or punctuation."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    if not s:
        return ""
    s = _T2S.convert(s).translate(_BRACKETS)
    return _DROP.sub("", s).lower()


def canonical_forms(folded: str) -> str:
    for variant, canonical in _FORM_VARIANTS:
        if variant in folded:
            folded = folded.replace(variant, canonical)
    return folded


def strip_regions(text: str, min_rest: int = 2) -> tuple[str, list[str]]:
    """Remove leading division names (安徽省宣城市旌德县…) and bracketed ones (宏达(旌德)商贸).

    Divisions are read from the larger to the smaller, as names are written: after 旌德县 a
    name that is not inside it (长兴, 和平 …) is the 字号, not another region.
    """
    names = _bracketed_names()
    by_first = _gazetteer_by_first()
    forms = _prefix_forms()
    stripped: list[str] = []
    outer: frozenset[str] | None = None  # the divisions read so far; the next must lie inside
    while text:
        for length in by_first.get(text[0], ()):
            rest = len(text) - length
            if rest < min_rest:
                continue
            n = text[:length]
            if n not in forms:
                continue
            form = forms[n]
            if form is not None:
                if outer is None and (not form.alone or (form.short and rest < _SHORT_FIRST_REST)):
                    continue
                if outer is not None and not regions.inside_any(form.codes, outer):
                    continue
                outer = form.codes
            stripped.append(n)
            text = text[length:]
            break
        else:
            break

    def _paren(m: re.Match) -> str:
        inner = m.group(1)
        if inner in names:
            stripped.append(inner)
            return ""
        return inner

    if "(" in text:
        text = _PAREN.sub(_paren, text).replace("(", "").replace(")", "")
    return text, stripped


@dataclass(frozen=True, slots=True)
class NameParts:
    """A name taken apart: ``key`` is the folded name with one spelling per legal form; ``core`` its 字号 and trade."""

    folded: str
    key: str
    core: str
    regions: tuple[str, ...] = ()
    form: str = ""
    branch: str = ""


@lru_cache(maxsize=200_000)
def name_parts(name: object) -> NameParts:
    folded = fold(name)
    key = canonical_forms(folded)
    base, branch = key, ""
    m = _BRANCH.match(base)
    if m and m.group("branch"):
        base, branch = m.group("base"), m.group("branch")
    else:
        m = _BRANCH_TAIL.match(base)
        if m:
            base, branch = m.group("base"), m.group("branch")
    form = ""
    m = _FORM_TAIL.search(base)
    if m and m.start() > 0:
        base, form = base[: m.start()], m.group(0)
    core, regions = strip_regions(base)
    if not core:
        core = base or key
    return NameParts(folded=folded, key=key, core=core, regions=tuple(regions), form=form, branch=branch)


def named_place(parts: NameParts) -> frozenset[str]:
    """The divisions a name's own region words designate, the most specific read: 安徽省宣城市旌德县… and
    宏达（旌德）商贸… both → {341825}. Each name read narrows the one before (旌德 inside 安徽省); empty when
    the name names no region or names one this list does not know (the extras of ``data/regions.txt``)."""
    by_name = regions.codes_by_name()
    place: frozenset[str] = frozenset()
    for n in parts.regions:
        codes = by_name.get(n)
        if not codes:
            return frozenset()
        if place:
            inside = frozenset(c for c in codes if regions.inside_any(frozenset((c,)), place))
            codes = inside or codes
        place = codes
    return place


def same_name_written_out(a: NameParts, b: NameParts) -> bool | None:
    """Two names with the same 字号 and trade: do their region words designate the same division?

    True when they say the same thing in different words: the same legal form and branch, and region
    words that designate the same division however written — the higher divisions written out or
    not, the full name or the short form, before the 字号 or in brackets after the trade (the naming
    rules let the region stand there). 安徽省宣城市旌德县宏达商贸有限公司, 旌德县宏达商贸有限公司 and
    宏达商贸（旌德）有限公司 are one name. False when both name a region and neither lies inside the
    other (绩溪县宏达商贸 and 旌德县宏达商贸 are two businesses). None when that cannot be told (a name
    without a region, or one region inside the other: 宣城市宏达商贸 and 旌德县宏达商贸)."""
    if a.core != b.core or not a.regions or not b.regions:
        return None
    x, y = named_place(a), named_place(b)
    if not x or not y:
        return None
    if not x.isdisjoint(y):
        return True if (a.form, a.branch) == (b.form, b.branch) else None
    if regions.inside_any(x, y) or regions.inside_any(y, x):
        return None
    return False


def shop_key(shop_name: object) -> str:
    """A shop name without 旗舰店/专营店/… so that it can be compared with an entity's name core."""
    s = fold(shop_name)
    stripped = _SHOP_SUFFIX.sub("", s)
    return stripped or s


def phone_key(phone: object) -> str:
    """Digits only, without +86; a mobile number as its 11 digits."""
    if not phone:
        return ""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", str(phone)))
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits[:20]


def address_key(address: object) -> str:
    folded = fold(address)
    return strip_regions(folded, min_rest=1)[0] if folded else ""


def _bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)} if len(s) > 1 else {s}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character bigrams (0–1)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y)


# ---------------------------------------------------------------------------------------------
# The index and the matcher


@dataclass(slots=True)
class EntityRow:
    id: int
    uscc: str
    name: str
    key: str
    core: str
    phone: str
    address: str
    status: str = ""
    _address_key: str | None = None

    @property
    def address_key(self) -> str:
        if self._address_key is None:
            self._address_key = address_key(self.address)
        return self._address_key


class EntityIndex:
    """Blocking keys over the registry: code, normalised name, name core and phone."""

    def __init__(self, rows: Iterable[EntityRow | tuple]):
        self.by_id: dict[int, EntityRow] = {}
        self.by_uscc: dict[str, int] = {}
        self.by_key: dict[str, list[int]] = defaultdict(list)
        self.by_core: dict[str, list[int]] = defaultdict(list)
        self.by_phone: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            if not isinstance(row, EntityRow):
                row = EntityRow(*row)
            self.by_id[row.id] = row
            self.by_uscc[row.uscc] = row.id
            self.by_key[row.key].append(row.id)
            if row.core:
                self.by_core[row.core].append(row.id)
            if row.phone and len(row.phone) >= 7:
                self.by_phone[row.phone].append(row.id)

    def __len__(self) -> int:
        return len(self.by_id)


@dataclass
class Seller:
    seller_id: str
    claimed_name: str = ""
    shop_name: str = ""
    claimed_uscc: str = ""
    address: str = ""
    phone: str = ""
    accepted: set[int] = field(default_factory=set)  # entity ids an officer confirmed
    rejected: set[int] = field(default_factory=set)  # entity ids an officer ruled out


@dataclass
class Candidate:
    entity_id: int
    score: float
    reasons: list[str]


@dataclass
class Match:
    """The matcher's answer for one seller."""

    seller_id: str
    entity_id: int | None
    confidence: float
    outcome: str  # auto / review / none (MatchOutcome values)
    reasons: list[str]
    candidates: list[Candidate] = field(default_factory=list)
    by_code: bool = False
    decided: bool = False

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons)


AUTO_THRESHOLD = 0.85
REVIEW_THRESHOLD = 0.5
MARGIN = 0.15
# Legal status is a fact about the entity, not evidence of who the seller is: it is noted beside the
# link, and a 注销/吊销/迁出 entity's seller still trading becomes a lead (services.unlicensed).
STATUS_NOTES = {"cancelled": "注销", "revoked": "吊销", "moved_out": "迁出", "suspended": "歇业"}


def _name_reason(s: NameParts, e_key: str, e_core: str, e_name: str, seller_raw: str) -> tuple[str, float]:
    """How the names agree, in words, and the level (1 same, 0.9 same after spelling, 0.8 same core, <0.8 similar)."""
    if not s.key:
        return "", 0.0
    if s.key == e_key:
        e_folded = name_parts(e_name).folded
        if s.folded == e_folded:
            nfkc = unicodedata.normalize("NFKC", seller_raw)
            if nfkc != _T2S.convert(nfkc):
                return "名称繁体转简体后一致", 1.0
            if nfkc != seller_raw or re.sub(r"\s", "", nfkc) != nfkc:
                return "名称全半角/空格规范后一致", 1.0
            return "名称一致", 1.0
        return "名称一致（组织形式写法不同，如有限责任公司/有限公司）", 0.95
    if s.core and s.core == e_core:
        e = name_parts(e_name)
        ops = []
        if s.regions != e.regions:
            ops.append("去地域前缀")
        if s.form != e.form:
            ops.append("去组织形式")
        elif any((v in s.folded) != (v in e.folded) for v, c in _FORM_VARIANTS if v != c):
            ops.append("统一组织形式写法")
        if s.branch != e.branch:
            ops.append("去分支机构后缀")
        ops = ops or ["规范化"]
        return f"名称{'、'.join(ops)}后一致", 0.8
    sim = similarity(s.core, e_core)
    if sim >= 0.6:
        return f"名称相近（相似度{sim:.0%}）", sim * 0.8
    return "", 0.0


def match_seller(index: EntityIndex, seller: Seller) -> Match:
    """Choose the registered entity behind one seller, or none, with a confidence and the reasons."""
    s = name_parts(seller.claimed_name) if seller.claimed_name else None
    shop = shop_key(seller.shop_name) if seller.shop_name else ""
    s_phone = phone_key(seller.phone)
    code, code_problem = uscc_mod.validate(seller.claimed_uscc) if seller.claimed_uscc else ("", None)

    notes: list[str] = []
    candidate_ids: dict[int, str] = {}  # entity id → how it was found
    code_entity: int | None = None
    if code and code_problem is None:
        code_entity = index.by_uscc.get(code)
        if code_entity is not None:
            candidate_ids[code_entity] = "code"
        else:
            notes.append("报送的代码不在本辖区登记库中")
    elif code and code_problem is not None:
        if code_problem.code in ("checksum", "charset", "division") and len(code) == 18:
            for fixed, _pos in uscc_mod.one_off_repairs(code):
                eid = index.by_uscc.get(fixed)
                if eid is not None:
                    candidate_ids.setdefault(eid, "repair")
        notes.append(f"报送的代码有误（{code_problem.zh}）")
    if s is not None:
        for eid in index.by_key.get(s.key, ()):
            candidate_ids.setdefault(eid, "name")
        for eid in index.by_core.get(s.core, ()):
            candidate_ids.setdefault(eid, "core")
    if shop:
        for eid in index.by_core.get(shop, ()):
            candidate_ids.setdefault(eid, "shop")
    if s_phone and len(s_phone) >= 7:
        for eid in index.by_phone.get(s_phone, ()):
            candidate_ids.setdefault(eid, "phone")
    for eid in seller.accepted:
        if eid in index.by_id:
            candidate_ids.setdefault(eid, "decision")

    s_addr = address_key(seller.address) if seller.address else ""
    named: list[tuple[int, str, str, float]] = []
    for eid, found_by in candidate_ids.items():
        if eid in seller.rejected:
            continue
        e = index.by_id[eid]
        name_reason, name_level = ("", 0.0)
        if s is not None:
            name_reason, name_level = _name_reason(s, e.key, e.core, e.name, seller.claimed_name)
        if not name_reason and shop:
            sim = similarity(shop, e.core)
            if sim >= 0.6:
                name_reason, name_level = (
                    ("店铺名称与主体字号一致", 0.7)
                    if sim == 1.0
                    else (f"店铺名称与字号相近（{sim:.0%}）", sim * 0.6)
                )
        named.append((eid, found_by, name_reason, name_level))
    # A name (or name core) that only one registered entity has is itself evidence.
    same_name = sum(1 for _, _, _, level in named if level >= 0.8)
    if s is not None and same_name == 1:
        same_name = len(index.by_core.get(s.core, ())) or 1

    scored: list[Candidate] = []
    for eid, found_by, name_reason, name_level in named:
        e = index.by_id[eid]
        reasons: list[str] = []
        by_code = found_by in ("code", "repair")
        if found_by == "code":
            reasons.append("代码一致")
            if name_level >= 0.8:
                score = 0.99 if name_level >= 0.9 else 0.95
            elif name_level > 0:
                score = 0.88
            else:
                score = 0.55
                reasons.append("但名称不一致（可能已变更名称或报送有误）")
        elif found_by == "repair":
            if name_level < 0.8:
                continue  # a repaired code counts only when the name agrees
            reasons.append(f"代码一位之差且校验位错误，名称一致，按登记代码{e.uscc}修正")
            score = 0.92
        else:
            score = {1.0: 0.7, 0.95: 0.68}.get(name_level, 0.0)
            if not score:
                score = 0.66 if name_level >= 0.8 else name_level * 0.6
            if code and code_problem is None and e.uscc != code:
                score -= 0.35
                reasons.append("报送的代码与该主体代码不同")
        if name_reason:
            reasons.append(name_reason)
        if not by_code and name_level >= 0.8 and same_name == 1:
            score += 0.2
            reasons.append("登记库中无同名主体")
        if s_phone and e.phone and s_phone == e.phone:
            reasons.append("电话一致")
            score += 0.0 if by_code else 0.2
        if s_addr and e.address:
            a = similarity(s_addr, e.address_key)
            if a >= 0.95:
                reasons.append("地址一致")
                score += 0.0 if by_code else 0.2
            elif a >= 0.5:
                reasons.append(f"地址相近（{a:.0%}）")
                score += 0.0 if by_code else 0.1
            elif a < 0.2 and not by_code:
                reasons.append("地址不一致")
                score -= 0.1
        if eid in seller.accepted:
            reasons.insert(0, "人工已确认")
            score = 1.0
        scored.append(Candidate(entity_id=eid, score=round(min(score, 1.0), 3), reasons=reasons))

    scored.sort(key=lambda c: (-c.score, c.entity_id))
    top = scored[:5]
    if seller.rejected and any(eid in seller.rejected for eid in candidate_ids):
        notes.append("已排除人工否定的候选主体")
    if not top or top[0].score < REVIEW_THRESHOLD:
        reasons = ["未找到相符的登记主体（可能为无照经营线索）", *notes]
        if top:
            reasons.append(f"最相近：{index.by_id[top[0].entity_id].name}")
        return Match(seller.seller_id, None, round(top[0].score if top else 0.0, 3), "none", reasons, top)
    best = top[0]
    reasons = list(best.reasons)
    outcome = "auto" if best.score >= AUTO_THRESHOLD else "review"
    decided = best.entity_id in seller.accepted
    if (
        not decided
        and len(top) > 1
        and top[1].score >= REVIEW_THRESHOLD
        and best.score - top[1].score < MARGIN
    ):
        outcome = "review"
        same = sum(1 for c in top if best.score - c.score < MARGIN)
        reasons.append(f"有{same}家相近主体，需人工区分")
    status = index.by_id[best.entity_id].status
    if status in STATUS_NOTES:
        reasons.append(f"该主体登记状态为{STATUS_NOTES[status]}")
    repaired = found_repair(best)
    reasons.extend(n for n in notes if not (repaired and n.startswith("报送的代码有误")))
    return Match(
        seller.seller_id,
        best.entity_id,
        best.score,
        outcome,
        reasons,
        top,
        by_code=candidate_ids.get(best.entity_id) in ("code", "repair"),
        decided=decided,
    )


def found_repair(candidate: Candidate) -> bool:
    return any(r.startswith("代码一位之差") for r in candidate.reasons)


def match_all(index: EntityIndex, sellers: Iterable[Seller]) -> Iterable[Match]:
    for seller in sellers:
        yield match_seller(index, seller)
