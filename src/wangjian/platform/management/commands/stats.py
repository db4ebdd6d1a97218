"""``wangjian stats``: the figures of every app (统计指标) for a bureau and period, with their 口径.

wangjian stats --json                                   one JSON object: figure key → value, every bureau,
                                                        this calendar year to today
wangjian stats --bureau 341825 --from 2026-01-01 --to 2026-06-30
                                                        a table: label, value, unit, 口径
wangjian stats --bureau 341800 --no-below --json        the city bureau alone, not its counties

A figure with a breakdown adds ``<key>_by_<name>`` → ``{value: number}`` to the JSON object. The
keys are those registered (``platform.statistics``); a figure an app has not registered is simply
absent. With ``--department``, ``--station``, ``--domain`` or ``--platform``, the figures that
cannot honour the filter are left out and named on standard error (or refused with ``--figure``).
"""

from __future__ import annotations

import json

from django.utils import timezone

from wangjian.core.management.base import WangjianCommand
from wangjian.platform.statistics import access, reading


class Command(WangjianCommand):
    help = "统计指标：各应用登记的统计数据（含口径） / the figures every app registers, with their basis"

    def add_arguments(self, parser):
        parser.add_argument("--bureau", default="", help="行政区划代码，如 341825；不填为全部局")
        parser.add_argument("--no-below", action="store_true", help="不含下级局")
        parser.add_argument("--from", dest="start", default="", help="起始日期（含），默认本年1月1日")
        parser.add_argument("--to", dest="end", default="", help="截止日期（含），默认今天")
        parser.add_argument("--department", default="", help="科室ID")
        parser.add_argument("--station", default="", help="基层所ID")
        parser.add_argument("--domain", default="", help="监管领域，如 online_price")
        parser.add_argument("--platform", default="", help="平台ID")
        parser.add_argument("--figure", action="append", default=[], help="只统计该指标（可重复）")
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象：指标键 → 数值")

    def handle(self, *args, **o):
        bureau = access.bureau_by(code=o["bureau"].strip())
        scope, bureau, _below = access.scope_for(
            user=None,
            bureau=bureau,
            below=False if o["no_below"] else None,
            department_id=access.parse_id(o["department"], "--department"),
            station_id=access.parse_id(o["station"], "--station"),
            domain=o["domain"].strip(),
            platform_id=access.parse_id(o["platform"], "--platform"),
        )
        # the command's today (the figures themselves never read the clock)
        start, end = access.period({"from": o["start"], "to": o["end"]}, timezone.localdate())
        result = reading.values(scope, start, end, keys=o["figure"] or None)
        for figure, missing in result.omitted:
            self.stderr.write(
                f"未统计 / left out: {figure.key}（不能按 {', '.join(missing)} 筛选 / cannot be filtered so）"
            )
        if o["json"]:
            out: dict = {}
            for v in result.values:
                out[v.figure.key] = reading.plain(v.value)
                if v.breakdown is not None:
                    name = f"{v.figure.key}_by_{v.figure.breakdown.name}"
                    out[name] = {k: reading.plain(n) for k, n in sorted(v.breakdown.items())}
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
        where = (
            f"{bureau.name}（{bureau.code}）" + ("" if o["no_below"] else "及下级局") if bureau else "全部局"
        )
        self.stdout.write(f"统计范围：{where}    统计期间：{start} 至 {end}")
        for v in result.values:
            f = v.figure
            self.stdout.write(f"\n{f.label_zh}（{f.key}）：{reading.plain(v.value)} {f.unit}")
            if v.breakdown:
                for k, n in sorted(v.breakdown.items(), key=lambda kv: -float(kv[1])):
                    self.stdout.write(f"    {f.breakdown.label(k)}：{reading.plain(n)}")
            self.stdout.write(f"  口径：{f.basis_zh}")
