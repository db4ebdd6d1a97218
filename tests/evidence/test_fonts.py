"""Chinese glyphs really render: two different Chinese strings must not produce the same screenshot.

Without fonts-noto-cjk every Chinese character is the same empty box, so two different
strings of the same length render to identical pixels.
"""

from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

import pytest

from wangjian.evidence import selectors, services


def shot(bureau, site, text: str) -> bytes:
    capture = services.evidence_capture(
        url=site.url(f"/cjk.html?t={quote(text)}"),
        operators=["张三", "李四"],
        purpose="字形检查",
        bureau=bureau,
    ).capture
    assert capture.ok, capture.failure_detail
    return selectors.capture_blob(capture=capture, name="screenshot.png")


@pytest.mark.browser
def test_two_different_chinese_strings_render_differently(bureau, site, chromium):
    first, second, again = (
        shot(bureau, site, "网络市场监管"),
        shot(bureau, site, "电子数据取证"),
        shot(bureau, site, "网络市场监管"),
    )
    assert first == again  # the page renders deterministically…
    assert first != second  # …so a difference is the glyphs themselves


@pytest.mark.browser
def test_work_record_pdf_embeds_a_cjk_font(bureau, site, chromium):
    capture = services.evidence_capture(
        url=site.url("/shop.html"), operators=["张三", "李四"], purpose="字形检查", bureau=bureau, mode="http"
    ).capture
    with zipfile.ZipFile(io.BytesIO(services.evidence_export(capture=capture))) as zf:
        pdf = zf.read("evidence/work_record.pdf")
    assert b"NotoSerifCJK" in pdf or b"NotoSansCJK" in pdf
