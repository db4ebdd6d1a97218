"""The evidence pages and API: who may see a capture, the viewer's contents, downloads written to the ledger."""

from __future__ import annotations

import pytest

from wangjian.evidence import services
from wangjian.evidence.models import EvidenceCapture, LedgerEntry


@pytest.fixture
def shop_capture(demo, site):
    return services.evidence_capture(
        url=site.url("/shop.html"),
        operators=["钱科员", "李主任"],
        purpose="价格检查",
        case_ref="XS-1",
        user=demo.users["ad_officer"],
        mode="http",
    ).capture


def test_officers_of_the_bureau_and_the_city_above_see_the_capture(demo, login, shop_capture):
    for name in ("ad_officer", "auditor", "city_office"):
        assert login(demo.users[name]).get(f"/evidence/captures/{shop_capture.pk}/").status_code == 200, name


def test_a_neighbouring_county_cannot_see_the_capture_nor_download_it(demo, login, shop_capture):
    client = login(demo.users["jixi_officer"])
    assert client.get(f"/evidence/captures/{shop_capture.pk}/").status_code == 404
    assert client.get(f"/evidence/captures/{shop_capture.pk}/package.wacz").status_code == 404
    assert client.get(f"/evidence/captures/{shop_capture.pk}/files/text.txt").status_code == 404
    listed = client.get("/evidence/captures/").content.decode()
    assert shop_capture.url not in listed
    assert not LedgerEntry.objects.filter(capture_id_ref=shop_capture.pk, action="view").exists()


def test_viewer_shows_text_with_the_finding_marked_hashes_verification_and_access_log(
    demo, login, shop_capture
):
    page = (
        login(demo.users["ad_officer"])
        .get(f"/evidence/captures/{shop_capture.pk}/?highlight=假一赔十&reason=核查线索")
        .content.decode()
    )
    assert "<mark>假一赔十</mark>" in page
    for f in shop_capture.files.all():
        assert f.sha256 in page
    assert "完整性校验通过" in page
    view = LedgerEntry.objects.get(capture_id_ref=shop_capture.pk, action="view")
    assert view.reason == "核查线索" and view.user_name.startswith("ad_officer")
    assert "核查线索" in page  # the access log lists this very view


def test_file_download_is_written_to_the_ledger(demo, login, shop_capture):
    response = login(demo.users["auditor"]).get(f"/evidence/captures/{shop_capture.pk}/files/text.txt")
    assert response.status_code == 200 and "宣纸礼盒" in response.content.decode()
    assert LedgerEntry.objects.filter(capture_id_ref=shop_capture.pk, action="download").count() == 1


def test_replay_serves_the_archived_page_without_live_requests(demo, login, shop_capture):
    response = login(demo.users["ad_officer"]).get(f"/evidence/captures/{shop_capture.pk}/replay/")
    assert response.status_code == 200 and "宣纸礼盒".encode() in response.content
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp


def test_capture_form_stores_a_capture_and_auditors_may_not_capture(demo, login, site):
    client = login(demo.users["ad_officer"])
    form = client.get(f"/evidence/captures/add/?url={site.url('/gbk.html')}&case_ref=XS-9")
    assert site.url("/gbk.html") in form.content.decode() and "XS-9" in form.content.decode()
    response = client.post(
        "/evidence/captures/add/",
        {
            "url": site.url("/gbk.html"),
            "mode": "http",
            "operator_1": "钱科员",
            "operator_2": "李主任",
            "purpose": "亮照检查",
            "case_ref": "XS-9",
        },
    )
    capture = EvidenceCapture.objects.get(case_ref="XS-9")
    assert response.status_code == 302 and response["Location"] == f"/evidence/captures/{capture.pk}/"
    assert capture.operators == ["钱科员", "李主任"] and capture.captured_by == demo.users["ad_officer"]
    assert capture.bureau == demo.county
    assert login(demo.users["auditor"]).get("/evidence/captures/add/").status_code == 403


def test_api_lists_only_visible_captures_and_verifies(demo, api, shop_capture):
    mine = api(demo.users["ad_officer"]).get("/api/evidence/captures/").json()
    assert [c["id"] for c in mine["results"]] == [shop_capture.pk]
    assert api(demo.users["jixi_officer"]).get("/api/evidence/captures/").json()["results"] == []
    report = api(demo.users["ad_officer"]).get(f"/api/evidence/captures/{shop_capture.pk}/verify/").json()
    assert report["ok"] is True and report["files"] == 4


def test_api_capture_stores_a_failed_capture_with_its_reason(demo, api, site):
    response = api(demo.users["ad_officer"]).post(
        "/api/evidence/captures/",
        {
            "url": site.url("/status/404"),
            "operators": ["钱科员", "李主任"],
            "purpose": "巡查",
            "mode": "http",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "failed" and response.json()["failure_reason"] == "http_4xx"


def test_viewer_reports_a_changed_file(demo, login, shop_capture):
    import os

    from wangjian.evidence.store import get_store

    path = get_store().path(shop_capture.files.get(name="page.html").sha256)
    os.chmod(path, 0o644)
    path.write_bytes(path.read_bytes() + b" ")
    page = login(demo.users["ad_officer"]).get(f"/evidence/captures/{shop_capture.pk}/").content.decode()
    assert "完整性校验失败" in page and "page.html" in page and "文件已被改动" in page


def test_ledger_page_is_for_auditors_and_office_administrators(demo, login, shop_capture):
    assert login(demo.users["ad_officer"]).get("/evidence/ledger/").status_code == 403
    page = login(demo.users["auditor"]).get("/evidence/ledger/?action=capture").content.decode()
    assert f'href="/evidence/captures/{shop_capture.pk}/"' in page
    assert login(demo.users["jixi_officer"]).get("/evidence/ledger/").status_code == 403


def test_capture_list_query_count_does_not_grow_with_rows(demo, login, site, django_assert_max_num_queries):
    client = login(demo.users["ad_officer"])
    services.evidence_capture(
        url=site.url("/shop.html"),
        operators=["甲", "乙"],
        purpose="巡查",
        user=demo.users["ad_officer"],
        mode="http",
    )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get("/evidence/captures/").status_code == 200
    for _ in range(4):
        services.evidence_capture(
            url=site.url("/gbk.html"),
            operators=["甲", "乙"],
            purpose="巡查",
            user=demo.users["ad_officer"],
            mode="http",
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get("/evidence/captures/").status_code == 200
