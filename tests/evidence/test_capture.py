"""evidence_capture: what a capture records, and that a failure is stored as a failure."""

from __future__ import annotations

import io
import json

import pytest
from warcio.archiveiterator import ArchiveIterator

from wangjian.evidence import selectors, services
from wangjian.evidence.choices import CaptureStatus, FailureReason
from wangjian.evidence.models import LedgerEntry
from wangjian.evidence.store import get_store

OPERATORS = ["张三（执法证 34180001）", "李四（执法证 34180002）"]


def capture(bureau, url, **kw):
    kw.setdefault("mode", "http")
    return services.evidence_capture(
        url=url,
        operators=OPERATORS,
        purpose="网店价格标示检查",
        case_ref="旌市监线索〔2026〕1号",
        bureau=bureau,
        **kw,
    ).capture


def blob(capture, name):
    return selectors.capture_blob(capture=capture, name=name)


def warc_records(capture):
    """(type, target URI, record, payload) of every WARC record."""
    return [
        (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r, r.content_stream().read())
        for r in ArchiveIterator(io.BytesIO(blob(capture, "capture.warc.gz")))
    ]


def test_http_capture_records_redirect_chain_ip_headers_and_hash_of_every_file(bureau, site):
    c = capture(bureau, site.url("/redirect2"))
    assert c.status == CaptureStatus.OK
    assert c.final_url == site.url("/shop.html")
    meta = json.loads(blob(c, "metadata.json"))
    assert [(r["from"], r["to"], r["status"]) for r in meta["redirects"]] == [
        (site.url("/redirect2"), site.url("/redirect"), 301),
        (site.url("/redirect"), site.url("/shop.html"), 302),
    ]
    assert meta["resolved_ip"] == "127.0.0.1" == c.resolved_ip
    assert ["X-Shop", "demo"] in meta["response_headers"]
    assert meta["operators"] == OPERATORS
    assert meta["started"]["asia_shanghai"].endswith("+08:00") and meta["started"]["utc"].endswith("+00:00")
    assert meta["tool"]["name"] == "wangjian-evidence"
    store = get_store()
    import hashlib

    for f in c.files.exclude(name="metadata.json"):
        assert {"name": f.name, "role": f.role, "bytes": f.size, "sha256": f.sha256} in meta["files"]
        assert hashlib.sha256(store.get(f.sha256)).hexdigest() == f.sha256
    assert "宣纸礼盒 特价 199 元" in blob(c, "text.txt").decode()


def test_warc_has_request_and_response_records_for_each_hop(bureau, site):
    c = capture(bureau, site.url("/redirect"))
    records = warc_records(c)
    kinds = [(kind, uri) for kind, uri, *_ in records if kind != "warcinfo"]
    assert ("response", site.url("/redirect")) in kinds and ("request", site.url("/redirect")) in kinds
    assert ("response", site.url("/shop.html")) in kinds and ("request", site.url("/shop.html")) in kinds
    response, payload = next(
        (r, p) for kind, uri, r, p in records if kind == "response" and uri.endswith("/shop.html")
    )
    assert response.rec_headers.get_header("WARC-IP-Address") == "127.0.0.1"
    assert response.rec_headers.get_header("WARC-Date")
    assert "宣纸礼盒".encode() in payload


def test_gbk_page_text_is_decoded(bureau, site):
    c = capture(bureau, site.url("/gbk.html"))
    assert c.title == "国标编码店铺"
    assert "本店销售黄山毛峰" in blob(c, "text.txt").decode()


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/status/404", FailureReason.HTTP_4XX), ("/status/500", FailureReason.HTTP_5XX)],
)
def test_error_status_is_a_failed_capture_with_its_reason_and_the_exchange_kept(bureau, site, path, reason):
    c = capture(bureau, site.url(path))
    assert c.status == CaptureStatus.FAILED and c.failure_reason == reason
    assert set(c.files.values_list("name", flat=True)) == {"capture.warc.gz", "metadata.json"}
    assert json.loads(blob(c, "metadata.json"))["failure"]["reason"] == reason


def test_unresolvable_host_is_a_failed_capture_answered_like_a_refused_address(bureau):
    c = capture(bureau, "http://no-such-shop.invalid/")
    assert c.status == CaptureStatus.FAILED and c.failure_reason == FailureReason.REFUSED
    assert LedgerEntry.objects.get(capture_id_ref=c.pk).detail["failure"] == FailureReason.REFUSED


def test_untrusted_certificate_is_a_failed_capture(bureau, tls_site):
    c = capture(bureau, tls_site.url("/shop.html"))
    assert c.status == CaptureStatus.FAILED and c.failure_reason == FailureReason.TLS


def test_slow_page_times_out_as_failed(bureau, site):
    c = capture(bureau, site.url("/slow.html?s=3"), timeout=1)
    assert c.failure_reason == FailureReason.TIMEOUT


def test_page_over_the_size_limit_is_failed_as_oversize(bureau, site):
    c = capture(bureau, site.url("/big.html"), max_bytes=100_000)
    assert c.failure_reason == FailureReason.OVERSIZE
    assert "100000" in c.failure_detail


def test_refused_connection_is_named_as_such(bureau, closed_port):
    c = capture(bureau, f"http://127.0.0.1:{closed_port}/")
    assert c.status == CaptureStatus.FAILED and c.failure_reason == FailureReason.CONNECTION_REFUSED


