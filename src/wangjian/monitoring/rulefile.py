"""Rule library files: the YAML and Excel forms of a 监测关键词库, checked before anything is stored.

Departments refine their libraries with the office (旌德 mechanism 二(三)), often in Excel.
A file with a broken rule must be rejected as a whole, with every problem named by rule
code and field, so nobody publishes half a library: ``parse_library`` collects all
problems and raises one ``ValidationFailed`` listing them.

Rule fields (YAML keys; Excel columns of the same names, several values one per line):

- ``code`` (unique), ``name``, ``category``, ``severity``, ``legal_basis``, ``explanation``
- ``product_kinds``: kinds the rule applies to (empty: all)
- ``terms``: literal phrases; ``regexes``: regular expressions over the normalised text
  (simplified characters, half-width, lower case); ``anchors``: literals one of which occurs
  in every match of the regexes — they are then tried only within 60 characters of an
  anchor (a speed hint; leave empty to run the regexes over the whole text)
- ``exclusions``: phrases or ``re:`` patterns that, when they *overlap* the hit, make it
  no violation (最佳赏味期 contains 最佳); each ``pattern => reason``
- ``context``: phrases or ``re:`` patterns that exempt a hit when found within
  ``before``/``after`` characters of it (据…统计 before 销量第一); ``pattern => reason @ before,after``
- ``near``: ``{terms: [...], within: N}`` — the hit counts only with one of these within N
  characters ("治愈" within 10 characters of a disease word)
- ``absent``: the rule fires only when none of these phrases occur in the whole text
  (a health-food ad lacking "本品不能代替药物")
- ``claim``: ``{verbs: [...], objects: [...], within: N}`` — a claim as structure, not as one
  term: a claim verb and an object (a disease, a symptom) within N characters of each other in
  the same sentence, in either order ("治疗糖尿病", "对糖尿病有很好的治疗效果", "糖尿病克星");
  a one-character verb ("治", "防") counts only right before its object ("防近视"). The hit
  covers both. Excel: ``claim_verbs``, ``claim_objects``, ``claim_within``
- ``lexicon:NAME`` in ``terms``, ``near`` terms, ``claim`` verbs and objects, or as an exclusion
  phrase: the entries of ``monitoring/data/lexicon/NAME.txt`` (``lexicons``)
- ``pinyin`` / ``homophones``: whether the pinyin channel and homophone variants apply (default yes)
- ``examples``: ``{hit: [...], clean: [...]}`` — they join the library's regression set
"""

from __future__ import annotations

import io
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import yaml

from wangjian.core import uploads, yamltext
from wangjian.core.errors import ValidationFailed
from wangjian.core.exports import xlsx_append
from wangjian.monitoring import lexicons, patterns
from wangjian.monitoring.choices import Category, Expectation, ProductKind, Severity

_LINE_RE = re.compile(
    r"^(?P<pattern>.+?)(?:\s*=>\s*(?P<reason>.*?))?(?:\s*@\s*(?P<before>\d+)\s*,\s*(?P<after>\d+))?\s*$"
)


@dataclass
class Exemption:
    """A phrase (or ``re:`` pattern) that makes a hit lawful, and the reason shown to the officer."""

    pattern: str
    reason: str = ""
    before: int = 0
    after: int = 0

    @property
    def is_regex(self) -> bool:
        return self.pattern.startswith("re:")

    def as_line(self, *, context: bool = False) -> str:
        line = self.pattern + (f" => {self.reason}" if self.reason else "")
        if context:
            line += f" @ {self.before},{self.after}"
        return line


@dataclass
class Near:
    terms: list[str] = field(default_factory=list)
    within: int = 10


@dataclass
class Claim:
    """A claim verb and its object (a disease, a symptom) within ``within`` characters, same sentence."""

    verbs: list[str] = field(default_factory=list)
    objects: list[str] = field(default_factory=list)
    within: int = 8


CLAIM_WITHIN_MAX = 30


@dataclass
class RuleSpec:
    code: str
    name: str
    category: str
    severity: str = Severity.MEDIUM
    legal_basis: str = ""
    explanation: str = ""
    product_kinds: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    regexes: list[str] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)
    exclusions: list[Exemption] = field(default_factory=list)
    context: list[Exemption] = field(default_factory=list)
    near: Near | None = None
    claim: Claim | None = None
    absent: list[str] = field(default_factory=list)
    pinyin: bool = True
    homophones: bool = True
    examples_hit: list[str] = field(default_factory=list)
    examples_clean: list[str] = field(default_factory=list)
    enabled: bool = True


