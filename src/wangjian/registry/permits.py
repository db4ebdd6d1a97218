"""Permit and filing numbers (许可证和备案编号): what their formats are, what of them can be checked, and the
facts the bureau's licensing data holds about one.

The goods decide which permit an online seller must show (亮证) beside its business licence (亮照):
food, drugs and medical devices need a licence or a filing, and the page must show it. This module
knows the numbers' formats as the rules write them; it checks what a format lets one check and says
what it cannot. **No check character of these numbers is published, so none is verified**: a number
that passes here has the right shape, not necessarily a real permit — only the bureau's imported
permit data (``Permit``) can say that.

- 食品经营许可证 (《食品经营许可和备案管理办法》, 市场监管总局令第78号, 2023; the 2015 办法 had the same
  number): ``JY`` + 14 digits — one digit 主体业态 (1 食品销售经营者, 2 餐饮服务经营者, 3 集中用餐单位食堂),
  two digits province, two city, two county (a GB/T 2260 division code), six digits sequence, one check
  digit. Checked: the prefix, the length, digits only, the 主体业态 digit, the province code, and whether
  the six-digit division is in the division list (not required: codes of divisions abolished since stay
  on permits issued before). The old 食品流通许可证 (``SP…``) and 餐饮服务许可证 were replaced by it.
- 仅销售预包装食品备案 (食品安全法 art. 35 as amended 2021; the same 办法's filing): ``YB`` + 14 digits,
  as we read the 办法 (the same layout of division and sequence). Checked: the prefix, the length, digits
  only and the province code; the meaning of the first digit is not checked.
- 药品经营许可证 (《药品经营和使用质量监督管理办法》, 2023; the 2004 许可证管理办法 had the same format):
  省份简称 + two letters (first A 批发, B 零售连锁总部, C 零售连锁门店, D 单体零售; second A 法人, B 非法人)
  + four digits of area (the telephone area code without its leading 0 when it has four digits, kept
  whole when it has three, then an adjustment digit) + a sequence number, e.g. 皖DA5630012. The rules
  as we recall them give the sequence five digits, while the numbers in use we know have three; so
  seven to nine digits in all are accepted. Checked: the province abbreviation, both letters, digits
  only and their count, and that an area starting with 0 is 01…/02… (the three-digit codes).
- 互联网药品信息服务资格证书 (《互联网药品信息服务管理办法》, 2017 修正: the number shown on the site's home
  page): (省份简称)-经营性|非经营性-YYYY-NNNN, e.g. (皖)-非经营性-2021-0015. Checked: the abbreviation,
  the kind word, a year from 2001 and four digits.
- 医疗器械经营许可证 (third class) and 第二类医疗器械经营备案凭证 (《医疗器械经营监督管理办法》, 2022):
  省简称 + 市简称 + 药监械经营许/备 + four digits year + four digits sequence + 号, e.g. 皖宣药监械经营备
  20230008号; the 2014 form reads 食药监械 (粤穗食药监械经营备XXXXXXXX号). Checked: the abbreviation of the
  province, the 许/备 word, the year (from 2014) and the digits.
- 网络食品交易第三方平台备案 (《网络食品安全违法行为查处办法》 art. 8): we know no published layout of
  the number; platforms' footers show two forms, 省简称 + 网食备 + digits (沪网食备…号) and 省简称 + 网食A (or B)
  + eight digits (浙网食A33010001). Checked: the mark and the digits, and eight of them after 网食A/B.

The first digits of a number say where it was issued (``region_key``): a bureau's data covers the
permits it issued, so a number from elsewhere is "not verifiable here", never "not in the data".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol

from wangjian.core import regions
from wangjian.registry.choices import PermitKind, PermitStatus

# 省、自治区、直辖市的简称 (with the alternative ones some licensing departments use).
PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川蜀贵黔云滇藏陕秦甘陇青宁新"
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65".split()
)
_P = f"[{PROVINCES}]"
_DASH = r"\s*[-－—–‐]\s*"


@dataclass(frozen=True)
class NumberProblem:
    """Why a shown number is not a permit number of its kind, in Chinese and English."""

    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


def normalize(text: object) -> str:
    """NFKC (full-width → half-width), brackets as （）, no spaces, Latin letters in upper case."""
    s = unicodedata.normalize("NFKC", str(text or ""))
    s = re.sub(r"\s+", "", s).upper()
    return s.replace("(", "（").replace(")", "）").replace("—", "-").replace("－", "-").replace("–", "-")


# --------------------------------------------------------------------------- one format per kind

_FOOD = re.compile(r"(JY|YB)(\d+)")
_DRUG = re.compile(rf"({_P})([A-Z])([A-Z])(\d+)")
_DRUG_INFO = re.compile(rf"（({_P})）-?(经营性|非经营性)-(\d{{4}})-(\d+)")
_DEVICE = re.compile(rf"({_P})([\u4e00-\u9fff]{{0,2}}?)(食)?药监械经营(许|备)(\d+)号?")
_PLATFORM = re.compile(rf"({_P})?网食(?:备[:：]?|([AB]))(\d+)号?")

# How a number of each kind begins: ``kind_of`` tells a shown number's kind by it.
_SHAPES: list[tuple[str, re.Pattern]] = [
    (PermitKind.FOOD_LICENCE, re.compile(r"JY\d")),
    (PermitKind.FOOD_FILING, re.compile(r"YB\d")),
    (PermitKind.DRUG_INFO, re.compile(rf"（{_P}）-?(?:非)?经营性")),
    (PermitKind.DEVICE_LICENCE, re.compile(rf"{_P}[\u4e00-\u9fff]{{0,2}}?(?:食)?药监械经营许")),
    (PermitKind.DEVICE_FILING, re.compile(rf"{_P}[\u4e00-\u9fff]{{0,2}}?(?:食)?药监械经营备")),
    (PermitKind.PLATFORM_FILING, re.compile(rf"{_P}?网食(?:备|[AB]\d)")),
    (PermitKind.DRUG_LICENCE, re.compile(rf"{_P}[A-Z]{{2}}\d")),
]


def kind_of(number: str) -> str | None:
    """The permit kind a (normalised) number is shaped like, or None."""
    n = normalize(number)
    for kind, rx in _SHAPES:
        if rx.match(n):
            return str(kind)
    return None


def _food_problem(kind: str, n: str) -> NumberProblem | None:
    prefix = "JY" if kind == PermitKind.FOOD_LICENCE else "YB"
    name = "食品经营许可证编号" if prefix == "JY" else "仅销售预包装食品备案编号"
    m = _FOOD.fullmatch(n)
    if not n.startswith(prefix):
        if kind == PermitKind.FOOD_LICENCE and "餐证字" in n:
            return NumberProblem(
                "旧版餐饮服务许可证编号（餐证字），已由食品经营许可证（JY）取代",
                "an old catering service permit number (餐证字), replaced by the JY food business licence",
            )
        if kind == PermitKind.FOOD_LICENCE and n.startswith("SP"):
            return NumberProblem(
                "旧版食品流通许可证编号（SP），已由食品经营许可证（JY）取代",
                "an old food circulation permit number (SP…), replaced by the JY food business licence",
            )
        return NumberProblem(f"{name}应以{prefix}开头", f"the number must start with {prefix}")
    if m is None or m.group(1) != prefix:
        return NumberProblem(
            f"{name}应为{prefix}加14位数字", f"the number is {prefix} followed by 14 digits, and digits only"
        )
    digits = m.group(2)
    if len(digits) != 14:
        return NumberProblem(
            f"{name}应为{prefix}加14位数字，实为{len(digits)}位",
            f"{prefix} must be followed by 14 digits, not {len(digits)}",
        )
    if prefix == "JY" and digits[0] not in "123":
        return NumberProblem(
            f"主体业态代码应为1、2或3，实为{digits[0]}",
            f"the business-type digit is 1, 2 or 3, not {digits[0]}",
        )
    if digits[1:3] not in PROVINCE_CODES:
        return NumberProblem(
            f"第{len(prefix) + 2}至{len(prefix) + 3}位应为省级行政区划代码，“{digits[1:3]}”不是",
            f"{digits[1:3]!r} is not a province code",
        )
    return None


def _drug_problem(n: str) -> NumberProblem | None:
    m = _DRUG.fullmatch(n)
    if m is None:
        return NumberProblem(
            "药品经营许可证编号应为省份简称＋两位分类代码（字母）＋地区代码和顺序号，如“皖DA5630012”",
            "a drug business licence number is a province abbreviation, two letters and digits",
        )
    _prov, first, second, digits = m.groups()
    if first not in "ABCD":
        return NumberProblem(
            f"分类代码第一位应为A（批发）、B（零售连锁总部）、C（零售连锁门店）或D（单体零售），实为{first}",
            f"the first class letter is A, B, C or D, not {first}",
        )
    if second not in "AB":
        return NumberProblem(
            f"分类代码第二位应为A（法人）或B（非法人），实为{second}",
            f"the second class letter is A or B, not {second}",
        )
    if not 7 <= len(digits) <= 9:
        return NumberProblem(
            f"分类代码后应为四位地区代码和顺序号（7至9位数字），实为{len(digits)}位",
            f"four area digits and a sequence (7 to 9 digits) follow the letters, not {len(digits)}",
        )
    if digits[0] == "0" and digits[1] not in "12":
        return NumberProblem(
            f"地区代码“{digits[:4]}”不是电话区号的写法",
            f"the area code {digits[:4]!r} is not written from a telephone area code",
        )
    return None


def _drug_info_problem(n: str) -> NumberProblem | None:
    m = _DRUG_INFO.fullmatch(n)
    if m is None:
        return NumberProblem(
            "互联网药品信息服务资格证书编号应为“（省份简称）-经营性/非经营性-年份-四位编号”",
            "the certificate number is (province)-经营性|非经营性-year-four digits",
        )
    year, serial = int(m.group(3)), m.group(4)
    if year < 2001:
        return NumberProblem(f"年份{year}早于该证书的设立", f"the year {year} predates the certificate")
    if len(serial) != 4:
        return NumberProblem("编号应为四位数字", "the serial has four digits")
    return None


def _device_problem(kind: str, n: str) -> NumberProblem | None:
    m = _DEVICE.fullmatch(n)
    word = "许" if kind == PermitKind.DEVICE_LICENCE else "备"
    name = "医疗器械经营许可证编号" if word == "许" else "第二类医疗器械经营备案编号"
    if m is None:
        return NumberProblem(
            f"{name}应为“省简称＋市简称＋药监械经营{word}＋八位数字＋号”",
            f"the number is province + city abbreviations, 药监械经营{word}, eight digits and 号",
        )
    if m.group(4) != word:
        return NumberProblem(
            f"这是{'经营备案' if m.group(4) == '备' else '经营许可'}编号，不是{name}",
            "a number of the other device regime (licence vs filing)",
        )
    digits = m.group(5)
    if len(digits) != 8:
        return NumberProblem(
            f"“药监械经营{word}”后应为四位年份和四位流水号（8位数字），实为{len(digits)}位",
            f"eight digits (year and sequence) follow, not {len(digits)}",
        )
    if not 2014 <= int(digits[:4]) <= 2099:
        return NumberProblem(
            f"年份“{digits[:4]}”不在该编号格式施行以来", f"the year {digits[:4]} is not a plausible year"
        )
    return None


def _platform_problem(n: str) -> NumberProblem | None:
    m = _PLATFORM.fullmatch(n)
    if m is None:
        return NumberProblem(
            "网络食品交易第三方平台备案号应含“网食备”或“网食A/B”和编号",
            "a third-party food platform filing number carries 网食备 or 网食A/B and a number",
        )
    if m.group(2) and len(m.group(3)) != 8:
        return NumberProblem(
            f"“网食{m.group(2)}”后应为8位数字，实为{len(m.group(3))}位",
            f"网食{m.group(2)} is followed by 8 digits, not {len(m.group(3))}",
        )
    return None


def problem(kind: str, number: str) -> NumberProblem | None:
    """What is wrong with ``number`` as a number of permit ``kind`` (None when its format is right)."""
    n = normalize(number)
    if not n:
        return NumberProblem("编号为空", "the number is empty")
    if kind in (PermitKind.FOOD_LICENCE, PermitKind.FOOD_FILING):
        return _food_problem(kind, n)
    if kind == PermitKind.DRUG_LICENCE:
        return _drug_problem(n)
    if kind == PermitKind.DRUG_INFO:
        return _drug_info_problem(n)
    if kind in (PermitKind.DEVICE_LICENCE, PermitKind.DEVICE_FILING):
        return _device_problem(kind, n)
    if kind == PermitKind.PLATFORM_FILING:
        return _platform_problem(n)
    return NumberProblem(f"未知的许可类型“{kind}”", f"unknown permit kind {kind!r}")


def validate(kind: str, number: str) -> tuple[str, NumberProblem | None]:
    n = normalize(number)
    return n, problem(kind, n)


def division_note(kind: str, number: str) -> str:
    """For a food number: a division code missing from the list (kept: abolished divisions stay on old permits)."""
    n = normalize(number)
    if kind not in (PermitKind.FOOD_LICENCE, PermitKind.FOOD_FILING) or problem(kind, n) is not None:
        return ""
    code = n[3:9]
    if regions.division(code) is None:
        return f"区划代码{code}不在现行区划表中（可能为已撤销的区划）/ division {code} is not in the current list"
    return ""


def region_key(kind: str, number: str) -> str:
    """Where a valid number was issued, as far as the number says: the division of a food number, the
    province and area of a drug licence, the province and city of a device number, the province otherwise."""
    n = normalize(number)
    if problem(kind, n) is not None:
        return ""
    if kind in (PermitKind.FOOD_LICENCE, PermitKind.FOOD_FILING):
        return n[3:9]
    if kind == PermitKind.DRUG_LICENCE:
        return n[0] + n[3:7]
    if kind == PermitKind.DRUG_INFO:
        return n[1]
    if kind in (PermitKind.DEVICE_LICENCE, PermitKind.DEVICE_FILING):
        m = _DEVICE.fullmatch(n)
        return m.group(1) + m.group(2) if m else ""
    m = _PLATFORM.fullmatch(n)
    return (m.group(1) or "") if m else ""


# --------------------------------------------------------------------------- the bureau's permit data


@dataclass(frozen=True)
class PermitFacts:
    """What the licensing data says about one permit (the ``Permit`` row, or a demo market's record)."""

    kind: str
    number: str
    holder_name: str = ""
    holder_uscc: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    status: str = PermitStatus.VALID
    scope: str = ""

    def lapsed(self, today: dt.date) -> str:
        """Why the permit is not in force on ``today`` ("" when it is)."""
        if self.status != PermitStatus.VALID:
            label = dict(PermitStatus.choices).get(self.status, self.status)
            return f"许可数据中状态为“{label}”/ status in the permit data: {self.status}"
        if self.valid_to is not None and self.valid_to < today:
            return f"有效期至{self.valid_to.isoformat()}，已过期 / expired on {self.valid_to.isoformat()}"
        if self.valid_from is not None and self.valid_from > today:
            return (
                f"有效期自{self.valid_from.isoformat()}起，尚未生效 / not in force before {self.valid_from}"
            )
        return ""


class PermitLookup(Protocol):
    """The permit data a check verifies against: which kinds and places it covers, and one permit by number."""

    def covers(self, kind: str, region: str) -> bool: ...

    def find(self, kind: str, number: str) -> PermitFacts | None: ...


class MemoryPermitLookup:
    """Permit data held in memory (the demo market's, tests'); a region is covered when some permit of
    the kind was issued there."""

    def __init__(self, permits: list[PermitFacts]):
        self.by_number = {(p.kind, normalize(p.number)): p for p in permits}
        self.regions = {(p.kind, region_key(p.kind, p.number)) for p in permits}
        self.kinds = {p.kind for p in permits}

    def covers(self, kind: str, region: str) -> bool:
        return (kind, region) in self.regions if region else kind in self.kinds

    def find(self, kind: str, number: str) -> PermitFacts | None:
        return self.by_number.get((kind, normalize(number)))


class NoPermitData:
    """No permit data imported: nothing is covered, every shown number is checked by its format only."""

    def covers(self, kind: str, region: str) -> bool:
        return False

    def find(self, kind: str, number: str) -> PermitFacts | None:
        return None
