"""An officer pastes a seller's page into the test bench and sees what was flagged and why."""

import pytest

from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_pastes_text_and_sees_highlights_rules_and_exemptions(browser, live_server, demo):
    page = browser.new_page()
    try:
        log_in(page, live_server, "ad_officer")

        page.goto(f"{live_server.url}/monitoring/bench/")
        page.fill("#id_text", "這款茶葉是全網最 佳！本品最佳赏味期为开封后7天。好 评 返 现5元")
        page.click("#bench-submit")
        page.wait_for_selector("#bench-hits")

        marked = page.inner_html("#bench-marked")
        assert '<mark class="wj-hit"' in marked
        assert "全網最 佳" in page.inner_text("#bench-marked mark.wj-hit >> nth=0")
        hits = page.inner_text("#bench-hits")
        assert "ABS-001" in hits and "FR-001" in hits
        assert "《中华人民共和国广告法》第九条第三项" in hits
        exempt = page.inner_text("#bench-exempt")
        assert "最佳" in exempt and "消费提示" in exempt
    finally:
        page.close()
