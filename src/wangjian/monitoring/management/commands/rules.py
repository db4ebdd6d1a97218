"""``wangjian rules``: test texts against rule libraries, import and export library files.

``wangjian rules test [--library NAME] [--file PATH]`` reads stdin, one input per line —
plain text, or JSON ``{"id": …, "text": …, "product_kind": …}`` — and writes one JSON line
per input: ``{"id": …, "hits": [{"category", "rule", "start", "end", "matched", "severity",
"legal_basis"}]}`` with ``start``/``end`` code-point offsets into the original text. Plain
lines get their line number as id. A line that is neither gets an ``error`` and no hits,
so one bad line never loses the others.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from wangjian.core.errors import ValidationFailed
from wangjian.core.management.base import WangjianCommand
from wangjian.monitoring import selectors
from wangjian.monitoring.choices import ProductKind


class Command(WangjianCommand):
    help = "监测规则：测试文本、导入导出规则库 / monitoring rules: test texts, import and export libraries"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        test = sub.add_parser(
            "test", help="stdin 每行一条，输出 JSON 行 / one input per stdin line, JSON lines out"
        )
        test.add_argument(
            "--library", action="append", help="规则库名称（可重复）/ library name (repeatable)"
        )
        test.add_argument("--file", help="直接使用 YAML/Excel 规则库文件 / use a YAML or Excel library file")
        test.add_argument(
            "--explain", action="store_true", help="同时输出豁免与商品类型 / add exemptions and kind"
        )
        exp = sub.add_parser("export", help="导出规则库 / export a library")
        exp.add_argument("--library", required=True)
        exp.add_argument("--format", choices=["yaml", "xlsx"], default="yaml")
        exp.add_argument("--output", "-o", help="输出文件，缺省 stdout（yaml）/ output file")
        chk = sub.add_parser("check", help="校验规则库文件 / validate a library file")
        chk.add_argument("path")
        sub.add_parser("list", help="列出可用规则库 / list libraries")
        imp = sub.add_parser(
            "import", help="导入规则库文件为新草稿版本 / import a file as a new draft version"
        )
        imp.add_argument("path")
        imp.add_argument("--bureau", required=True, help="局的行政区划代码 / bureau code")
        upd = sub.add_parser(
            "update-defaults",
            help="把本版本随附的默认库作为草稿提供给局（不自动发布）/ offer the shipped defaults as drafts",
        )
        upd.add_argument("--bureau", required=True, help="局的行政区划代码 / bureau code")
        pub = sub.add_parser(
            "publish", help="发布草稿版本（须通过回归测试）/ publish a draft (regression must pass)"
        )
        pub.add_argument("--library", required=True)
        pub.add_argument("--bureau", required=True)
        pub.add_argument("--user", required=True, help="发布人用户名 / username of the publisher")

    def handle(self, *args, **options):
        getattr(self, "do_" + options["action"].replace("-", "_"))(options)

    # ------------------------------------------------------------------ test

    def do_test(self, options):
        if options.get("file"):
            engine = selectors.engine_from_file(Path(options["file"]))
        else:
            engine = selectors.engine_for(names=options.get("library") or None)
        out = self.stdout
        for lineno, raw in enumerate(sys.stdin, start=1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip():
                continue
            ident, text, kind, error = lineno, line, None, None
            if line.lstrip().startswith("{"):
                try:
                    data = json.loads(line)
                    ident = data.get("id", lineno)
                    text = data.get("text")
                    kind = data.get("product_kind") or None
                    if not isinstance(text, str):
                        error = "缺少 text 字段 / missing 'text'"
                    elif kind is not None and kind not in ProductKind.values:
                        error = f"未知商品类型 / unknown product_kind {kind!r}"
                except json.JSONDecodeError:
                    pass  # not JSON after all: a plain line that starts with "{"
            record: dict = {"id": ident, "hits": []}
            if error:
                record["error"] = error
            else:
                result = engine.scan(text, product_kind=kind)
                record["hits"] = [h.as_contract() for h in result.hits]
                if result.suggestions:  # the similarity model's review signals, apart from the rules' hits
                    record["suggestions"] = [{**h.as_contract(), "words": h.term} for h in result.suggestions]
                if result.regex_problems:  # a rule whose pattern ran out of time is named, not dropped
                    record["regex_problems"] = [p.as_text() for p in result.regex_problems]
                if options.get("explain"):
                    record["product_kind"] = result.product_kind.kind
                    record["suppressed"] = [
                        {**h.as_contract(), "exemption": h.exemption, "reason": h.exemption_reason}
                        for h in result.suppressed
                    ]
            out.write(json.dumps(record, ensure_ascii=False))
            out.flush()

    # ------------------------------------------------------------------ files

    def do_check(self, options):
        lib = selectors.library_from_file(Path(options["path"]))
        report = selectors.regression_report(selectors.Engine([lib]), lib.regression_lines())
        self.stdout.write(
            f"规则库 {lib.name}：{len(lib.rules)} 条规则，回归测试 {report.passed}/{report.total} 通过"
            f" / library {lib.name}: {len(lib.rules)} rules, regression {report.passed}/{report.total} passed"
        )
        for f in report.failures:
            self.stdout.write(f"  ✗ [{f.expect}] {f.text}  → {f.got}")
        if report.failures:
            raise ValidationFailed(
                f"回归测试有 {len(report.failures)} 条未通过",
                f"{len(report.failures)} regression line(s) failed",
            )

    def do_list(self, options):
        for name, source, rules in selectors.library_catalogue():
            self.stdout.write(f"{name}\t{source}\t{rules}")

    def do_export(self, options):
        from wangjian.monitoring import rulefile

        lib = selectors.library_spec(options["library"])
        if options["format"] == "xlsx":
            if not options.get("output"):
                raise ValidationFailed("导出 Excel 须指定 --output", "--output is required for xlsx")
            Path(options["output"]).write_bytes(rulefile.dump_excel(lib))
            return
        text = rulefile.dump_yaml(lib)
        if options.get("output"):
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text)

    def do_import(self, options):
        from wangjian.monitoring import services
        from wangjian.org.models import Bureau

        bureau = Bureau.objects.filter(code=options["bureau"]).first()
        if bureau is None:
            raise ValidationFailed(
                f"找不到局 {options['bureau']}", f"no bureau with code {options['bureau']}"
            )
        path = Path(options["path"])
        version = services.library_import(
            bureau=bureau, filename=path.name, content=path.read_bytes(), actor=None
        )
        self.stdout.write(f"已导入 {version} / imported {version}")

    def do_update_defaults(self, options):
        from wangjian.monitoring import services
        from wangjian.org.models import Bureau

        bureau = Bureau.objects.filter(code=options["bureau"]).first()
        if bureau is None:
            raise ValidationFailed(
                f"找不到局 {options['bureau']}", f"no bureau with code {options['bureau']}"
            )
        for name, what in services.libraries_update_defaults(bureau=bureau, actor=None):
            self.stdout.write(f"{name}: {what}")

    def do_publish(self, options):
        from wangjian.monitoring import services
        from wangjian.monitoring.models import RuleLibrary
        from wangjian.org.models import Bureau, User

        bureau = Bureau.objects.filter(code=options["bureau"]).first()
        library = RuleLibrary.objects.filter(bureau=bureau, name=options["library"]).first()
        user = User.objects.filter(username=options["user"]).first()
        if library is None or user is None:
            raise ValidationFailed("找不到规则库或用户", "library or user not found")
        draft = library.versions.filter(status="draft").order_by("-number").first()
        if draft is None:
            raise ValidationFailed("没有待发布的草稿版本", "no draft version to publish")
        decision = services.version_publish(version=draft, actor=user)
        self.stdout.write(f"已发布 {decision.version} / published; {decision.reason}")
