"""``wangjian complaints``: import the national 12315 platform's exports, list complaints and reports.

wangjian complaints import 导出.xlsx --bureau 341825 [--user office]
                                        new rows registered, known ones updated by the 12315 number; prints the
                                        counts; exit 0 even with rejected rows, 2 when the file is refused
wangjian complaints list --json [--bureau 341825] [--open]
                                        one JSON object per record (id, number, kind, received_on, accept_due,
                                        state, unit, channel, source_number, person — the name masked)
wangjian complaints results --bureau 341825 --since 2025-11-01 --until 2025-11-30 --out 办理结果.xlsx
                            [--all-channels] [--user office]
                                        the handling results to enter into the national 12315 platform, one row
                                        per 12315 number (services.results); .xlsx or .csv by the file's name
"""

from __future__ import annotations

import json
from pathlib import Path

from wangjian.complaints.choices import OPEN, State
from wangjian.complaints.models import Complaint
from wangjian.complaints.services.imports import complaints_import
from wangjian.complaints.services.results import FILE_KINDS, results_file, results_period
from wangjian.core.audit import mask_name
from wangjian.core.errors import ValidationFailed
from wangjian.core.management.base import WangjianCommand
from wangjian.org.models import Bureau, User

STATE_LABELS = {value: str(label) for value, label in State.choices}  # once, not per row


def _day(value) -> str | None:
    return value.isoformat() if value else None


def complaint_row(c: Complaint) -> dict:
    unit = c.station or c.department
    return {
        "id": c.pk,
        "number": c.number or None,
        "kind": c.kind,
        "bureau": c.bureau.code,
        "channel": c.channel,
        "source_number": c.source_number or None,
        "received_on": _day(c.received_on),
        "accept_due": _day(c.accept_due),  # a report has none (null)
        "accepted_on": _day(c.accepted_on),
        "mediation_due": _day(c.mediation_due),
        "notify_due": _day(c.notify_due),
        "ended_on": _day(c.ended_on),
        "state": c.state,
        "state_label": STATE_LABELS.get(c.state, c.state),
        "unit": unit.name if unit else None,
        "respondent": c.respondent_name,
        "person": mask_name(c.person_name) or None,  # personal data: masked on the command line too
        "anonymous": c.anonymous,
    }


class Command(WangjianCommand):
    help = "投诉举报：导入全国12315平台导出数据，列出投诉举报，导出办理结果"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("import", help="导入全国12315平台导出的 Excel 或 CSV")
        p.add_argument("file", help="导出文件（.xlsx 或 .csv）")
        p.add_argument("--bureau", required=True, help="行政区划代码，如 341825")
        p.add_argument("--user", help="以此用户名导入（缺省为系统）")
        p = sub.add_parser("list", help="列出投诉举报")
        p.add_argument("--json", action="store_true", help="每行一个 JSON 对象")
        p.add_argument("--bureau", help="行政区划代码，如 341825")
        p.add_argument("--open", action="store_true", help="只列在办的")
        p = sub.add_parser("results", help="导出办理结果，供录入全国12315平台")
        p.add_argument("--bureau", required=True, help="行政区划代码，如 341825")
        p.add_argument("--since", help="起始日期（含），如 2025-11-01")
        p.add_argument("--until", help="截止日期（含），如 2025-11-30")
        p.add_argument("--out", required=True, help="输出文件（.xlsx 或 .csv）")
        p.add_argument("--all-channels", action="store_true", help="含非12315来源（电话、信函、来访等）")
        p.add_argument("--user", help="以此用户的权限和可见范围导出（缺省为系统：全局）")

    def handle(self, *args, **o):
        if o["action"] == "import":
            return self.import_file(o)
        if o["action"] == "results":
            return self.results(o)
        qs = Complaint.objects.select_related("bureau", "station", "department").order_by(
            "bureau__code", "id"
        )
        if o.get("bureau"):
            qs = qs.filter(bureau=_bureau(o["bureau"]))
        if o.get("open"):
            qs = qs.filter(state__in=OPEN)
        for c in qs.iterator(chunk_size=1000):
            row = complaint_row(c)
            if o.get("json"):
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                self.stdout.write(
                    f"{c.number or '—'}\t{c.get_kind_display()}\t{c.source_number or '—'}\t{row['received_on']}\t"
                    f"{row['accept_due'] or '—'}\t{row['state_label']}\t{row['unit'] or '—'}\t{c.respondent_name}"
                )

    def import_file(self, o):
        bureau = _bureau(o["bureau"])
        user = _user(o.get("user"))
        path = Path(o["file"])
        batch = complaints_import(user=user, bureau=bureau, path_or_bytes=path, file_name=path.name)
        self.stdout.write(
            f"导入批次 #{batch.pk}（{batch.encoding}）：共 {batch.total_rows} 行，新增 {batch.created_count}，"
            f"更新 {batch.updated_count}，未变化 {batch.unchanged_count}，拒收 {batch.rejected_count}\n"
            f"batch #{batch.pk}: {batch.total_rows} rows, created {batch.created_count}, updated "
            f"{batch.updated_count}, unchanged {batch.unchanged_count}, rejected {batch.rejected_count}"
        )
        for r in batch.rejected_rows.order_by("row_number", "id")[:20]:
            self.stdout.write(f"  第{r.row_number}行 {r.column}：{r.reason}")
        if batch.rejected_count > 20:
            self.stdout.write(f"  …… 全部拒收行见 /complaints/imports/{batch.pk}/rejected.csv")

    def results(self, o):
        bureau = _bureau(o["bureau"])
        user = _user(o.get("user"))
        out = Path(o["out"])
        kind = out.suffix.lower().lstrip(".")
        if kind not in FILE_KINDS:
            raise ValidationFailed(
                f"输出文件应以 .xlsx 或 .csv 结尾：{out.name}",
                f"The output file ends in .xlsx or .csv: {out.name}",
            )
        since, until = results_period(o.get("since"), o.get("until"))
        content, _name, _type, count = results_file(
            user=user,
            bureau=bureau,
            since=since,
            until=until,
            only_platform=not o.get("all_channels"),
            kind=kind,
        )
        out.write_bytes(content)
        self.stdout.write(f"已导出 {count} 条办理结果：{out}\nexported {count} results to {out}")


def _user(username: str | None) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationFailed(f"找不到用户 {username}", f"No active user {username}")
    return user


def _bureau(code: str) -> Bureau:
    bureau = Bureau.objects.filter(code=code).first()
    if bureau is None:
        raise ValidationFailed(f"找不到行政区划代码为 {code} 的市场监管局", f"No bureau with code {code}")
    return bureau
