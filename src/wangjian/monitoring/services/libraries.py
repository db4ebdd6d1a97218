"""Rule libraries (监测关键词库): import a version, publish it when its regression set passes, count decisions.

The office (领导小组办公室) publishes a department's library (旌德 mechanism 二(三)); a published version
is the one monitoring runs and every finding records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from wangjian.core import uploads
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.monitoring import selectors
from wangjian.monitoring.choices import VersionStatus
from wangjian.monitoring.models import (
    RegressionLine,
    Rule,
    RuleLibrary,
    RuleLibraryVersion,
)
from wangjian.monitoring.permissions import LIBRARY_IMPORT
from wangjian.monitoring.rulefile import LibrarySpec, library_to_dict
from wangjian.org import permissions
from wangjian.org.choices import Role

if TYPE_CHECKING:
    from wangjian.org.models import Bureau, User


def _rule_rows(version: RuleLibraryVersion, spec: LibrarySpec) -> list[Rule]:
    return [
        Rule(
            version=version,
            code=r.code,
            name=r.name[:200],
            category=r.category,
            severity=r.severity,
            legal_basis=r.legal_basis[:300],
            explanation=r.explanation,
            product_kinds=r.product_kinds,
            # A claim rule (verb + object, ``rulefile.Claim``) shows its verbs as terms and its objects as
            # the proximity condition: the same reading, "these words near those".
            terms=r.terms or (r.claim.verbs if r.claim else []),
            regexes=r.regexes,
            exclusions=[e.as_line() for e in r.exclusions],
            context=[e.as_line(context=True) for e in r.context],
            near_terms=r.near.terms if r.near else (r.claim.objects if r.claim else []),
            near_within=r.near.within if r.near else (r.claim.within if r.claim else 0),
            absent=r.absent,
            enabled=r.enabled,
        )
        for r in spec.rules
    ]


@transaction.atomic
def version_create(
    *, bureau: Bureau, spec: LibrarySpec, source: str, actor: User | None = None, note: str = ""
) -> RuleLibraryVersion:
    """A new draft version of the bureau's library ``spec.name`` (the library is created if new)."""
    library, _ = RuleLibrary.objects.get_or_create(
        bureau=bureau,
        name=spec.name,
        defaults={
            "title": spec.title or spec.name,
            "department_kind": spec.department_kind,
            "domain": spec.domain,
        },
    )
    last = library.versions.order_by("-number").first()
    version = RuleLibraryVersion(
        library=library,
        number=(last.number + 1) if last else 1,
        status=VersionStatus.DRAFT,
        content=library_to_dict(spec),
        source=source[:200],
        note=note[:300],
        rule_count=len(spec.rules),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    version.save()
    for rule in _rule_rows(version, spec):
        rule.save()  # one by one, so that each rule is in the change log
    existing = set(library.regression_lines.values_list("text", "expect"))
    for line in spec.regression:
        if (line.text, line.expect) not in existing:
            RegressionLine(
                library=library,
                text=line.text,
                expect=line.expect,
                category=line.category,
                product_kind=line.product_kind,
                note=line.note[:300],
            ).save()
            existing.add((line.text, line.expect))
    return version


def can_import_library(user: User | None, bureau: Bureau) -> bool:
    """Who brings a library file in as a draft: the office and the department heads of ``bureau``
    (the permission table's ``monitoring.library.import``). Publishing stays the office's
    (``can_publish``). ``None`` is the system: a command, the default libraries."""
    if user is None:
        return True
    if not permissions.may(user, LIBRARY_IMPORT):
        return False
    return user.is_superuser or user.bureau_id == bureau.pk


def library_import(
    *, bureau: Bureau, filename: str, content: bytes, actor: User | None = None
) -> RuleLibraryVersion:
    """Import a YAML or Excel library file as a new draft; a bad file is rejected whole, naming each rule.

    Only the office and department heads import (``can_import_library``): a library's regular
    expressions run on every page swept. The file is held to the import cap, an Excel file's
    members to the zip limits, and every regular expression to the length cap and a probe for
    catastrophic backtracking (``rulefile``, ``patterns``).
    """
    if actor is not None:
        permissions.require(actor, LIBRARY_IMPORT)
        if not can_import_library(actor, bureau):
            raise PermissionDeniedError(
                "只能为本局导入规则库", "a rule library is imported into one's own bureau only"
            )
    uploads.check_size(content, kind=uploads.IMPORT)
    spec = selectors.library_from_bytes(filename, content)
    return version_create(bureau=bureau, spec=spec, source=filename, actor=actor, note=f"导入 {filename}")


def regression_lines_for(version: RuleLibraryVersion) -> list:
    """The library's regression set plus the version's rule examples."""
    from wangjian.monitoring.rulefile import RegressionLine as Line

    spec = version.spec()
    lines = spec.regression_lines()
    seen = {(x.text, x.expect) for x in lines}
    for row in version.library.regression_lines.all():
        if (row.text, row.expect) not in seen:
            lines.append(Line(row.text, row.expect, row.category, row.product_kind, row.note))
    return lines


@dataclass
class PublishDecision:
    version: RuleLibraryVersion
    previous: RuleLibraryVersion | None
    report: selectors.RegressionReport
    reason: str


def can_publish(user: User | None, library: RuleLibrary) -> bool:
    """The office publishes (旌德 mechanism 二(三)): its administrators, or a superuser."""
    from wangjian.org.selectors import can_manage

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return user.role == Role.OFFICE_ADMIN and can_manage(user, library.bureau)


def version_publish(
    *, version: RuleLibraryVersion, actor: User | None, system: bool = False
) -> PublishDecision:
    """Publish a draft if its regression set passes; the previously published version is retired."""
    if not system and not can_publish(actor, version.library):
        raise PermissionDeniedError(
            "只有领导小组办公室管理员可以发布规则库",
            "only the office's administrators may publish a rule library",
        )
    if version.status != VersionStatus.DRAFT:
        raise ValidationFailed(
            f"{version} 不是草稿，不能发布", f"{version} is not a draft and cannot be published"
        )
    lines = regression_lines_for(version)
    report = selectors.regression_report(selectors.Engine([version.spec()]), lines)
    version.regression_passed, version.regression_total = report.passed, report.total
    if not report.ok:
        version.save()  # the failed attempt stays visible on the version
        raise ValidationFailed(
            f"回归测试未通过（{len(report.failures)}/{report.total} 条失败），不能发布 {version}",
            f"regression set failed ({len(report.failures)} of {report.total} lines), {version} not published",
            detail=[
                f"[{f.expect}] {f.text} → {', '.join(f.got) or '无命中 / no hit'}" for f in report.failures
            ],
        )
    with transaction.atomic():
        previous = version.library.published_version()
        if previous is not None:
            previous.status = VersionStatus.RETIRED
            previous.save()
        version.status = VersionStatus.PUBLISHED
        version.published_by = actor if getattr(actor, "pk", None) else None
        version.published_at = timezone.now()
        version.save()
    reason = f"回归测试 {report.passed}/{report.total} 通过" + (
        f"；停用 v{previous.number}" if previous else ""
    )
    return PublishDecision(version, previous, report, reason)


def regression_line_add(
    *,
    library: RuleLibrary,
    text: str,
    expect: str,
    category: str = "",
    product_kind: str = "",
    note: str = "",
) -> RegressionLine:
    if not text.strip():
        raise ValidationFailed("测试文本不能为空", "the test text must not be empty")
    line = RegressionLine(
        library=library, text=text, expect=expect, category=category, product_kind=product_kind, note=note
    )
    line.full_clean()
    line.save()
    return line


def rule_stats_record(*, rule: Rule, hits: int = 0, confirmed: int = 0, dismissed: int = 0) -> None:
    """Count hits and the office's decisions on them (the decisions arrive with the findings review).

    A decision changed (a confirmed finding dismissed) takes one from the other counter; a counter never
    goes below zero, even for a finding recorded before its rule was counted (an import, a restore)."""
    Rule.objects.filter(pk=rule.pk).update(
        hits=F("hits") + hits,
        confirmed=Greatest(F("confirmed") + confirmed, Value(0)),
        dismissed=Greatest(F("dismissed") + dismissed, Value(0)),
    )


def libraries_load_defaults(*, bureau: Bureau, actor: User | None = None) -> list[RuleLibraryVersion]:
    """Give a bureau the default libraries written from the law, published as version 1."""
    from wangjian.monitoring.engine import default_libraries

    out = []
    for spec in default_libraries():
        if RuleLibrary.objects.filter(bureau=bureau, name=spec.name).exists():
            continue
        version = version_create(bureau=bureau, spec=spec, source="默认库 / default", actor=actor)
        version_publish(version=version, actor=actor, system=True)
        out.append(version)
    return out


def libraries_update_defaults(*, bureau: Bureau, actor: User | None = None) -> list[tuple[str, str]]:
    """Offer a bureau the default libraries of this release as drafts: what it publishes stays its decision.

    A bureau that loaded the defaults of an earlier release keeps them (it may have refined them with the
    departments); each default library that differs from the bureau's latest version — or that the
    bureau does not have yet (a library added or split off, e.g. the health claims moved out of
    advertising) — becomes a new draft, which the office compares with the published version and
    publishes through the regression gate like any other. Returns (library, what was done) pairs.
    """
    from wangjian.monitoring.engine import default_libraries

    done = []
    for spec in default_libraries():
        content = library_to_dict(spec)
        library = RuleLibrary.objects.filter(bureau=bureau, name=spec.name).first()
        latest = library.versions.order_by("-number").first() if library else None
        if latest is not None and latest.content == content:
            done.append((spec.name, "已是随附默认库的内容 / already the shipped defaults"))
            continue
        version = version_create(
            bureau=bureau,
            spec=spec,
            source="默认库 / default",
            actor=actor,
            note="随附默认库更新，待比对后发布 / shipped defaults updated: compare, then publish",
        )
        done.append((spec.name, f"新草稿 / new draft v{version.number}"))
    return done
