"""``wangjian clues``: list clues, run the reminder job once, export the monthly statistics.

wangjian clues list --json                  one JSON object per clue (id, source, domain, unit, state, assigned_at, due, overdue)
wangjian clues list --bureau 341825 --open
wangjian clues filing-backfill [--bureau C]  after an upgrade: the filing decision's clock on open clues that lack it
wangjian clues remind                       reminders, overdue marking, automatic 督办, pushes (what the beat runs)
wangjian clues stats --bureau 341825 --year 2026 --month 11 --out 统计表.xlsx
"""

from __future__ import annotations

import json
from pathlib import Path

from django.utils import timezone

from wangjian.clues import selectors, services
from wangjian.clues.choices import OPEN_STATES
from wangjian.clues.models import Clue
from wangjian.core.errors import ValidationFailed
from wangjian.core.management.base import WangjianCommand
from wangjian.org.models import Bureau


def _bureau(code: str | None) -> Bureau | None:
    if not code:
        return None
    bureau = Bureau.objects.filter(code=code).first()
    if bureau is None:
        raise ValidationFailed(f"找不到行政区划代码为 {code} 的市场监管局", f"No bureau with code {code}")
    return bureau


def clue_row(clue: Clue) -> dict:
    due = clue.current_due
    return {
        "id": clue.pk,
        "number": clue.number,
        "bureau": clue.bureau.code,
        "source": clue.source_kind,
        "source_label": clue.get_source_kind_display(),
        "domain": clue.domain,
        "domain_label": clue.get_domain_display(),
        "unit": str(clue.unit) if clue.unit else None,
        "state": clue.state,
        "gap": clue.gap,
        "assigned_at": timezone.localtime(clue.assigned_at).isoformat() if clue.assigned_at else None,
        "due": due.isoformat() if due else None,
        "overdue": bool(due and due < timezone.localdate()),
        "escalations": services.escalations_of(clue).count(),
    }


class Command(WangjianCommand):
    help = "线索闭环处置：列出线索、运行一次提醒任务、导出月度统计表"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("list", help="列出线索")
        p.add_argument("--json", action="store_true", help="每行一个 JSON 对象")
        p.add_argument("--bureau", help="行政区划代码，如 341825")
        p.add_argument("--open", action="store_true", help="只列在办线索")
        sub.add_parser("remind", help="运行一次提醒、逾期标记、自动督办和推送")
        p = sub.add_parser(
            "filing-backfill", help="升级后：为已有在办线索启动立案决定期限（程序规定第十八条）"
        )
        p.add_argument("--bureau", help="行政区划代码，如 341825")
        p = sub.add_parser("stats", help="导出线索处置情况统计表（Excel）")
        p.add_argument("--bureau", required=True)
        p.add_argument("--year", type=int, required=True)
        p.add_argument("--month", type=int, required=True)
        p.add_argument("--out", required=True)

    def handle(self, *args, **o):
        if o["action"] == "list":
            qs = Clue.objects.select_related("bureau", "department", "station").order_by("bureau__code", "id")
            bureau = _bureau(o.get("bureau"))
            if bureau:
                qs = qs.filter(bureau=bureau)
            if o.get("open"):
                qs = qs.filter(state__in=OPEN_STATES)
            for clue in qs:
                row = clue_row(clue)
                if o.get("json"):
                    self.stdout.write(json.dumps(row, ensure_ascii=False))
                else:
                    flag = " 逾期" if row["overdue"] else ""
                    self.stdout.write(
                        f"{clue.number}\t{row['source_label']}\t{row['domain_label']}\t{row['unit'] or '—'}\t"
                        f"{clue.get_state_display()}\t{row['due'] or '—'}{flag}"
                    )
        elif o["action"] == "filing-backfill":
            bureau = _bureau(o.get("bureau"))
            started = services.filing_backfill(bureau_id=bureau.pk if bureau else None)
            self.stdout.write(f"已为 {started} 条在办线索启动立案决定期限 / filing clocks started: {started}")
        elif o["action"] == "remind":
            report = services.clues_remind()
            d = report.deliveries
            self.stdout.write(
                f"提醒 {len(report.reminded)}，逾期 {len(report.overdue)}，自动督办 {len(report.escalated)}，"
                f"推送 已发送 {d.sent} 暂缓 {d.deferred} 失败 {d.failed}"
            )
            for error in report.errors:
                self.stderr.write(error)
        elif o["action"] == "stats":
            bureau = _bureau(o["bureau"])
            content = selectors.monthly_statistics_xlsx(bureau=bureau, year=o["year"], month=o["month"])
            Path(o["out"]).write_bytes(content)
            self.stdout.write(f"已导出 / written: {o['out']}")
