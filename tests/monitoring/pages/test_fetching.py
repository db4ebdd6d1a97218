"""The fetcher: charsets, failures recorded as failed, conditional requests, politeness, crawl depth."""

from __future__ import annotations

import asyncio
import codecs
import time

from tests.monitoring.util import crawl, fetch
from wangjian.monitoring.fetching import Fetcher, content_hash, decode_body

PAGE = "<html><head>{meta}<title>旌德县灵芝堂</title></head><body><p>本店销售旌德灵芝，统一社会信用代码见页脚。</p></body></html>"
TEXT = "本店销售旌德灵芝，统一社会信用代码见页脚。"


# --------------------------------------------------------------------------- charsets


def test_gbk_page_declared_only_in_meta_decodes(site):
    site.page("/a", PAGE.format(meta='<meta charset="gbk">').encode("gbk"), content_type="text/html")
    out = fetch(site.url + "/a")
    assert out.status == "ok"
    assert TEXT in out.text
    assert (out.encoding, out.encoding_source) == ("gb18030", "meta")


def test_gbk_page_declared_by_http_equiv_meta_decodes(site):
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    site.page("/a", PAGE.format(meta=meta).encode("gbk"), content_type="text/html")
    out = fetch(site.url + "/a")
    assert TEXT in out.text and out.encoding_source == "meta"


def test_gbk_page_without_any_declaration_is_detected(site):
    site.page("/a", PAGE.format(meta="").encode("gbk"), content_type="text/html")
    out = fetch(site.url + "/a")
    assert out.status == "ok"
    assert TEXT in out.text
    assert out.encoding_source == "detected"


def test_short_gbk_fragment_without_declaration_is_detected():
    text, enc, source = decode_body("最佳赏味期".encode("gbk"))
    assert text == "最佳赏味期" and source == "detected"


def test_gbk_declared_in_header_decodes_and_overrides_a_wrong_meta(site):
    body = PAGE.format(meta='<meta charset="utf-8">').encode("gbk")
    site.page("/a", body, content_type="text/html; charset=GBK")
    out = fetch(site.url + "/a")
    assert TEXT in out.text and out.encoding_source == "header"


def test_gb18030_four_byte_characters_survive(site):
    rare = "𠀀㐀"  # outside GBK, inside GB18030
    site.page(
        "/a",
        f"<html><body><p>{rare}{TEXT}</p></body></html>".encode("gb18030"),
        content_type="text/html; charset=gb18030",
    )
    out = fetch(site.url + "/a")
    assert rare + TEXT in out.text


def test_utf8_bom_wins_over_a_wrong_header(site):
    site.page(
        "/a", codecs.BOM_UTF8 + PAGE.format(meta="").encode("utf-8"), content_type="text/html; charset=gbk"
    )
    out = fetch(site.url + "/a")
    assert TEXT in out.text and out.encoding_source == "bom"


def test_content_hash_is_of_the_decoded_text_so_gbk_and_utf8_copies_agree(site):
    html = PAGE.format(meta="")
    site.page("/gbk", html.encode("gbk"), content_type="text/html; charset=gbk")
    site.page("/utf8", html.encode("utf-8"), content_type="text/html; charset=utf-8")
    a, b = fetch(site.url + "/gbk"), fetch(site.url + "/utf8")
    assert a.content_hash == b.content_hash == content_hash(html)


# --------------------------------------------------------------------------- failures


def test_timeout_is_recorded_as_failed_with_reason(site):
    def slow(req):
        time.sleep(1.5)
        req.send_response(200)
        req.send_header("Content-Length", "2")
        req.end_headers()
        req.wfile.write(b"ok")

    site.route("/slow", slow)
    out = fetch(site.url + "/slow", timeout=0.3, retries=0)
    assert out.status == "failed"
    assert out.reason_code == "timeout"
    assert "超时" in out.reason and "timed out" in out.reason
    assert out.text == "" and out.content_hash == ""


def test_not_found_is_failed_and_not_retried(site):
    out = fetch(site.url + "/nowhere", retries=3)
    assert (out.status, out.reason_code, out.http_status) == ("failed", "http_4xx", 404)
    assert "404" in out.reason
    assert site.hits["/nowhere"] == 1


def test_server_error_is_retried_then_recorded_as_failed(site):
    site.page("/boom", b"<h1>error</h1>", status=500)
    out = fetch(site.url + "/boom", retries=2)
    assert (out.status, out.reason_code, out.http_status) == ("failed", "http_5xx", 500)
    assert site.hits["/boom"] == 3 and out.attempts == 3


def test_a_transient_server_error_is_overcome_by_a_retry(site):
    calls = []

    def flaky(req):
        calls.append(1)
        body = TEXT.encode() if len(calls) > 1 else b"busy"
        req.send_response(200 if len(calls) > 1 else 503)
        req.send_header("Content-Type", "text/plain; charset=utf-8")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    site.route("/flaky", flaky)
    out = fetch(site.url + "/flaky", retries=2)
    assert out.status == "ok" and out.text == TEXT and out.attempts == 2


