"""``wangjian workdays``: count working days, enter a year's arrangement, show a year.

wangjian workdays add 2025-09-26 7          -> 2025-10-13
wangjian workdays between 2025-09-26 2025-10-13 -> 7
wangjian workdays batch < requests.jsonl     (one JSON answer per line)
wangjian workdays import 2027.yaml [--user NAME]
wangjian workdays show 2026

``import`` changes the national calendar: run by the server's operator it is the system's change;
``--user`` names the superuser or province office administrator it is made for (checked as on the
page, and recorded under their name). It prints the legal deadlines the change moved.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model

from wangjian.core import services, workdays
from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed, WangjianError
from wangjian.core.management.base import WangjianCommand


def _date(value: object, name: str) -> dt.date:
    if not isinstance(value, str):
        raise ValidationFailed(f"{name} 应为 YYYY-MM-DD 字符串", f"{name} must be a YYYY-MM-DD string")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed(
            f"{name} 不是有效日期：{value}", f"{name} is not a valid date: {value}"
        ) from exc


def answer(request: object, calendar: workdays.Calendar) -> dict:
    """One batch request → ``{"result": …}`` or ``{"error": "…"}``."""
    if not isinstance(request, dict):
        raise ValidationFailed("每行应为 JSON 对象", "each line must be a JSON object")
    fn = request.get("fn")
    if fn == "add":
        n = request.get("n")
        if not isinstance(n, int) or isinstance(n, bool):
            raise ValidationFailed("n 应为整数", "n must be an integer")
        return {"result": calendar.add_working_days(_date(request.get("start"), "start"), n).isoformat()}
    if fn == "between":
        return {
            "result": calendar.working_days_between(
                _date(request.get("a"), "a"), _date(request.get("b"), "b")
            )
        }
    raise ValidationFailed(f"未知的 fn：{fn!r}（应为 add 或 between）", f"unknown fn {fn!r} (add or between)")


def _user(username: str | None) -> object | None:
    """The account a change is made for (``--user``), or ``None``: the server's operator, the system."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationFailed(f"没有在用的用户 {username}", f"No active user {username}")
    return user


class Command(WangjianCommand):
    help = "工作日计算与节假日安排（add / between / batch / import / show）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("add", help="start 之后第 n 个工作日")
        p.add_argument("start")
        p.add_argument("n", type=int)
        p.add_argument("--explain", action="store_true")
        p = sub.add_parser("between", help="a < d ≤ b 的工作日数")
        p.add_argument("a")
        p.add_argument("b")
        sub.add_parser("batch", help="从标准输入逐行读 JSON 请求")
        p = sub.add_parser("import", help="导入一年的节假日安排（YAML/CSV）")
        p.add_argument("file")
        p.add_argument("--user", help="以该用户名义录入（须为超级管理员或省局办公室管理员）")
        p = sub.add_parser("show", help="显示一年的节假日和调休上班日")
        p.add_argument("year", type=int)

    def handle(self, *args, **o):
        action = o["action"]
        if action == "add":
            exp = workdays.current().explain_add(_date(o["start"], "start"), o["n"])
            self.stdout.write(exp.result.isoformat())
            if o["explain"]:
                self.stdout.write(f"跳过 / skipped: {exp.skipped_text()}")
        elif action == "between":
            self.stdout.write(str(workdays.working_days_between(_date(o["a"], "a"), _date(o["b"], "b"))))
        elif action == "batch":
            self.batch()
        elif action == "import":
            path = Path(o["file"])
            if not path.exists():
                raise ValidationFailed(f"文件不存在：{path}", f"No such file: {path}")
            user = _user(o.get("user"))
            with acting(user, via="cli"):
                change = services.arrangement_import(content=path.read_bytes(), filename=path.name, user=user)
            self.stdout.write(
                f"已导入 / imported: {change.year} ({change.arrangement.days.count()} 天 / days)"
            )
            self.moved(change.moved)
        elif action == "show":
            self.show(o["year"])

    def moved(self, moved: list[services.MovedDeadline]) -> None:
        """The legal deadlines the change moved, one a line."""
        self.stdout.write(f"移动的法定期限 / deadlines moved: {len(moved)}")
        for m in moved:
            late = " [已标记逾期 / marked overdue]" if m.overdue else ""
            self.stdout.write(f"  {m.bureau} {m.what}: {m.before} → {m.after}{late}")

    def batch(self) -> None:
        calendar = workdays.current()
        out = self.stdout
        for lineno, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                request = json.loads(line)
                result = answer(request, calendar)
            except json.JSONDecodeError as exc:
                result = {
                    "error": f"第 {lineno} 行不是有效的 JSON / line {lineno} is not valid JSON: {exc.msg}"
                }
            except WangjianError as exc:
                result = {"error": f"第 {lineno} 行 / line {lineno}: {exc.zh} / {exc.en}"}
            out.write(json.dumps(result, ensure_ascii=False))
            out.flush()

    def show(self, year: int) -> None:
        calendar = workdays.current()
        days = calendar.year_days(year)
        total = sum(1 for _, work, _ in days if work)
        self.stdout.write(f"{year} 年 / year {year}: 工作日 {total} 天 / {total} working days")
        for day, work, name in days:
            weekend = day.weekday() >= 5
            if (not work and not weekend) or (work and weekend) or (name and not work):
                kind = "调休上班 workday" if work else "放假 holiday"
                self.stdout.write(
                    f"{day.isoformat()} {'一二三四五六日'[day.weekday()]} {kind} {name}".rstrip()
                )