def test_records_signed_under_the_older_codes_keep_them_and_are_found_by_the_new_filter(bureau, site):
    """Captures written before the shared vocabulary said ``too_large`` and ``connection``; the records
    are signed, so they keep those codes, and filtering by the new code finds them too."""
    from wangjian.evidence.filtersets import EvidenceCaptureFilterSet
    from wangjian.evidence.models import EvidenceCapture

    new = capture(bureau, site.url("/big.html"), max_bytes=100_000)
    old = capture(bureau, site.url("/big.html"), max_bytes=100_000)
    EvidenceCapture.objects.filter(pk=old.pk).update(failure_reason="too_large")
    found = EvidenceCaptureFilterSet({"failure_reason": "oversize"}, EvidenceCapture.objects.all()).qs
    assert set(found.values_list("pk", flat=True)) == {new.pk, old.pk}
    old.refresh_from_db()
    assert old.get_failure_reason_display() == "页面过大（旧记录）"
    offered = dict(EvidenceCaptureFilterSet().filters["failure_reason"].extra["choices"])
    assert "too_large" not in offered and "connection" not in offered


def test_capture_needs_operators_and_purpose(bureau, site):
    from wangjian.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as err:
        services.evidence_capture(
            url=site.url("/shop.html"), operators=[], purpose="", bureau=bureau, mode="http"
        )
    assert len(err.value.detail) == 2


def test_one_operator_is_accepted_with_a_note(bureau, site):
    outcome = services.evidence_capture(
        url=site.url("/shop.html"), operators=["张三"], purpose="巡查", bureau=bureau, mode="http"
    )
    assert outcome.ok and any("两名" in n for n in outcome.notes)


@pytest.mark.browser
class TestBrowser:
    def test_browser_capture_has_screenshot_rendered_text_and_every_request(self, bureau, site, chromium):
        c = capture(bureau, site.url("/js.html"), mode="browser")
        assert c.status == CaptureStatus.OK, c.failure_detail
        text = blob(c, "text.txt").decode()
        assert "脚本渲染的价格：88元" in text and "接口价格：66" in text
        assert blob(c, "screenshot.png")[:8] == b"\x89PNG\r\n\x1a\n"
        assert "脚本渲染的价格" in blob(c, "page.html").decode()
        uris = {uri for kind, uri, *_ in warc_records(c) if kind == "response"}
        assert {site.url("/js.html"), site.url("/api/price.json")} <= uris
        meta = json.loads(blob(c, "metadata.json"))
        assert "HeadlessChrome" in meta["user_agent"] and meta["tool"]["engine"].startswith("Chromium")

    def test_browser_follows_redirects_and_records_subresources(self, bureau, site, chromium):
        c = capture(bureau, site.url("/redirect"), mode="browser")
        assert c.final_url == site.url("/shop.html") and c.resolved_ip == "127.0.0.1"
        meta = json.loads(blob(c, "metadata.json"))
        assert meta["redirects"][0]["from"] == site.url("/redirect")
        uris = {uri for kind, uri, *_ in warc_records(c) if kind == "response"}
        assert {site.url("/style.css"), site.url("/logo.svg"), site.url("/shop.html")} <= uris

    def test_prices_loaded_in_steps_after_load_are_in_the_record(self, bureau, site, chromium):
        """No fixed wait: the page is read once nothing has been in flight for a moment, so a price
        that arrives through two requests after ``load`` is in the text, the screenshot's page and the WARC."""
        c = capture(bureau, site.url("/chain.html"), mode="browser")
        assert c.status == CaptureStatus.OK, c.failure_detail
        assert "第二步价格：step1-step2" in blob(c, "text.txt").decode()
        uris = {uri for kind, uri, *_ in warc_records(c) if kind == "response"}
        assert site.url("/api/slow.json?ms=150&v=step1-step2") in uris
        ready = json.loads(blob(c, "metadata.json"))["page_ready"]
        assert ready["quiet"] is True and ready["settle_seconds"] >= 0.25

    def test_a_script_busy_between_two_requests_is_waited_for_not_read_in_the_gap(
        self, bureau, site, chromium
    ):
        """The network is quiet for 400 ms while the page's script works before its second request: the page is
        asked to paint, the second request starts meanwhile, and the wait for quiet begins again."""
        c = capture(bureau, site.url("/chain-busy-script.html"), mode="browser")
        assert c.status == CaptureStatus.OK, c.failure_detail
        assert "第二步价格：step1-step2" in blob(c, "text.txt").decode()
        assert json.loads(blob(c, "metadata.json"))["page_ready"]["quiet"] is True

    def test_a_page_that_never_goes_quiet_is_read_when_the_settle_time_runs_out_and_says_so(
        self, bureau, site, chromium, settings
    ):
        settings.WANGJIAN_EVIDENCE_SETTLE_MAX = 1
        c = capture(bureau, site.url("/busy.html"), mode="browser")
        assert c.status == CaptureStatus.OK, c.failure_detail
        ready = json.loads(blob(c, "metadata.json"))["page_ready"]
        assert ready["quiet"] is False and 0.9 <= ready["settle_seconds"] < 3
        assert "实时价格" in blob(c, "text.txt").decode()

    def test_browser_gbk_page(self, bureau, site, chromium):
        c = capture(bureau, site.url("/gbk.html"), mode="browser")
        assert "本店销售黄山毛峰" in blob(c, "text.txt").decode()

    def test_browser_failures_keep_their_reason(self, bureau, site, tls_site, chromium):
        assert (
            capture(bureau, site.url("/status/500"), mode="browser").failure_reason == FailureReason.HTTP_5XX
        )
        assert (
            capture(bureau, "http://no-such-shop.invalid/", mode="browser").failure_reason
            == FailureReason.REFUSED
        )
        assert capture(bureau, tls_site.url("/shop.html"), mode="browser").failure_reason == FailureReason.TLS
        slow = capture(bureau, site.url("/slow.html?s=4"), mode="browser", timeout=1)
        assert slow.failure_reason == FailureReason.TIMEOUT and slow.status == CaptureStatus.FAILED