@dataclass
class RegressionLine:
    text: str
    expect: str
    category: str = ""
    product_kind: str = ""
    note: str = ""


@dataclass
class LibrarySpec:
    name: str
    title: str = ""
    department_kind: str = ""
    domain: str = ""
    rules: list[RuleSpec] = field(default_factory=list)
    regression: list[RegressionLine] = field(default_factory=list)
    # Which stored version this is ("advertising v3"), so that every hit can name it; not part of the file.
    version: str = field(default="", compare=False)
    version_id: int | None = field(default=None, compare=False)

    def regression_lines(self) -> list[RegressionLine]:
        """The explicit regression set plus every rule's examples."""
        lines = list(self.regression)
        for r in self.rules:
            kind = r.product_kinds[0] if r.product_kinds else ""
            lines += [
                RegressionLine(t, Expectation.MUST_HIT, r.category, kind, r.code) for t in r.examples_hit
            ]
            lines += [
                RegressionLine(t, Expectation.MUST_NOT_HIT, r.category, kind, r.code)
                for t in r.examples_clean
            ]
        return lines


# --------------------------------------------------------------------------- parsing


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.splitlines() if v.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [str(value).strip()]


def _as_bool(value: Any, default: bool = True) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() not in ("0", "false", "no", "n", "否", "f")


def _exemptions(value: Any, *, context: bool) -> list[Exemption]:
    out: list[Exemption] = []
    items = value if isinstance(value, list) else _as_list(value)
    for item in items:
        if isinstance(item, dict):
            pattern = str(
                item.get("regex")
                and "re:" + str(item["regex"])
                or item.get("phrase")
                or item.get("pattern")
                or ""
            )
            out.append(
                Exemption(
                    pattern=pattern.strip(),
                    reason=str(item.get("reason", "") or ""),
                    before=int(item.get("before", 10 if context else 0) or 0),
                    after=int(item.get("after", 10 if context else 0) or 0),
                )
            )
            continue
        m = _LINE_RE.match(str(item))
        if not m:
            continue
        before = int(m["before"]) if m["before"] else (10 if context else 0)
        after = int(m["after"]) if m["after"] else (10 if context else 0)
        out.append(Exemption(m["pattern"].strip(), (m["reason"] or "").strip(), before, after))
    return out


def _check_regex(pattern: str, where: str, problems: list[str], *, probe: bool = True) -> None:
    """A pattern compiles (with ``regex``, which runs it); with ``probe`` — a file being imported —
    it is also within the length cap and does not backtrack catastrophically (``patterns``).

    A stored version is read back without the probe: it was checked when it came in, and a
    pattern that times out later is reported by the sweep rather than stopping the library.
    """
    if probe:
        problem = patterns.pattern_problem(pattern)
        if problem is not None:
            problems.append(f"{where}: {problem[0]} / {problem[1]}")
        return
    try:
        patterns.compile_pattern(pattern)
    except (patterns.error, ValueError, OverflowError) as exc:
        problems.append(f"{where}: 正则表达式无效 / invalid regular expression {pattern!r}: {exc}")


