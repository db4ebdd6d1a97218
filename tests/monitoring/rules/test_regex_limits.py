"""The libraries' regular expressions run with a time limit, per pattern and per page; a bad one is refused at
import naming its rule, one that times out later is reported and the other rules still run; only the office
and department heads bring a library in."""

from __future__ import annotations

import time

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wangjian.core import uploads
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.monitoring import compiled, patterns, rulefile, selectors, services
from wangjian.monitoring.engine import BUDGET, TIMEOUT, Engine
from wangjian.monitoring.models import Rule, RuleLibrary
from wangjian.monitoring.rulefile import Exemption, LibrarySpec, RuleSpec

NESTED = r"(a|a)+$"  # backtracks 2**n times on n letters a that do not end the text
SLOW_TEXT = "a" * 40 + "! 本店出售高仿名牌包"  # 2**40 steps without a limit: hours, not seconds


@pytest.fixture(autouse=True)
def _quick_limits(settings):
    settings.WANGJIAN_REGEX_TIMEOUT = 0.05
    settings.WANGJIAN_REGEX_PAGE_BUDGET = 0.5


def library(*rules: RuleSpec, name: str = "local") -> LibrarySpec:
    return LibrarySpec(name=name, title="本局测试库", rules=list(rules))


SLOW = RuleSpec(code="SLOW-1", name="嵌套量词", category="counterfeit", regexes=[NESTED])
FAKE = RuleSpec(code="FAKE-1", name="高仿", category="counterfeit", terms=["高仿"])


def test_a_nested_quantifier_times_out_is_reported_and_the_other_rules_still_run():
    engine = Engine([library(SLOW, FAKE)])
    started = time.perf_counter()
    result = engine.scan(SLOW_TEXT)
    assert time.perf_counter() - started < 10
    assert [h.rule for h in result.hits] == ["FAKE-1"]
    [problem] = result.regex_problems
    assert (problem.rule, problem.pattern, problem.reason, problem.where) == (
        "SLOW-1",
        NESTED,
        TIMEOUT,
        "regex",
    )
    assert "SLOW-1" in problem.as_text() and "timed out" in problem.as_text()


def test_the_page_budget_bounds_the_regex_time_of_one_page(settings):
    settings.WANGJIAN_REGEX_PAGE_BUDGET = 0.12
    slow = [
        RuleSpec(code=f"SLOW-{i}", name="嵌套量词", category="counterfeit", regexes=[NESTED])
        for i in range(12)
    ]
    engine = Engine([library(*slow, FAKE)])
    started = time.perf_counter()
    result = engine.scan(SLOW_TEXT)
    assert time.perf_counter() - started < 10
    assert [h.rule for h in result.hits] == ["FAKE-1"]
    reasons = {p.rule: p.reason for p in result.regex_problems}
    assert len(reasons) == 12, "every rule not run is named"
    assert reasons["SLOW-0"] == TIMEOUT and BUDGET in reasons.values()
    assert "budget" in next(p for p in result.regex_problems if p.reason == BUDGET).as_text()


def test_an_exemption_pattern_that_times_out_exempts_nothing_and_is_reported():
    rule = RuleSpec(
        code="FAKE-2",
        name="高仿",
        category="counterfeit",
        terms=["高仿"],
        exclusions=[Exemption("re:" + r"(a|a)+高仿", "不会生效的豁免")],
    )
    text = "a" * 40 + "!高仿名牌包"
    result = Engine([library(rule)], first_test=False).scan(text)
    assert [h.rule for h in result.hits] == ["FAKE-2"]
    assert [(p.rule, p.where, p.reason) for p in result.regex_problems] == [("FAKE-2", "exclusion", TIMEOUT)]
    # With the prefilter the pattern is not run at all where it could not match ("!" stands between
    # the letters and the hit): the same hit, and nothing to report.
    fast = Engine([library(rule)]).scan(text)
    assert [h.rule for h in fast.hits] == ["FAKE-2"]
    if fast.regex_problems:  # only without Hyperscan, where every call runs
        assert [(p.rule, p.reason) for p in fast.regex_problems] == [("FAKE-2", TIMEOUT)]


