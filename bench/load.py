"""Benchmark: three list pages under load (locust), 50 users against 1 user, on PostgreSQL at full size.

    make bench-deps                     # locust, pinned in requirements-bench.lock
    .venv/bin/python bench/load.py      # first run builds the database wj_load, later runs reuse it
    .venv/bin/python bench/load.py --pages "finding list" --users 20 --think 2,5 --time 30

The data live in a dedicated PostgreSQL database (``wj_load`` at 127.0.0.1:5432, user postgres), built
once and kept: the demo organisation (``org.demo``), 1,000,000 market entities, 10,000 online presences
on one platform, 50,000 monitoring findings and 100,000 clues, all of 旌德县, written with PostgreSQL
``COPY`` (no change records: a bulk load, as an import would be), then ``VACUUM ANALYZE``. A run reuses
the database when its sizes match (the build's figures are kept as the database's comment) and rebuilds
it otherwise, or with ``--rebuild``.

A run starts ``wangjian serve`` (waitress, ``--threads`` threads) on a free loopback port, makes one
session per simulated user for the demo ``office`` user (Django's ``login()``, as the log-in page does,
without paying for the password hash in every run), warms the pages up, prints what one request of each
page costs on the server (queries, SQL time), then runs locust headless twice with the same mix of
requests — the clue list, the entity search by a name fragment and by a USCC prefix (``?q=``), the
finding list, with equal weights:

  * the baseline: 1 user, no think time (each page's latency without contention);
  * the load: 50 users (all started at once), each waiting ``--think`` seconds (1–3) between pages.

``--pages`` keeps some of the four (to see the others without one that saturates the server).

It prints p50/p95 and requests/s per page for both and the ratio p95(50 users)/p95(1 user). Latencies
are locust's (its percentiles are rounded to two significant digits). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = next(p for p in HERE.parents if (p / "src" / "wangjian").is_dir())
PG = "postgres://postgres@127.0.0.1:5432/"
PAGES = ["clue list", "entity search: name", "entity search: USCC prefix", "finding list"]
BUILD_VERSION = 1  # bump when the generated rows change shape

CHARS = "宏达兴隆盛华鑫源泰丰顺安康瑞祥福禄喜金玉宝恒通利民新建国强明光辉晨阳春秋云海天山水林森松柏竹梅兰菊荷"
TRADES = "茶叶 百货 商贸 电器 建材 服装 食品 五金 农产品 电子商务 文化传媒 家具".split()
FORMS = [
    ("有限公司", "enterprise", "91"),
    ("有限责任公司", "enterprise", "91"),
    ("经营部", "individual", "92"),
    ("商行", "individual", "92"),
    ("门市部", "individual", "92"),
    ("专业合作社", "cooperative", "93"),
]
TOWNSHIPS = [
    ("341825100", "旌阳镇"),
    ("341825101", "蔡家桥镇"),
    ("341825102", "三溪镇"),
    ("341825103", "庙首镇"),
    ("341825104", "白地镇"),
    ("341825106", "版书镇"),
]
SURNAMES, GIVEN = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗", "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"
TERMS = [  # (rule code, rule name, matched text, category, severity)
    ("AD-ABS-001", "绝对化用语：最", "最佳", "absolute_terms", "medium"),
    ("AD-ABS-002", "绝对化用语：国家级", "国家级", "absolute_terms", "medium"),
    ("AD-ABS-003", "绝对化用语：第一", "第一品牌", "absolute_terms", "medium"),
    ("AD-MED-001", "普通商品宣称医疗作用", "包治百病", "medical_claim", "high"),
    ("AD-MED-002", "普通商品宣称医疗作用", "降血压", "medical_claim", "high"),
    ("AD-EFF-001", "功效保证", "无效退款", "efficacy_guarantee", "medium"),
    ("PR-FRA-001", "虚构原价", "原价888", "price_fraud", "high"),
    ("FK-REV-001", "刷单信号", "好评返现", "fake_reviews", "low"),
    ("FN-PRO-001", "保本保收益", "保本保息", "finance_promise", "high"),
    ("CF-SIG-001", "假冒仿冒信号", "原单尾货", "counterfeit", "low"),
]


# ---------------------------------------------------------------------------------------------------
# The data: built once into its own database
# ---------------------------------------------------------------------------------------------------


def spec_of(opts: argparse.Namespace) -> dict:
    return {
        "version": BUILD_VERSION,
        "entities": opts.entities,
        "presences": opts.presences,
        "findings": opts.findings,
        "clues": opts.clues,
    }


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


def counts_in(db: str) -> dict:
    import psycopg

    tables = {
        "entities": "registry_marketentity",
        "presences": "registry_presence",
        "findings": "monitoring_finding",
        "clues": "clues_clue",
    }
    with psycopg.connect(PG + db, autocommit=True) as conn:
        return {k: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for k, t in tables.items()}


def recreate(db: str) -> None:
    import psycopg

    with psycopg.connect(PG + "postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db}"')


def copy_rows(model, rows) -> int:  # noqa: ANN001
    """Write ``rows`` (dicts by attribute name; the rest take the field's default) with COPY."""
    from django.db import connection
    from django.utils import timezone

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    now = timezone.now()
    for name in ("created", "last_updated"):
        if name in defaults:
            defaults[name] = now
    names = [f.attname for f in fields]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    n = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                values = defaults | row
                copy.write_row([values[name] for name in names])
                n += 1
    return n


def entity_rows(n: int, bureau_id: int, seed: int = 1):
    from wangjian.registry.matching import name_parts, phone_key
    from wangjian.registry.uscc import ALPHABET, complete

    rng = random.Random(seed)
    statuses = ["existing"] * 85 + ["operating"] * 5 + ["cancelled"] * 7 + ["revoked"] * 3
    start = dt.date(1995, 1, 1)
    for i in range(n):
        form, kind, head = rng.choice(FORMS)
        zihao = "".join(rng.choice(CHARS) for _ in range(rng.choice((2, 3, 3, 4))))
        trade = rng.choice(TRADES)
        region = rng.choice(("旌德县", "旌德县", "旌德县", "宣城市", "安徽"))
        name = f"{region}{zihao}{trade}{form}"
        parts = name_parts(name)
        code = complete(f"{head}341825{rng.choice(ALPHABET)}{rng.choice(ALPHABET)}{i:07d}")
        township, township_name = rng.choice(TOWNSHIPS)
        phone = f"13{i % 10}{i:08d}"
        reg = start + dt.timedelta(days=rng.randrange(11000))
        yield {
            "bureau_id": bureau_id,
            "uscc": code,
            "name": name,
            "name_key": parts.key[:200],
            "name_core": parts.core[:200],
            "kind": kind,
            "legal_rep": rng.choice(SURNAMES) + rng.choice(GIVEN) + ("" if i % 3 else rng.choice(GIVEN)),
            "phone": phone,
            "phone_key": phone_key(phone),
            "address": f"旌德县{township_name}{rng.choice(('文化路', '和平路', '大礼堂路', '新建路'))}{i % 500}号",
            "region_code": township,
            "registration_authority": "旌德县市场监督管理局",
            "status": rng.choice(statuses),
            "reg_date": reg,
            "approved_date": reg,
            "business_scope": f"{trade}批发零售；网上销售（依法须经批准的项目，经相关部门批准后方可开展经营活动）",
            "source": "基准测试数据",
        }


def build(opts: argparse.Namespace, org) -> dict:  # noqa: ANN001
    """Entities, presences, findings and clues of 旌德县, in that order; returns the seconds per table."""
    from django.db import connection
    from django.utils import timezone

    from wangjian.clues.choices import AWAITING_DISPOSAL, AWAITING_FEEDBACK
    from wangjian.clues.models import Clue
    from wangjian.core.textnorm import normalize_term
    from wangjian.monitoring.models import Finding
    from wangjian.org.choices import Domain
    from wangjian.org.models import Department
    from wangjian.registry.matching import shop_key
    from wangjian.registry.models import MarketEntity, Platform, Presence

    county = org.county
    rng = random.Random(7)
    took = {}
    now = timezone.now()
    today = timezone.localdate()

    t = time.perf_counter()
    copy_rows(MarketEntity, entity_rows(opts.entities, county.pk))
    took["entities"] = time.perf_counter() - t
    print(f"  {opts.entities:,} entities in {took['entities']:.0f}s", flush=True)
    ids = MarketEntity.objects.filter(bureau=county).values_list("id", flat=True)
    lo, hi = ids.order_by("id")[0], ids.order_by("-id")[0]
    sample_ids = rng.sample(range(lo, hi + 1), min(20000, hi - lo + 1))
    sample = {
        pk: (name, uscc)
        for pk, name, uscc in MarketEntity.objects.filter(pk__in=sample_ids).values_list("id", "name", "uscc")
    }
    entity_ids = sorted(sample)

    t = time.perf_counter()
    platform = Platform(bureau=county, name="基准电商平台", url="https://mall.bench.test/")
    platform.save()

    def presences():
        for i in range(opts.presences):
            entity_id = entity_ids[i % len(entity_ids)]
            shop = f"{sample[entity_id][0][3:9]}{('旗舰店', '专营店', '小店')[i % 3]}{i}"
            yield {
                "bureau_id": county.pk,
                "kind": "platform_shop",
                "platform_id": platform.pk,
                "url": f"https://mall.bench.test/shop/{i}",
                "account_id": f"shop{i}",
                "shop_name": shop,
                "shop_name_key": shop_key(shop)[:200],
                "entity_id": entity_id,
                "link_confidence": 1.0,
                "link_method": "code",
                "status": "active",
                "first_seen": today - dt.timedelta(days=rng.randrange(400)),
                "last_seen": today - dt.timedelta(days=rng.randrange(30)),
            }

    copy_rows(Presence, presences())
    presence_ids = list(
        Presence.objects.filter(platform=platform).order_by("id").values_list("id", flat=True)
    )
    took["presences"] = time.perf_counter() - t

    t = time.perf_counter()
    per_presence = max(1, min(len(TERMS), -(-opts.findings // max(1, len(presence_ids)))))

    def findings():
        made = 0
        for p_index, presence_id in enumerate(presence_ids):
            for j in range(per_presence):
                if made >= opts.findings:
                    return
                code, rule_name, matched, category, severity = TERMS[(p_index + j) % len(TERMS)]
                context = f"本店商品{matched}，欢迎选购，假一赔十"
                first = now - dt.timedelta(days=rng.randrange(180), minutes=rng.randrange(1440))
                status = rng.choice(("new",) * 7 + ("confirmed",) * 2 + ("dismissed",))
                yield {
                    "bureau_id": county.pk,
                    "presence_id": presence_id,
                    "page_url": f"https://mall.bench.test/shop/{p_index}/item/{j}",
                    "rule_code": code,
                    "rule_name": rule_name,
                    "version_label": "默认规则库 v1",
                    "matched": matched,
                    "matched_key": (normalize_term(matched) or matched)[:300],
                    "start": 4,
                    "end": 4 + len(matched),
                    "context": context,
                    "context_start": 4,
                    "source": "text",
                    "category": category,
                    "severity": severity,
                    "legal_basis": "《中华人民共和国广告法》第九条",
                    "first_seen": first,
                    "last_seen": min(now, first + dt.timedelta(days=rng.randrange(60))),
                    "seen_count": 1 + rng.randrange(5),
                    "status": status,
                    "reviewed_at": None if status == "new" else first + dt.timedelta(days=1),
                }
                made += 1

    copy_rows(Finding, findings())
    took["findings"] = time.perf_counter() - t

    t = time.perf_counter()
    departments = list(Department.objects.filter(bureau=county).values_list("id", "kind"))
    by_kind = {kind: pk for pk, kind in departments}
    domain_dept = {
        "internet_advertising": by_kind.get("advertising"),
        "online_price": by_kind.get("price"),
        "online_food": by_kind.get("food"),
        "online_cosmetics": by_kind.get("cosmetics"),
        "online_drug": by_kind.get("drug"),
        "licence_display": by_kind.get("online_trade"),
        "unlicensed": by_kind.get("registration"),
        "consumer_rights": by_kind.get("consumer"),
    }
    stations = list(county.stations.order_by("id").values_list("id", flat=True))
    finders = [u.pk for k, u in org.users.items() if u.bureau_id == county.pk and k != "auditor"]
    states = (
        ["closed"] * 62
        + ["checking"] * 10
        + ["assigned"] * 8
        + ["fed_back"] * 7
        + ["disposing"] * 5
        + ["pending"] * 3
        + ["returned"] * 2
        + ["merged"] * 2
        + ["transferred"] * 1
    )
    sources = ["monitoring"] * 5 + ["complaint"] * 3 + ["inspection", "superior", "manual"]
    days = sorted(today - dt.timedelta(days=rng.randrange(730)) for _ in range(opts.clues))
    seq: dict[int, int] = {}

    def clues():
        for i, found in enumerate(days):
            domain = rng.choice(list(domain_dept))
            state = rng.choice(states)
            entity_id = entity_ids[rng.randrange(len(entity_ids))]
            name, uscc = sample[entity_id]
            seq[found.year] = seq.get(found.year, 0) + 1
            station = rng.choice(stations) if stations and rng.random() < 0.4 else None
            routed = state not in ("pending",)
            assigned = (
                timezone.make_aware(dt.datetime.combine(found, dt.time(9 + i % 8, 0))) if routed else None
            )
            feedback_due = found + dt.timedelta(days=9) if routed else None
            fed_back = state in ("fed_back", "disposing", "closed")
            disposal_due = found + dt.timedelta(days=40) if fed_back else None
            yield {
                "bureau_id": county.pk,
                "number": f"旌市监线〔{found.year}〕{seq[found.year]:05d}",
                "year": found.year,
                "seq": seq[found.year],
                "title": f"{name}涉嫌{Domain(domain).label}问题",
                "source_kind": rng.choice(sources),
                "domain": domain,
                "entity_id": entity_id,
                "entity_name": name,
                "entity_uscc": uscc,
                "region_code": rng.choice(TOWNSHIPS)[0],
                "facts": f"{name}网店页面涉嫌{Domain(domain).label}违法行为，详见监测记录（基准测试数据 {i}）",
                "finder_id": rng.choice(finders),
                "found_on": found,
                "state": state,
                "department_id": None if (station or not routed) else domain_dept[domain],
                "station_id": station if routed else None,
                "gap": state == "pending",
                "routing_reason": "依据职责清单自动分派" if routed else "职责清单空白，待办公室分派",
                "assigned_at": assigned,
                "feedback_due": feedback_due,
                "feedback_basis": "7个工作日（旌德机制二(四)）" if routed else "",
                "feedback_overdue": state in AWAITING_FEEDBACK and feedback_due < today,
                "disposal_due": disposal_due,
                "disposal_basis": "处置期限" if fed_back else "",
                "disposal_overdue": state in AWAITING_DISPOSAL and disposal_due < today,
                "check_result": rng.choice(("true", "partly", "false")) if fed_back else "",
                "check_actions": "已核查" if fed_back else "",
                "fed_back_at": assigned + dt.timedelta(days=5) if fed_back else None,
                "disposal": rng.choice(("rectify", "guidance", "case", "no_action"))
                if state == "closed"
                else "",
                "closed_at": assigned + dt.timedelta(days=20) if state == "closed" else None,
            }

    copy_rows(Clue, clues())
    took["clues"] = time.perf_counter() - t

    t = time.perf_counter()
    with connection.cursor() as cursor:
        for table in ("registry_marketentity", "registry_presence", "monitoring_finding", "clues_clue"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    took["vacuum analyze"] = time.perf_counter() - t
    return took


# ---------------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"wangjian serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("wangjian serve did not answer /healthz")


def fetch(url: str, cookie: str) -> int:
    req = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(req, timeout=120) as r:
        r.read()
        return r.status


def page_costs(paths: dict, user) -> dict:  # noqa: ANN001
    """One request of each page through Django in this process: queries, SQL time, the slowest query."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    out = {}
    for name, candidates in paths.items():
        path = candidates[0]
        client.get(path)  # templates compiled, caches warm
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            response = client.get(path)
            total = time.perf_counter() - t
        assert response.status_code == 200, (path, response.status_code)
        times = [(float(q["time"]), q["sql"]) for q in ctx.captured_queries]
        slow = max(times) if times else (0.0, "")
        out[name] = {
            "total": total,
            "queries": len(times),
            "sql": sum(t for t, _ in times),
            "slowest": slow[0],
            "slowest_sql": slow[1],
        }
    client.logout()
    return out


def run_locust(plan_path: Path, host: str, users: int, seconds: int, out: Path, env: dict) -> dict:
    prefix = out / f"u{users}"
    cmd = [
        str(Path(sys.executable).with_name("locust")),
        "-f",
        str(HERE),
        "--headless",
        "-u",
        str(users),
        "-r",
        str(users),
        "-t",
        f"{seconds}s",
        "--host",
        host,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "30",  # requests still running at the end are waited for and counted
    ]
    proc = subprocess.run(
        cmd,
        env=dict(env, WJ_LOAD_PLAN=str(plan_path), WJ_LOAD_USERS=str(users)),
        capture_output=True,
        text=True,
        check=False,
    )
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        raise SystemExit(f"locust failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    rows = {}
    with open(stats, newline="") as fh:
        for row in csv.DictReader(fh):
            rows[row["Name"]] = {
                "n": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0),
                "rps": float(row["Requests/s"]),
            }
    if any(r["failures"] for r in rows.values()):
        failures = Path(f"{prefix}_failures.csv")
        print(failures.read_text()[-2000:] if failures.exists() else proc.stderr[-2000:])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="wj_load", help="PostgreSQL database kept for the benchmark")
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--presences", type=int, default=10_000)
    parser.add_argument("--findings", type=int, default=50_000)
    parser.add_argument("--clues", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true", help="build the database again even if it fits")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--time", type=int, default=60, help="seconds of each locust run")
    parser.add_argument("--pages", default=",".join(PAGES), help="which of the pages to request")
    parser.add_argument("--think", default="1,3", help="seconds each of the many users waits between pages")
    parser.add_argument("--threads", type=int, default=4, help="waitress threads of wangjian serve")
    opts = parser.parse_args()
    think = [float(x) for x in opts.think.split(",")]
    think = think * 2 if len(think) == 1 else think
    pages = [p.strip() for p in opts.pages.split(",") if p.strip()]
    if not pages or set(pages) - set(PAGES):
        parser.error(f"--pages: a comma-separated choice of {', '.join(PAGES)}")

    spec = spec_of(opts)
    built = None if opts.rebuild else existing_build(opts.db)
    reuse = bool(built) and {k: built.get(k) for k in spec} == spec
    if reuse:
        counts = counts_in(opts.db)
        reuse = all(counts[k] == spec[k] for k in counts)
    if not reuse:
        recreate(opts.db)

    home = Path(tempfile.mkdtemp(prefix="wj-bench-load-"))
    env = dict(
        os.environ,
        WANGJIAN_HOME=str(home),
        WANGJIAN_DATABASE_URL=PG + opts.db,
        DJANGO_SETTINGS_MODULE="wangjian.settings",
    )
    env.pop("WANGJIAN_BROKER_URL", None)  # no broker: nothing is queued, the server runs alone
    env.pop("WANGJIAN_DEBUG", None)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client
    from django.urls import reverse

    from wangjian.org import demo
    from wangjian.registry.models import MarketEntity

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

    office = org.users["office"]
    rng = random.Random(11)
    lo = MarketEntity.objects.order_by("id").values_list("id", flat=True)[:1][0]
    hi = MarketEntity.objects.order_by("-id").values_list("id", flat=True)[:1][0]
    picked = list(
        MarketEntity.objects.filter(pk__in=rng.sample(range(lo, hi + 1), 300)).values_list(
            "name_core", "uscc"
        )
    )
    entities = reverse("registry:entity_list")
    paths = {
        "clue list": [reverse("clues:clue_list")],
        "entity search: name": [f"{entities}?q={urllib.parse.quote(core[:4])}" for core, _ in picked],
        "entity search: USCC prefix": [f"{entities}?q={uscc[:12]}" for _, uscc in picked],
        "finding list": [reverse("monitoring:finding_list")],
    }
    costs = page_costs({name: paths[name] for name in pages}, office)

    sessions = []
    for _ in range(opts.users + 1):
        client = Client()
        client.force_login(office)
        sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    cookie_name = settings.SESSION_COOKIE_NAME
    connections.close_all()

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    log = open(home / "serve.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("wangjian")),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--threads",
            str(opts.threads),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    results = {}
    try:
        wait_ready(host, server)
        cookie = f"{cookie_name}={sessions[0]}"
        for name in pages:  # warm-up: every page, a few of the queries
            for path in paths[name][:5]:
                fetch(host + path, cookie)
        plan = home / "plan.json"
        plan.write_text(
            json.dumps(
                {"pages": pages, "paths": paths, "sessions": sessions, "cookie": cookie_name, "think": think}
            )
        )
        print(
            f"load: {opts.time}s at 1 user (no think time), then {opts.time}s at {opts.users} users",
            flush=True,
        )
        load = [os.getloadavg()[0]]
        results[1] = run_locust(plan, host, 1, opts.time, home, env)
        results[opts.users] = run_locust(plan, host, opts.users, opts.time, home, env)
        load.append(os.getloadavg()[0])
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        Session.objects.filter(session_key__in=sessions).delete()
        if len(results) < 2:
            print("wangjian serve's log ends:\n" + (home / "serve.log").read_text()[-3000:])
        shutil.rmtree(home, ignore_errors=True)

    from importlib.metadata import version

    print(
        f"\nPostgreSQL {connection.pg_version // 10000}, database {opts.db} "
        f"({'reused' if reuse else 'built now'}; build took {built['build_seconds']}s): "
        f"{spec['entities']:,} entities, {spec['presences']:,} presences, {spec['findings']:,} findings, "
        f"{spec['clues']:,} clues"
    )
    print(
        f"wangjian serve (waitress, {opts.threads} threads) on loopback, {os.cpu_count()} CPUs shared with "
        f"locust {version('locust')} and PostgreSQL; user `office` of 旌德县; {opts.time}s per run; "
        f"load average {load[0]:.1f} before, {load[1]:.1f} after"
    )
    print("\none request on the server (Django test client, warm):")
    for name in pages:
        c = costs[name]
        sql = " ".join(c["slowest_sql"].split())[:90]
        print(
            f"  {name:28s} {1000 * c['total']:7.1f} ms, {c['queries']:3d} queries, SQL {1000 * c['sql']:6.1f} ms; "
            f"slowest {1000 * c['slowest']:6.1f} ms: {sql}"
        )
    many = opts.users
    print(
        f"\n{'page':28s} {'1 user: p50':>12s} {'p95':>7s} {'req/s':>6s}   "
        f"{f'{many} users: p50':>14s} {'p95':>7s} {'req/s':>6s}   p95 ratio"
    )
    for name in [*pages, "Aggregated"]:
        a, b = results[1].get(name), results[many].get(name)
        if not a or not b:
            continue
        ratio = b["p95"] / a["p95"] if a["p95"] else float("inf")
        failures = f"  ({a['failures'] + b['failures']} failed)" if a["failures"] + b["failures"] else ""
        print(
            f"{('all pages' if name == 'Aggregated' else name):28s} {a['p50']:9.0f} ms {a['p95']:4.0f} ms "
            f"{a['rps']:6.1f}   {b['p50']:11.0f} ms {b['p95']:4.0f} ms {b['rps']:6.1f}   {ratio:6.1f}×{failures}"
        )
    print(f"(the {many} users wait {think[0]:g}–{think[1]:g} s between pages; the single user does not wait)")


def _locust_user():  # noqa: ANN202
    """The simulated officer, defined only when locust loads this file (``-f bench/load.py``)."""
    from locust import FastHttpUser, between, constant, task

    plan = json.loads(Path(os.environ["WJ_LOAD_PLAN"]).read_text())
    sessions = itertools.cycle(plan["sessions"][1:])
    many = int(os.environ.get("WJ_LOAD_USERS", "1")) > 1

    class Officer(FastHttpUser):
        wait_time = between(*plan["think"]) if many else constant(0)

        def on_start(self):  # noqa: ANN202
            self.headers = {"Cookie": f"{plan['cookie']}={next(sessions)}"}
            self.rng = random.Random(id(self))

        @task
        def page(self) -> None:
            name = self.rng.choice(plan["pages"])  # the pages of the run, with equal weights
            path = self.rng.choice(plan["paths"][name])
            with self.client.get(
                path, name=name, headers=self.headers, allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")

    return Officer


if __name__ == "__main__":
    main()
elif os.environ.get("WJ_LOAD_PLAN"):
    Officer = _locust_user()
