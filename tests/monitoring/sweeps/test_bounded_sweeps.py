"""Bounded sweeps: a rule whose pattern times out is counted and named by the run and recorded on the rule while
the other rules still make their findings; a task's depth, pages and rate have limits the page and the API hold
alike, and a run never goes past them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.monitoring.util import make_task
from wangjian.monitoring import limits, services
from wangjian.monitoring.models import Finding, MonitoringTask, Rule
from wangjian.monitoring.rulefile import LibrarySpec, RuleSpec

pytestmark = pytest.mark.django_db

NESTED = r"(a|a)+$"


@pytest.fixture
def slow_library(county, settings):
    """A published library whose first rule backtracks catastrophically (stored before the import probe)."""
    settings.WANGJIAN_REGEX_TIMEOUT = 0.05
    spec = LibrarySpec(
        name="local",
        title="本局测试库",
        rules=[
            RuleSpec(code="SLOW-1", name="嵌套量词", category="counterfeit", regexes=[NESTED]),
            RuleSpec(code="FAKE-1", name="高仿", category="counterfeit", terms=["高仿"]),
        ],
    )
    version = services.version_create(bureau=county, spec=spec, source="旧版本")
    services.version_publish(version=version, actor=None, system=True)
    return version


def test_a_sweep_counts_and_names_a_rule_whose_pattern_timed_out_and_the_other_rules_still_find(
    county, site, slow_library
):
    from wangjian.registry.models import Presence

    body = "a" * 40 + "! 本店出售高仿名牌包"
    site.page("/shop/", f"<html><body><p>{body}</p></body></html>".encode())
    shop = Presence.objects.create(
        bureau=county, kind="website", url=f"{site.url}/shop/", shop_name="测试网店"
    )
    task = make_task(county, [shop], depth=0, libraries=["local"], evidence_threshold="none")
    run = services.monitoring_task_run(task=task).run
    run.refresh_from_db()
    assert run.status == "done" and run.regex_timeouts >= 1
    assert "SLOW-1" in run.message and "正则表达式超时" in run.message and "the others ran" in run.message
    assert list(Finding.objects.filter(presence=shop).values_list("rule_code", flat=True)) == ["FAKE-1"]
    rule = Rule.objects.get(version=slow_library, code="SLOW-1")
    assert rule.regex_timeouts >= 1 and rule.regex_timeout_pattern == NESTED and rule.regex_timeout_at
    assert Rule.objects.get(version=slow_library, code="FAKE-1").regex_timeouts == 0
    from wangjian.monitoring.selectors import run_progress

    assert run_progress(run=run)["regex_timeouts"] == run.regex_timeouts


FORM = {"name": "深夜巡查", "render": "never", "evidence_threshold": "none", "interval_hours": 0}


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("depth", 9, "抓取深度须在 0–3 层 之间"),
        ("max_pages", 100_000, "每个场所页面上限须在 1–500 页 之间"),
        ("delay", 0.01, "同一主机请求间隔须在 0.1–60 秒（每秒至多 10 次） 之间"),
    ],
)
def test_monitoring_task_limits_are_refused_alike_by_page_and_api(demo, login, api, field, value, words):
    values = {"depth": 1, "max_pages": 20, "delay": 0.5, field: value}
    page = login(demo.users["office"]).post(
        reverse("monitoring:task_add"), {**FORM, "bureau": demo.county.pk, **values}
    )
    r = api(demo.users["office"]).post(
        "/api/monitoring/tasks/", {**FORM, "bureau": demo.county.pk, **values}, format="json"
    )
    assert r.status_code == 400 and words in r.content.decode()
    assert words in page.content.decode()
    assert not MonitoringTask.objects.filter(name="深夜巡查").exists()


def test_the_service_refuses_a_task_past_the_limits_naming_every_field(demo):
    from wangjian.core.errors import ValidationFailed

    task = MonitoringTask(bureau=demo.county, name="越限", depth=5, max_pages=0, delay=0)
    with pytest.raises(ValidationFailed) as exc:
        services.monitoring_task_save(task=task)
    assert set(exc.value.detail) == {"depth", "max_pages", "delay"}
    assert "抓取深度须在" in exc.value.zh and "must be between" in exc.value.en
    assert task.pk is None


def test_the_field_help_documents_the_limits():
    fields = {f.name: str(f.help_text) for f in MonitoringTask._meta.fields}
    assert "0–3" in fields["depth"] and "1–500" in fields["max_pages"] and "每秒至多 10 次" in fields["delay"]


def test_a_run_never_goes_deeper_or_further_than_the_limits(county):
    """A row written before the limits (or by hand) is held within them when it runs."""
    from wangjian.monitoring.services.crawl import ChunkCrawler

    task = make_task(county, [], depth=12, max_pages=100_000, delay=600)
    crawler = ChunkCrawler(task)
    try:
        assert (crawler.limits.depth, crawler.limits.max_pages) == (limits.MAX_DEPTH, limits.MAX_PAGES)
        assert crawler.fetcher.delay == limits.MAX_DELAY
    finally:
        crawler.close()
