"""Benchmark of enforcement cases at full size on PostgreSQL: the case list, the monthly figures, the JSON listing.

    .venv/bin/python bench/cases.py                 # first run builds the database wj_cases, later runs reuse it
    .venv/bin/python bench/cases.py --runs 9 --rebuild

The data live in a dedicated PostgreSQL database (``wj_cases`` at 127.0.0.1:5432, user postgres): the demo
organisation (``org.demo``) and 100,000 cases of 旌德县 over the county's departments, opened over the last
24 months, in every state of ``CaseState`` (most closed; the running ones mostly within their 90 days, some
overdue; decided ones with their decision, fine, service, execution and closing dates), each with one or two
designated officers (``CaseOfficer``) and its history (``CaseEvent``: the steps it took to its state, the
transfers of the transferred ones among them, some to the police), written with PostgreSQL ``COPY``, then
``VACUUM ANALYZE``. A run reuses the database when its sizes match (the build's figures are kept as the
database's comment) and rebuilds it otherwise, or with ``--rebuild``.

Measured warm, the median of ``--runs`` runs each, against a baseline in the same run:

  1. the case list's first page as ``office`` of 旌德县 sees it (Django test client, whole request:
     middleware, view, filters, table, template), by default (ordered by the decision deadline) and
     with ``?overdue=true&open=true``, against one plain SQL query for the same 50 rows;
  2. ``cases.selectors.monthly_figures`` for the month in the middle of the range, against one
     ``GROUP BY`` of the month's filed cases by department and source;
  3. ``wangjian cases list --json --bureau 341825`` (rows/s, output to /dev/null), against a plain
     ``SELECT *`` of the bureau's cases streamed from a server-side cursor.

It prints each one's time, the baseline's, their ratio, the number of SQL queries and the slowest one.
Nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = next(p for p in HERE.parents if (p / "src" / "wangjian").is_dir())
PG = "postgres://postgres@127.0.0.1:5432/"
BUILD_VERSION = 1  # bump when the generated rows change shape

CHARS = "宏达兴隆盛华鑫源泰丰顺安康瑞祥福禄喜金玉宝恒通利民新建国强明光辉晨阳春秋云海天山水林森松柏竹梅兰菊荷"
TRADES = (
    "茶叶 百货 商贸 电器 建材 服装 食品 五金 农产品 电子商务 文化传媒 家具 保健品 化妆品 医疗器械".split()
)
SURNAMES, GIVEN = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗", "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"
# (state, share in %): most cases closed, the running ones spread over the procedure's steps
STATES = [
    ("closed", 68.0),
    ("executed", 2.0),
    ("served", 2.0),
    ("decided", 1.0),
    ("investigating", 8.0),
    ("investigated", 2.5),
    ("reviewing", 2.0),
    ("legal_review", 0.5),
    ("ready", 1.0),
    ("notified", 1.5),
    ("hearing", 0.3),
    ("discussion", 0.2),
    ("transferred", 4.0),
    ("withdrawn", 1.0),
    ("not_filed", 3.0),
    ("pending", 1.5),
    ("draft", 1.5),
]
SOURCES = [
    ("monitoring", 45),
    ("complaint", 30),
    ("inspection", 10),
    ("superior", 5),
    ("transfer", 5),
    ("media", 2),
    ("manual", 3),
]
# the 办案机构 by the department's kind; kinds not named get weight 1
DEPARTMENT_WEIGHTS = {
    "advertising": 25,
    "price": 15,
    "food": 15,
    "online_trade": 12,
    "enforcement": 10,
    "cosmetics": 6,
    "drug": 6,
    "medical_device": 4,
    "consumer": 5,
    "product_quality": 5,
    "trademark_ip": 4,
    "competition": 4,
    "registration": 3,
}
KIND_DOMAIN = {
    "advertising": "internet_advertising",
    "price": "online_price",
    "food": "online_food",
    "online_trade": "licence_display",
    "cosmetics": "online_cosmetics",
    "drug": "online_drug",
    "medical_device": "online_medical_device",
    "consumer": "consumer_rights",
    "product_quality": "product_quality",
    "trademark_ip": "trademark_ip",
    "competition": "unfair_competition",
    "registration": "unlicensed",
    "special_equipment": "special_equipment",
    "metrology": "metrology",
    "certification": "certification",
    "credit": "credit",
}
OFFICERS = ["ad_head", "ad_officer", "price_officer", "food_officer", "station_officer"]


# ---------------------------------------------------------------------------------------------------
# The data: built once into its own database
# ---------------------------------------------------------------------------------------------------


def existing_build(db: str) -> dict | None:
    """The build recorded on ``db`` (its comment), if the database exists and was built to the end."""
    import psycopg

    with psycopg.connect(PG + "postgres", autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [db]
        ).fetchone()
    if not row or not row[0] or not row[0].startswith("{"):
        return None
    return json.loads(row[0])


def count_cases(db: str) -> int:
    import psycopg

    with psycopg.connect(PG + db, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM cases_case").fetchone()[0]


def recreate(db: str) -> None:
    import psycopg

    with psycopg.connect(PG + "postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db}"')


def copy_rows(model, rows) -> int:  # noqa: ANN001
    """Write ``rows`` (dicts by attribute name; the rest take the field's default) with COPY."""
    from django.db import connection, models
    from django.utils import timezone

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    now = timezone.now()
    for name in ("created", "last_updated"):
        if name in defaults:
            defaults[name] = now
    names = [f.attname for f in fields]
    as_json = {f.attname for f in fields if isinstance(f, models.JSONField)}
    columns = ", ".join(f'"{f.column}"' for f in fields)
    n = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                values = defaults | row
                copy.write_row(
                    [
                        json.dumps(values[name], ensure_ascii=False) if name in as_json else values[name]
                        for name in names
                    ]
                )
                n += 1
    return n


def weighted(rng: random.Random, pairs):  # noqa: ANN001, ANN201
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights)[0]


