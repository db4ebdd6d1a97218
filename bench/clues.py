"""Benchmark of the clue loop: intake with routing, the reminder job, the office overview and the monthly Excel.

    .venv/bin/python bench/clues.py [--clues 500]

Baselines, measured in the same run on the same database:
  * intake: inserting the same clues and their sources with plain ``objects.create`` (no
    numbering, dedup, routing, deadline, history or notification);
  * reminder job: loading the same open clues and computing each one's deadline status
    with the calendar, writing nothing;
  * office overview: one ``GROUP BY`` count per unit and state in SQL.
A second reminder run shows the cost of idempotence (every notification already exists).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = next(p for p in HERE.parents if (p / "src" / "wangjian").is_dir())
sys.path.insert(0, str(ROOT / "src"))

DOMAINS = [
    "internet_advertising",
    "online_price",
    "online_food",
    "licence_display",
    "online_cosmetics",
    "unlicensed",
]
TOWNSHIPS = ["341825100", "341825101", "341825102", "341825103", "341825106", ""]


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clues", type=int, default=500)
    opts = parser.parse_args()
    n = opts.clues

    os.environ["WANGJIAN_HOME"] = tempfile.mkdtemp(prefix="wj-bench-clues-")
    os.environ.pop("WANGJIAN_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangjian.settings")
    import django

    django.setup()
    import datetime as dt

    from django.conf import settings
    from django.core.management import call_command
    from django.db.models import Count
    from django.utils import timezone

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    from wangjian.clues import selectors, services
    from wangjian.clues.models import Clue, ClueSource
    from wangjian.core import workdays
    from wangjian.org import demo
    from wangjian.platform.inbox.models import Message as Notification

    org = demo.build(password="Bench2025pass")
    county, office = org.county, org.users["office"]
    calendar = workdays.current()
    today = timezone.localdate()
    quiet = lambda *a: (True, "")  # noqa: E731  (no pushes are configured; nothing leaves the machine)

    def moment(i: int) -> dt.datetime:
        day = calendar.add_working_days(today, -(i % 15))
        return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))

    rows = [
        dict(
            domain=DOMAINS[i % len(DOMAINS)],
            region_code=TOWNSHIPS[i % len(TOWNSHIPS)],
            entity_uscc=f"91341825BENCH{i:05d}",
            facts=f"基准测试线索 {i}",
        )
        for i in range(n)
    ]

    def intake_all():
        for i, row in enumerate(rows):
            services.clue_intake(bureau=county, source_kind="monitoring", finder=office, now=moment(i), **row)

    def baseline_insert():
        for i, row in enumerate(rows):
            clue = Clue.objects.create(
                bureau=org.other_county,
                number=f"B{i}",
                year=today.year,
                seq=i + 1,
                title="x",
                source_kind="monitoring",
                **row,
            )
            ClueSource.objects.create(clue=clue, kind="monitoring", facts=row["facts"])

    _, t_intake = timed(intake_all)
    _, t_base_insert = timed(baseline_insert)
    Clue.objects.filter(bureau=org.other_county).delete()

    # a third of the clues fed back, so that both deadlines are exercised
    from wangjian.org.services import user_create

    chief, _ = user_create(username="bench_chief", bureau=county, password="Bench2025pass", is_superuser=True)
    for clue in Clue.objects.filter(bureau=county).order_by("id")[: n // 3]:
        services.clue_accept(clue=clue, user=chief)
        services.clue_feedback(clue=clue, user=chief, result="true", actions="属实")

    now = timezone.now()
    first, t_remind1 = timed(lambda: services.clues_remind(now=now, send=quiet))
    notes_after_first = Notification.objects.count()
    second, t_remind2 = timed(lambda: services.clues_remind(now=now, send=quiet))
    assert Notification.objects.count() == notes_after_first, "the second run must not notify again"

    def baseline_scan():
        late = 0
        for clue in Clue.objects.filter(state__in=["assigned", "checking", "fed_back", "disposing"]).only(
            "state", "feedback_due", "disposal_due"
        ):
            due = clue.feedback_due if clue.state in ("assigned", "checking") else clue.disposal_due
            if due and (due < today or calendar.working_days_between(today, due) <= 2):
                late += 1
        return late

    _, t_scan = timed(baseline_scan)
    start = today.replace(day=1) - dt.timedelta(days=31)
    _, t_overview = timed(lambda: selectors.office_overview(bureau=county, start=start, end=today))
    _, t_group = timed(
        lambda: list(
            Clue.objects.filter(bureau=county)
            .values("department_id", "station_id", "state")
            .annotate(n=Count("id"))
        )
    )
    xlsx, t_xlsx = timed(
        lambda: selectors.monthly_statistics_xlsx(bureau=county, year=today.year, month=today.month)
    )

    def line(label, seconds, base, base_label):
        ratio = seconds / base if base else float("inf")
        print(f"{label:<34} {seconds:8.3f} s   baseline {base_label} {base:8.3f} s   ratio {ratio:6.1f}×")

    print(f"clues: {n} (SQLite, {os.cpu_count()} CPUs)")
    print(f"intake with routing: {n / t_intake:8.0f} clues/s   plain insert: {n / t_base_insert:8.0f} rows/s")
    line("intake (routing+dedup+deadline)", t_intake, t_base_insert, "plain insert")
    line(
        f"reminder run 1 ({len(first.reminded)} rem., {len(first.overdue)} overdue)",
        t_remind1,
        t_scan,
        "read-only scan",
    )
    line("reminder run 2 (nothing new)", t_remind2, t_scan, "read-only scan")
    line("office overview (2 months)", t_overview, t_group, "SQL GROUP BY")
    print(f"monthly Excel: {t_xlsx:.3f} s, {len(xlsx) / 1024:.0f} KiB")
    print(f"notifications made: {notes_after_first}, after the second run: {Notification.objects.count()}")


if __name__ == "__main__":
    main()
