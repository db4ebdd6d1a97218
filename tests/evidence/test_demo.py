"""The demo: an officer's capture of the demo shop page, viewable and verifiable at once."""

from __future__ import annotations

import io

from wangjian.evidence import demo as evidence_demo
from wangjian.evidence import selectors
from wangjian.evidence.models import EvidenceCapture


def test_demo_load_captures_the_demo_shop_once(demo, login, chromium, django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # committed, as `wangjian demo` does
        evidence_demo.load(demo, out)
        evidence_demo.load(demo, out)
    capture = EvidenceCapture.objects.get(purpose=evidence_demo.DEMO_PURPOSE)
    assert capture.ok and capture.bureau == demo.county and capture.captured_by == demo.users["ad_officer"]
    assert "88 元（原价 388 元）" in selectors.capture_blob(capture=capture, name="text.txt").decode()
    assert selectors.evidence_verify().ok
    page = login(demo.users["ad_officer"]).get(capture.get_absolute_url())
    assert page.status_code == 200 and "旌德宣纸旗舰店" in page.content.decode()


def test_demo_shop_page_is_served_for_trying_a_capture(client):
    assert "旌德宣纸旗舰店" in client.get("/evidence/demo-shop/").content.decode()
