"""A person's first minutes: log in, switch to English, add a department, find it in the list."""

import pytest

from tests.conftest import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_admin_logs_in_switches_language_and_creates_a_department(browser, live_server, demo):
    page = browser.new_page()
    try:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "office")
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("#my-tasks")
        assert "工作台" in page.inner_text("nav")

        page.select_option("#language-select", "en")
        page.wait_for_function("document.documentElement.lang === 'en'")
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
