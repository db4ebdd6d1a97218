"""``wangjian cases``: list cases with their clocks.

wangjian cases list --json                  one JSON object per case (id, number, bureau, state, procedure,
                                            opened_on, decision_due, suspended_days, extension_days, overdue)
wangjian cases list --bureau 341825 --open
wangjian cases figures --bureau 341825 --year 2026 --month 11 [--json | --out 涉网案件统计表.xlsx]
"""

from __future__ import annotations

import json
from pathlib import Path

from wangjian.cases import selectors
from wangjian.cases.choices import ENDED, CaseState
from wangjian.cases.models import Case
from wangjian.core.errors import ValidationFailed
from wangjian.core.management.base import WangjianCommand
from wangjian.org.models import Bureau

STATE_LABELS = {value: str(label) for value, label in CaseState.choices}  # once, not per row


def case_row(case: Case) -> dict:
    return {
        "id": case.pk,
        "number": case.number or None,
        "bureau": case.bureau.code,
        "title": case.title,
        "state": case.state,
        "state_label": STATE_LABELS[case.state],
        "procedure": case.procedure,
        "source": case.source_kind,
        "clue": case.clue.number if case.clue_id else None,
        "opened_on": case.opened_on.isoformat() if case.opened_on else None,
        "filing_due": case.filing_due.isoformat() if case.filing_due else None,
        "filed_late": case.filed_late,
        "decision_due": case.decision_due.isoformat() if case.decision_due and case.clock_running else None,
        "decision_provisional": case.decision_provisional,
        "suspended_days": case.days_suspended(),
        "extension_days": case.extension_days,
        "decided_on": case.decided_on.isoformat() if case.decided_on else None,
        "overdue": case.overdue,
    }


class Command(WangjianCommand):
    help = "案件办理：列出案件及其期限"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("list", help="列出案件")
        p.add_argument("--json", action="store_true", help="每行一个 JSON 对象")
        p.add_argument("--bureau", help="行政区划代码，如 341825")
        p.add_argument("--open", action="store_true", help="只列在办案件")
        p = sub.add_parser("figures", help="涉网案件月度统计（按办案机构）")
        p.add_argument("--bureau", required=True)
        p.add_argument("--year", type=int, required=True)
        p.add_argument("--month", type=int, required=True)
        p.add_argument("--json", action="store_true", help="每行一个 JSON 对象")
        p.add_argument("--out", help="导出 Excel 统计表到此文件")

    def handle(self, *args, **o):
        if o["action"] == "figures":
            return self.figures(o)
        qs = Case.objects.select_related("bureau", "clue").order_by("bureau__code", "id")
        if o.get("bureau"):
            qs = qs.filter(bureau=_bureau(o["bureau"]))
        if o.get("open"):
            qs = qs.exclude(state__in=ENDED)
        for case in qs.iterator(chunk_size=1000):
            row = case_row(case)
            if o.get("json"):
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                flag = " 逾期" if row["overdue"] else ""
                self.stdout.write(
                    f"{case.number or '（未立案）'}\t{case.title}\t{case.get_state_display()}\t"
                    f"{row['opened_on'] or '—'}\t{row['decision_due'] or '—'}{flag}"
                )

    def figures(self, o):
        bureau = _bureau(o["bureau"])
        if o.get("out"):
            content = selectors.monthly_figures_xlsx(bureau=bureau, year=o["year"], month=o["month"])
            Path(o["out"]).write_bytes(content)
            self.stdout.write(f"已导出 / written: {o['out']}")
            return
        rows = selectors.monthly_figures(bureau=bureau, year=o["year"], month=o["month"])
        for row in [*rows, selectors.figures_total(rows)]:
            values = dict(
                zip([k for k, _ in selectors.FIGURE_COLUMNS], selectors.figure_values(row), strict=True)
            )
            if o.get("json"):
                self.stdout.write(json.dumps(values, ensure_ascii=False))
            else:
                self.stdout.write("\t".join(str(v) for v in values.values()))


def _bureau(code: str) -> Bureau:
    bureau = Bureau.objects.filter(code=code).first()
    if bureau is None:
        raise ValidationFailed(f"找不到行政区划代码为 {code} 的市场监管局", f"No bureau with code {code}")
    return bureau
