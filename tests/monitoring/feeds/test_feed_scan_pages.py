"""The feed-scan pages (网络交易监测 → 商品信息扫描) and ``/api/monitoring/feed-scans/``: one service, one set of words."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.monitoring.feeds.conftest import FEED_ROWS, jsonl
from tests.org import demo_once as shared
from wangjian.core.fetching.addresses import REFUSED_ZH
from wangjian.monitoring.models import FeedScan, Finding

pytestmark = pytest.mark.django_db
# The demo organisation built once for the module (see tests/org/demo_once.py).
demo, demo_once, fast_password_hashing = shared.demo, shared.demo_once, shared.fast_password_hashing
API = "/api/monitoring/feed-scans/"


def form(task, platform, **extra) -> dict:
    return {"task": task.pk, "platform": platform.pk, "url": "", "fmt": "", **extra}


def feed_file(name="皖南优选商品信息.jsonl") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jsonl(FEED_ROWS), content_type="application/x-ndjson")


def test_the_office_starts_a_scan_on_the_page_and_reads_its_results(demo, shops, task, login):
    platform, _ = shops
    client = login(demo.users["office"])
    assert "商品信息扫描" in client.get(reverse("platform:workbench")).content.decode()
    listing = client.get(reverse("monitoring:feedscan_list")).content.decode()
    assert 'id="start-scan-button"' in listing
    response = client.post(reverse("monitoring:feedscan_start"), form(task, platform, file=feed_file()))
    scan = FeedScan.objects.get()
    assert response.status_code == 302 and response["Location"] == scan.get_absolute_url()
    html = client.get(scan.get_absolute_url()).content.decode()
    assert 'data-status="done"' in html and "every 2s" not in html  # finished: no more polling
    assert f'<span id="findings-new">{scan.findings_new}</span>' in html and scan.findings_new > 0
    assert "S9" in html and "缺少商品ID或标题" in html  # the unregistered shop, the rejected row's reason
    assert f"?first_run={scan.run_id}" in html and f"?run={scan.run_id}" in html
    listed = client.get(reverse("monitoring:finding_list"), {"run": scan.run_id})
    assert {f.pk for f in listed.context["object_list"]} == set(
        Finding.objects.filter(first_run=scan.run).values_list("pk", flat=True)
    )
    csv = client.get(reverse("monitoring:feedscan_rejected", args=[scan.pk])).content.decode("utf-8-sig")
    assert csv.splitlines()[1].startswith("4,缺少商品ID或标题")
    source = client.get(reverse("monitoring:feedscan_source", args=[scan.pk]))
    assert b"".join(source.streaming_content) == jsonl(FEED_ROWS)
    assert (
        quote("皖南优选商品信息.jsonl") in source["Content-Disposition"]
    )  # the officer's name, not the stored one


def test_the_progress_polls_while_the_scan_runs_and_reloads_the_page_when_it_ends(demo, shops, task, login):
    platform, _ = shops
    client = login(demo.users["ad_officer"])
    client.post(reverse("monitoring:feedscan_start"), form(task, platform, file=feed_file()))
    scan = FeedScan.objects.get()
    partial_url = scan.get_absolute_url() + "?partial=1"
    FeedScan.objects.filter(pk=scan.pk).update(status="running", listings_done=1)
    running = client.get(partial_url, HTTP_HX_REQUEST="true")
    body = running.content.decode()
    assert body.lstrip().startswith('<div id="feed-progress"') and 'hx-trigger="every 2s"' in body
    assert "HX-Refresh" not in running and '<span id="listings-done">1</span>' in body
    FeedScan.objects.filter(pk=scan.pk).update(status="done")
    ended = client.get(partial_url, HTTP_HX_REQUEST="true")
    assert ended["HX-Refresh"] == "true" and "every 2s" not in ended.content.decode()


def test_a_refused_url_gets_the_same_words_on_the_page_and_from_the_api(demo, shops, task, login, api):
    platform, _ = shops
    office = demo.users["office"]
    url = "http://127.0.0.2:9/feed.jsonl"  # loopback, not on the tests' allowlist
    page = login(office).post(reverse("monitoring:feedscan_start"), form(task, platform, url=url))
    assert page.status_code == 200 and REFUSED_ZH in page.content.decode()
    answer = api(office).post(API, {"task": task.pk, "platform": platform.pk, "url": url}, format="json")
    assert answer.status_code == 400 and answer.json()["error"]["zh"] == REFUSED_ZH
    assert list(FeedScan.objects.values_list("status", flat=True)) == ["failed", "failed"]  # both recorded


def test_a_file_and_a_url_together_get_the_same_words_on_the_page_and_from_the_api(
    demo, shops, task, login, api
):
    platform, _ = shops
    office = demo.users["office"]
    url = "https://mall.example/feed.jsonl"
    page = login(office).post(
        reverse("monitoring:feedscan_start"), form(task, platform, url=url, file=feed_file())
    )
    answer = api(office).post(
        API, {"task": task.pk, "platform": platform.pk, "url": url, "file": feed_file()}, format="multipart"
    )
    assert answer.status_code == 400
    zh = answer.json()["error"]["zh"]
    assert "二者选一" in zh and zh in page.content.decode()


def test_a_file_over_the_cap_gets_the_same_words_from_the_api_as_from_the_service(
    demo, shops, task, api, settings
):
    platform, _ = shops
    settings.WANGJIAN_IMPORT_MAX_BYTES = 100
    answer = api(demo.users["office"]).post(
        API, {"task": task.pk, "platform": platform.pk, "file": feed_file()}, format="multipart"
    )
    assert answer.status_code == 413 and "大小上限 100 B" in answer.json()["error"]["zh"]


def test_the_api_starts_a_scan_from_a_file_and_reads_it_back(demo, shops, task, api):
    platform, _ = shops
    client = api(demo.users["ad_officer"])
    answer = client.post(
        API, {"task": task.pk, "platform": platform.pk, "file": feed_file()}, format="multipart"
    )
    assert answer.status_code == 202, answer.content
    body = answer.json()
    assert answer["Location"] == f"{API}{body['id']}/" and body["status"] == "done"
    assert body["findings_new"] > 0 and body["unknown_shops"] == [{"shop_id": "S9", "listings": 1}]
    assert body["rejected_rows"][0]["row"] == 4 and body["percent"] == 100
    detail = client.get(answer["Location"]).json()
    assert detail["rejected_rows"] == body["rejected_rows"] and detail["run"] == body["run"]
    listed = client.get(API, {"task": task.pk}).json()["results"]
    assert [row["id"] for row in listed] == [body["id"]] and "rejected_rows" not in listed[0]
    findings = client.get("/api/monitoring/findings/", {"run": body["run"]}).json()["results"]
    assert len(findings) == body["findings_new"]


def test_the_api_refuses_a_task_of_another_bureau_and_the_auditor(demo, shops, task, api):
    platform, _ = shops
    data = {"task": task.pk, "platform": platform.pk, "url": "https://mall.example/feed.jsonl"}
    outsider = api(demo.users["jixi_officer"]).post(API, data, format="json")
    assert (
        outsider.status_code == 400 and "没有该监测任务" in outsider.json()["error"]["zh"]
    )  # not visible to 绩溪
    auditor = api(demo.users["auditor"]).post(API, data, format="json")
    assert (
        auditor.status_code == 403
        and auditor.json()["error"]["detail"]["permission"] == "monitoring.feeds.scan"
    )
    assert not FeedScan.objects.exists()


def test_the_page_refuses_the_auditor_and_offers_only_the_users_bureau(demo, shops, task, login):
    from tests.monitoring.util import make_task

    assert login(demo.users["auditor"]).get(reverse("monitoring:feedscan_start")).status_code == 403
    elsewhere = make_task(demo.other_county, [], name="绩溪任务")
    page = login(demo.users["ad_officer"]).get(reverse("monitoring:feedscan_start"))
    tasks = list(page.context["form"].fields["task"].queryset)
    assert task in tasks and elsewhere not in tasks


def test_the_pages_read_in_english_after_the_language_switch(demo, shops, task, login, settings):
    platform, _ = shops
    client = login(demo.users["office"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    start = client.get(reverse("monitoring:feedscan_start")).content.decode()
    assert "Scan a platform's listing feed" in start and "Reporting platform" in start
    client.post(reverse("monitoring:feedscan_start"), form(task, platform, file=feed_file()))
    scan = FeedScan.objects.get()
    html = client.get(scan.get_absolute_url()).content.decode()
    assert "Findings of this scan" in html and "Unregistered shop ids" in html and "Listings scanned" in html
    assert (
        "Listing feed scans" in client.get(reverse("monitoring:feedscan_list")).content.decode()
    )  # the menu
