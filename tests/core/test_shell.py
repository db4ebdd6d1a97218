"""The web shell and the console command: the workbench per role, the calendar page, ``wangjian init``/``createuser``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from selectolax.lexbor import LexborHTMLParser

from tests.org import demo_once as shared

# The demo organisation built once per module (see tests/org/demo_once.py).
demo, demo_once, fast_password_hashing = shared.demo, shared.demo_once, shared.fast_password_hashing

ROLES = [
    "leader",
    "office",
    "ad_head",
    "ad_officer",
    "station_officer",
    "legal",
    "auditor",
    "jixi_officer",
    "city_office",
]


@pytest.mark.parametrize("who", ROLES)
def test_the_workbench_renders_for_every_role(demo, login, who):
    user = demo.users[who]
    response = login(user).get(reverse("platform:workbench"))
    assert response.status_code == 200
    page = LexborHTMLParser(response.content.decode())
    assert page.css_first("#my-tasks") is not None and page.css_first("#notices") is not None
    assert str(user) in page.body.text()


def test_the_workbench_needs_a_log_in(demo, client):
    response = client.get(reverse("platform:workbench"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def calendar_cell(html: str, day: str):
    return LexborHTMLParser(html).css_first(f'td[data-date="{day}"]')


def test_the_2026_calendar_marks_make_up_working_days_and_holidays(demo, login):
    html = (
        login(demo.users["ad_officer"]).get(reverse("platform:calendar_year", args=[2026])).content.decode()
    )
    assert 'id="calendar-error"' not in html
    makeup = calendar_cell(html, "2026-02-14")  # a Saturday worked for the Spring Festival
    assert "makeup" in makeup.attributes["class"] and "班" in makeup.text()
    holiday = calendar_cell(html, "2026-10-01")
    assert "off" in holiday.attributes["class"] and "休" in holiday.text()
    weekday = calendar_cell(html, "2026-11-25")
    assert not (weekday.attributes.get("class") or "").strip()


def test_the_2027_calendar_says_clearly_that_the_year_is_not_entered(demo, login):
    response = login(demo.users["ad_officer"]).get(reverse("platform:calendar_year", args=[2027]))
    assert response.status_code == 200
    error = LexborHTMLParser(response.content.decode()).css_first("#calendar-error").text()
    assert "2027年的节假日安排尚未录入" in error and "has not been entered" in error
    assert calendar_cell(response.content.decode(), "2027-01-04") is None  # no guessed days


# ------------------------------------------------------------------ the console command


REPO = Path(__file__).resolve().parents[2]


def wangjian(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WANGJIAN_", "DJANGO_"))}
    env["WANGJIAN_HOME"] = str(home)
    env["DJANGO_SETTINGS_MODULE"] = "tests.org.cli_settings"
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    command = [str(Path(sys.executable).with_name("wangjian")), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, cwd=home)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A fresh instance initialised by ``wangjian init``."""
    path = tmp_path_factory.mktemp("wangjian-home")
    result = wangjian(path, "init", "--bureau-name", "旌德县市场监督管理局", "--bureau-code", "341825")
    assert result.returncode == 0, result.stderr
    return path, result.stdout


@pytest.mark.own_database  # a fresh home: SQLite
def test_init_creates_the_secret_key_and_prints_a_one_time_password(home):
    path, out = home
    key = path / "secret_key"
    assert key.exists() and len(key.read_text().strip()) >= 40
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    assert (path / "wangjian.sqlite3").exists()
    line = next(line for line in out.splitlines() if "one-time password" in line)
    assert len(line.rsplit(":", 1)[1].strip()) >= 10


@pytest.mark.own_database  # a fresh home: SQLite
def test_init_run_again_keeps_the_key_and_the_administrator(home):
    path, _ = home
    key = (path / "secret_key").read_text()
    result = wangjian(path, "init")
    assert result.returncode == 0, result.stderr
    assert "administrator exists" in result.stdout and "one-time password" not in result.stdout
    assert (path / "secret_key").read_text() == key


@pytest.mark.own_database  # a fresh home: SQLite
def test_createuser_adds_staff_and_prints_their_one_time_password(home):
    path, _ = home
    result = wangjian(
        path, "createuser", "zhang", "--bureau", "341825", "--role", "officer", "--name", "张科员"
    )
    assert result.returncode == 0, result.stderr
    assert "created: zhang" in result.stdout and "one-time password" in result.stdout


@pytest.mark.own_database  # a fresh home: SQLite
def test_createuser_refuses_an_unknown_bureau_with_exit_code_2(home):
    path, _ = home
    result = wangjian(path, "createuser", "li", "--bureau", "999999")
    assert result.returncode == 2
    assert "999999" in result.stderr and "No bureau" in result.stderr and "没有" in result.stderr


@pytest.mark.own_database  # a fresh home: SQLite
def test_createuser_refuses_a_duplicate_name_with_exit_code_2(home):
    path, _ = home
    result = wangjian(path, "createuser", "admin", "--bureau", "341825")  # init created "admin"
    assert result.returncode == 2 and "already exists" in result.stderr
