"""Document numbers (文号): per bureau, kind and year; gap-free under concurrent writers on SQLite and
PostgreSQL; assigned at issue; a voided number stays in the register and is never issued again."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from tests.journeys import create_migrated_postgres
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.platform.numbering.models import IssuedNumber
from wangjian.platform.numbering.services import (
    number_format_set,
    number_issue,
    number_issue_many,
    number_void,
    sequence_gaps,
)

BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T10:00").replace(tzinfo=BEIJING)


def test_numbers_run_per_bureau_kind_and_year_in_the_bureaus_format(demo):
    county, other = demo.county, demo.other_county
    first = number_issue(bureau=county, kind="clue", now=at("2025-03-02"))
    second = number_issue(bureau=county, kind="clue", now=at("2025-03-02"))
    filing = number_issue(bureau=county, kind="case_filing", now=at("2025-03-02"))
    elsewhere = number_issue(bureau=other, kind="clue", now=at("2025-03-02"))
    next_year = number_issue(bureau=county, kind="clue", now=at("2026-01-04"))
    assert (first.number, second.number) == ("旌市监线〔2025〕0001", "旌市监线〔2025〕0002")
    assert filing.number == "旌市监立〔2025〕1号"
    assert elsewhere.number == "绩市监线〔2025〕0001"
    assert next_year.number == "旌市监线〔2026〕0001"


def test_a_block_of_numbers_continues_the_sequence_and_each_is_in_the_register(demo):
    number_issue(bureau=demo.county, kind="clue", now=at("2025-03-02"))
    block = number_issue_many(bureau=demo.county, kind="clue", count=3, now=at("2025-03-02"))
    after = number_issue(bureau=demo.county, kind="clue", now=at("2025-03-02"))
    assert [n.number for n in block] == [
        "旌市监线〔2025〕0002",
        "旌市监线〔2025〕0003",
        "旌市监线〔2025〕0004",
    ]
    assert after.seq == 5 and sequence_gaps(bureau=demo.county, kind="clue", year=2025) == []
    assert IssuedNumber.objects.filter(bureau=demo.county, kind="clue", year=2025).count() == 5


def test_a_block_taken_by_a_transaction_that_fails_leaves_no_gap(demo):
    with pytest.raises(RuntimeError), transaction.atomic():
        number_issue_many(bureau=demo.county, kind="clue", count=50, now=at("2025-03-02"))
        raise RuntimeError("the import's chunk could not be saved")
    assert number_issue(bureau=demo.county, kind="clue", now=at("2025-03-02")).seq == 1


def test_a_number_taken_by_a_transaction_that_fails_is_not_lost_to_a_gap(demo):
    number_issue(bureau=demo.county, kind="case_filing", now=at("2025-03-02"))
    with pytest.raises(RuntimeError), transaction.atomic():
        number_issue(bureau=demo.county, kind="case_filing", now=at("2025-03-02"))
        raise RuntimeError("the decision could not be saved")
    again = number_issue(bureau=demo.county, kind="case_filing", now=at("2025-03-02"))
    assert again.seq == 2 and sequence_gaps(bureau=demo.county, kind="case_filing", year=2025) == []


def test_a_voided_number_stays_in_the_register_and_is_never_issued_again(demo):
    office = demo.users["office"]
    first = number_issue(bureau=demo.county, kind="penalty_decision", user=office, now=at("2025-05-06"))
    with pytest.raises(ValidationFailed, match="理由"):
        number_void(issued=first, user=office, reason=" ")
    number_void(issued=first, user=office, reason="决定书送达前发现适用条款有误，重新制作")
    second = number_issue(bureau=demo.county, kind="penalty_decision", user=office, now=at("2025-05-06"))
    assert second.number == "旌市监处罚〔2025〕2号"
    register = list(IssuedNumber.objects.filter(kind="penalty_decision").values_list("seq", "voided_at"))
    assert [seq for seq, _ in register] == [1, 2] and register[0][1] is not None
    with pytest.raises(PermissionDeniedError):
        number_void(issued=second, user=demo.users["ad_officer"], reason="x")


def test_a_clues_number_is_a_record_number_and_is_not_voided(demo):
    issued = number_issue(bureau=demo.county, kind="clue")
    with pytest.raises(ValidationFailed, match="不作废"):
        number_void(issued=issued, user=demo.users["office"], reason="重复")


def test_the_office_sets_its_abbreviation_and_pattern_and_numbers_issued_keep_their_text(demo):
    office = demo.users["office"]
    old = number_issue(bureau=demo.county, kind="case_filing", now=at("2025-03-02"))
    number_format_set(
        bureau=demo.county,
        kind="case_filing",
        prefix="旌市监",
        pattern="{prefix}案〔{year}〕{seq:03d}号",
        user=office,
    )
    new = number_issue(bureau=demo.county, kind="case_filing", now=at("2025-03-02"))
    old.refresh_from_db()
    assert (old.number, new.number) == ("旌市监立〔2025〕1号", "旌市监案〔2025〕002号")
    with pytest.raises(ValidationFailed, match="seq"):
        number_format_set(
            bureau=demo.county, kind="case_filing", prefix="旌", pattern="{prefix}〔{year}〕", user=office
        )
    with pytest.raises(PermissionDeniedError):
        number_format_set(
            bureau=demo.county,
            kind="case_filing",
            prefix="旌",
            pattern="{year}{seq}",
            user=demo.users["jixi_officer"],
        )


def test_a_clue_takes_its_number_from_the_register_and_the_register_names_the_clue(demo):
    from wangjian.clues import services

    clue = services.clue_intake(
        bureau=demo.county,
        source_kind="manual",
        domain="online_price",
        facts="虚构原价",
        now=at("2025-11-03"),
    ).clue
    issued = IssuedNumber.objects.get(kind="clue", number=clue.number)
    assert (issued.subject_type, issued.subject_id, clue.seq) == ("clues.clue", str(clue.pk), issued.seq)


def test_the_register_page_shows_no_gap_and_the_page_and_api_void_with_the_same_rule(demo, login, api):
    office = demo.users["office"]
    first = number_issue(bureau=demo.county, kind="assistance", user=office)
    number_issue(bureau=demo.county, kind="assistance", user=office)
    client = login(office)
    html = client.get("/numbers/assistance/").content.decode()
    assert "序号连续，无缺号" in html and first.number in html
    page = client.post(
        "/numbers/assistance/", {"number": first.pk, "reason": ""}, follow=True
    ).content.decode()
    assert "作废文号须说明理由" in page
    r = api(office).post(f"/api/numbers/{first.pk}/void/", {"reason": ""}, format="json")
    assert r.status_code == 400 and r.json()["error"]["zh"] == "作废文号须说明理由"
    r = api(office).post(f"/api/numbers/{first.pk}/void/", {"reason": "函件未发出"}, format="json")
    assert r.status_code == 200 and r.json()["void_reason"] == "函件未发出"
    assert "已作废" in client.get("/numbers/assistance/").content.decode()
    assert "旌市监协" in client.get("/numbers/").content.decode()


def test_voiding_through_the_api_reads_a_text_reason_and_answers_the_number_as_documented(demo, api):
    """A list body or a list reason reached the service (a 500); the schema promised the input back."""
    from tests.platform.documented import assert_documented

    office = demo.users["office"]
    issued = number_issue(bureau=demo.county, kind="assistance", user=office)
    client = api(office)
    url = f"/api/numbers/{issued.pk}/void/"
    assert client.post(url, "[]", content_type="application/json").status_code == 400
    assert client.post(url, {"reason": ["x"]}, format="json").status_code == 400
    assert IssuedNumber.objects.get(pk=issued.pk).voided_at is None
    r = client.post(url, {"reason": "函件未发出"}, format="json")
    assert r.status_code == 200 and r.json()["void_reason"] == "函件未发出"
    assert_documented(client, r, "post", "/api/numbers/{id}/void/")


# ---------------------------------------------------------------- concurrent writers, in separate processes

WORKER = """
import django, json, sys
django.setup()
from django.db import transaction
from wangjian.org.models import Bureau
from wangjian.platform.numbering.services import number_issue
bureau = Bureau.objects.get(code="341825")
kept = []
for i in range(int(sys.argv[1])):
    try:
        with transaction.atomic():
            issued = number_issue(bureau=bureau, kind="case_filing")
            if i % 5 == 4:
                raise RuntimeError("rolled back")
            kept.append(issued.seq)
    except RuntimeError:
        pass
