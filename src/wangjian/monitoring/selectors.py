"""Reads of the monitoring rules: which libraries apply, their compiled engines, regression verdicts, diffs.

A hit always records the library version that produced it, so engines are built from a
*published version* when the bureau has one, and from the default libraries written from
the law otherwise (a fresh installation can monitor on day one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import DatabaseError

from wangjian.core.errors import NotFoundError, ValidationFailed
from wangjian.monitoring import rulefile, similarity
from wangjian.monitoring.choices import Expectation, VersionStatus
from wangjian.monitoring.engine import Engine, default_engine, default_libraries
from wangjian.monitoring.rulefile import LibrarySpec, RegressionLine

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from wangjian.monitoring.models import (
        Finding,
        LicenceCheck,
        MonitoringTask,
        PageSnapshot,
        RuleLibraryVersion,
        SweepRun,
    )
    from wangjian.org.models import Bureau
    from wangjian.registry.models import Presence

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


def _published_versions(
    names: list[str] | None = None, bureau: Bureau | None = None
) -> list[RuleLibraryVersion] | None:
    """Latest published version per library name (or ``None`` when the database is not set up)."""
    try:
        from wangjian.monitoring.models import RuleLibraryVersion

        qs = RuleLibraryVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related("library")
        if bureau is not None:
            qs = qs.filter(library__bureau=bureau)
        if names:
            qs = qs.filter(library__name__in=names)
        latest: dict[str, RuleLibraryVersion] = {}
        for v in qs.order_by("library__name", "-number"):
            latest.setdefault(v.library.name, v)
        return list(latest.values())
    except (DatabaseError, AssertionError, RuntimeError):
        # No database yet (fresh home, or a test without one): the default libraries serve.
        return None


def engine_for(*, names: list[str] | None = None, bureau: Bureau | None = None) -> Engine:
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
        _engine_cache[key] = Engine(specs, similarity=similarity.default_model())
    return _engine_cache[key]


def version_engine(version: RuleLibraryVersion) -> Engine:
    key = ("version", version.pk, version.last_updated.isoformat() if version.last_updated else "")
    if key not in _engine_cache:
        _engine_cache[key] = Engine([version.spec()])
    return _engine_cache[key]


def library_spec(name: str, bureau: Bureau | None = None) -> LibrarySpec:
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


# --------------------------------------------------------------------------- sweeps


def task_presences(*, task: MonitoringTask) -> QuerySet[Presence]:
    """The presences a monitoring task selects (see ``MonitoringTask``): filters narrow, explicit lists add."""
    from django.db.models import Q

    from wangjian.registry.models import Presence

    base = (
        Presence.objects.filter(bureau_id=task.bureau_id)
        .exclude(url="")
        .filter(Q(url__startswith="http://") | Q(url__startswith="https://"))
    )
    pk = getattr(task, "pk", None)
    platform_ids = list(task.platforms.values_list("pk", flat=True)) if pk else []
    entity_ids = list(task.entities.values_list("pk", flat=True)) if pk else []
    presence_ids = list(task.presences.values_list("pk", flat=True)) if pk else []
    filtered = base
    has_filter = False
    if task.hosts:
        has_filter = True
        q = Q()
        for host in task.hosts:
            host = str(host).strip().lower().removeprefix("http://").removeprefix("https://").strip("/")
            if host:
                for scheme in ("http://", "https://"):
                    q |= Q(url__istartswith=f"{scheme}{host}") | Q(url__icontains=f".{host}")
        filtered = filtered.filter(q)
    if task.region_prefix:
        has_filter = True
        filtered = filtered.filter(entity__region_code__startswith=task.region_prefix)
    if platform_ids:
        has_filter = True
        filtered = filtered.filter(platform_id__in=platform_ids)
    grades = [str(g) for g in (task.risk_grades or []) if str(g).strip()]
    if grades:
        # the entity's current grade, written by the risk grading (registry ``MarketEntity.risk_grade``)
        has_filter = True
        filtered = filtered.filter(entity__risk_grade__in=grades)
    if task.station_id:
        has_filter = True
        q = Q(pk__in=[])
        for code in task.station.territory or []:
            if str(code).strip():
                q |= Q(entity__region_code__startswith=str(code).strip())
        filtered = filtered.filter(q)
    explicit = Q(pk__in=presence_ids) | Q(entity_id__in=entity_ids)
    if has_filter:
        return base.filter(Q(pk__in=filtered.values("pk")) | explicit).order_by("pk")
    if presence_ids or entity_ids:
        return base.filter(explicit).order_by("pk")
    return base.order_by("pk")


def run_progress(*, run: SweepRun) -> dict:
    """Live counts of a run: the sums of its chunks while it runs, its totals once finished."""
    from django.db.models import Sum

    fields = [
        "pages_done",
        "pages_failed",
        "pages_unchanged",
        "findings_new",
        "findings_seen",
        "regex_timeouts",
        "presences_done",
    ]
    if run.finished:
        out = {f: getattr(run, f) for f in fields if f != "presences_done"}
        out["presences_done"] = run.presences_total
    else:
        sums = run.chunks.aggregate(**{f: Sum(f) for f in fields})
        out = {f: sums[f] or 0 for f in fields}
    out["pages_remaining"] = max(0, run.presences_total - out["presences_done"])
    out["chunks_done"] = run.chunks.filter(status__in=["done", "failed"]).count()
    out["chunks_total"] = run.chunks_total
    out["percent"] = (
        100
        if run.finished
        else int(100 * out["presences_done"] / run.presences_total)
        if run.presences_total
        else 0
    )
    return out


def rule_precision(*, bureau_ids: Iterable[int] | None = None) -> list[dict]:
    """Per rule code: findings, confirmed, dismissed, and precision = confirmed / decided (libraries improve)."""
    from django.db.models import Count, Q

    from wangjian.monitoring.models import Finding

    qs = Finding.objects.all()
    if bureau_ids is not None:
        qs = qs.filter(bureau_id__in=bureau_ids)
    rows = (
        qs.values("rule_code", "rule_name", "category")
        .annotate(
            total=Count("id"),
            confirmed=Count("id", filter=Q(status="confirmed")),
            dismissed=Count("id", filter=Q(status="dismissed")),
        )
        .order_by("rule_code")
    )
    out = []
    for r in rows:
        decided = r["confirmed"] + r["dismissed"]
        r["precision"] = round(r["confirmed"] / decided, 3) if decided else None
        out.append(r)
    return out


def finding_captures(*, finding: Finding) -> list:
    """The evidence captures of a finding: the automatic one, and any linked to it since."""
    from django.contrib.contenttypes.models import ContentType

    from wangjian.evidence.models import EvidenceCapture, EvidenceLink

    ct = ContentType.objects.get_for_model(type(finding))
    ids = set(
        EvidenceLink.objects.filter(content_type=ct, object_id=str(finding.pk)).values_list(
            "capture_id", flat=True
        )
    )
    if finding.evidence_id:
        ids.add(finding.evidence_id)
    return list(EvidenceCapture.objects.filter(pk__in=ids).order_by("id"))


def latest_licence_checks(qs: QuerySet[LicenceCheck] | None = None) -> QuerySet[LicenceCheck]:
    """The latest verdict per presence and kind (the licence table, 亮照亮证核验表: 亮照, each 亮证, 亮标)."""
    from django.db.models import Max

    from wangjian.monitoring.models import LicenceCheck

    qs = qs if qs is not None else LicenceCheck.objects.all()
    latest = LicenceCheck.objects.values("presence_id", "kind").annotate(m=Max("id")).values("m")
    return qs.filter(pk__in=latest)


def snapshot_diff(*, snapshot: PageSnapshot) -> list[tuple[str, str]]:
    """Line diff of a page's previous and present text: (kind, line) with kind " ", "+", "-"."""
    import difflib

    out = []
    for line in difflib.ndiff(snapshot.previous_text.splitlines(), snapshot.text.splitlines()):
        if line.startswith("? "):
            continue
        out.append((line[:1], line[2:]))
    return out