def test_declared_oversize_response_is_refused(site):
    site.page("/big", b"x" * 5000, content_type="text/plain")
    out = fetch(site.url + "/big", max_bytes=1000)
    assert (out.status, out.reason_code) == ("failed", "oversize")
    assert "大小上限" in out.reason and out.text == ""


def test_streamed_oversize_response_is_cut_off(site):
    def endless(req):
        req.send_response(200)
        req.send_header("Content-Type", "text/html")
        req.send_header("Transfer-Encoding", "chunked")
        req.end_headers()
        chunk = b"<p>" + "灵芝".encode() * 300 + b"</p>"
        try:
            for _ in range(200):
                req.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            req.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # the client hung up, as it should

    site.route("/stream", endless)
    out = fetch(site.url + "/stream", max_bytes=20_000)
    assert (out.status, out.reason_code) == ("failed", "oversize")


def test_connection_refused_is_recorded_as_failed(closed_port):
    out = fetch(f"http://127.0.0.1:{closed_port}/", retries=1)
    assert (out.status, out.reason_code) == ("failed", "connection_refused")
    assert "连接被拒绝" in out.reason and out.attempts == 2


def test_no_failure_is_ever_reported_ok(site, closed_port):
    site.page("/gone", b"", status=410)
    urls = [
        site.url + "/gone",
        site.url + "/missing",
        f"http://127.0.0.1:{closed_port}/x",
        "ftp://127.0.0.1/x",
    ]

    async def run():
        async with Fetcher(delay=0, retries=0) as f:
            return await f.fetch_many(urls)

    outs = asyncio.run(run())
    assert [o.status for o in outs] == ["failed"] * 4
    assert all(o.reason for o in outs)


# --------------------------------------------------------------------------- conditional requests


def _conditional(site):
    body = PAGE.format(meta="").encode()

    def handler(req):
        if (
            req.headers.get("If-None-Match") == '"v1"'
            or req.headers.get("If-Modified-Since") == "Mon, 02 Sep 2024 08:00:00 GMT"
        ):
            req.send_response(304)
            req.send_header("ETag", '"v1"')
            req.end_headers()
            return
        req.send_response(200)
        req.send_header("Content-Type", "text/html; charset=utf-8")
        req.send_header("ETag", '"v1"')
        req.send_header("Last-Modified", "Mon, 02 Sep 2024 08:00:00 GMT")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    site.route("/c", handler)


def test_etag_revalidation_reports_unchanged(site):
    _conditional(site)
    first = fetch(site.url + "/c")
    assert first.status == "ok" and first.etag == '"v1"'
    again = fetch(site.url + "/c", etag=first.etag)
    assert (again.status, again.http_status, again.reason_code) == ("unchanged", 304, "not_modified")
    assert site.request_headers[-1]["If-None-Match"] == '"v1"'


def test_last_modified_revalidation_reports_unchanged(site):
    _conditional(site)
    first = fetch(site.url + "/c")
    again = fetch(site.url + "/c", last_modified=first.last_modified)
    assert again.status == "unchanged"


def test_same_content_hash_reports_unchanged_when_the_server_ignores_validators(site):
    site.page("/p", PAGE.format(meta="").encode())
    first = fetch(site.url + "/p")
    again = fetch(site.url + "/p", previous_hash=first.content_hash)
    assert (again.status, again.reason_code) == ("unchanged", "same_hash")
    site.page("/p", PAGE.format(meta="").replace("灵芝", "板栗").encode())
    changed = fetch(site.url + "/p", previous_hash=first.content_hash)
    assert changed.status == "ok" and changed.content_hash != first.content_hash


# --------------------------------------------------------------------------- politeness and crawling


def test_per_host_concurrency_is_respected(site):
    def slow(req):
        time.sleep(0.1)
        req.send_response(200)
        req.send_header("Content-Length", "2")
        req.end_headers()
        req.wfile.write(b"ok")

    for i in range(8):
        site.route(f"/p{i}", slow)

    async def run():
        async with Fetcher(per_host=2, concurrency=16, delay=0) as f:
            return await f.fetch_many([f"{site.url}/p{i}" for i in range(8)])

    outs = asyncio.run(run())
    assert all(o.ok for o in outs)
    assert site.max_active <= 2