def parse_rule(
    data: dict[str, Any], problems: list[str], index: int, *, check_patterns: bool = True
) -> RuleSpec | None:
    code = str(data.get("code") or "").strip()
    label = f"规则 rule {code or f'#{index + 1}'}"
    if not code:
        problems.append(f"{label}: 缺少编号 / missing code")
    category = str(data.get("category") or "").strip()
    if category not in Category.values:
        problems.append(
            f"{label}: 未知类别 / unknown category {category!r} (允许 allowed: {', '.join(Category.values)})"
        )
    severity = str(data.get("severity") or Severity.MEDIUM).strip()
    if severity not in Severity.values:
        problems.append(f"{label}: 未知严重程度 / unknown severity {severity!r}")
    kinds = _as_list(data.get("product_kinds"))
    for k in kinds:
        if k.lstrip("!") not in ProductKind.values:
            problems.append(f"{label}: 未知商品类型 / unknown product kind {k!r}")
    terms = _as_list(data.get("terms"))
    regexes = _as_list(data.get("regexes"))
    claim = _claim(data, label, problems)
    if not terms and not regexes and claim is None:
        problems.append(
            f"{label}: 关键词、正则表达式和宣称结构均为空 / empty terms: the rule has no terms, regexes or claim"
        )
    for rx in regexes:
        _check_regex(rx, label, problems, probe=check_patterns)
    exclusions = _exemptions(data.get("exclusions"), context=False)
    context = _exemptions(data.get("context"), context=True)
    for ex in exclusions + context:
        if ex.is_regex:
            _check_regex(ex.pattern[3:], f"{label} 豁免 exemption", problems, probe=check_patterns)
        elif not ex.pattern:
            problems.append(f"{label}: 豁免短语为空 / empty exemption phrase")
    near = None
    near_data = data.get("near")
    if near_data is None and (data.get("near_terms") not in (None, "")):
        near_data = {"terms": data.get("near_terms"), "within": data.get("near_within")}
    if near_data:
        near_terms = _as_list(near_data.get("terms"))
        if not near_terms:
            problems.append(f"{label}: 邻近条件没有关键词 / proximity condition without terms")
        try:
            within = int(near_data.get("within") or 10)
        except (TypeError, ValueError):
            problems.append(f"{label}: 邻近距离须为整数 / proximity distance must be an integer")
            within = 10
        near = Near(near_terms, within)
    refs = terms + (near.terms if near else []) + (claim.verbs + claim.objects if claim else [])
    refs += [ex.pattern for ex in exclusions + context]
    for name in lexicons.unknown(refs):
        problems.append(
            f"{label}: 未知词表 / unknown lexicon {name!r}"
            f" (允许 allowed: {', '.join(lexicons.PREFIX + n for n in lexicons.names())})"
        )
    examples = data.get("examples") or {}
    rule = RuleSpec(
        code=code,
        name=str(data.get("name") or code).strip(),
        category=category,
        severity=severity,
        legal_basis=str(data.get("legal_basis") or "").strip(),
        explanation=str(data.get("explanation") or "").strip(),
        product_kinds=kinds,
        terms=terms,
        regexes=regexes,
        anchors=_as_list(data.get("anchors")),
        exclusions=exclusions,
        context=context,
        near=near,
        claim=claim,
        absent=_as_list(data.get("absent")),
        pinyin=_as_bool(data.get("pinyin")),
        homophones=_as_bool(data.get("homophones")),
        examples_hit=_as_list(examples.get("hit") if isinstance(examples, dict) else data.get("examples_hit"))
        or _as_list(data.get("examples_hit")),
        examples_clean=_as_list(examples.get("clean") if isinstance(examples, dict) else None)
        or _as_list(data.get("examples_clean")),
        enabled=_as_bool(data.get("enabled")),
    )
    return rule


def _claim(data: dict[str, Any], label: str, problems: list[str]) -> Claim | None:
    """The ``claim`` mapping (YAML) or the ``claim_*`` columns (Excel); None when the rule has none."""
    raw = data.get("claim")
    if raw is None and data.get("claim_verbs") not in (None, ""):
        raw = {
            "verbs": data.get("claim_verbs"),
            "objects": data.get("claim_objects"),
            "within": data.get("claim_within"),
        }
    if not raw:
        return None
    if not isinstance(raw, dict):
        problems.append(f"{label}: claim 应为映射 / 'claim' must be a mapping (verbs, objects, within)")
        return None
    verbs, objects = _as_list(raw.get("verbs")), _as_list(raw.get("objects"))
    if not verbs or not objects:
        problems.append(f"{label}: 宣称结构须有动词和对象 / a claim needs both verbs and objects")
    try:
        within = int(8 if raw.get("within") in (None, "") else raw.get("within"))
    except (TypeError, ValueError):
        within = -1
    if not 0 <= within <= CLAIM_WITHIN_MAX:
        problems.append(
            f"{label}: 宣称距离须为 0–{CLAIM_WITHIN_MAX} 的整数 / claim distance must be an integer"
            f" from 0 to {CLAIM_WITHIN_MAX}"
        )
        within = 8
    return Claim(verbs, objects, within)


