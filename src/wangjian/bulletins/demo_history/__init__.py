"""A year of history behind the demo's dashboards (统计分析): the issue asks for "a dashboard with a year of
history", and the apps' own demo stories sit in the last few months.

Run by the 通报 demo before it drafts last month's 通报 (so the 通报 and the dashboards read the same
records), after every app's demo: for 旌德县 and 绩溪县 beside it under 宣城市, over the thirteen months
before the demo's today (the 通报 compares last month with the year before) and today's month to
yesterday, it writes in bulk what a county bureau's year
holds — the daily sweep's findings and the office's review, the clue loop from intake to closing, the
cases filed from clues, the 12315 complaints and reports — busier around 3·15, 618 and 双十一, quieter at
the Spring Festival. Every record is one the apps could have made (``shape``, ``clues``, ``cases``,
``complaints``, ``findings`` say what each carries); all of it finished before today, so the demo's
stories — the overdue clue, the campaign's late units, the meetings — are as they were.

Idempotent: the change log names the history (``shape.REASON``), and a second run writes nothing.
"""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone

from wangjian.bulletins.demo_history import cases, clues, complaints, findings, texts
from wangjian.bulletins.demo_history.parties import parties_of
from wangjian.bulletins.demo_history.shape import REASON, Context, Lead
from wangjian.core import workdays
from wangjian.core.audit import acting
from wangjian.core.models import ChangeRecord
from wangjian.org.models import Bureau
from wangjian.platform.intake.choices import SourceKind
from wangjian.platform.numbering.services import default_prefix

# Clues from other sources than monitoring and 12315 reports, in an ordinary month, by bureau code
SOURCES = {
    "341825": {
        SourceKind.INSPECTION: 2.0,
        SourceKind.SUPERIOR: 1.2,
        SourceKind.MEDIA: 0.5,
        SourceKind.MANUAL: 1.0,
    },
    "341824": {
        SourceKind.INSPECTION: 2.2,
        SourceKind.SUPERIOR: 1.0,
        SourceKind.MEDIA: 0.4,
        SourceKind.MANUAL: 1.6,
    },
}


def load(org, stdout) -> None:
    try:
        _load(org, stdout)
    except workdays.UncoveredYearError as exc:  # the demo must not stop for want of a calendar year
        stdout.write(f"历史数据未载入 / demo history not loaded: {exc.zh}\n")


def _load(org, stdout) -> None:
    if ChangeRecord.objects.filter(via="demo", reason=REASON).exists():
        stdout.write("历史数据已存在 / demo history exists\n")
        return
    started = time.monotonic()
    ctx = Context.make(org, timezone.localdate())
    with transaction.atomic(), acting(None, via="demo", reason=REASON):
        leads: list[Lead] = []
        reported: list[Lead] = []
        counts = {"findings": 0, "complaints": 0}
        for bureau in (org.county, org.other_county):
            parties = parties_of(ctx, bureau)
            found, confirmed = findings.build(ctx, bureau, parties)
            records, to_clues = complaints.build(ctx, bureau, parties)
            counts["findings"] += len(found)
            counts["complaints"] += len(records)
            leads += confirmed + to_clues + _other_leads(ctx, bureau, parties)
            reported += to_clues
        made = clues.build(ctx, leads)
        complaints.link(made, reported)
        filed = cases.build(ctx, made)
    stdout.write(
        f"历史数据 / history: {ctx.months[0].start:%Y-%m}—{ctx.months[-1].end:%Y-%m}，监测发现 {counts['findings']} 条，"
        f"线索 {len(made)} 条（立案 {len(filed)} 件），投诉举报 {counts['complaints']} 件"
        f"（{time.monotonic() - started:.1f} 秒）\n"
    )


def _other_leads(ctx: Context, bureau: Bureau, parties: list) -> list[Lead]:
    """监督检查, 上级交办, 媒体曝光 and 手工录入: the bureau's clues from its own work and from outside."""
    rng, out = ctx.rng, []
    finder = ctx.registrar(bureau)
    domains = texts.FACT_WEIGHTS if bureau == ctx.org.county else dict.fromkeys(texts.JIXI_DOMAINS, 1)
    for month in ctx.months:
        days = [d for d in ctx.working_days(month) if ctx.working_between(d, ctx.yesterday) >= 3]
        if not days:
            continue
        for kind, base in SOURCES.get(bureau.code, SOURCES["341824"]).items():
            for _n in range(ctx.count(base, month)):
                day = rng.choice(days)
                domain = ctx.pick(domains)
                refs = {
                    SourceKind.INSPECTION: texts.INSPECTION_REF.format(
                        prefix=default_prefix(bureau), year=day.year, n=rng.randrange(1, 90)
                    ),
                    SourceKind.SUPERIOR: texts.SUPERIOR_REF.format(year=day.year, n=rng.randrange(1, 60)),
                    SourceKind.MEDIA: f"{rng.choice(texts.MEDIA)} {day:%Y-%m-%d}",
                    SourceKind.MANUAL: "",
                }
                out.append(
                    Lead(
                        bureau=bureau,
                        source_kind=kind,
                        source_ref=refs[kind],
                        domain=domain,
                        facts=rng.choice(texts.FACTS[domain]),
                        party=rng.choice(parties),
                        found_on=day,
                        taken_at=ctx.at(day, rng.choice((9, 10, 11, 14, 15, 16))),
                        finder=finder,
                    )
                )
    return out
