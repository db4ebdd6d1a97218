"""One vocabulary of fetch outcomes: what each failure is called, in both languages, and whether to retry."""

from __future__ import annotations

import socket
import ssl

import httpx
import pytest

from wangjian.core.fetching import outcomes
from wangjian.core.fetching.limits import url_problem


def _connect_error(message: str, cause: BaseException) -> httpx.ConnectError:
    exc = httpx.ConnectError(message)
    exc.__cause__ = cause
    return exc


@pytest.mark.parametrize(
    ("exc", "code", "retry"),
    [
        # No test may resolve a real name, so the exception httpx raises is built by hand.
        (_connect_error("[Errno -2] Name or service not known", socket.gaierror(-2, "x")), "dns", False),
        (
            _connect_error("[Errno 111] Connection refused", ConnectionRefusedError(111, "x")),
            "connection_refused",
            True,
        ),
        (
            _connect_error("[Errno 113] No route to host", OSError(113, "No route to host")),
            "connect_error",
            True,
        ),
        (_connect_error("certificate verify failed", ssl.SSLCertVerificationError("bad")), "tls", False),
        (httpx.ReadTimeout("slow"), "timeout", True),
        (httpx.RemoteProtocolError("peer closed connection"), "protocol_error", True),
        (httpx.TooManyRedirects("11 redirects"), "redirects", False),
        (httpx.UnsupportedProtocol("ftp://"), "bad_url", False),
        (outcomes.Oversize(6_000_000, 5_000_000), "oversize", False),
        (RuntimeError("something else"), "error", False),
    ],
)
def test_an_exception_while_fetching_has_one_code_a_bilingual_reason_and_a_retry_answer(exc, code, retry):
    failure = outcomes.classify(exc, timeout=15)
    assert (failure.code, failure.retryable) == (code, retry)
    assert failure.code in outcomes.LABELS and failure.reason
    zh, en = outcomes.LABELS[failure.code]
    assert failure.label == f"{zh} / {en}"


def test_a_host_named_ssl_is_not_a_tls_failure():
    exc = _connect_error("connect to ssl.shop.example failed", OSError(101, "Network is unreachable"))
    assert outcomes.classify(exc).code == "connect_error"


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("net::ERR_NAME_NOT_RESOLVED at http://x.invalid/", "dns"),
        ("net::ERR_CERT_AUTHORITY_INVALID at https://127.0.0.1/", "tls"),
        ("Timeout: 页面在 1 秒内未加载完成", "timeout"),
        ("net::ERR_CONNECTION_REFUSED at http://127.0.0.1:1/", "connection_refused"),
        ("net::ERR_TOO_MANY_REDIRECTS", "redirects"),
        ("net::ERR_CONNECTION_RESET", "connect_error"),
        ("net::ERR_INVALID_RESPONSE", "protocol_error"),
        ("Target page, context or browser has been closed", "browser"),
    ],
)
def test_a_browser_error_gets_the_same_codes_as_http(message, code):
    assert outcomes.classify_browser(message).code == code


@pytest.mark.parametrize(
    ("status", "code", "retry"),
    [
        (200, None, None),
        (304, None, None),
        (404, "http_4xx", False),
        (429, "http_4xx", True),
        (503, "http_5xx", True),
    ],
)
def test_an_http_status_is_a_failure_only_from_400(status, code, retry):
    failure = outcomes.http_failure(status, "http://shop.example/")
    assert (failure.code if failure else None) == code
    if failure:
        assert failure.retryable is retry and str(status) in failure.reason


def test_the_older_evidence_codes_name_what_they_mean_now():
    assert outcomes.LEGACY == {"too_large": "oversize", "connection": "connect_error"}
    assert set(outcomes.LEGACY.values()) <= set(outcomes.LABELS)


def test_every_code_a_capture_can_fail_with_is_a_choice_of_the_evidence_record():
    from wangjian.evidence.choices import FailureReason

    written_by_captures = set(outcomes.LABELS) - {
        outcomes.RENDER_FAILED
    }  # rendering failure is a sweep's note
    assert written_by_captures <= set(FailureReason.values)
    assert set(outcomes.LEGACY) <= set(FailureReason.values)


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("https://shop.example/item?id=1", False),
        ("http://127.0.0.1:8000/", False),
        ("ftp://shop.example/", True),
        ("javascript:alert(1)", True),
        ("http:///nohost", True),
        ("http://shop.example:99999/", True),
    ],
)
def test_the_gate_before_any_connection_refuses_what_is_not_a_web_address(url, refused):
    assert (url_problem(url) is not None) is refused
