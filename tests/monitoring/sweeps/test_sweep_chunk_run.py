"""Sweeps over a scripted site: dedup across runs, retried chunks, unchanged pages, failures, automatic evidence."""

from __future__ import annotations

import os

import pytest

from tests.monitoring.util import make_task

pytestmark = pytest.mark.django_db

LICENCE = "营业执照信息：统一社会信用代码 914403001922038216 名称：深圳某某商行"


def page(body: str) -> bytes:
    return f"<html><head><title>店铺</title></head><body><p>{body}</p></body></html>".encode()


@pytest.fixture
def shop(county, site):
    """One presence on the scripted site: a home page linking to one listing."""
    from wangjian.registry.models import Presence

    site.page("/shop/", page(f"{LICENCE}<a href='/shop/item1.html'>商品</a>"))
    site.page("/shop/item1.html", page("本店面霜效果全网最佳，国家级产品"))
    return Presence.objects.create(
        bureau=county, kind="website", url=f"{site.url}/shop/", shop_name="测试网店"
    )


def run_task(task):
    from wangjian.monitoring.services import monitoring_task_run

    run = monitoring_task_run(task=task).run
    run.refresh_from_db()
    return run


def test_same_text_on_the_same_presence_is_one_finding_with_first_and_last_seen_across_runs(
    county, shop, site
):
    from wangjian.monitoring.models import Finding

    task = make_task(county, [shop], evidence_threshold="none")
    first = run_task(task)
    found = Finding.objects.filter(presence=shop)
    assert first.findings_new == found.count() > 0
    before = {f.pk: f.first_seen for f in found}
    # The page changes around the violation: the same rule and text stay one finding.
    site.page("/shop/item1.html", page("新品上市！本店面霜效果全网最佳，国家级产品，欢迎选购"))
    second = run_task(task)
    assert second.findings_new == 0 and second.findings_seen == len(before)
    for f in Finding.objects.filter(presence=shop):
        assert f.pk in before and f.first_seen == before[f.pk]
        assert f.seen_count == 2 and f.last_seen > f.first_seen
        assert f.first_run_id == first.pk and f.last_run_id == second.pk


def test_a_retried_chunk_adds_no_duplicate_finding_and_counts_pages_once(county, shop):
    from wangjian.monitoring.choices import ChunkStatus
    from wangjian.monitoring.models import Finding, LicenceCheck, SweepChunk
    from wangjian.monitoring.services import sweep_chunk_run

    task = make_task(county, [shop], evidence_threshold="none")
    run = run_task(task)
    chunk = run.chunks.get()
    findings = sorted(Finding.objects.values_list("pk", "seen_count"))
    counts = (chunk.pages_done, chunk.findings_new)
    # The broker redelivers the message (worker lost before the ack): the chunk runs again.
    SweepChunk.objects.filter(pk=chunk.pk).update(status=ChunkStatus.RUNNING)
    chunk.refresh_from_db()
    sweep_chunk_run(chunk=chunk)
    chunk.refresh_from_db()
    assert chunk.attempts == 2
    assert sorted(Finding.objects.values_list("pk", "seen_count")) == findings
    assert (chunk.pages_done, chunk.findings_new) == counts
    assert LicenceCheck.objects.filter(run=run).count() == 1


def test_unchanged_pages_are_skipped_and_not_rescanned(county, shop, site, monkeypatch):
    from wangjian.monitoring.engine import Engine

    task = make_task(county, [shop], evidence_threshold="none")
    first = run_task(task)
    assert first.pages_done == 2 and first.pages_unchanged == 0
    scanned = []
    original = Engine.scan
    monkeypatch.setattr(
        Engine, "scan", lambda self, text, **kw: scanned.append(text) or original(self, text, **kw)
    )
    second = run_task(task)
    assert second.pages_unchanged == 2 and second.pages_done == 0
    assert scanned == []  # nothing rescanned
    site.page("/shop/item1.html", page("本店面霜效果全网最佳，限时特价"))
    third = run_task(task)
    assert third.pages_done == 1 and third.pages_unchanged == 1
    assert len(scanned) == 1 and "限时特价" in scanned[0]