def chain_of(state: str, major: bool, hearing: bool, penalised: bool) -> list[tuple[str, str]]:
    """The (action, state reached) steps after filing, up to and including ``state``."""
    steps = [("end_investigation", "investigated"), ("submit_review", "reviewing")]
    if major:
        steps += [("reviewed", "legal_review"), ("legal_reviewed", "ready")]
    else:
        steps += [("reviewed", "ready")]
    if penalised or hearing:
        steps.append(("notify", "notified"))
    if hearing:
        steps.append(("hearing", "hearing"))
    if major:
        steps.append(("discuss", "discussion"))
    steps += [("decide", "decided"), ("serve", "served")]
    if penalised:
        steps.append(("execute", "executed"))
    steps.append(("close", "closed"))
    if state == "investigating":
        return []
    for i, (_action, reached) in enumerate(steps):
        if reached == state:
            return steps[: i + 1]
    raise ValueError(state)


def plan_cases(n: int, departments: list[tuple[int, str]], today: dt.date, seed: int = 3):
    """Every case's row (a dict for COPY) and its history (a list of (action, from, to, day, comment, detail))."""
    from wangjian.org.choices import Domain

    rng = random.Random(seed)
    dept_pairs = [((pk, kind), DEPARTMENT_WEIGHTS.get(kind, 1)) for pk, kind in departments]
    before_decision = {
        "investigating",
        "investigated",
        "reviewing",
        "legal_review",
        "ready",
        "notified",
        "hearing",
        "discussion",
    }
    decided_states = {"decided", "served", "executed", "closed"}
    seq: dict[int, int] = {}
    fine_seq: dict[int, int] = {}
    plans = []
    for i in range(n):
        state = weighted(rng, STATES)
        (dept_id, kind) = weighted(rng, dept_pairs)
        domain = KIND_DOMAIN.get(kind) or rng.choice(list(KIND_DOMAIN.values()))
        person = rng.random() < 0.3
        zihao = "".join(rng.choice(CHARS) for _ in range(rng.choice((2, 3, 3, 4))))
        trade = rng.choice(TRADES)
        if person:
            party = rng.choice(SURNAMES) + rng.choice(GIVEN) + ("" if i % 3 else rng.choice(GIVEN))
            party_uscc = f"92341825MA{i:07d}X"[:18]
        else:
            party = f"旌德县{zihao}{trade}{rng.choice(('有限公司', '经营部', '商行'))}"
            party_uscc = f"91341825MA{i:07d}Y"[:18]
        title = f"{party if not person else '个体经营者'}涉嫌{Domain(domain).label}违法"
        major = state in ("legal_review", "discussion") or rng.random() < 0.05
        hearing = state == "hearing" or rng.random() < 0.04
        penalised = None
        if state in decided_states:
            penalised = state == "executed" or rng.random() < 0.85
        # how long ago it was filed: the running ones mostly within their 90 days, some overdue
        if state in before_decision:
            age = rng.randrange(0, 90) if rng.random() < 0.85 else rng.randrange(91, 540)
        elif state in ("decided", "served", "executed"):
            age = rng.randrange(30, 200)
        elif state in ("draft", "pending"):
            age = rng.randrange(0, 20)
        else:  # closed, transferred, withdrawn, not_filed: the whole range
            age = rng.randrange(20, 730)
        filed = state not in ("draft", "pending", "not_filed")
        day0 = today - dt.timedelta(days=age)  # the day it was filed (or refused, or drafted)
        discovered = day0 - dt.timedelta(days=rng.randrange(2, 15))
        opened = day0 if filed else None
        due = opened + dt.timedelta(days=90) if opened else None
        if opened:
            year = opened.year
            seq[year] = seq.get(year, 0) + 1
            number = f"旌市监立〔{year}〕{seq[year]}号"
        else:
            number = ""
        source = weighted(rng, SOURCES)
        provisional = state in before_decision and rng.random() < 0.03

        history: list[tuple[str, str, str, dt.date, str, dict]] = [
            ("draft", "", "draft", discovered + dt.timedelta(days=1), "填写立案审批表", {}),
        ]
        if state != "draft":
            history.append(
                ("designate", "draft", "pending", min(day0, discovered + dt.timedelta(days=2)), "", {})
            )
        if state == "not_filed":
            history.append(("approve", "pending", "not_filed", day0, "不予立案", {}))
        elif filed:
            history.append(("approve", "pending", "investigating", day0, f"批准立案，立案编号 {number}", {}))

        decided_on = served_on = executed_on = closed_on = None
        fine = None
        decision_number = ""
        transfer_target = ""
        police = False
        if filed:
            if state in ("transferred", "withdrawn"):
                reached = rng.choice(("investigating", "investigating", "investigated"))
                steps = chain_of(reached, major, hearing, True)
            else:  # a running case is on its way to a penalty (notified, heard)
                steps = chain_of(state, major, hearing, penalised is not False)
            # the day each step was taken: the decision within 15–85 days, the rest spread before and after
            end = today
            if state in decided_states:
                decided_on = min(today, opened + dt.timedelta(days=rng.randrange(15, 86)))
                end = decided_on
            elif state in ("transferred", "withdrawn"):
                end = min(today, opened + dt.timedelta(days=rng.randrange(5, 60)))
            else:
                end = min(today, opened + dt.timedelta(days=rng.randrange(0, max(1, age + 1))))
            prior = [s for s in steps if s[0] not in ("decide", "serve", "execute", "close")]
            span = max(0, (end - opened).days)
            state_now = "investigating"
            for k, (action, reached) in enumerate(prior, 1):
                day = opened + dt.timedelta(days=span * k // (len(prior) + 1))
                history.append((action, state_now, reached, day, "", {}))
                state_now = reached
            if decided_on:
                history.append(("decide", state_now, "decided", decided_on, "", {"penalised": penalised}))
                state_now = "decided"
                fine_seq[decided_on.year] = fine_seq.get(decided_on.year, 0) + 1
                if penalised:
                    decision_number = f"旌市监处罚〔{decided_on.year}〕{fine_seq[decided_on.year]}号"
                    fine = Decimal(rng.choice((500, 1000, 2000, 3000, 5000, 10000, 20000, 50000, 100000)))
                else:
                    decision_number = f"旌市监不罚〔{decided_on.year}〕{fine_seq[decided_on.year]}号"
            if state in ("served", "executed", "closed"):
                served_on = min(today, decided_on + dt.timedelta(days=rng.randrange(1, 8)))
                history.append(("serve", "decided", "served", served_on, "", {}))
                state_now = "served"
            if penalised and state in ("executed", "closed"):
                executed_on = min(today, served_on + dt.timedelta(days=rng.randrange(1, 16)))
                history.append(("execute", "served", "executed", executed_on, "", {}))
                state_now = "executed"
            if state == "closed":
                closed_on = min(today, (executed_on or served_on) + dt.timedelta(days=rng.randrange(1, 16)))
                history.append(("close", state_now, "closed", closed_on, "结案", {}))
            if state == "transferred":
                police = rng.random() < 0.4
                transfer_target = (
                    "旌德县公安局" if police else rng.choice(("宣城市市场监督管理局", "旌德县农业农村局"))
                )
                history.append(
                    (
                        "transfer",
                        state_now,
                        "transferred",
                        end,
                        "涉嫌犯罪，移送公安机关" if police else "不属本部门管辖，移送有管辖权的机关",
                        {"target": transfer_target, "police": police},
                    )
                )
            if state == "withdrawn":
                history.append(("withdraw", state_now, "withdrawn", end, "不符合立案条件，撤销立案", {}))
        running = state in before_decision
        row = {
            "bureau_id": None,  # set by the caller
            "number": number,
            "title": title[:200],
            "domain": domain,
            "procedure": "general",
            "state": state,
            "proposal": "not_file" if state == "not_filed" else "file",
            "major": major,
            "source_kind": source,
            "party_name": party,
            "party_uscc": party_uscc,
            "party_kind": "person" if person else "organisation",
            "party_region": "341825100",
            "presence_label": f"{zihao}{trade}网店",
            "facts": f"{party}网店页面涉嫌{Domain(domain).label}违法行为，详见监测记录（基准测试数据 {i}）",
            "provisions": "《中华人民共和国广告法》第九条" if domain == "internet_advertising" else "",
            "discovered_on": discovered,
            "filing_due": discovered + dt.timedelta(days=21),
            "filing_basis": "15个工作日（程序规定第十八条）",
            "jurisdiction": "actual_place",
            "jurisdiction_basis": "当事人实际经营地在本县",
            "department_id": dept_id,
            "drafted_at": _at(discovered + dt.timedelta(days=1), 9),
            "submitted_at": _at(min(day0, discovered + dt.timedelta(days=2)), 10)
            if state != "draft"
            else None,
            "approved_at": _at(day0, 15) if (filed or state == "not_filed") else None,
            "approval_opinion": "同意立案" if filed else ("不予立案" if state == "not_filed" else ""),
            "not_filed_reason": "违法事实不成立" if state == "not_filed" else "",
            "opened_on": opened,
            "decision_due": due,
            "running_due": due if running else None,
            "decision_basis": "自立案之日起九十日（程序规定第六十四条）" if due else "",
            "decision_provisional": provisional,
            "decision_overdue": running and not provisional and due < today,
            "penalised": penalised,
            "decided_on": decided_on,
            "decision_number": decision_number,
            "decision_summary": ("罚款" if penalised else "不予行政处罚") if decided_on else "",
            "fine_amount": fine,
            "penalty_kinds": ["fine"] if penalised else [],
            "served_on": served_on,
            "executed_on": executed_on,
            "closed_on": closed_on,
            "transfer_target": transfer_target,
            "transfer_to_police": police,
            "publicity_required": bool(penalised),
            "publicity_due": decided_on + dt.timedelta(days=28) if penalised else None,
            "published_on": served_on + dt.timedelta(days=3) if penalised and served_on else None,
            "lessons": "加强网店页面巡查" if state == "closed" else "",
        }
        officers = rng.sample(range(len(OFFICERS)), rng.choice((1, 2, 2)))
        plans.append((row, history, officers))
    return plans


def _at(day: dt.date, hour: int) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def build(opts: argparse.Namespace, org) -> dict:  # noqa: ANN001
    """The cases, their officers and their histories; returns the seconds per step."""
    from django.db import connection
    from django.utils import timezone

    from wangjian.cases.models import Case, CaseEvent, CaseOfficer
    from wangjian.org.models import Department

    county = org.county
    today = timezone.localdate()
    took = {}

    t = time.perf_counter()
    departments = list(Department.objects.filter(bureau=county).order_by("id").values_list("id", "kind"))
    plans = plan_cases(opts.cases, departments, today)
    took["generate"] = time.perf_counter() - t

    users = {name: org.users[name] for name in [*OFFICERS, "leader", "office"]}
    head = users["ad_head"]
    t = time.perf_counter()

    def cases():
        for row, _history, officers in plans:
            row["bureau_id"] = county.pk
            row["drafted_by_id"] = users[OFFICERS[officers[0]]].pk
            row["submitted_by_id"] = head.pk if row["submitted_at"] else None
            row["approved_by_id"] = users["leader"].pk if row["approved_at"] else None
            yield row

    copy_rows(Case, cases())
    ids = list(Case.objects.filter(bureau=county).order_by("id").values_list("id", flat=True))
    assert len(ids) == len(plans), (len(ids), len(plans))
    took["cases"] = time.perf_counter() - t
    print(f"  {len(ids):,} cases in {took['cases']:.0f}s", flush=True)

    t = time.perf_counter()

    def officers():
        for case_id, (row, _history, chosen) in zip(ids, plans, strict=True):
            for k, index in enumerate(chosen):
                user = users[OFFICERS[index]]
                yield {
                    "case_id": case_id,
                    "user_id": user.pk,
                    "lead": k == 0,
                    "certificate": user.enforcement_certificate or f"皖341825{index:05d}",
                    "designated_by_id": head.pk,
                    "designated_at": row["submitted_at"] or row["drafted_at"],
                }

    n_officers = copy_rows(CaseOfficer, officers())
    took["officers"] = time.perf_counter() - t

    t = time.perf_counter()
    actors = {
        "draft": None,
        "designate": head,
        "approve": users["leader"],
        "decide": users["leader"],
        "transfer": users["leader"],
        "withdraw": users["leader"],
        "close": head,
    }
    labels = {}

    def events():
        for case_id, (_row, history, chosen) in zip(ids, plans, strict=True):
            officer = users[OFFICERS[chosen[0]]]
            for k, (action, from_state, to_state, day, comment, detail) in enumerate(history):
                actor = actors.get(action) or officer
                if actor.pk not in labels:
                    labels[actor.pk] = actor.name or actor.username
                yield {
                    "case_id": case_id,
                    "action": action,
                    "from_state": from_state,
                    "to_state": to_state,
                    "actor_id": actor.pk,
                    "actor_name": labels[actor.pk],
                    "at": _at(day, 9 + min(k, 8)),
                    "comment": comment,
                    "detail": detail,
                }

    n_events = copy_rows(CaseEvent, events())
    took["events"] = time.perf_counter() - t
    print(
        f"  {n_officers:,} officers, {n_events:,} events in {took['officers'] + took['events']:.0f}s",
        flush=True,
    )

    t = time.perf_counter()
    with connection.cursor() as cursor:
        for table in ("cases_case", "cases_caseofficer", "cases_caseevent"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    took["vacuum analyze"] = time.perf_counter() - t
    return took


# ---------------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------------


def median_time(fn, runs: int, warm: int = 1) -> tuple[float, object]:  # noqa: ANN001
    """The median wall time of ``runs`` calls of ``fn`` after ``warm`` calls not counted, and its last result."""
    result = None
    for _ in range(warm):
        result = fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def queries_of(fn) -> dict:  # noqa: ANN001
    """The SQL queries one call of ``fn`` runs: how many, their time, the slowest."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    times = [(float(q["time"]), q["sql"]) for q in ctx.captured_queries]
    slow = max(times) if times else (0.0, "")
    return {"n": len(times), "sql": sum(t for t, _ in times), "slowest": slow[0], "slowest_sql": slow[1]}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="wj_cases", help="PostgreSQL database kept for the benchmark")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each page and query (the median)")
    parser.add_argument("--list-runs", type=int, default=3, help="timed runs of `wangjian cases list --json`")
    parser.add_argument("--rebuild", action="store_true", help="build the database again even if it fits")
    parser.add_argument("--show-sql", action="store_true", help="print every query of the measured calls")
    opts = parser.parse_args()

    spec = {"version": BUILD_VERSION, "cases": opts.cases}
    built = None if opts.rebuild else existing_build(opts.db)
    reuse = bool(built) and {k: built.get(k) for k in spec} == spec and count_cases(opts.db) == opts.cases
    if not reuse:
        recreate(opts.db)

    os.environ.update(
        WANGJIAN_HOME=tempfile.mkdtemp(prefix="wj-bench-cases-"),
        WANGJIAN_DATABASE_URL=PG + opts.db,
        DJANGO_SETTINGS_MODULE="wangjian.settings",
    )
    os.environ.pop("WANGJIAN_BROKER_URL", None)  # no broker: nothing is queued
    os.environ.pop("WANGJIAN_DEBUG", None)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from wangjian.cases import selectors
    from wangjian.cases.choices import BEFORE_DECISION
    from wangjian.org import demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    org = demo.build(password="Bench2025pass")
    if not reuse:
        print(f"building {opts.db}: {spec}", flush=True)
        took = build(opts, org)
        total = time.perf_counter() - t
        built = dict(spec, build_seconds=round(total), took={k: round(v) for k, v in took.items()})
        built["built"] = dt.datetime.now().isoformat(timespec="seconds")
        with connection.cursor() as cursor:
            comment = json.dumps(built, ensure_ascii=False).replace("'", "''")
            cursor.execute(f"COMMENT ON DATABASE \"{opts.db}\" IS '{comment}'")
        print(f"built in {total:.0f}s ({', '.join(f'{k} {v:.0f}s' for k, v in took.items())})", flush=True)

    county, office = org.county, org.users["office"]
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE state = ANY(%s) AND decision_due < %s AND NOT decision_provisional),"
            " min(opened_on), max(opened_on) FROM cases_case WHERE bureau_id = %s",
            [[str(s) for s in BEFORE_DECISION], today, county.pk],
        )
        n_cases, n_overdue, first_opened, last_opened = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM cases_caseevent")
        n_events = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM cases_caseofficer")
        n_officers = cursor.fetchone()[0]
    results = []

    def report(label, seconds, base, base_label, queries=None, unit="ms"):  # noqa: ANN001, ANN202
        results.append((label, seconds, base, base_label, queries, unit))

    # 1. the case list's first page
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(office)
    path = reverse("cases:case_list")
    running = [str(s) for s in BEFORE_DECISION]
    pages = [
        (
            "case list (default order)",
            path,
            "SELECT id, number, title, state, decision_due FROM cases_case WHERE bureau_id = %s "
            "ORDER BY running_due NULLS LAST, id DESC LIMIT 50",
            [county.pk],
        ),
        (
            "case list ?overdue=true&open=true",
            path + "?overdue=true&open=true",
            "SELECT id, number, title, state, decision_due FROM cases_case WHERE bureau_id = %s "
            "AND state = ANY(%s) AND decision_due < %s AND NOT decision_provisional "
            "ORDER BY decision_due, id DESC LIMIT 50",
            [county.pk, running, today],
        ),
    ]
    sql_shown = {}
    for label, url, sql, params in pages:

        def page(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        def baseline(sql=sql, params=params):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        seconds, _ = median_time(page, opts.runs)
        base, rows = median_time(baseline, opts.runs)
        assert len(rows) == 50, len(rows)
        q = queries_of(page)
        sql_shown[label] = q
        report(label, seconds, base, "one SELECT … LIMIT 50", q)

    # 2. the month's figures
    middle = today.replace(day=1) - dt.timedelta(days=365)
    year, month = middle.year, middle.month
    first, last = selectors.month_bounds(year, month)

    def figures():
        rows = selectors.monthly_figures(bureau=county, year=year, month=month)
        return rows, selectors.figures_total(rows)

    def figures_baseline():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT department_id, source_kind, count(*) FROM cases_case "
                "WHERE bureau_id = %s AND opened_on BETWEEN %s AND %s GROUP BY department_id, source_kind",
                [county.pk, first, last],
            )
            return cursor.fetchall()

    seconds, (_rows, total) = median_time(figures, opts.runs)
    base, groups = median_time(figures_baseline, opts.runs)
    q = queries_of(figures)
    sql_shown["monthly figures"] = q
    report(f"monthly_figures {year}-{month:02d}", seconds, base, "one GROUP BY", q)
    filed_base = sum(n for _d, _s, n in groups)

    # 3. wangjian cases list --json
    class Sink:
        """Counts the lines written and keeps none (the output of ``wangjian cases list``)."""

        lines = 0

        def write(self, text: str) -> None:
            self.lines += text.count("\n")

        def flush(self) -> None:
            pass

        def isatty(self) -> bool:
            return False

    sinks = []

    def listing():
        sink = Sink()
        call_command("cases", "list", "--json", "--bureau", county.code, stdout=sink)
        sinks.append(sink)
        return sink.lines

    def listing_baseline():
        n = 0
        with transaction.atomic():
            with connection.connection.cursor(name="bench_cases_all") as cursor:
                cursor.itersize = 1000
                cursor.execute("SELECT * FROM cases_case WHERE bureau_id = %s ORDER BY id", [county.pk])
                for _row in cursor:
                    n += 1
        return n

    q = queries_of(listing)  # also the warm-up run
    seconds, lines = median_time(listing, opts.list_runs, warm=0)
    base, streamed = median_time(listing_baseline, opts.list_runs)
    assert lines == n_cases == streamed, (lines, n_cases, streamed)
    sql_shown["cases list --json"] = q
    report(
        "`wangjian cases list --json`",
        n_cases / seconds,
        n_cases / base,
        "SELECT * (server-side cursor)",
        q,
        "rows/s",
    )

    # the figures
    print(
        f"\nPostgreSQL {connection.pg_version // 10000}, database {opts.db} "
        f"({'reused' if reuse else 'built now'}; build took {built['build_seconds']}s): {n_cases:,} cases of "
        f"{county.name} opened {first_opened}…{last_opened} ({n_overdue:,} overdue), {n_officers:,} officers, "
        f"{n_events:,} events; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"user `office`; median of {opts.runs} warm runs ({opts.list_runs} for the listing); "
        f"figures of {year}-{month:02d}: {total.filed_total:,} filed (baseline {filed_base:,}), "
        f"{total.decided:,} decided, {total.closed:,} closed, {total.running:,} running, {total.overdue:,} overdue\n"
    )
    print(f"{'measure':36s} {'wangjian':>12s} {'baseline':>12s}  {'ratio':>7s}  {'queries':>7s}  baseline")
    for label, value, base, base_label, queries, unit in results:
        if unit == "rows/s":
            ratio = base / value
            a, b = f"{value:,.0f}/s", f"{base:,.0f}/s"
        else:
            ratio = value / base
            a, b = f"{1000 * value:,.1f} ms", f"{1000 * base:,.1f} ms"
        print(f"{label:36s} {a:>12s} {b:>12s}  {ratio:6.1f}×  {queries['n']:7d}  {base_label}")
    print("(ratio: wangjian's time / the baseline's; for the listing, baseline rows/s / wangjian rows/s)\n")
    print("SQL of one call (time by Django's cursor wrapper):")
    for label, q in sql_shown.items():
        sql = " ".join(q["slowest_sql"].split())
        print(
            f"  {label:34s} {q['n']:4d} queries, SQL {1000 * q['sql']:8.1f} ms; "
            f"slowest {1000 * q['slowest']:7.1f} ms: {sql[:160]}"
        )
    if opts.show_sql:
        for label, url, _sql, _params in pages:
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            print(f"\n-- {label}")
            for qq in ctx.captured_queries:
                print(f"{qq['time']:>7s}s  {qq['sql']}")
        with CaptureQueriesContext(connection) as ctx:
            figures()
        print("\n-- monthly figures")
        for qq in ctx.captured_queries:
            print(f"{qq['time']:>7s}s  {qq['sql']}")
    client.logout()


if __name__ == "__main__":
    main()
