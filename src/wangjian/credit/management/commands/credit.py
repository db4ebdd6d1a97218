"""``wangjian credit``: list the credit records, import annual reports, run the daily checks.

wangjian credit list --json [--bureau 341825] [--kind abnormal|serious|repair|mismatch]
                                        one JSON object per record (kind, id, bureau, entity, uscc, state, the dates)
wangjian credit import-annual FILE [--bureau 341825] [--user office]
                                        (without --bureau: the bureau whose register holds the file's codes)
                                        annual reports' declared websites and shops; prints the counts and the
                                        rejected rows; exit 0 even with rejected rows, 2 when the file is refused
wangjian credit check [--date 2025-07-01]
                                        the daily checks: flag listings for 吊销营业执照 (条例 art. 18 para. 1:
                                        two consecutive years not filed, not corrected, and unreachable at the
                                        address), remove serious listings three years old
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from wangjian.core.errors import ValidationFailed
from wangjian.core.management.base import WangjianCommand
from wangjian.credit import services
from wangjian.credit.models import AbnormalListing, CreditRepair, DeclarationMismatch, SeriousListing
from wangjian.credit.services import annual
from wangjian.org.models import Bureau, User
from wangjian.registry.importing import auto_mapping, open_table
from wangjian.registry.models import MarketEntity
from wangjian.registry.uscc import normalize

DATES = {
    "abnormal": (
        "period_end",
        "listing_due",
        "decided_on",
        "listed_on",
        "removal_applied_on",
        "removal_verified_on",
        "removal_due",
        "removed_on",
        "revocation_flagged_on",
    ),
    "serious": (
        "proposed_on",
        "notified_on",
        "statement_due",
        "decided_on",
        "listed_on",
        "listed_until",
        "earliest_repair_on",
        "removed_on",
    ),
    "repair": ("applied_on", "earliest_on", "decision_due", "decided_on", "effect_on"),
    "mismatch": ("handled_on",),
}
MODELS = {
    "abnormal": AbnormalListing,
    "serious": SeriousListing,
    "repair": CreditRepair,
    "mismatch": DeclarationMismatch,
}


def credit_row(kind: str, obj) -> dict:  # noqa: ANN001
    row = {
        "kind": kind,
        "id": obj.pk,
        "bureau": obj.bureau.code,
        "entity": obj.entity.name,
        "uscc": obj.entity.uscc,
        "state": obj.state,
        "state_label": obj.get_state_display(),
    }
    for name in ("ground", "target", "decision_number", "year", "clue_number"):
        if hasattr(obj, name):
            value = getattr(obj, name)
            row[name] = value if value not in ("", None) else None
    for name in DATES[kind]:
        value = getattr(obj, name)
        row[name] = value.isoformat() if value else None
    return row


class Command(WangjianCommand):
    help = "信用监管：列出经营异常名录、严重违法失信名单、信用修复、年报比对；导入年度报告；每日检查"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("list", help="列出信用记录")
        p.add_argument("--json", action="store_true", help="每行一个 JSON 对象")
        p.add_argument("--bureau", help="行政区划代码，如 341825")
        p.add_argument("--kind", choices=sorted(MODELS), help="只列一类")
        p = sub.add_parser("import-annual", help="导入年度报告申报的网站网店（.xlsx 或 .csv）")
        p.add_argument("file", help="导出文件")
        p.add_argument("--bureau", help="行政区划代码（缺省：文件中统一社会信用代码所属的局）")
        p.add_argument("--user", help="以此用户名导入（缺省为系统）")
        p = sub.add_parser("check", help="每日检查：提请吊销营业执照、移出满三年的严重违法失信名单")
        p.add_argument("--date", help="检查日期（缺省为今天）")

    def handle(self, *args, **o):
        if o["action"] == "import-annual":
            return self.import_annual(o)
        if o["action"] == "check":
            return self.daily_check(o)
        for kind, model in MODELS.items():
            if o.get("kind") and o["kind"] != kind:
                continue
            qs = model.objects.select_related("bureau", "entity").order_by("bureau__code", "id")
            if o.get("bureau"):
                qs = qs.filter(bureau=_bureau(o["bureau"]))
            for obj in qs.iterator(chunk_size=1000):
                row = credit_row(kind, obj)
                if o.get("json"):
                    self.stdout.write(json.dumps(row, ensure_ascii=False))
                else:
                    self.stdout.write(
                        f"{kind}\t{obj.pk}\t{row['uscc']}\t{row['entity']}\t{row['state_label']}"
                    )

    def import_annual(self, o):
        bureau = _bureau(o["bureau"]) if o.get("bureau") else _bureau_of_file(Path(o["file"]))
        user = _user(o.get("user"))
        path = Path(o["file"])
        batch = services.annual_import(bureau=bureau, path=path, user=user, file_name=path.name)
        self.stdout.write(
            f"年度报告导入 #{batch.pk}（{batch.encoding}）：共 {batch.total_rows} 行，年度报告 {batch.report_count} 份，"
            f"申报网站网店 {batch.shop_count} 个，拒收 {batch.rejected_count} 行，比对不一致 {batch.mismatch_count} 条\n"
            f"import #{batch.pk}: {batch.total_rows} rows, {batch.report_count} reports, {batch.shop_count} shops, "
            f"rejected {batch.rejected_count}, mismatches {batch.mismatch_count}"
        )
        for r in batch.rejected_rows.all()[:20]:
            self.stdout.write(f"  第{r.row_number}行 {r.column}：{r.reason}")

    def daily_check(self, o):
        try:
            today = dt.date.fromisoformat(o["date"]) if o.get("date") else None
        except ValueError:
            raise ValidationFailed(f"日期格式有误：{o['date']}", f"Not a date: {o['date']}") from None
        flagged = services.revocation_check(today=today)
        expired = services.serious_expire(today=today)
        self.stdout.write(
            f"提请吊销营业执照 {len(flagged)} 户；移出严重违法失信名单 {len(expired)} 户\nflagged {len(flagged)}, removed {len(expired)}"
        )


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


def _bureau_of_file(path: Path) -> Bureau:
    """Without ``--bureau``: the one bureau whose register holds the file's codes (its first 1,000 rows)."""
    table = open_table(path)
    column = auto_mapping(table.headers, annual.COLUMNS).get("uscc")
    codes = set()
    for n, (_row, cells) in enumerate(table.rows):
        if n >= 1000:
            break
        if column is not None and column < len(cells):
            codes.add(normalize(cells[column]))
    ids = set(MarketEntity.objects.filter(uscc__in=codes).values_list("bureau_id", flat=True))
    if len(ids) != 1:
        raise ValidationFailed(
            "无法从文件中的统一社会信用代码确定所属局：请用 --bureau 指定（如 --bureau 341825）",
            "Cannot tell the bureau from the file's codes: name it with --bureau",
        )
    return Bureau.objects.get(pk=ids.pop())