def test_changed_page_keeps_the_previous_text_for_the_diff(county, shop, site):
    from wangjian.monitoring.models import PageSnapshot
    from wangjian.monitoring.selectors import snapshot_diff

    task = make_task(county, [shop], evidence_threshold="none")
    run_task(task)
    site.page("/shop/item1.html", page("本店面霜，温和配方"))
    run_task(task)
    snap = PageSnapshot.objects.get(url=f"{site.url}/shop/item1.html")
    diff = snapshot_diff(snapshot=snap)
    assert ("-", "本店面霜效果全网最佳，国家级产品") in diff
    assert ("+", "本店面霜，温和配方") in diff


def test_failed_fetches_are_recorded_as_failed_with_the_reason(county, site, closed_port):
    from wangjian.monitoring.models import PageSnapshot
    from wangjian.registry.models import Presence

    site.page("/gone/", b"<h1>no</h1>", status=404)
    site.page("/broken/", b"<h1>err</h1>", status=500)
    urls = [f"{site.url}/gone/", f"{site.url}/broken/", f"http://127.0.0.1:{closed_port}/"]
    presences = [Presence.objects.create(bureau=county, kind="website", url=u, shop_name=u) for u in urls]
    run = run_task(make_task(county, presences, depth=0))
    assert run.pages_failed == 3 and run.pages_done == 0
    reasons = dict(PageSnapshot.objects.values_list("url", "reason"))
    assert "404" in reasons[urls[0]]
    assert "500" in reasons[urls[1]]
    assert "连接被拒绝" in reasons[urls[2]]
    assert set(PageSnapshot.objects.values_list("outcome", flat=True)) == {"failed"}


def test_new_findings_at_the_threshold_get_evidence_and_lower_ones_do_not(county, shop, site):
    from wangjian.evidence.models import EvidenceLink
    from wangjian.monitoring.models import Finding

    site.page("/shop/item1.html", page("本店面霜效果全网最佳，本品包治百病"))  # medium, and high
    run_task(make_task(county, [shop], evidence_threshold="high"))
    high = Finding.objects.filter(severity="high")
    lower = Finding.objects.exclude(severity="high")
    assert high.exists() and lower.exists()
    for f in high:
        assert f.evidence_id is not None and f.evidence.ok
        assert EvidenceLink.objects.filter(capture=f.evidence, object_id=str(f.pk)).exists()
    assert not lower.exclude(evidence=None).exists()


def test_the_automatic_capture_is_in_the_findings_change_log_and_seen_again_is_not(county, shop, site):
    from django.contrib.contenttypes.models import ContentType

    from wangjian.core.models import ChangeRecord
    from wangjian.monitoring.models import Finding

    task = make_task(county, [shop], evidence_threshold="high")
    site.page("/shop/item1.html", page("本品包治百病"))
    run_task(task)
    finding = Finding.objects.filter(severity="high").order_by("pk").first()
    log = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Finding), object_id=str(finding.pk)
    )
    changed = [f for r in log.filter(action="update") for f, _, _ in r.changed_fields()]
    assert sorted(changed) == ["evidence", "evidence_requested"]
    site.page("/shop/item1.html", page("新到货：本品包治百病"))  # changed page, same finding seen again
    run_task(task)
    finding.refresh_from_db()
    assert finding.seen_count == 2
    assert log.filter(action="update").count() == 2  # seen again is bookkeeping, not a change


def test_a_second_run_does_not_capture_the_same_finding_again(county, shop, site):
    from wangjian.evidence.models import EvidenceCapture

    task = make_task(county, [shop], evidence_threshold="low")
    run_task(task)
    captured = EvidenceCapture.objects.count()
    assert captured > 0
    site.page("/shop/item1.html", page("新品！本店面霜效果全网最佳，国家级产品"))
    run_task(task)
    assert EvidenceCapture.objects.count() == captured


