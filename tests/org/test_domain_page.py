"""The domain page answers "谁监管、谁检查、谁负责" for one online-market domain."""

import pytest

pytestmark = pytest.mark.django_db


def test_domain_page_names_the_lead_department_and_the_duty_row(demo, login):
    page = login(demo.users["food_officer"]).get("/org/domains/online_food/").content.decode()
    assert "食品经营监管股" in page
    assert "《中华人民共和国食品安全法》" in page


def test_unknown_domain_is_not_found(demo, login):
    assert login(demo.users["food_officer"]).get("/org/domains/nonsense/").status_code == 404
