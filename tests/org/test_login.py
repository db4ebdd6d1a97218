"""Log-in: lock-out after repeated failures, the password policy, one-time passwords, idle sessions, daily log-in."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from selectolax.lexbor import LexborHTMLParser

from wangjian.core.errors import ValidationFailed
from wangjian.org.models import LoginDay, User
from wangjian.org.services import user_create

LOGIN = "/login/"


def attempt(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# ------------------------------------------------------------------ lock-out


def test_the_right_password_logs_in_and_lands_on_the_workbench(demo, client):
    response = attempt(client, "ad_officer", demo.password)
    assert response.status_code == 302 and response["Location"] == reverse("platform:workbench")
    assert logged_in(client)


GENERIC = "用户名或密码错误"


def test_five_failures_lock_the_account_even_against_the_right_password(demo, client, settings):
    assert settings.WANGJIAN_LOGIN_MAX_FAILURES == 5
    for _ in range(5):
        assert GENERIC in attempt(client, "ad_officer", "wrong-guess-1").content.decode()
    response = attempt(client, "ad_officer", demo.password)
    assert response.status_code == 200 and not logged_in(client)
    page = response.content.decode()
    assert 'id="login-error"' in page and GENERIC in page
    assert User.objects.get(username="ad_officer").is_locked


def test_a_locked_account_and_an_unknown_name_get_the_same_answer(demo, client):
    for _ in range(5):
        attempt(client, "ad_officer", "wrong-guess-1")

    def error(page: str) -> str:
        return LexborHTMLParser(page).css_first("#login-error").text(strip=True)

    locked = error(attempt(client, "ad_officer", demo.password).content.decode())
    unknown = error(attempt(Client(), "nobody-here", "whatever123").content.decode())
    assert locked == unknown and GENERIC in locked and "锁定至" not in locked


def test_too_many_failures_from_one_address_refuse_it_whatever_the_account(demo, settings):
    settings.WANGJIAN_LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    guesser = Client(REMOTE_ADDR="10.9.8.7")
    for name in ("nobody-1", "nobody-2", "price_officer"):
        attempt(guesser, name, "wrong-guess-1")
    assert attempt(guesser, "ad_officer", demo.password).status_code == 200  # refused unread
    assert not User.objects.get(username="ad_officer").is_locked  # the owner is not locked out
    assert attempt(Client(REMOTE_ADDR="10.9.8.8"), "ad_officer", demo.password).status_code == 302


def test_the_lock_ends_after_its_time_and_the_count_starts_again(demo, client):
    for _ in range(5):
        attempt(client, "ad_officer", "wrong-guess-1")
    User.objects.filter(username="ad_officer").update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert attempt(client, "ad_officer", demo.password).status_code == 302
    user = User.objects.get(username="ad_officer")
    assert user.failed_logins == 0 and user.locked_until is None


def test_a_success_before_the_limit_clears_the_failures(demo, client):
    for _ in range(4):
        attempt(client, "ad_officer", "wrong-guess-1")
    assert attempt(client, "ad_officer", demo.password).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "ad_officer", "wrong-guess-1")
    assert not User.objects.get(username="ad_officer").is_locked


def test_one_accounts_lock_does_not_lock_another(demo, client):
    for _ in range(5):
        attempt(client, "ad_officer", "wrong-guess-1")
    assert attempt(Client(), "price_officer", demo.password).status_code == 302


def test_an_unknown_user_name_is_an_ordinary_failure(demo, client):
    response = attempt(client, "nobody", "whatever123")
    assert response.status_code == 200 and 'id="login-error"' in response.content.decode()


# ------------------------------------------------------------------ password policy


@pytest.mark.parametrize(
    "password, why",
    [
        ("Ab3xyz", "too short"),
        ("4829173650", "digits only"),
        ("qwhdkmzpbt", "letters only"),
        ("password123", "common"),
    ],
)
def test_the_password_policy_rejects_weak_passwords(demo, password, why):
    with pytest.raises(ValidationFailed):
        user_create(username="newcomer", bureau=demo.county, password=password)
    assert not User.objects.filter(username="newcomer").exists()


def test_the_password_policy_accepts_ten_mixed_characters(demo):
    user, _ = user_create(username="newcomer", bureau=demo.county, password="Jingde2026x")
    assert user.check_password("Jingde2026x") and not user.must_change_password


def test_the_change_page_applies_the_policy(demo, login):
    client = login(demo.users["ad_officer"])
    response = client.post(
        "/password/",
        {"old_password": demo.password, "new_password1": "1234567890", "new_password2": "1234567890"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert User.objects.get(username="ad_officer").check_password(demo.password)


# ------------------------------------------------------------------ one-time passwords


def test_a_one_time_password_forces_the_change_page_first(demo, client):
    user, one_time = user_create(username="newcomer", bureau=demo.county, name="新同事")
    assert user.must_change_password
    response = attempt(client, "newcomer", one_time)
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    for page in (reverse("platform:workbench"), reverse("org:department_list")):
        assert client.get(page)["Location"] == reverse("password_change")
    response = client.post(
        "/password/",
        {"old_password": one_time, "new_password1": "Xuancheng2026", "new_password2": "Xuancheng2026"},
    )
    assert response.status_code == 302
    assert not User.objects.get(username="newcomer").must_change_password
    assert client.get(reverse("platform:workbench")).status_code == 200


# ------------------------------------------------------------------ idle sessions


def test_an_idle_session_is_logged_out(demo, client, settings):
    settings.WANGJIAN_SESSION_IDLE_SECONDS = 60
    attempt(client, "ad_officer", demo.password)
    assert client.get(reverse("platform:workbench")).status_code == 200
    session = client.session
    session["wangjian_last_seen"] = int(time.time()) - 61
    session.save()
    response = client.get(reverse("platform:workbench"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not logged_in(client)


def test_an_active_session_stays(demo, client, settings):
    settings.WANGJIAN_SESSION_IDLE_SECONDS = 60
    attempt(client, "ad_officer", demo.password)
    session = client.session
    session["wangjian_last_seen"] = int(time.time()) - 50
    session.save()
    assert client.get(reverse("platform:workbench")).status_code == 200
    assert client.session["wangjian_last_seen"] >= int(time.time()) - 2  # the clock restarts on each request


def test_requests_close_together_do_not_rewrite_the_session(demo, client, settings):
    """A page's images, styles and one-second progress polls must not each write the session row."""
    settings.WANGJIAN_SESSION_IDLE_SECONDS = 1800  # rewritten at most once a minute
    attempt(client, "ad_officer", demo.password)
    assert client.session["wangjian_last_seen"] >= int(time.time()) - 2  # the clock starts at log-in
    session = client.session
    seen = int(time.time()) - 30
    session["wangjian_last_seen"] = seen
    session.save()
    for _ in range(3):
        assert client.get(reverse("platform:workbench")).status_code == 200
    assert client.session["wangjian_last_seen"] == seen
    session = client.session
    session["wangjian_last_seen"] = int(time.time()) - 61
    session.save()
    assert client.get(reverse("platform:workbench")).status_code == 200
    assert client.session["wangjian_last_seen"] >= int(time.time()) - 2


