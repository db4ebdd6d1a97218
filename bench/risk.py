"""Benchmark of the risk grades at full size on PostgreSQL: grading a million entities, against the plain queries.

    .venv/bin/python bench/risk.py                      # 1,000,000 entities; the database wj_risk is kept
    .venv/bin/python bench/risk.py --entities 100000    # a smaller county (its own build)

The data live in a dedicated PostgreSQL database (``wj_risk`` at 127.0.0.1:5432, user postgres): the demo
organisation and, in 旌德县, ``--entities`` market entities over its ten townships (1 % 注销 or 吊销), a presence
for every fifth entity, findings on 3 % of the presences (a third confirmed, seen over the last 120 days),
licence checks of 10 % of them (a quarter failing), clues about 2 % of the entities, complaints naming 3 % of
them by their code only (the 统一社会信用代码 path), penalty decisions against 0.5 % over four years, and the
credit-risk classes of 90 % of the entities for the last two months (A 60 %, B 25 %, C 10 %, D 5 %) —
written with ``COPY``, then ``VACUUM ANALYZE``. A run reuses the database when its sizes match.

Measured in one run, each against the baseline of one plain ``GROUP BY`` per indicator over the same rows
(what the indicators cannot do with less):

  1. ``grading.signals_load``: every registered indicator's ``compute`` for the whole bureau;
  2. ``store.grades_store``, the first grading (every entity's grade written, ``risk_grade`` set, the
     entities now 重点 handed their station's task);
  3. ``store.grades_store`` again the same day (nothing changed: nothing written);
  4. ``grading.grades_preview`` with the 重点 threshold moved from 60 to 50.

The first grading is also set against the plain writes it cannot do with less (every entity's
``risk_grade`` updated, keeping the same indexes, and a grade row per entity copied in; rolled back).
It prints each one's time, the baseline's, their ratio, the number of queries, and the grades. Nothing is
asserted.
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
TOWNS = ["341825100", "341825101", "341825102", "341825103", "341825104", "341825105", "341825106",
         "341825107", "341825108", "341825200"]  # fmt: skip

from cases import copy_rows, existing_build, recreate  # noqa: E402  (the cases benchmark's COPY and build record)


def build(n: int, org, today: dt.date) -> dict:  # noqa: ANN001
    from django.db import connection

    from wangjian.cases.models import Case
    from wangjian.clues.models import Clue
    from wangjian.complaints.models import Complaint
    from wangjian.monitoring.models import Finding, LicenceCheck
    from wangjian.registry.models import MarketEntity, Presence
    from wangjian.registry.uscc import ALPHABET, complete
    from wangjian.risk.models import CreditRiskClass

    rng = random.Random(20261205)
    county = org.county
    took = {}
    t = time.perf_counter()
    codes = []
    seen = set()
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
                "region_code": TOWNS[i % 10] + f"{i % 7:03d}",
                "status": "cancelled" if i % 100 == 0 else "existing",
            }
            for i, code in enumerate(codes)
        ),
    )
    entity_ids = [r for (r,) in MarketEntity.objects.filter(bureau=county).order_by("id").values_list("id")]
    took["entities"] = time.perf_counter() - t
    t = time.perf_counter()
    copy_rows(
        Presence,
        (
            {
                "bureau_id": county.pk,
                "kind": "website",
                "url": f"https://shop{i}.example/",
                "entity_id": e,
                "status": "active",
            }  # fmt: skip
            for i, e in enumerate(entity_ids[::5])
        ),
    )
    presences = list(Presence.objects.filter(bureau=county).order_by("id").values_list("id", flat=True))
    now = dt.datetime.combine(today, dt.time(10), tzinfo=dt.UTC)
    finding_on = rng.sample(presences, len(presences) * 3 // 100)
    copy_rows(
        Finding,
        (
            {
                "bureau_id": county.pk,
                "presence_id": p,
                "page_url": "https://shop.example/",
                "rule_code": "AD001",
                "rule_name": "绝对化用语",
                "matched": "最佳",
                "matched_key": "最佳",
                "category": "absolute_terms",
                "severity": rng.choice(["high", "medium", "low", "review"]),
                "first_seen": now - dt.timedelta(days=rng.randint(0, 120)),
                "last_seen": now - dt.timedelta(days=rng.randint(0, 120)),
                "status": "confirmed" if rng.random() < 0.33 else "new",
            }
            for p in finding_on
        ),
    )
    copy_rows(
        LicenceCheck,
        (
            {
                "presence_id": p,
                "bureau_id": county.pk,
                "url": "https://shop.example/",
                "kind": "business_licence",
                "verdict": "missing" if rng.random() < 0.25 else "shown_ok",
                "checked_at": now - dt.timedelta(days=rng.randint(0, 60)),
            }
            for p in rng.sample(presences, len(presences) // 10)
        ),
    )
    took["presences, findings, checks"] = time.perf_counter() - t
    t = time.perf_counter()
    copy_rows(
        Clue,
        (
            {
                "bureau_id": county.pk,
                "year": today.year,
                "seq": i + 1,
                "number": f"旌市监线〔{today.year}〕{i:06d}",
                "title": "网店商品页未标明价格",
                "facts": "网店商品页未标明价格",
                "source_kind": "monitoring",
                "domain": "online_price",
                "entity_id": e,
                "found_on": today - dt.timedelta(days=rng.randint(0, 500)),
                "state": "closed",
            }
            for i, e in enumerate(rng.sample(entity_ids, n * 2 // 100))
        ),
    )
    copy_rows(
        Complaint,
        (
            {
                "bureau_id": county.pk,
                "kind": "complaint",
                "received_on": today - dt.timedelta(days=rng.randint(0, 120)),
                "respondent_name": "某商贸有限公司",
                "respondent_uscc": codes[
                    rng.randrange(n // 50)
                ],  # a few businesses, complained about repeatedly
                "summary": "买到过期食品",
            }
            for _ in range(n * 3 // 100)
        ),
    )
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
                "discovered_on": today - dt.timedelta(days=1500),
                "entity_id": e,
                "department_id": department,
                "state": "closed",
                "penalised": True,
                "decided_on": today - dt.timedelta(days=rng.randint(0, 1460)),
            }
            for e in rng.sample(entity_ids, n // 200)
        ),
    )
    took["clues, complaints, cases"] = time.perf_counter() - t
    t = time.perf_counter()
    last = today.replace(day=1) - dt.timedelta(days=1)
    months = [last.replace(day=1), (last.replace(day=1) - dt.timedelta(days=1)).replace(day=1)]
    classes = rng.choices("ABCD", weights=[60, 25, 10, 5], k=n)
    copy_rows(
        CreditRiskClass,
        (
            {"bureau_id": county.pk, "entity_id": e, "month": m, "risk_class": classes[i]}
            for m in months
            for i, e in enumerate(entity_ids)
            if i % 10
        ),
    )
    took["credit classes"] = time.perf_counter() - t
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    took["vacuum analyze"] = time.perf_counter() - t
    return took


BASELINE = [
    (
        "findings by entity and status, 90 days",
        "SELECT p.entity_id, f.status, f.severity, count(*) FROM monitoring_finding f JOIN registry_presence p"
        " ON p.id = f.presence_id WHERE f.bureau_id = %(b)s AND f.last_seen >= %(since90)s"
        " GROUP BY 1, 2, 3",
    ),
    (
        "licence checks by entity",
        "SELECT p.entity_id, count(*) FROM monitoring_licencecheck c JOIN registry_presence p ON p.id = c.presence_id"
        " WHERE c.bureau_id = %(b)s AND c.verdict <> 'shown_ok' GROUP BY 1",
    ),
    (
        "presences of cancelled entities",
        "SELECT p.entity_id, count(*) FROM registry_presence p JOIN registry_marketentity e ON e.id = p.entity_id"
        " WHERE p.bureau_id = %(b)s AND e.status IN ('cancelled', 'revoked', 'moved_out') GROUP BY 1",
    ),
    (
        "clues by entity, 12 months",
        "SELECT entity_id, count(*) FROM clues_clue WHERE bureau_id = %(b)s AND found_on > %(since365)s GROUP BY 1",
    ),
    (
        "complaints by code, 90 days",
        "SELECT respondent_uscc, count(*) FROM complaints_complaint WHERE bureau_id = %(b)s"
        " AND received_on >= %(since90d)s GROUP BY 1",
    ),
    (
        "penalties by entity, 3 years",
        "SELECT entity_id, count(*) FROM cases_case WHERE bureau_id = %(b)s AND penalised"
        " AND decided_on > %(since3y)s GROUP BY 1",
    ),
    (
        "latest credit class by entity",
        "SELECT entity_id, max(month) FROM risk_creditriskclass WHERE bureau_id = %(b)s GROUP BY 1",
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default=None, help="PostgreSQL database kept for the benchmark (wj_risk_<n>)")
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true")
    opts = parser.parse_args()
    db = opts.db or f"wj_risk_{opts.entities}"
    spec = {"version": BUILD_VERSION, "entities": opts.entities}
    built = None if opts.rebuild else existing_build(db)
    reuse = bool(built) and {k: built.get(k) for k in spec} == spec
    if not reuse:
        recreate(db)
    os.environ.update(
        WANGJIAN_HOME=tempfile.mkdtemp(prefix="wj-bench-risk-"),
        WANGJIAN_DATABASE_URL=PG + db,
        DJANGO_SETTINGS_MODULE="wangjian.settings",
    )
    os.environ.pop("WANGJIAN_BROKER_URL", None)
    os.environ.pop("WANGJIAN_DEBUG", None)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from wangjian.org import demo
    from wangjian.registry.models import MarketEntity
    from wangjian.risk.models import EntityGrade, GradeChange
    from wangjian.risk.services import settings as risk_settings
    from wangjian.risk.services.grading import grades_preview, signals_load
    from wangjian.risk.services.store import grades_store

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    org = demo.build(password="Bench2025pass")
    today = timezone.localdate()
    county = org.county
    if not reuse:
        t = time.perf_counter()
        print(f"building {db}: {spec}", flush=True)
        took = build(opts.entities, org, today)
        built = dict(
            spec, build_seconds=round(time.perf_counter() - t), took={k: round(v) for k, v in took.items()}
        )
        with connection.cursor() as cursor:
            comment = json.dumps(built, ensure_ascii=False).replace("'", "''")
            cursor.execute(f"COMMENT ON DATABASE \"{db}\" IS '{comment}'")
        print(f"built in {built['build_seconds']}s {built['took']}", flush=True)
    else:
        EntityGrade.objects.filter(bureau=county).delete()  # a first grading again
        GradeChange.objects.filter(bureau=county).delete()
        from wangjian.platform.workitems.models import WorkItem

        WorkItem.objects.filter(kind="risk.key_check").delete()

    params = {
        "b": county.pk,
        "since90": timezone.now() - dt.timedelta(days=90),
        "since90d": today - dt.timedelta(days=90),
        "since365": today - dt.timedelta(days=365),
        "since3y": today - dt.timedelta(days=1095),
    }
    t = time.perf_counter()
    with connection.cursor() as cursor:
        for _label, sql in BASELINE:
            cursor.execute(sql, params)
            cursor.fetchall()
    baseline = time.perf_counter() - t

    def measure(label, call):  # noqa: ANN001, ANN202
        count = [0]

        def counter(execute, sql, params, many, context):  # noqa: ANN001, ANN202
            count[0] += 1
            return execute(sql, params, many, context)

        t = time.perf_counter()
        with connection.execute_wrapper(counter):
            result = call()
        seconds = time.perf_counter() - t
        measure.last = seconds
        print(
            f"{label:<44} {seconds:8.2f} s   baseline {baseline:6.2f} s   ×{seconds / baseline:6.1f}"
            f"   {count[0]} queries",
            flush=True,
        )
        return result

    print(f"{opts.entities:,} entities; baseline = {len(BASELINE)} plain GROUP BY queries: {baseline:.2f} s")
    signals = measure(
        "signals_load (every indicator)", lambda: signals_load(bureau_id=county.pk, today=today)
    )
    print(
        "   entities found by each indicator: "
        + ", ".join(f"{k} {len(v)}" for k, v in signals.values.items())
    )
    # what the first grading cannot write with less: every entity's risk_grade changed (the same indexes
    # kept up) and a grade row per entity copied into a table shaped like the grades' — then rolled back
    from django.db import transaction

    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE registry_marketentity SET risk_grade = 'zz' WHERE bureau_id = %s", [county.pk])
        cursor.execute("CREATE TEMP TABLE bench_grades (LIKE risk_entitygrade INCLUDING ALL) ON COMMIT DROP")
        words = "信用风险分类A类（2026年11月）+0；未发现线上风险指标；合计0分，一般监控（<30分）"
        terms = json.dumps(
            [{"indicator": "credit.class", "label": "企业信用风险分类", "value": "A"}], ensure_ascii=False
        )
        ids = list(MarketEntity.objects.filter(bureau=county).values_list("id", flat=True))
        with cursor.cursor.copy(
            "COPY bench_grades (bureau_id, entity_id, grade, score, credit_class, contributions, words, digest,"
            " graded_on, since) FROM STDIN"
        ) as copy:
            for e in ids:
                copy.write_row([county.pk, e, "general", 0.0, "A", terms, words, "0" * 40, today, today])
        transaction.set_rollback(True)
    written = time.perf_counter() - t
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE registry_marketentity")
    print(
        f"write baseline = every entity's risk_grade updated and {len(ids):,} grade rows copied: {written:.2f} s;"
        f" with the reads {baseline + written:.2f} s"
    )
    first = measure("grades_store (first grading)", lambda: grades_store(bureau=county, today=today))
    print(
        f"   against the reads and the plain writes ({baseline + written:.2f} s):"
        f" ×{measure.last / (baseline + written):.1f}"
    )
    print(f"   {first.as_dict()['by_grade']}, written {first.written}, tasks {first.tasks}")
    again = measure("grades_store (again, nothing changed)", lambda: grades_store(bureau=county, today=today))
    print(f"   written {again.written}")
    new = risk_settings.settings_build(bureau=county, values={"key_threshold": 50})
    preview = measure(
        "grades_preview (重点 from 50 points)",
        lambda: grades_preview(bureau=county, today=today, settings=new),
    )
    print(f"   would change {preview.changed}: {dict(preview.moves)}")


if __name__ == "__main__":
    main()