def parse_library(data: Any, *, source: str = "", check_patterns: bool = True) -> LibrarySpec:
    """A library from its YAML/Excel data; every problem, named by rule, in one ``ValidationFailed``.

    ``check_patterns`` (a file coming in): every regular expression is also held to the length cap
    and probed for catastrophic backtracking; a stored version is read back with compiling only.
    """
    where = f"（{source}）" if source else ""
    if not isinstance(data, dict):
        raise ValidationFailed(
            f"规则库文件格式不正确{where}：应为映射（library, rules）",
            f"rule library file{(' ' + source) if source else ''} must be a mapping with 'library' and 'rules'",
        )
    problems: list[str] = []
    name = str(data.get("library") or data.get("name") or "").strip()
    if not name:
        problems.append("规则库缺少名称 / the library has no name ('library')")
    raw_rules = data.get("rules") or []
    if not isinstance(raw_rules, list):
        problems.append("rules 应为列表 / 'rules' must be a list")
        raw_rules = []
    rules: list[RuleSpec] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_rules):
        if not isinstance(raw, dict):
            problems.append(f"规则 rule #{i + 1}: 应为映射 / must be a mapping")
            continue
        rule = parse_rule(raw, problems, i, check_patterns=check_patterns)
        if rule is None:
            continue
        if rule.code and rule.code in seen:
            problems.append(f"规则 rule {rule.code}: 编号重复 / duplicate code")
        seen.add(rule.code)
        rules.append(rule)
    regression: list[RegressionLine] = []
    for i, raw in enumerate(data.get("regression") or []):
        if isinstance(raw, str):
            raw = {"text": raw, "expect": Expectation.MUST_HIT}
        expect = str(raw.get("expect") or "").strip()
        if expect not in Expectation.values:
            problems.append(f"回归测试 regression line #{i + 1}: expect 应为 must_hit 或 must_not_hit")
            continue
        text = str(raw.get("text") or "")
        if not text.strip():
            problems.append(f"回归测试 regression line #{i + 1}: 文本为空 / empty text")
            continue
        regression.append(
            RegressionLine(
                text,
                expect,
                str(raw.get("category") or ""),
                str(raw.get("product_kind") or ""),
                str(raw.get("note") or ""),
            )
        )
    if problems:
        raise ValidationFailed(
            f"规则库{where}有 {len(problems)} 处错误，未导入：" + "；".join(problems[:5]),
            f"rule library{(' ' + source) if source else ''} rejected, {len(problems)} problem(s): "
            + "; ".join(problems[:5]),
            detail=problems,
        )
    return LibrarySpec(
        name=name,
        title=str(data.get("title") or name),
        department_kind=str(data.get("department_kind") or ""),
        domain=str(data.get("domain") or ""),
        rules=rules,
        regression=regression,
    )


# --------------------------------------------------------------------------- YAML


def rule_to_dict(rule: RuleSpec) -> dict[str, Any]:
    d: dict[str, Any] = {
        "code": rule.code,
        "name": rule.name,
        "category": rule.category,
        "severity": rule.severity,
    }
    for key in ("legal_basis", "explanation"):
        if getattr(rule, key):
            d[key] = getattr(rule, key)
    for key in ("product_kinds", "terms", "regexes", "anchors", "absent"):
        if getattr(rule, key):
            d[key] = list(getattr(rule, key))
    if rule.exclusions:
        d["exclusions"] = [e.as_line() for e in rule.exclusions]
    if rule.context:
        d["context"] = [e.as_line(context=True) for e in rule.context]
    if rule.near:
        d["near"] = asdict(rule.near)
    if rule.claim:
        d["claim"] = asdict(rule.claim)
    if not rule.pinyin:
        d["pinyin"] = False
    if not rule.homophones:
        d["homophones"] = False
    if rule.examples_hit or rule.examples_clean:
        d["examples"] = {"hit": list(rule.examples_hit), "clean": list(rule.examples_clean)}
    if not rule.enabled:
        d["enabled"] = False
    return d


def library_to_dict(lib: LibrarySpec) -> dict[str, Any]:
    return {
        "library": lib.name,
        "title": lib.title,
        "department_kind": lib.department_kind,
        "domain": lib.domain,
        "rules": [rule_to_dict(r) for r in lib.rules],
        "regression": [{k: v for k, v in asdict(line).items() if v} for line in lib.regression],
    }