def test_the_limits_are_kept_between_scans_and_follow_a_change_of_the_settings(settings):
    assert patterns.limits() == patterns.Limits(timeout=0.05, page_budget=0.5)  # the autouse fixture's
    assert patterns.limits() is patterns.limits()  # read once, not at every scan
    settings.WANGJIAN_REGEX_PAGE_BUDGET = 0.12
    settings.WANGJIAN_REGEX_MAX_LENGTH = 20
    assert patterns.limits() == patterns.Limits(timeout=0.05, page_budget=0.12, max_length=20)
    budget = compiled.budget()
    assert (budget.left, budget.per_call) == (0.12, 0.05)


def test_ordinary_patterns_finish_well_within_the_limits():
    from wangjian.monitoring.engine import default_engine

    result = default_engine().scan("全网最低价！原价：1999元，现价：9元。a货 1:1复刻 " * 50)
    assert result.hits and result.regex_problems == []


# --------------------------------------------------------------------------- at import


def import_yaml(demo, data, actor=None, filename="local.yaml"):
    content = yaml.safe_dump(data, allow_unicode=True).encode()
    return services.library_import(bureau=demo.county, filename=filename, content=content, actor=actor)


def lib_data(*rules: dict) -> dict:
    return {"library": "local", "title": "本局测试库", "rules": list(rules)}


@pytest.mark.django_db
def test_a_catastrophic_pattern_is_refused_at_import_naming_the_rule(demo):
    bad = lib_data(
        {"code": "OK-1", "category": "counterfeit", "terms": ["高仿"]},
        {"code": "SLOW-1", "category": "counterfeit", "regexes": [NESTED]},
        {
            "code": "SLOW-2",
            "category": "counterfeit",
            "terms": ["假货"],
            "exclusions": ["re:(b|b)+c => 豁免"],
        },
    )
    with pytest.raises(ValidationFailed) as exc:
        import_yaml(demo, bad, demo.users["office"])
    text = "\n".join(exc.value.detail)
    assert "rule SLOW-1" in text and "灾难性回溯" in text and "backtracks catastrophically" in text
    assert "rule SLOW-2 豁免 exemption" in text
    assert "OK-1" not in text
    assert not RuleLibrary.objects.filter(name="local").exists()


def test_a_long_alternation_slowed_past_the_quick_probe_is_not_called_catastrophic():
    """A busy machine once pushed a 480-character list of look-alike names past the quick probe: the
    probe's second, longer try lets it through, while a nested quantifier overruns both tries."""
    names = "|".join(f"{chr(0x6D9D + i)}源" for i in range(150))
    alternation = patterns.compile_pattern(f"(?:{names})(?:果汁|橙汁)")
    assert patterns.backtracks(alternation, timeout=0.0) is None
    nested = patterns.compile_pattern(NESTED)
    assert patterns.backtracks(nested, timeout=0.0, confirm=0.05) is not None


@pytest.mark.django_db
def test_a_pattern_longer_than_the_cap_or_invalid_is_refused_at_import_naming_the_rule(demo, settings):
    settings.WANGJIAN_REGEX_MAX_LENGTH = 20
    bad = lib_data(
        {"code": "LONG-1", "category": "counterfeit", "regexes": ["高仿" * 11]},
        {"code": "BROKEN-1", "category": "counterfeit", "regexes": ["高仿("]},
    )
    with pytest.raises(ValidationFailed) as exc:
        import_yaml(demo, bad, demo.users["office"])
    text = "\n".join(exc.value.detail)
    assert "rule LONG-1: 正则表达式长 22 个字符，超过上限 20" in text
    assert "rule BROKEN-1: 正则表达式无效" in text and "invalid regular expression" in text


@pytest.mark.django_db
def test_a_stored_version_with_a_slow_pattern_still_loads_and_its_other_rules_run(demo):
    """Versions stored before the probe (or edited in the database) are read back, not refused."""
    version = services.version_create(bureau=demo.county, spec=library(SLOW, FAKE), source="旧版本")
    services.version_publish(version=version, actor=None, system=True)
    engine = selectors.engine_for(names=["local"], bureau=demo.county)
    result = engine.scan(SLOW_TEXT)
    assert [h.rule for h in result.hits] == ["FAKE-1"]
    assert [(p.rule, p.version_id) for p in result.regex_problems] == [("SLOW-1", version.pk)]


