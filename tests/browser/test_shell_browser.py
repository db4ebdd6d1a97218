"""A person's first minutes: log in, switch to English, add a department, find it in the list."""

import pytest
from playwright.sync_api import expect

from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_admin_logs_in_switches_language_and_creates_a_department(browser, live_server, demo):
    page = browser.new_page()
    try:
        log_in(page, live_server, "office")
        assert "工作台" in page.inner_text("nav")

        page.select_option("#language-select", "en")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        assert "Workbench" in page.inner_text("nav")

        page.goto(f"{live_server.url}/org/departments/add/")
        page.fill("#id_name", "网络直播营销监管组")
        page.select_option("#id_kind", "online_trade")
        page.click("#save-button")
        page.wait_for_selector(".alert-success")

        page.goto(f"{live_server.url}/org/departments/?q=直播")
        rows = page.inner_text("#table-container")
        assert "网络直播营销监管组" in rows
        assert "Online trade supervision" in rows  # the kind, shown in English
    finally:
        page.close()


def test_wrong_password_is_refused_with_a_message(browser, live_server, demo):
    page = browser.new_page()
    try:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "office")
        page.fill("#id_password", "wrong-password-1")
        page.click("button[type=submit]")
        page.wait_for_selector("#login-error")
        assert page.url.endswith("/login/")
    finally:
        page.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_menu_and_the_user_menu_stay_on_screen_on_a_1366_pixel_display(
    browser, live_server, demo, language
):
    """The common bureau laptop: no menu may be cut off at the right edge, in either language."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        log_in(page, live_server, "office")
        if language == "en":
            page.select_option("#language-select", "en")
            expect(page.locator("html")).to_have_attribute("lang", "en")
        links = page.eval_on_selector_all(
            "nav .nav-link, #language-select",
            "els => els.map(e => { const r = e.getBoundingClientRect();"
            " return [e.textContent.trim() || e.id, r.right, r.height]; })",
        )
        assert len(links) >= 12
        for label, right, height in links:
            assert 0 < right <= 1366, f"{label} is off screen"
            assert height < 60, f"{label} wraps inside itself"
        page.click("#user-menu")
        page.wait_for_selector("#logout-button", state="visible")
    finally:
        context.close()