def load_yaml(text: str, *, source: str = "") -> LibrarySpec:
    try:
        data = yamltext.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValidationFailed(
            f"YAML 格式错误（{source}）：{exc}", f"YAML syntax error in {source or 'file'}: {exc}"
        ) from exc
    return parse_library(data, source=source)


def dump_yaml(lib: LibrarySpec) -> str:
    return yaml.safe_dump(library_to_dict(lib), allow_unicode=True, sort_keys=False, width=1000)


# --------------------------------------------------------------------------- Excel

EXCEL_COLUMNS = [
    "code",
    "name",
    "category",
    "severity",
    "legal_basis",
    "explanation",
    "product_kinds",
    "terms",
    "regexes",
    "anchors",
    "exclusions",
    "context",
    "near_terms",
    "near_within",
    "absent",
    "pinyin",
    "homophones",
    "examples_hit",
    "examples_clean",
    "enabled",
    "claim_verbs",
    "claim_objects",
    "claim_within",
]


def dump_excel(lib: LibrarySpec) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    meta = wb.active
    meta.title = "library"
    for key in ("library", "title", "department_kind", "domain"):
        meta.append([key, getattr(lib, "name" if key == "library" else key)])
    ws = wb.create_sheet("rules")
    ws.append(EXCEL_COLUMNS)
    for r in lib.rules:
        xlsx_append(
            ws,
            [
                r.code,
                r.name,
                r.category,
                r.severity,
                r.legal_basis,
                r.explanation,
                "\n".join(r.product_kinds),
                "\n".join(r.terms),
                "\n".join(r.regexes),
                "\n".join(r.anchors),
                "\n".join(e.as_line() for e in r.exclusions),
                "\n".join(e.as_line(context=True) for e in r.context),
                "\n".join(r.near.terms) if r.near else "",
                r.near.within if r.near else "",
                "\n".join(r.absent),
                "yes" if r.pinyin else "no",
                "yes" if r.homophones else "no",
                "\n".join(r.examples_hit),
                "\n".join(r.examples_clean),
                "yes" if r.enabled else "no",
                "\n".join(r.claim.verbs) if r.claim else "",
                "\n".join(r.claim.objects) if r.claim else "",
                r.claim.within if r.claim else "",
            ],
        )
    reg = wb.create_sheet("regression")
    reg.append(["text", "expect", "category", "product_kind", "note"])
    for line in lib.regression:
        reg.append([line.text, line.expect, line.category, line.product_kind, line.note])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def load_excel(content: bytes, *, source: str = "") -> LibrarySpec:
    from openpyxl import load_workbook

    stream = io.BytesIO(content)
    uploads.zip_check(stream, name=source)  # what the members declare, before anything is decompressed
    try:
        wb = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationFailed(
            f"无法读取 Excel 文件（{source}）：{exc}", f"cannot read Excel file {source}: {exc}"
        ) from exc
    try:
        data = _excel_data(wb, source)
    finally:
        wb.close()  # read-only mode keeps the archive open until closed
    return parse_library(data, source=source)


def _excel_data(wb: Any, source: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if "library" in wb.sheetnames:
        for row in wb["library"].iter_rows(values_only=True):
            if row and row[0]:
                data[str(row[0]).strip()] = "" if len(row) < 2 or row[1] is None else str(row[1])
    if "rules" not in wb.sheetnames:
        raise ValidationFailed(
            f"Excel 文件（{source}）缺少 rules 工作表", f"Excel file {source} has no 'rules' sheet"
        )
    rows = list(wb["rules"].iter_rows(values_only=True))
    header = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else [])]
    rules = []
    for row in rows[1:]:
        if not any(v not in (None, "") for v in row):
            continue
        rules.append({header[i]: row[i] for i in range(min(len(header), len(row))) if header[i]})
    data["rules"] = rules
    regression = []
    if "regression" in wb.sheetnames:
        reg_rows = list(wb["regression"].iter_rows(values_only=True))
        reg_header = [str(h).strip() if h is not None else "" for h in (reg_rows[0] if reg_rows else [])]
        for row in reg_rows[1:]:
            if row and row[0]:
                regression.append(
                    {reg_header[i]: row[i] for i in range(min(len(reg_header), len(row))) if reg_header[i]}
                )
    data["regression"] = regression
    return data