print(json.dumps(kept))
"""

SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from wangjian.org.models import Bureau
Bureau.objects.get_or_create(code="341825", defaults={"name": "旌德县市场监督管理局", "level": "county"})
"""


def _race(env: dict, processes: int = 4, each: int = 25) -> list[int]:
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, timeout=300)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(each)], env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(processes)
    ]
    kept = []
    for worker in workers:
        out, _ = worker.communicate(timeout=300)
        assert worker.returncode == 0
        kept += json.loads(out.strip().splitlines()[-1])
    return kept


def _env(tmp_path: Path, database_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "WANGJIAN_DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="wangjian.settings", WANGJIAN_HOME=str(tmp_path))
    env.pop("WANGJIAN_BROKER_URL", None)
    if database_url:
        env["WANGJIAN_DATABASE_URL"] = database_url
    return env


@pytest.mark.own_database
def test_four_processes_issuing_at_once_on_sqlite_get_distinct_numbers_without_a_gap(
    tmp_path, migrated_sqlite
):
    migrated_sqlite(tmp_path / "wangjian.sqlite3")
    kept = _race(_env(tmp_path, None))
    assert len(kept) == 80 and sorted(kept) == list(range(1, 81))


@pytest.mark.own_database
def test_four_processes_issuing_at_once_on_postgresql_get_distinct_numbers_without_a_gap(tmp_path):
    psycopg = pytest.importorskip("psycopg")
    name = f"wangjian_numbering_{os.getpid()}"
    try:
        admin = psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=3
        )
    except psycopg.OperationalError:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not running on 127.0.0.1:5432 in CI")
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    admin.execute(f"DROP DATABASE IF EXISTS {name}")
    server = "postgres://postgres@127.0.0.1:5432"
    create_migrated_postgres(admin, server, name)  # a migrated copy, as the test on SQLite has
    try:
        kept = _race(_env(tmp_path, f"{server}/{name}"))
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()
    assert len(kept) == 80 and sorted(kept) == list(range(1, 81))
