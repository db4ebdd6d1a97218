"""The evidence pages and API: who may see a capture, the viewer's contents, what is written to the ledger.

A GET only shows (opening a capture's page is kept in the change log); what the ledger records — a
registered view, a download, an export — is a POST with a reason from a fixed list."""

from __future__ import annotations

import pytest

from wangjian.core.models import ChangeRecord
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
    assert client.post(f"/evidence/captures/{shop_capture.pk}/package.wacz").status_code == 404
    assert client.post(f"/evidence/captures/{shop_capture.pk}/files/text.txt").status_code == 404
    assert client.get(f"/evidence/captures/{shop_capture.pk}/files/screenshot.png").status_code == 404
    assert client.post(f"/evidence/captures/{shop_capture.pk}/access/", {"reason": "clue"}).status_code == 404
    listed = client.get("/evidence/captures/").content.decode()
    assert shop_capture.url not in listed
    assert not LedgerEntry.objects.filter(capture_id_ref=shop_capture.pk, action="view").exists()


def test_viewer_shows_text_with_the_finding_marked_hashes_verification_and_access_log(
    demo, login, shop_capture
):
    client = login(demo.users["ad_officer"])
    page = client.get(f"/evidence/captures/{shop_capture.pk}/?highlight=假一赔十").content.decode()
    assert "<mark>假一赔十</mark>" in page
    for f in shop_capture.files.all():
        assert f.sha256 in page
    assert "完整性校验通过" in page
    response = client.post(f"/evidence/captures/{shop_capture.pk}/access/", {"reason": "clue"})
    assert response.status_code == 302 and response["Location"] == f"/evidence/captures/{shop_capture.pk}/"
    view = LedgerEntry.objects.get(capture_id_ref=shop_capture.pk, action="view")
    assert view.reason == "核查线索" and view.user_name.startswith("ad_officer")
    page = client.get(f"/evidence/captures/{shop_capture.pk}/").content.decode()
    assert "核查线索" in page  # the access log lists the registered view


def test_a_get_of_a_capture_page_writes_nothing_into_the_ledger(demo, login, shop_capture):
    before = list(LedgerEntry.objects.order_by("seq").values_list("seq", "entry_hash"))
    client = login(demo.users["ad_officer"])
    url = f"/evidence/captures/{shop_capture.pk}/"
    for query in ("", "?reason=伪造的事由", "?reason=查看&highlight=假一赔十"):
        assert client.get(url + query).status_code == 200
    assert client.get(f"{url}files/text.txt?reason=伪造").status_code == 405  # a download is a POST
    assert client.get(f"{url}package.wacz?reason=伪造").status_code == 405
    assert client.get(f"{url}access/?reason=clue").status_code == 405
    assert list(LedgerEntry.objects.order_by("seq").values_list("seq", "entry_hash")) == before
    # who opened the page is still kept, in the change log, with no text of the caller's
    views = ChangeRecord.objects.filter(object_id=str(shop_capture.pk), action="view")
    assert views.count() == 3 and {v.user_name for v in views} == {"ad_officer"}
    assert not ChangeRecord.objects.filter(reason__contains="伪造").exists()
    assert "ad_officer" in client.get(url).content.decode()


def test_a_registered_view_takes_its_reason_from_the_fixed_list_only(demo, login, shop_capture):
    client = login(demo.users["ad_officer"])
    url = f"/evidence/captures/{shop_capture.pk}/access/"
    response = client.post(url, {"reason": "随便写的事由"}, follow=True)
    assert "查阅事由须从列表中选择" in response.content.decode()
    assert not LedgerEntry.objects.filter(capture_id_ref=shop_capture.pk, action="view").exists()
    client.post(url, {"reason": "legal_review"})
    assert LedgerEntry.objects.get(capture_id_ref=shop_capture.pk, action="view").reason == "法制审核"


def test_file_download_is_written_to_the_ledger(demo, login, shop_capture):
    response = login(demo.users["auditor"]).post(f"/evidence/captures/{shop_capture.pk}/files/text.txt")
    assert response.status_code == 200 and "宣纸礼盒" in response.content.decode()
    assert response["Content-Disposition"].startswith("attachment;")
    download = LedgerEntry.objects.get(capture_id_ref=shop_capture.pk, action="download")
    assert download.reason == "下载 text.txt"
    assert (
        login(demo.users["auditor"]).post(f"/evidence/captures/{shop_capture.pk}/files/nope.txt").status_code
        == 404
    )


def test_package_download_is_a_post_with_a_reason_from_the_list(demo, login, shop_capture):
    client = login(demo.users["ad_officer"])
    url = f"/evidence/captures/{shop_capture.pk}/package.wacz"
    refused = client.post(url, {"reason": "自由填写"})
    assert refused.status_code == 302 and not LedgerEntry.objects.filter(action="export").exists()
    response = client.post(url, {"reason": "case"})
    assert response.status_code == 200 and response["Content-Type"] == "application/wacz"
    assert LedgerEntry.objects.get(capture_id_ref=shop_capture.pk, action="export").reason == "案件调查"


def test_replay_serves_the_archived_page_without_live_requests(demo, login, shop_capture):
    response = login(demo.users["ad_officer"]).get(f"/evidence/captures/{shop_capture.pk}/replay/")
    assert response.status_code == 200 and "宣纸礼盒".encode() in response.content
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp


def test_with_a_replay_origin_the_page_is_replayed_only_there_to_a_short_lived_ticket(
    demo, login, shop_capture, settings, client
):
    settings.WANGJIAN_REPLAY_ORIGIN = "http://replay.test"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "replay.test", "testserver"]
    path = f"/evidence/captures/{shop_capture.pk}/replay/"
    handed = login(demo.users["ad_officer"]).get(path)
    assert handed.status_code == 302 and handed["Location"].startswith(f"http://replay.test{path}?t=")
    ticket_url = handed["Location"].removeprefix("http://replay.test")
    replayed = client.get(ticket_url, HTTP_HOST="replay.test")  # no session on the replay origin
    assert replayed.status_code == 200 and "宣纸礼盒".encode() in replayed.content
    assert "sandbox" in replayed["Content-Security-Policy"]
    assert client.get(path, HTTP_HOST="replay.test").status_code == 403  # no ticket, no page
    other = f"/evidence/captures/{shop_capture.pk + 1}/replay/?t={ticket_url.split('t=')[1]}"
    assert client.get(other, HTTP_HOST="replay.test").status_code == 403  # a ticket opens its capture only
    assert client.get("/", HTTP_HOST="replay.test").status_code == 404  # the application is not served there
    assert client.get("/login/", HTTP_HOST="replay.test").status_code == 404


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
