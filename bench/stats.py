"""Benchmark of the statistics (platform.statistics) on PostgreSQL at 1,000,000 findings and 100,000 clues.

    .venv/bin/python bench/stats.py                  # the database wj_stats is built once and kept
    .venv/bin/python bench/stats.py --rebuild

The data (``wj_stats`` at 127.0.0.1:5432, user postgres): the demo organisation and, in 旌德县, 100,000
market entities, 20,000 presences on four platforms, 1,000,000 findings over two years (categories and
statuses mixed), 100,000 clues over two years (assigned, fed back — most on time —, closed), 10,000 cases
and 30,000 complaints — written with ``COPY``, then ``VACUUM ANALYZE``.

Measured in one run, each against its baseline, the plain SQL a hand-written report would send for the
same numbers:

  1. every registered figure for the county and the year (``statistics.values``: what the office's page
     and ``wangjian stats`` ask), against one plain ``COUNT`` per figure's table and period;
  2. ``findings`` by month over the year (a chart's series), against one ``GROUP BY`` month;
  3. ``findings`` by category, against one ``GROUP BY`` category;
  4. ``clues_received`` and ``clues_overdue`` for one month (the transfer-aware counts), against a plain
     ``COUNT`` of the month's clues;
  5. the office's dashboard page (``/stats/``, the year) as its user opens it, against the plain SQL of
     the figures' ``COUNT``s and one ``GROUP BY`` month per trend;
  6. the rankings the page then loads (``/stats/rankings/``: top platforms and entities by findings),
     against the two plain ``GROUP BY``s of the findings joined to their shops.

The findings' days are kept counted once read (``monitoring.rollup``): the run first drops them and
times the first read of the year (which rolls its days up) against one plain ``COUNT``; the lines
after it read the kept counts.

It prints each one's time, the baseline's, their ratio and the number of queries. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = next(p for p in HERE.parents if (p / "src" / "wangjian").is_dir())
sys.path.insert(0, str(ROOT / "bench"))
PG = "postgres://postgres@127.0.0.1:5432/"
BUILD_VERSION = 1
CATEGORIES = ["absolute_terms", "medical_claim", "price_fraud", "counterfeit", "fake_reviews", "mlm"]
FINDING_STATUS = ["new", "new", "confirmed", "dismissed"]

from cases import copy_rows, existing_build, recreate  # noqa: E402  (the cases benchmark's COPY and build record)


def build(org, today: dt.date, findings: int, clues: int) -> dict:  # noqa: ANN001
    from django.db import connection

    from wangjian.cases.models import Case
    from wangjian.clues.models import Clue
    from wangjian.complaints.models import Complaint
    from wangjian.monitoring.models import Finding
    from wangjian.registry.models import MarketEntity, Platform, Presence
    from wangjian.registry.uscc import ALPHABET, complete

    rng = random.Random(20261206)
    county = org.county
    took = {}
    t = time.perf_counter()
    n = 100_000
    codes, seen = [], set()
    while len(codes) < n:
        code = complete("91341825" + "".join(rng.choice(ALPHABET) for _ in range(9)))
        if code not in seen:
            seen.add(code)
            codes.append(code)
    copy_rows(
        MarketEntity,
        (
            {
                "bureau_id": county.pk,
                "uscc": code,
                "name": f"旌德县第{i}号商贸有限公司",
                "name_key": f"旌德县第{i}号商贸",
                "name_core": f"第{i}号",
                "kind": "enterprise",
                "region_code": "341825100",
                "status": "existing",
            }
            for i, code in enumerate(codes)
        ),
    )
    entity_ids = list(MarketEntity.objects.filter(bureau=county).order_by("id").values_list("id", flat=True))
    platforms = [
        Platform.objects.get_or_create(
            bureau=county, name=f"基准平台{i}", defaults={"url": f"https://p{i}.example/"}
        )[0].pk
        for i in range(4)
    ]
    copy_rows(
        Presence,
        (
            {
                "bureau_id": county.pk,
                "kind": "platform_shop",
                "url": f"https://p{i % 4}.example/shop/{i}",
                "platform_id": platforms[i % 4],
                "entity_id": e,
                "status": "active",
            }
            for i, e in enumerate(entity_ids[::5])
        ),
    )
    presences = list(Presence.objects.filter(bureau=county).values_list("id", flat=True))
    took["entities, presences"] = time.perf_counter() - t
    t = time.perf_counter()
    start = dt.datetime.combine(today - dt.timedelta(days=730), dt.time(9), tzinfo=dt.UTC)
    copy_rows(
        Finding,
        (
            {
                "bureau_id": county.pk,
                "presence_id": rng.choice(presences),
                "page_url": "https://shop.example/",
                "rule_code": f"R{i % 997}",
                "rule_name": "规则",
                "matched": f"词{i}",
                "matched_key": f"词{i}",
                "category": rng.choice(CATEGORIES),
                "severity": rng.choice(["high", "medium", "low"]),
                "first_seen": (seen_at := start + dt.timedelta(minutes=rng.randint(0, 730 * 24 * 60))),
                "last_seen": seen_at,
                "status": rng.choice(FINDING_STATUS),
                "reviewed_at": seen_at + dt.timedelta(days=2),
            }
            for i in range(findings)
        ),
    )
    took["findings"] = time.perf_counter() - t
    t = time.perf_counter()
    rows = []
    for i in range(clues):
        found = today - dt.timedelta(days=rng.randint(0, 730))
        assigned = dt.datetime.combine(found, dt.time(10), tzinfo=dt.UTC)
        due = found + dt.timedelta(days=9)
        fed = found + dt.timedelta(days=rng.choice([3, 5, 7, 8, 12]))
        done = fed <= today
        rows.append(
            {
                "bureau_id": county.pk,
                "year": found.year,
                "seq": i + 1,
                "number": f"旌市监线〔{found.year}〕{i:06d}",
                "title": "网店商品页未标明价格",
                "facts": "网店商品页未标明价格",
                "source_kind": "monitoring",
                "domain": "online_price",
                "entity_id": rng.choice(entity_ids),
                "found_on": found,
                "assigned_at": assigned,
                "feedback_due": due,
                "fed_back_at": dt.datetime.combine(fed, dt.time(16), tzinfo=dt.UTC) if done else None,
                "check_result": "true" if done else "",
                "disposal_due": due + dt.timedelta(days=20),
                "closed_at": dt.datetime.combine(fed + dt.timedelta(days=10), dt.time(16), tzinfo=dt.UTC)
                if done and fed + dt.timedelta(days=10) <= today
                else None,
                "state": "closed" if done else "checking",
            }
        )
    copy_rows(Clue, rows)
    took["clues"] = time.perf_counter() - t
    t = time.perf_counter()
    department = county.office().pk
    copy_rows(
        Case,
        (
            {
                "bureau_id": county.pk,
                "title": "网店绝对化用语",
                "domain": "internet_advertising",
                "source_kind": "monitoring",
                "party_name": "某商贸有限公司",
                "facts": "商品页使用“最佳”",
                "discovered_on": (d := today - dt.timedelta(days=rng.randint(0, 730))),
                "opened_on": d,
                "procedure": "general",
                "entity_id": rng.choice(entity_ids),
                "department_id": department,
                "state": "closed",
                "penalised": True,
                "decided_on": d + dt.timedelta(days=30),
                "fine_amount": 5000,
            }
            for _ in range(10_000)
        ),
    )
    copy_rows(
        Complaint,
        (
            {
                "bureau_id": county.pk,
                "kind": "complaint",
                "received_on": today - dt.timedelta(days=rng.randint(0, 730)),
                "respondent_name": "某商贸有限公司",
                "summary": "买到过期食品",
            }
            for _ in range(30_000)
        ),
    )
    took["cases, complaints"] = time.perf_counter() - t
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="wj_stats")
    parser.add_argument("--findings", type=int, default=1_000_000)
    parser.add_argument("--clues", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true")
    opts = parser.parse_args()
    spec = {"version": BUILD_VERSION, "findings": opts.findings, "clues": opts.clues}
    built = None if opts.rebuild else existing_build(opts.db)
    reuse = bool(built) and {k: built.get(k) for k in spec} == spec
    if not reuse:
        recreate(opts.db)
    os.environ.update(
        WANGJIAN_HOME=tempfile.mkdtemp(prefix="wj-bench-stats-"),
        WANGJIAN_DATABASE_URL=PG + opts.db,
        DJANGO_SETTINGS_MODULE="wangjian.settings",
    )
    os.environ.pop("WANGJIAN_BROKER_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from wangjian.org import demo
    from wangjian.platform import statistics
    from wangjian.platform.statistics import Scope

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    org = demo.build(password="Bench2025pass")
    today = timezone.localdate()
    if not reuse:
        t = time.perf_counter()
        print(f"building {opts.db}: {spec}", flush=True)
        took = build(org, today, opts.findings, opts.clues)
        built = dict(
            spec, build_seconds=round(time.perf_counter() - t), took={k: round(v) for k, v in took.items()}
        )
        with connection.cursor() as cursor:
            comment = json.dumps(built, ensure_ascii=False).replace("'", "''")
            cursor.execute(f"COMMENT ON DATABASE \"{opts.db}\" IS '{comment}'")
        print(f"built in {built['build_seconds']}s {built['took']}", flush=True)

    county = Scope(frozenset({org.county.pk}))
    year = (dt.date(today.year, 1, 1), today)
    month_start = today.replace(day=1)
    b = org.county.pk
    lo = dt.datetime.combine(year[0], dt.time.min, tzinfo=timezone.get_current_timezone())
    hi = dt.datetime.combine(
        today + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )

    def timed(call, repeat: int = 3):  # noqa: ANN001, ANN202
        count = [0]

        def counter(execute, sql, params, many, context):  # noqa: ANN001, ANN202
            count[0] += 1
            return execute(sql, params, many, context)

        best, result = None, None
        for _ in range(repeat):
            count[0] = 0
            t = time.perf_counter()
            with connection.execute_wrapper(counter):
                result = call()
            took = time.perf_counter() - t
            best = took if best is None else min(best, took)
        return best, count[0], result

    def sql(statements):  # noqa: ANN001, ANN202
        def run():  # noqa: ANN202
            with connection.cursor() as cursor:
                for text, params in statements:
                    cursor.execute(text, params)
                    cursor.fetchall()

        return run

    def report(label, ours, base):  # noqa: ANN001, ANN202
        (t1, q1, _r), (t0, q0, _b) = ours, base
        print(
            f"{label:<52} {t1:7.3f} s ({q1:3d} queries)   baseline {t0:7.3f} s ({q0:3d})   ×{t1 / t0:6.1f}",
            flush=True,
        )

    figures = statistics.all()
    tables = {
        "monitoring": ("monitoring_finding", "first_seen"),
        "clues": ("clues_clue", "assigned_at"),
        "cases": ("cases_case", "created"),
        "complaints": ("complaints_complaint", "created"),
        "evidence": ("evidence_evidencecapture", "started_at"),
        "registry": ("registry_presence", "created"),
        "inspections": ("inspections_inspectionresult", "created"),
    }
    plain = [
        (f"SELECT count(*) FROM {tables[f.source_app][0]} WHERE bureau_id = %s AND {tables[f.source_app][1]} >= %s"
         f" AND {tables[f.source_app][1]} < %s", [b, lo, hi])
        for f in figures
        if f.source_app in tables
    ]  # fmt: skip
    print(
        f"{opts.findings:,} findings, {opts.clues:,} clues; {len(figures)} figures registered; year {year[0]} … {year[1]}"
    )
    # The findings' daily counts are kept once read (monitoring.rollup): the first read of the year rolls up
    # its ended days, every later read adds the kept counts to today's live count.
    from wangjian.monitoring import rollup
    from wangjian.monitoring.models import FindingDayRolled

    rollup.forget(FindingDayRolled.objects.values_list("day", flat=True))
    report(
        "first read of the year: its days' findings rolled up",
        timed(lambda: statistics.value("findings", county, *year), repeat=1),
        timed(sql([(
            "SELECT count(*) FROM monitoring_finding WHERE bureau_id = %s AND first_seen >= %s AND first_seen < %s",
            [b, lo, hi])]), repeat=1),
    )  # fmt: skip
    values = timed(lambda: statistics.values(county, *year))
    report("every figure, the county, the year", values, timed(sql(plain)))
    report(
        "findings by month over the year (a chart's series)",
        timed(lambda: statistics.series("findings", county, statistics.month_periods(*year))),
        timed(sql([(
            "SELECT date_trunc('month', first_seen), count(*) FROM monitoring_finding WHERE bureau_id = %s"
            " AND first_seen >= %s AND first_seen < %s GROUP BY 1", [b, lo, hi])])),
    )  # fmt: skip
    report(
        "findings by category, the year",
        timed(lambda: statistics.breakdown("findings", county, *year)),
        timed(sql([(
            "SELECT category, count(*) FROM monitoring_finding WHERE bureau_id = %s AND first_seen >= %s"
            " AND first_seen < %s GROUP BY 1", [b, lo, hi])])),
    )  # fmt: skip
    report(
        "clues received and overdue, this month",
        timed(lambda: (statistics.value("clues_received", county, month_start, today),
                       statistics.value("clues_overdue", county, month_start, today))),
        timed(sql([("SELECT count(*) FROM clues_clue WHERE bureau_id = %s AND found_on >= %s AND found_on <= %s",
                    [b, month_start, today])])),
    )  # fmt: skip
    # The office's page as its user opens it (/stats/: the cards, the months of the main flows, the on-time
    # rate, the categories, the bureaus below), against the plain SQL a hand-written page would send: the
    # figures' COUNTs above and one GROUP BY month per trend.
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    office = Client()
    office.force_login(org.users["office"])

    def page():  # noqa: ANN202
        response = office.get("/stats/", {"period": "year"})
        assert response.status_code == 200, response.status_code
        return response

    trends = [
        (f"SELECT date_trunc('month', {col}), count(*) FROM {table} WHERE bureau_id = %s AND {col} >= %s"
         f" AND {col} < %s GROUP BY 1", [b, lo, hi])
        for table, col in (tables["monitoring"], tables["clues"], tables["cases"], tables["complaints"])
    ]  # fmt: skip
    report("the office's dashboard page (/stats/), the year", timed(page), timed(sql(plain + trends)))

    # The rankings the page loads once shown (/stats/rankings/: the top platforms and entities by findings),
    # against the two plain GROUP BYs over the findings joined to their shops.
    def rankings_page():  # noqa: ANN202
        response = office.get("/stats/rankings/", {"period": "year"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, response.status_code
        return response

    ranked = [
        (f"SELECT p.{col}, count(*) FROM monitoring_finding f JOIN registry_presence p ON p.id = f.presence_id"
         f" WHERE f.bureau_id = %s AND f.first_seen >= %s AND f.first_seen < %s AND p.{col} IS NOT NULL"
         f" GROUP BY 1 ORDER BY 2 DESC LIMIT 10", [b, lo, hi])
        for col in ("platform_id", "entity_id")
    ]  # fmt: skip
    report("the rankings loaded after it (/stats/rankings/)", timed(rankings_page), timed(sql(ranked)))
    shown = {v.figure.key: v.value for v in values[2].values}
    print("   " + json.dumps(shown, ensure_ascii=False, default=str)[:700])


if __name__ == "__main__":
    main()
