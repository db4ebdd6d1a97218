"""Fields, their comparison levels, and the records the model compares (``registry.linkage``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from wangjian.core import regions
from wangjian.core.bulk import gc_paused
from wangjian.registry import matching
from wangjian.registry import uscc as uscc_mod

# ---------------------------------------------------------------------------------------------
# Fields and their levels (the first level is the strongest agreement, the last "different")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    levels: tuple[str, ...]  # level keys
    words: tuple[str, ...]  # each level in an officer's words


FIELDS: tuple[Field, ...] = (
    Field(
        "code",
        "统一社会信用代码",
        ("exact", "one_off", "other_valid", "different"),
        ("代码一致", "代码一位之差（校验位可修正）", "报送了另一个有效代码", "代码不同且无法修正为该主体"),
    ),
    # The claimed name and the shop name are one field: both say what the business is called, and
    # counting them apart would count the same evidence twice. The best agreement of the two is taken.
    Field(
        "name",
        "名称/店铺名称",
        ("exact", "core", "shop_core", "close", "shop_within", "similar", "different"),
        (
            "名称一致",
            "去地域、组织形式、分支后缀或繁体后一致",
            "店铺名称与字号一致",
            "名称高度相近（一两字之差）",
            "店铺名称含字号",
            "名称相近",
            "名称不同",
        ),
    ),
    Field(
        "address",
        "地址",
        ("same", "close", "weak", "different"),
        ("地址一致", "地址相近", "地址部分相同", "地址不同"),
    ),
    Field(
        "phone",
        "电话",
        ("exact", "masked", "different"),
        ("电话一致", "电话与登记库遮蔽号码的可见位一致", "电话不同"),
    ),
    Field(
        "region",
        "区划",
        ("county", "city", "different"),
        ("地址所在县区一致", "地址所在地市一致", "地址所在地区不同"),
    ),
)
FIELD_INDEX = {f.name: i for i, f in enumerate(FIELDS)}
# Which side of the evidence each level stands on: +1 agreement, -1 disagreement, 0 either (a partial
# likeness, or a neighbouring place).
_AGREE = {"exact", "one_off", "core", "shop_core", "close", "shop_within", "same", "masked", "county"}
_DISAGREE = {"other_valid", "different"}
SIDES = [[1 if k in _AGREE else -1 if k in _DISAGREE else 0 for k in f.levels] for f in FIELDS]
TF_LEVELS = {"exact", "core", "shop_core"}  # name levels whose weight follows the 字号's frequency

Levels = tuple[int | None, ...]  # one level index per field; None: a value is missing

# ---------------------------------------------------------------------------------------------
# Records as the comparisons read them


def _grams(s: str) -> frozenset[str]:
    if not s:
        return frozenset()
    return frozenset(s[i : i + 2] for i in range(len(s) - 1)) if len(s) > 1 else frozenset((s,))


_MASK = re.compile(r"[*＊xX×]+")


def phone_parts(phone: object) -> tuple[str, str, str]:
    """(digits, visible head, visible tail): a masked registry phone such as 138****1234 keeps its
    visible digits apart; a full number has them all in ``digits``."""
    if not phone:
        return "", "", ""
    s = str(phone)
    if s.isascii() and s.isdigit() and not s.startswith("86") and not s.startswith("0086"):
        return s[:20], "", ""  # the common case, as ``matching.phone_key`` would give it
    if len(s) == 11 and s[3:7] == "****" and s[:3].isdigit() and s[7:].isdigit():
        return "", s[:3], s[7:]  # the registry's usual mask, 138****1234
    s = unicodedata.normalize("NFKC", s)
    if "*" not in s and "x" not in s and "X" not in s and "×" not in s:
        return matching.phone_key(s), "", ""
    m = _MASK.search(s)
    if m and re.search(r"\d", s[: m.start()]) and re.search(r"\d", s[m.end() :]):
        head = re.sub(r"\D", "", s[: m.start()])
        tail = re.sub(r"\D", "", s[m.end() :])
        if head.startswith("86") and len(head) > 3:
            head = head[2:]
        return "", head, tail
    return matching.phone_key(s), "", ""


@dataclass(slots=True)
class EntityRec:
    id: int
    uscc: str
    name: str
    key: str
    core: str
    phone: str  # full digits, or "" when masked or absent
    phone_head: str
    phone_tail: str
    address: str
    region: str
    status: str = ""
    _address_key: str | None = None
    _address_grams: frozenset[str] | None = None

    @property
    def address_key(self) -> str:
        if self._address_key is None:
            self._address_key = matching.address_key(self.address)
        return self._address_key

    @property
    def address_grams(self) -> frozenset[str]:
        if self._address_grams is None:
            self._address_grams = _grams(self.address_key)
        return self._address_grams


def entity_rec(
    id: int,
    uscc: str,
    name: str,
    phone: str = "",
    address: str = "",
    region: str = "",
    status: str = "",
    *,
    key: str | None = None,
    core: str | None = None,
) -> EntityRec:
    """``key`` and ``core``: the stored normalised name (``MarketEntity.name_key``/``name_core``), if known."""
    if key is None or core is None:
        parts = matching.name_parts(name)
        key, core = parts.key, parts.core
    digits, head, tail = phone_parts(phone)
    stored = len(uscc) == 18 and uscc.isascii() and uscc.isalnum() and uscc.isupper()  # as imports keep it
    code = uscc if stored else uscc_mod.normalize(uscc)
    return EntityRec(id, code, name, key, core, digits, head, tail, address, region, status)


@dataclass(slots=True)
class SellerRec:
    seller_id: str
    name: matching.NameParts | None
    shop: str
    code: str
    code_valid: bool
    repairs: frozenset[str]
    phone: str
    address: str
    region: str
    accepted: set[int] = field(default_factory=set)
    rejected: set[int] = field(default_factory=set)
    _address_key: str | None = None
    _pairs: list[tuple[int, Levels, float]] | None = None  # compared once per index: estimation and linking
    _pairs_of: object = None
    _address_grams: frozenset[str] | None = None

    @property
    def address_key(self) -> str:
        if self._address_key is None:
            self._address_key = matching.address_key(self.address) if self.address else ""
        return self._address_key

    @property
    def address_grams(self) -> frozenset[str]:
        if self._address_grams is None:
            self._address_grams = _grams(self.address_key)
        return self._address_grams


def seller_rec(seller: matching.Seller) -> SellerRec:
    code, problem = uscc_mod.validate(seller.claimed_uscc) if seller.claimed_uscc else ("", None)
    repairs: frozenset[str] = frozenset()
    if code and problem is not None and len(code) == 18:
        repairs = frozenset(c for c, _ in uscc_mod.one_off_repairs(code))
    return SellerRec(
        seller_id=seller.seller_id,
        name=matching.name_parts(seller.claimed_name) if seller.claimed_name else None,
        shop=matching.shop_key(seller.shop_name) if seller.shop_name else "",
        code=code,
        code_valid=bool(code) and problem is None,
        repairs=repairs,
        phone=matching.phone_key(seller.phone),
        address=seller.address or "",
        region=(regions.region_from_address(seller.address) or "") if seller.address else "",
        accepted=set(seller.accepted),
        rejected=set(seller.rejected),
    )


@gc_paused()
def seller_recs(sellers: Iterable[matching.Seller]) -> list[SellerRec]:
    """``seller_rec`` for every seller of a list."""
    return [seller_rec(s) for s in sellers]


# ---------------------------------------------------------------------------------------------
# Comparing a pair


def _region_level(a: str, b: str) -> int | None:
    if not a or not b:
        return None
    if a[:6] == b[:6]:
        return 0
    if a[:4] == b[:4]:
        return 1
    return 2


def _name_level(s: SellerRec, e: EntityRec) -> int | None:
    best: int | None = None
    if s.name is not None and s.name.key:
        if s.name.key == e.key:
            return 0
        if s.name.core and s.name.core == e.core:
            # the same name with its region written otherwise; or another county's business of that 字号
            same = matching.same_name_written_out(s.name, matching.name_parts(e.name))
            return 0 if same else 1 if same is None else 3
        sim = Levenshtein.normalized_similarity(s.name.core, e.core)
        best = 3 if sim >= 0.75 else 5 if sim >= 0.5 else 6
    if s.shop and e.core:
        if s.shop == e.core:
            return 2
        if len(s.shop) >= 2 and (s.shop in e.core or e.core in s.shop or e.core[:2] == s.shop[:2]):
            shop = 4
        else:
            sim = Levenshtein.normalized_similarity(s.shop, e.core)
            shop = 3 if sim >= 0.75 else 5 if sim >= 0.5 else 6
        best = shop if best is None else min(best, shop)
    return best


def compare(s: SellerRec, e: EntityRec) -> Levels:
    # code
    if not s.code:
        code = None
    elif s.code == e.uscc:
        code = 0
    elif e.uscc in s.repairs:
        code = 1
    else:
        code = 2 if s.code_valid else 3
    # address
    if not s.address or not e.address:
        address = None
    else:
        x, y = s.address_grams, e.address_grams
        a = (len(x & y) / len(x | y)) if x and y else 0.0  # matching.similarity, with the 2-grams kept
        address = 0 if a >= 0.95 else 1 if a >= 0.5 else 2 if a >= 0.2 else 3
    # phone
    if not s.phone or not (e.phone or e.phone_tail):
        phone = None
    elif e.phone:
        phone = 0 if s.phone == e.phone else 2
    else:
        phone = 1 if s.phone.startswith(e.phone_head) and s.phone.endswith(e.phone_tail) else 2
    return (code, _name_level(s, e), address, phone, _region_level(s.region, e.region))


def reasons_of(levels: Levels, weights: Sequence[float | None]) -> list[str]:
    """The fields that weighed, strongest first, in an officer's words (for first, then against)."""
    items = [
        (w, FIELDS[i].words[lv])
        for i, (lv, w) in enumerate(zip(levels, weights, strict=True))
        if lv is not None and w is not None and abs(w) >= 0.5
    ]
    pro = [text for w, text in sorted(items, key=lambda x: -x[0]) if w > 0]
    con = [text for w, text in sorted(items, key=lambda x: x[0]) if w < 0]
    return pro + con
