"""``wangjian risk``: grade the entities now, print the grades.

wangjian risk grade [--bureau 341825] [--today 2026-12-05] [--json]
        grade every bureau's entities (or one bureau's) and store what changed; prints per bureau the
        entities graded, the changes from → to and the check tasks handed out (JSON with --json)
wangjian risk list --bureau 341825 [--grade key] [--json]
        the stored grades, highest score first, with their reasons
"""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone

from wangjian.core.errors import ValidationFailed
from wangjian.core.management.base import WangjianCommand
from wangjian.org.models import Bureau
from wangjian.registry.models import MarketEntity
from wangjian.risk.models import EntityGrade
from wangjian.risk.services.store import grade_label, grades_store


def _bureau(code: str) -> Bureau:
    bureau = Bureau.objects.filter(code=code).first()
    if bureau is None:
        raise ValidationFailed(f"找不到行政区划代码为 {code} 的市场监管局", f"No bureau with code {code}")
    return bureau


class Command(WangjianCommand):
    help = "风险分级：评定主体风险等级，列出风险等级及理由"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("grade", help="评定（各局或一个局的）主体风险等级并保存变化")
        p.add_argument("--bureau", help="行政区划代码，如 341825（缺省为有主体的各局）")
        p.add_argument("--today", help="评定日期，如 2026-12-05（缺省为今天）")
        p.add_argument("--json", action="store_true", help="以 JSON 输出")
        p = sub.add_parser("list", help="列出风险等级及理由")
        p.add_argument("--bureau", required=True, help="行政区划代码，如 341825")
        p.add_argument("--grade", choices=["key", "warning", "general"], help="只列该等级")
        p.add_argument("--json", action="store_true", help="每行一个 JSON 对象")

    def handle(self, *args, **o):
        if o["action"] == "list":
            return self.list_grades(o)
        try:
            today = dt.date.fromisoformat(o["today"]) if o.get("today") else timezone.localdate()
        except ValueError:
            raise ValidationFailed(f"日期格式应为 YYYY-MM-DD：{o['today']}", "dates are YYYY-MM-DD") from None
        if o.get("bureau"):
            bureaus = [_bureau(o["bureau"])]
        else:
            ids = MarketEntity.objects.values_list("bureau_id", flat=True).distinct().order_by("bureau_id")
            bureaus = list(Bureau.objects.filter(pk__in=ids).order_by("code"))
        results = [(b, grades_store(bureau=b, today=today)) for b in bureaus]
        if o.get("json"):
            self.stdout.write(
                json.dumps([r.as_dict() | {"code": b.code} for b, r in results], ensure_ascii=False)
            )
            return
        for b, r in results:
            counts = "，".join(f"{grade_label(g)} {n}" for g, n in r.as_dict()["by_grade"].items())
            self.stdout.write(
                f"{b.name}（{b.code}）{today}：评定 {r.graded} 个主体（{counts}），写入 {r.written}，"
                f"等级变化 {r.changed}，派发核查任务 {r.tasks}，用时 {r.seconds:.1f} 秒"
            )
            for (a, to), n in sorted(r.moves.items()):
                self.stdout.write(f"  {grade_label(a)} → {grade_label(to)}：{n}")
            for failure in r.task_failures[:20]:
                self.stdout.write(f"  未能派发：{failure}")

    def list_grades(self, o):
        qs = (
            EntityGrade.objects.filter(bureau=_bureau(o["bureau"]))
            .select_related("entity")
            .order_by("-score", "-id")
        )
        if o.get("grade"):
            qs = qs.filter(grade=o["grade"])
        for g in qs.iterator(chunk_size=2000):
            row = {
                "entity": g.entity_id,
                "uscc": g.entity.uscc,
                "name": g.entity.name,
                "grade": g.grade,
                "score": g.score,
                "credit_class": g.credit_class or None,
                "since": g.since.isoformat(),
                "words": g.words,
            }
            if o.get("json"):
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                self.stdout.write(
                    f"{g.entity.uscc}\t{g.entity.name}\t{g.get_grade_display()}\t{g.score:g}\t{g.words}"
                )
