"""Reads of the monitoring rules: which libraries apply, their compiled engines, regression verdicts, diffs.

A hit always records the library version that produced it, so engines are built from a
*published version* when the bureau has one, and from the default libraries written from
the law otherwise (a fresh installation can monitor on day one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError

from wangjian.core.errors import NotFoundError, ValidationFailed
from wangjian.monitoring import rulefile
from wangjian.monitoring.choices import Expectation, VersionStatus
from wangjian.monitoring.engine import Engine, default_engine, default_libraries
from wangjian.monitoring.rulefile import LibrarySpec, RegressionLine

_engine_cache: dict[tuple, Engine] = {}


def library_from_file(path: Path) -> LibrarySpec:
    if not path.exists():
        raise ValidationFailed(f"文件不存在：{path}", f"no such file: {path}")
    return library_from_bytes(path.name, path.read_bytes())


def library_from_bytes(filename: str, content: bytes) -> LibrarySpec:
    if filename.lower().endswith((".xlsx", ".xlsm")):
        return rulefile.load_excel(content, source=filename)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            f"文件 {filename} 不是 UTF-8 编码的 YAML", f"{filename} is not UTF-8 YAML"
        ) from exc
    return rulefile.load_yaml(text, source=filename)


def engine_from_file(path: Path) -> Engine:
    return Engine([library_from_file(path)])


def _published_versions(names: list[str] | None = None, bureau=None):
    """Latest published version per library name (or ``None`` when the database is not set up)."""
    try:
        from wangjian.monitoring.models import RuleLibraryVersion

        qs = RuleLibraryVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related("library")
        if bureau is not None:
            qs = qs.filter(library__bureau=bureau)
        if names:
            qs = qs.filter(library__name__in=names)
        latest: dict[str, object] = {}
        for v in qs.order_by("library__name", "-number"):
            latest.setdefault(v.library.name, v)
        return list(latest.values())
    except (DatabaseError, AssertionError, RuntimeError):
        # No database yet (fresh home, or a test without one): the default libraries serve.
        return None


def engine_for(*, names: list[str] | None = None, bureau=None) -> Engine:
    """The engine for the named libraries: published versions first, then the defaults of the same name."""
    versions = _published_versions(names, bureau) or []
    specs = [v.spec() for v in versions]
    key_parts = [(v.library.name, v.pk) for v in versions]
    found = {s.name for s in specs}
    if names:
        defaults = {lib.name: lib for lib in default_libraries()}
        for n in names:
            if n in found:
                continue
            if n not in defaults:
                raise NotFoundError(
                    f"没有名为 {n} 的规则库（可用：{', '.join(sorted(set(defaults) | found))}）",
                    f"no rule library named {n!r}",
                )
            specs.append(defaults[n])
            key_parts.append((n, 0))
    elif not specs:
        return default_engine()
    key = tuple(sorted(key_parts))
    if key not in _engine_cache:
        _engine_cache[key] = Engine(specs)
    return _engine_cache[key]


def version_engine(version) -> Engine:
    key = ("version", version.pk, version.last_updated.isoformat() if version.last_updated else "")
    if key not in _engine_cache:
        _engine_cache[key] = Engine([version.spec()])
    return _engine_cache[key]


def library_spec(name: str, bureau=None) -> LibrarySpec:
    versions = _published_versions([name], bureau) or []
    if versions:
        return versions[0].spec()
    for lib in default_libraries():
        if lib.name == name:
            return lib
    raise NotFoundError(f"没有名为 {name} 的规则库", f"no rule library named {name!r}")


def library_catalogue() -> list[tuple[str, str, int]]:
    out = []
    versions = _published_versions() or []
    for v in versions:
        out.append((v.library.name, f"v{v.number} {v.library.bureau}", v.rule_count))
    seen = {v.library.name for v in versions}
    for lib in default_libraries():
        if lib.name not in seen:
            out.append((lib.name, "default", len(lib.rules)))
    return out


# --------------------------------------------------------------------------- regression and diff


@dataclass
class LineVerdict:
    text: str
    expect: str
    category: str
    got: list[str]  # categories hit (or rule codes when the line names no category)
    passed: bool
    note: str = ""


@dataclass
class RegressionReport:
    total: int = 0
    passed: int = 0
    failures: list[LineVerdict] = field(default_factory=list)
    verdicts: list[LineVerdict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def line_verdict(engine: Engine, line: RegressionLine) -> LineVerdict:
    """Must-hit: some hit (of the line's category, if named). Must-not-hit: none (of that category)."""
    result = engine.scan(line.text, product_kind=line.product_kind or None)
    hits = [h for h in result.hits if not line.category or h.category == line.category]
    got = sorted({f"{h.category}:{h.rule}" for h in hits})
    hit = bool(hits)
    passed = hit if line.expect == Expectation.MUST_HIT else not hit
    return LineVerdict(line.text, line.expect, line.category, got, passed, line.note)


def regression_report(engine: Engine, lines: list[RegressionLine]) -> RegressionReport:
    report = RegressionReport()
    for line in lines:
        v = line_verdict(engine, line)
        report.total += 1
        report.verdicts.append(v)
        if v.passed:
            report.passed += 1
        else:
            report.failures.append(v)
    return report


@dataclass
class DiffLine:
    text: str
    expect: str
    before: list[str]
    after: list[str]
    before_passed: bool
    after_passed: bool


def version_diff(old: Engine, new: Engine, lines: list[RegressionLine]) -> list[DiffLine]:
    """Test lines whose verdict (set of category:rule hits) differs between two versions."""
    out = []
    for line in lines:
        a, b = line_verdict(old, line), line_verdict(new, line)
        if a.got != b.got:
            out.append(DiffLine(line.text, line.expect, a.got, b.got, a.passed, b.passed))
    return out
