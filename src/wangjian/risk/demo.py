"""Demo risk grades of 旌德县: the province's credit-risk classes of last month imported (one row refused), then
the county graded, so that some entities are 重点监控 or 预警监控 with their reasons.

Runs after the other demos (registry, monitoring, clues, cases, complaints), whose findings, licence checks,
clues, penalty decisions and complaints are the online indicators. The classes are given as the province's
export would: the entities the indicators found something about get the worse classes (D for the first few,
C for the next), a sample of the others A or B, and one row carries a code whose check character is wrong.
"""

from __future__ import annotations

import random

from django.utils import timezone

from wangjian.registry.models import MarketEntity
from wangjian.risk.services.credit_import import credit_import
from wangjian.risk.services.grading import signals_load
from wangjian.risk.services.store import grade_label, grades_store

SEED = 20261205


def _last_month(today):
    first = today.replace(day=1)
    previous = (
        first.replace(year=first.year - 1, month=12)
        if first.month == 1
        else first.replace(month=first.month - 1)
    )
    return previous


def load(org, stdout) -> None:
    bureau, office = org.county, org.users["office"]
    today = timezone.localdate()
    rng = random.Random(SEED)
    signals = signals_load(bureau_id=bureau.pk, today=today)
    hits: dict[int, int] = {}
    for found in signals.values.values():
        for entity_id in found:
            hits[entity_id] = hits.get(entity_id, 0) + 1
    flagged = sorted(hits, key=lambda e: (-hits[e], e))
    others = list(
        MarketEntity.objects.filter(bureau=bureau, kind="enterprise")
        .exclude(pk__in=flagged)
        .order_by("id")
        .values_list("id", flat=True)[:400]
    )
    sample = rng.sample(others, min(60, len(others)))
    classes = {e: "D" for e in flagged[:6]} | {e: "C" for e in flagged[6:12]}
    classes |= {e: rng.choice("AAAB") for e in sample}
    classes |= {e: "D" for e in sample[:3]}  # D without an online signal: 预警, not 重点
    if not classes:
        stdout.write("  风险分级：本局尚无市场主体，未评定\n")
        return
    names = dict(MarketEntity.objects.filter(pk__in=classes).values_list("id", "name"))
    codes = dict(MarketEntity.objects.filter(pk__in=classes).values_list("id", "uscc"))
    month = _last_month(today)
    lines = ["统一社会信用代码,名称,风险类别,月份"]
    lines += [f"{codes[e]},{names[e]},{c}类,{month:%Y-%m}" for e, c in sorted(classes.items())]
    bad = codes[sorted(classes)[0]]
    lines.append(f"{bad[:17]}{'0' if bad[17] != '0' else '1'},校验码错误的企业,B类,{month:%Y-%m}")
    batch = credit_import(
        user=office,
        bureau=bureau,
        path_or_bytes=("\n".join(lines) + "\n").encode("utf-8"),
        file_name=f"企业信用风险分类{month:%Y%m}.csv",
    )
    result = grades_store(bureau=bureau, today=today)
    counts = "，".join(f"{grade_label(g)} {n}" for g, n in result.as_dict()["by_grade"].items())
    stdout.write(
        f"  风险分级：导入信用风险分类 {batch.created_count} 条（拒收 {batch.rejected_count} 行），"
        f"评定 {result.graded} 个主体（{counts}），派发重点监控核查任务 {result.tasks} 件\n"
    )
