"""Versions: import as draft, publish only when the regression set passes, by the office, and diff versions."""

import pytest
import yaml

from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.monitoring import selectors, services
from wangjian.monitoring.choices import Expectation, VersionStatus
from wangjian.monitoring.models import Rule, RuleLibrary

pytestmark = pytest.mark.django_db

LIB = {
    "library": "local",
    "title": "本局测试库",
    "department_kind": "advertising",
    "rules": [
        {
            "code": "L1",
            "name": "山寨",
            "category": "counterfeit",
            "terms": ["山寨货"],
            "examples": {"hit": ["正宗山寨货"], "clean": ["山寨村特产"]},
        }
    ],
}


def import_yaml(demo, data, actor=None):
    content = yaml.safe_dump(data, allow_unicode=True).encode()
    return services.library_import(bureau=demo.county, filename="local.yaml", content=content, actor=actor)


def test_import_creates_a_draft_with_its_rules(demo):
    v = import_yaml(demo, LIB, demo.users["office"])
    assert v.status == VersionStatus.DRAFT and v.number == 1 and v.rule_count == 1
    assert list(v.rules.values_list("code", flat=True)) == ["L1"]


def test_bad_file_creates_nothing(demo):
    bad = {**LIB, "rules": [{"code": "X", "category": "counterfeit", "regexes": ["("]}]}
    with pytest.raises(ValidationFailed):
        import_yaml(demo, bad)
    assert not RuleLibrary.objects.filter(name="local").exists()


def test_office_publishes_a_passing_version_with_who_and_when(demo):
    v = import_yaml(demo, LIB)
    decision = services.version_publish(version=v, actor=demo.users["office"])
    v.refresh_from_db()
    assert v.status == VersionStatus.PUBLISHED
    assert v.published_by == demo.users["office"] and v.published_at is not None
    assert decision.report.total == 2 and decision.report.ok


def test_publishing_is_blocked_by_a_failing_regression_line(demo):
    v = import_yaml(demo, LIB)
    services.regression_line_add(library=v.library, text="正宗山 寨 货", expect=Expectation.MUST_HIT)
    services.regression_line_add(library=v.library, text="假冒伪劣商品", expect=Expectation.MUST_HIT)
    with pytest.raises(ValidationFailed) as exc:
        services.version_publish(version=v, actor=demo.users["office"])
    assert any("假冒伪劣商品" in d for d in exc.value.detail)
    v.refresh_from_db()
    assert v.status == VersionStatus.DRAFT
    assert (v.regression_passed, v.regression_total) == (3, 4)


def test_only_the_office_may_publish(demo):
    v = import_yaml(demo, LIB)
    with pytest.raises(PermissionDeniedError):
        services.version_publish(version=v, actor=demo.users["ad_officer"])


def test_publishing_a_new_version_retires_the_old_one_and_the_engine_follows(demo):
    v1 = import_yaml(demo, LIB)
    services.version_publish(version=v1, actor=demo.users["office"])
    lib2 = {**LIB, "rules": [{**LIB["rules"][0], "terms": ["山寨货", "冒牌货"]}]}
    v2 = import_yaml(demo, lib2)
    assert v2.number == 2
    services.version_publish(version=v2, actor=demo.users["office"])
    v1.refresh_from_db()
    assert v1.status == VersionStatus.RETIRED
    engine = selectors.engine_for(names=["local"])
    hits = engine.scan("冒牌货清仓").hits
    assert [(h.rule, h.version, h.version_id) for h in hits] == [("L1", "local v2", v2.pk)]


def test_diff_lists_the_test_lines_whose_verdict_changes(demo):
    v1 = import_yaml(demo, LIB)
    lib2 = {**LIB, "rules": [{**LIB["rules"][0], "terms": ["山寨货", "冒牌货"]}]}
    v2 = import_yaml(demo, lib2)
    services.regression_line_add(library=v1.library, text="冒牌货便宜卖", expect=Expectation.MUST_HIT)
    services.regression_line_add(library=v1.library, text="正宗山寨货", expect=Expectation.MUST_HIT)
    lines = services.regression_lines_for(v2)
    changes = selectors.version_diff(selectors.version_engine(v1), selectors.version_engine(v2), lines)
    assert [(c.text, c.before, c.after, c.after_passed) for c in changes] == [
        ("冒牌货便宜卖", [], ["counterfeit:L1"], True)
    ]


def test_rule_statistics_count_hits_and_decisions(demo):
    v = import_yaml(demo, LIB)
    rule = v.rules.get()
    services.rule_stats_record(rule=rule, hits=3, confirmed=2, dismissed=1)
    services.rule_stats_record(rule=rule, hits=1)
    rule = Rule.objects.get(pk=rule.pk)
    assert (rule.hits, rule.confirmed, rule.dismissed, rule.precision) == (4, 2, 1, 0.667)


def test_a_release_with_new_default_vocabulary_offers_drafts_and_publishes_nothing_by_itself(demo):
    """A bureau on an earlier release's defaults gets this release's as drafts to compare and publish."""
    from wangjian.monitoring.engine import default_libraries
    from wangjian.monitoring.rulefile import library_to_dict

    services.libraries_load_defaults(bureau=demo.county, actor=None)
    shipped = {lib.name for lib in default_libraries()}
    # An earlier release: one library had fewer rules, another did not exist yet.
    older = next(iter(sorted(shipped)))
    version = RuleLibrary.objects.get(bureau=demo.county, name=older).versions.get()
    spec = next(lib for lib in default_libraries() if lib.name == older)
    version.content = library_to_dict(spec) | {"rules": version.content["rules"][:1]}
    version.save()
    RuleLibrary.objects.filter(bureau=demo.county, name="claims").delete()

    done = dict(services.libraries_update_defaults(bureau=demo.county, actor=None))
    assert done[older].startswith("新草稿") and done["claims"].startswith("新草稿")
    assert all(what.startswith("已是") for name, what in done.items() if name not in (older, "claims"))
    for name in (older, "claims"):
        latest = RuleLibrary.objects.get(bureau=demo.county, name=name).versions.order_by("-number").first()
        assert latest.status == VersionStatus.DRAFT  # the office decides when to publish
    # Asked again, nothing new: the drafts already hold the shipped content.
    assert all(
        what.startswith("已是")
        for what in dict(services.libraries_update_defaults(bureau=demo.county)).values()
    )