def test_licence_display_is_checked_on_the_entry_page(county, shop):
    from wangjian.monitoring.models import LicenceCheck

    run = run_task(make_task(county, [shop], evidence_threshold="none"))
    check = LicenceCheck.objects.get(run=run, presence=shop, kind="business_licence")
    assert check.verdict == "unregistered"  # a valid code the county's registry does not hold
    assert check.uscc == "914403001922038216"
    assert "914403001922038216" in check.evidence_text


JS_ONLY = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>店铺</title></head><body>
<div id="app"></div>
<script>document.getElementById('app').innerHTML = '<p>本品包治百病，药到病除</p>';</script>
</body></html>"""


@pytest.mark.browser
def test_text_that_appears_only_in_the_browser_is_found_and_captured_in_the_browser(county, site):
    from tests.conftest import chromium_path
    from wangjian.monitoring.models import Finding
    from wangjian.registry.models import Presence

    if chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium missing in CI")
        pytest.skip("Debian's chromium is not installed")
    site.page("/js/", JS_ONLY.encode())
    shop = Presence.objects.create(bureau=county, kind="website", url=f"{site.url}/js/", shop_name="JS店")
    run_task(make_task(county, [shop], depth=0, render="auto", evidence_threshold="high"))
    # "包治百病" is a medical claim and an efficacy guarantee: two findings, both on the browser's evidence.
    findings = Finding.objects.filter(presence=shop, matched="包治百病")
    assert {f.category for f in findings} == {"medical_claim", "efficacy_guarantee"}
    for finding in findings:
        assert finding.evidence is not None and finding.evidence.mode == "browser"


SCRIPTED_LICENCE = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>店铺</title></head><body>
<h1>测试网店</h1><p>本店销售本地土特产，产地直发，欢迎选购。</p>
<div class="licence" id="lic"></div>
<script>document.getElementById('lic').innerHTML = '<p>{LICENCE}</p>';</script>
</body></html>"""


def test_a_licence_written_by_a_script_is_not_checked_by_a_task_that_never_renders(county, site):
    """No browser, no verdict: the check says it needs rendering instead of accusing the shop of 未亮照."""
    from wangjian.monitoring.models import LicenceCheck, PageSnapshot
    from wangjian.registry.models import Presence

    site.page("/scripted/", SCRIPTED_LICENCE.encode())
    shop = Presence.objects.create(
        bureau=county, kind="website", url=f"{site.url}/scripted/", shop_name="脚本店"
    )
    run = run_task(make_task(county, [shop], depth=0, render="never", evidence_threshold="none"))
    check = LicenceCheck.objects.get(run=run, presence=shop, kind="business_licence")
    assert check.verdict == "needs_rendering"
    snap = PageSnapshot.objects.get(presence=shop)
    assert not snap.rendered and "脚本" in snap.reason  # the officer sees that only static text was read


@pytest.mark.browser
def test_a_licence_written_by_a_script_is_read_from_the_rendered_page(county, site):
    from tests.conftest import chromium_path
    from wangjian.monitoring.models import LicenceCheck
    from wangjian.registry.models import Presence

    if chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium missing in CI")
        pytest.skip("Debian's chromium is not installed")
    site.page("/scripted/", SCRIPTED_LICENCE.encode())
    shop = Presence.objects.create(
        bureau=county, kind="website", url=f"{site.url}/scripted/", shop_name="脚本店"
    )
    run = run_task(make_task(county, [shop], depth=0, render="auto", evidence_threshold="none"))
    check = LicenceCheck.objects.get(run=run, presence=shop, kind="business_licence")
    assert check.verdict == "unregistered" and check.uscc == "914403001922038216"