@pytest.mark.django_db
def test_a_library_file_over_the_import_cap_is_refused(demo, settings):
    settings.WANGJIAN_IMPORT_MAX_BYTES = 50
    with pytest.raises(uploads.UploadTooLarge):
        import_yaml(demo, lib_data({"code": "OK-1", "category": "counterfeit", "terms": ["高仿"]}))
    assert not RuleLibrary.objects.filter(name="local").exists()


def test_an_excel_library_that_is_a_zip_bomb_is_refused_before_parsing(settings, monkeypatch):
    settings.WANGJIAN_ZIP_MAX_BYTES = 4096
    content = rulefile.dump_excel(library(FAKE))

    def refuse(*args, **kwargs):
        raise AssertionError("parsed")

    monkeypatch.setattr("openpyxl.load_workbook", refuse)
    with pytest.raises(ValidationFailed) as exc:
        rulefile.load_excel(content, source="local.xlsx")
    assert exc.value.code == "zip_bomb" and "local.xlsx" in exc.value.en


# --------------------------------------------------------------------------- who imports


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "allowed"),
    [("office", True), ("ad_head", True), ("ad_officer", False), ("leader", False), ("auditor", False)],
)
def test_only_the_office_and_department_heads_import_a_library(demo, username, allowed):
    data = lib_data({"code": "OK-1", "category": "counterfeit", "terms": ["高仿"]})
    if allowed:
        assert import_yaml(demo, data, demo.users[username]).rule_count == 1
    else:
        with pytest.raises(PermissionDeniedError) as exc:
            import_yaml(demo, data, demo.users[username])
        assert "monitoring.library.import" in exc.value.zh
        assert not RuleLibrary.objects.filter(name="local").exists()


@pytest.mark.django_db
def test_a_department_head_imports_into_their_own_bureau_only(demo):
    data = lib_data({"code": "OK-1", "category": "counterfeit", "terms": ["高仿"]})
    content = yaml.safe_dump(data, allow_unicode=True).encode()
    with pytest.raises(PermissionDeniedError):
        services.library_import(
            bureau=demo.other_county, filename="x.yaml", content=content, actor=demo.users["ad_head"]
        )


@pytest.mark.django_db
def test_an_officer_is_refused_the_import_page_and_its_post(demo, login):
    client = login(demo.users["ad_officer"])
    assert client.get(reverse("monitoring:library_import")).status_code == 403
    content = yaml.safe_dump(lib_data({"code": "OK-1", "category": "counterfeit", "terms": ["高仿"]}))
    r = client.post(
        reverse("monitoring:library_import"),
        {"bureau": demo.county.pk, "file": SimpleUploadedFile("x.yaml", content.encode())},
    )
    assert r.status_code == 403
    assert not RuleLibrary.objects.filter(name="local").exists()


@pytest.mark.django_db
def test_the_library_page_shows_the_rules_whose_patterns_timed_out(demo, login):
    version = services.version_create(bureau=demo.county, spec=library(SLOW, FAKE), source="旧版本")
    Rule.objects.filter(version=version, code="SLOW-1").update(regex_timeouts=3, regex_timeout_pattern=NESTED)
    page = login(demo.users["office"]).get(version.library.get_absolute_url()).content.decode()
    assert 'id="regex-timeouts"' in page and "SLOW-1" in page and "(a|a)+$" in page
    assert "FAKE-1" not in page.split('id="regex-timeouts"')[1].split("</table>")[0]
    version_page = login(demo.users["office"]).get(version.get_absolute_url()).content.decode()
    assert "table-warning" in version_page


@pytest.mark.django_db
def test_the_test_bench_names_a_rule_whose_pattern_timed_out(demo, login):
    version = services.version_create(bureau=demo.county, spec=library(SLOW, FAKE), source="旧版本")
    services.version_publish(version=version, actor=None, system=True)
    page = login(demo.users["office"]).post(
        reverse("monitoring:bench"), {"text": SLOW_TEXT, "library": "local"}
    )
    html = page.content.decode()
    assert 'id="bench-regex-problems"' in html and "SLOW-1" in html and "超时" in html
    assert 'title="FAKE-1 counterfeit"' in html
