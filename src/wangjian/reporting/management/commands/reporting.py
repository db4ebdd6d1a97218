"""``wangjian reporting``: open the reports of a period, list them, run the daily job.

wangjian reporting open --period 2025-10 [--template KEY] [--bureau 341800]
                                        open the period's reports (2025-10, 2025-Q3, 2025-H1, 2025) of every
                                        template of that period kind (or one: its key and its bureau's code)
wangjian reporting list [--period 2025-10] [--json]
                                        one line (or JSON object) per report: template, bureau, period, state
wangjian reporting daily [--date 2025-11-01]
                                        the daily job: open the reports of the periods that ended
wangjian reporting send-template --template KEY --bureau 341800 --partner 330523 [--user office]
                                        ask a partner bureau below on another instance to report the template
                                        (a signed message of the exchange; its agreement must cover 信息报送)
"""

from __future__ import annotations

import datetime as dt
import json

from wangjian.core.errors import ValidationFailed
from wangjian.core.management.base import WangjianCommand
from wangjian.reporting import periods, services
from wangjian.reporting.models import Report, ReportTemplate


class Command(WangjianCommand):
    help = "向上报送：开启某一报送期的报送、列出报送、每日任务"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("open", help="开启某一报送期的报送")
        p.add_argument("--period", required=True, help="报送期：2025-10、2025-Q3、2025-H1 或 2025")
        p.add_argument("--template", help="报送事项代码（缺省为该周期的全部事项）")
        p.add_argument("--bureau", help="报送事项所属（上级）局的行政区划代码")
        p = sub.add_parser("list", help="列出报送")
        p.add_argument("--period", help="报送期")
        p.add_argument("--json", action="store_true", help="每行一个 JSON 对象")
        p = sub.add_parser("daily", help="每日任务：开启已结束报送期的报送")
        p.add_argument("--date", help="日期（缺省为今天）")
        p = sub.add_parser("send-template", help="向其他实例上的下级协作单位发送报送事项")
        p.add_argument("--template", required=True)
        p.add_argument("--bureau", required=True)
        p.add_argument("--partner", required=True)
        p.add_argument("--user", default="admin")

    def handle(self, *args, **o):
        getattr(self, o["action"].replace("-", "_"))(o)

    def send_template(self, o) -> None:
        from wangjian.exchange.models import Partner
        from wangjian.org.models import User
        from wangjian.reporting.crossing import template_send

        template = ReportTemplate.objects.filter(bureau__code=o["bureau"], key=o["template"]).first()
        partner = Partner.objects.filter(bureau__code=o["bureau"], code=o["partner"]).first()
        if template is None or partner is None:
            raise ValidationFailed("没有该报送事项或协作单位", "No such template or partner")
        message = template_send(
            template=template, partner=partner, user=User.objects.filter(username=o["user"]).first()
        )
        self.stdout.write(f"{message.message_id}: {message.get_state_display()}")

    def open(self, o):
        period = periods.parse(o["period"])
        templates = ReportTemplate.objects.filter(
            bureau__isnull=False, active=True, period_kind=period.kind
        ).select_related("bureau")
        if o.get("template"):
            templates = templates.filter(key=o["template"])
        if o.get("bureau"):
            templates = templates.filter(bureau__code=o["bureau"])
        if not templates.exists():
            raise ValidationFailed(
                f"没有适用于报送期 {period.label} 的报送事项", f"No template is reported for {period.label}"
            )
        total = 0
        for template in templates:
            made = services.reports_open(template=template, period=period)
            total += len(made)
            self.stdout.write(
                f"{template.bureau.code} {template.key}「{template.name}」{period.label}：开启 {len(made)} 份"
            )
        self.stdout.write(f"共开启 {total} 份报送 / opened {total} reports")

    def list(self, o):
        qs = Report.objects.select_related("template", "template__bureau", "bureau").order_by(
            "period_start", "id"
        )
        if o.get("period"):
            qs = qs.filter(period_label=periods.parse(o["period"]).label)
        for report in qs.iterator(chunk_size=500):
            row = {
                "template": report.template.key,
                "superior": report.template.superior_code,
                "bureau": report.bureau_code,
                "period": report.period_label,
                "state": report.state,
                "due": report.due.isoformat() if report.due else None,
                "late": report.late,
            }
            if o.get("json"):
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                self.stdout.write("\t".join(str(v) for v in row.values()))

    def daily(self, o):
        try:
            today = dt.date.fromisoformat(o["date"]) if o.get("date") else None
        except ValueError:
            raise ValidationFailed(f"日期格式有误：{o['date']}", f"Not a date: {o['date']}") from None
        result = services.reporting_daily(today=today)
        self.stdout.write(f"开启报送 {result['opened']} 份 / opened {result['opened']} reports")