def test_politeness_delay_spaces_requests_to_one_host(site, monkeypatch):
    for i in range(4):
        site.page(f"/p{i}", b"ok", content_type="text/plain")
    sent = []
    attempt = Fetcher._attempt

    async def timed(self, *args, **kwargs):
        sent.append(time.monotonic())  # when the fetcher lets a request go: the gate the delay governs
        return await attempt(self, *args, **kwargs)

    monkeypatch.setattr(Fetcher, "_attempt", timed)

    async def run():
        async with Fetcher(per_host=4, delay=0.2) as f:
            return await f.fetch_many([f"{site.url}/p{i}" for i in range(4)])

    asyncio.run(run())
    gaps = [b - a for a, b in zip(sent, sent[1:], strict=False)]
    # Measured at the sender, not at the server (arrival adds connection set-up jitter under load);
    # the event loop's clock may wake a sleep a millisecond early.
    assert len(gaps) == 3 and min(gaps) >= 0.19
    assert len(site.starts) == 4


def _chain(site, n):
    """/c/0 → /c/1 → … → /c/n-1, each also linking outside the presence."""
    for i in range(n):
        body = f'<html><body><p>第{i}页</p><a href="/c/{i + 1}">下一页</a><a href="/other/">别处</a></body></html>'
        site.page(f"/c/{i}", body.encode())


def test_crawl_depth_is_respected(site):
    _chain(site, 10)
    pages = crawl(site.url + "/c/0", depth=2)
    assert sorted(p.url for p in pages) == [f"{site.url}/c/{i}" for i in range(3)]
    assert sorted(p.depth for p in pages) == [0, 1, 2]
    assert "/c/3" not in site.hits and "/other/" not in site.hits


def test_depth_zero_fetches_the_entry_page_only(site):
    _chain(site, 3)
    assert [p.url for p in crawl(site.url + "/c/0", depth=0)] == [site.url + "/c/0"]


def test_page_cap_limits_a_crawl(site):
    _chain(site, 10)
    assert len(crawl(site.url + "/c/0", depth=20, max_pages=4)) == 4


def test_crawl_of_a_shop_stays_within_the_shop(market):
    shop = market.market.shop("S02")
    pages = crawl(market.shop_url("S02"), depth=3)
    urls = {p.url for p in pages}
    assert all(u.startswith(market.shop_url("S02")) for u in urls)
    expected = {market.shop_url("S02"), market.shop_url("S02") + "about.html"}
    expected |= {market.url_for(market.market.listing(lid).path) for lid in shop.listing_ids}
    assert urls == expected


def test_crawl_reports_unchanged_pages_of_the_previous_sweep(market):
    first = crawl(market.shop_url("S02"), depth=1)
    known = {
        p.url: {"etag": p.etag, "content_hash": p.content_hash, "links": p.extracted.hrefs} for p in first
    }

    async def run():
        async with Fetcher(delay=0) as f:
            return await f.crawl(market.shop_url("S02"), depth=1, known=known)

    again = asyncio.run(run())
    assert {p.url for p in again} == {p.url for p in first}
    assert {p.status for p in again} == {"unchanged"}
    assert {p.http_status for p in again} == {304}


def test_connections_of_idle_hosts_are_closed_when_many_hosts_were_visited():
    from tests.monitoring.util import Site

    sites = [Site() for _ in range(4)]
    try:
        for s in sites:
            s.page("/", b"ok", content_type="text/plain")

        async def run():
            async with Fetcher(delay=0) as f:
                f.max_idle_hosts = 2
                outs = [await f.fetch(s.url + "/") for s in sites]
                return outs, len(f._hosts)

        outs, open_hosts = asyncio.run(run())
        assert all(o.ok for o in outs)
        assert open_hosts <= 3  # the two kept idle plus the one just used
    finally:
        for s in sites:
            s.close()


def test_a_crawl_can_drop_documents_after_each_page_is_handled(site):
    _chain(site, 4)
    seen = []

    async def run():
        async with Fetcher(delay=0) as f:
            return await f.crawl(
                site.url + "/c/0", depth=3, keep_documents=False, on_page=lambda o: seen.append(o.text)
            )

    pages = asyncio.run(run())
    assert len(pages) == 4 and all(seen)
    assert all(p.html == "" and p.extracted is None and p.content_hash for p in pages)


def test_synchronous_helpers_for_commands_and_tasks(site):
    from wangjian.monitoring.fetching import crawl_sync, fetch_sync

    _chain(site, 3)
    out = fetch_sync(site.url + "/c/0", delay=0)
    assert out.ok and "第0页" in out.text
    assert fetch_sync(site.url + "/c/0", previous_hash=out.content_hash, delay=0).status == "unchanged"
    assert len(crawl_sync(site.url + "/c/0", depth=1, delay=0)) == 2


def test_outcome_record_is_json_without_the_document(site):
    import json

    site.page("/a", PAGE.format(meta="").encode())
    record = fetch(site.url + "/a").as_record()
    assert json.loads(json.dumps(record))["status"] == "ok"
    assert not {"text", "html", "extracted"} & set(record)
    assert record["content_hash"] and record["encoding"] == "utf-8"