# ------------------------------------------------------------------ daily log-in


def test_each_log_in_day_is_recorded_once(demo, client):
    attempt(client, "ad_officer", demo.password)
    client.logout()
    attempt(client, "ad_officer", demo.password)
    days = LoginDay.objects.filter(user=demo.users["ad_officer"])
    assert [d.date for d in days] == [timezone.localdate()]


def not_logged_in(response) -> str:
    """The text of the page's table of staff who have not logged in."""
    return LexborHTMLParser(response.content.decode()).css_first("main table").text()


def test_the_attendance_page_lists_who_has_not_logged_in_today(demo, client):
    attempt(client, "office", demo.password)
    html = not_logged_in(client.get(reverse("org:attendance")))
    assert "钱科员" in html and "孙科员" in html  # ad_officer, price_officer: not today
    assert "李主任" not in html  # the office administrator just logged in
    assert "jixi_officer" not in html  # another county's staff are not listed


def test_the_attendance_page_answers_for_a_chosen_day(demo, login):
    day = dt.date(2026, 11, 20)
    LoginDay.objects.create(user=demo.users["ad_officer"], date=day, first_at=timezone.now())
    response = login(demo.users["office"]).get(reverse("org:attendance"), {"date": "2026-11-20"})
    assert "2026-11-20" in response.content.decode()
    html = not_logged_in(response)
    assert "钱科员" not in html and "孙科员" in html
