"""``wangjian import registry FILE``, ``wangjian import sellers FILE --platform NAME`` and ``wangjian import permits FILE``."""

from __future__ import annotations

from wangjian.core.management.base import WangjianCommand
from wangjian.registry import services
from wangjian.registry.management.cli import bureau_option
from wangjian.registry.management.progress import ProgressBar


class Command(WangjianCommand):
    help = "导入登记主体（经济户口）或平台报送的经营者名单：CSV（UTF-8/GBK/GB18030）或 XLSX"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        reg = sub.add_parser("registry", help="登记主体（按统一社会信用代码更新或新增）")
        reg.add_argument("file")
        reg.add_argument("--bureau", help="局的区划代码（默认：管理员所在局）")
        reg.add_argument("--source", default="登记系统导入", help="数据来源")
        reg.add_argument("--rejected-out", help="把拒收行写入该 CSV 文件")
        reg.add_argument("--no-progress", action="store_true")
        per = sub.add_parser("permits", help="许可证和备案数据（按许可类型和编号更新或新增；亮证核验的依据）")
        per.add_argument("file")
        per.add_argument("--bureau", help="局的区划代码（默认：管理员所在局）")
        per.add_argument("--source", default="许可数据导入", help="数据来源")
        per.add_argument("--rejected-out", help="把拒收行写入该 CSV 文件")
        per.add_argument("--no-progress", action="store_true")
        sel = sub.add_parser("sellers", help="平台报送的经营者名单（按店铺ID更新或新增，然后匹配）")
        sel.add_argument("file")
        sel.add_argument("--platform", required=True, help="平台名称（不存在则新建）")
        sel.add_argument("--bureau", help="局的区划代码（默认：管理员所在局）")
        sel.add_argument("--no-match", action="store_true", help="只导入，不匹配")
        sel.add_argument("--rejected-out", help="把拒收行写入该 CSV 文件")
        sel.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts):
        bureau = bureau_option(opts.get("bureau"))
        bar = None if opts["no_progress"] else ProgressBar("导入", self.stderr._out)
        if opts["what"] == "registry":
            batch = services.registry_import(
                bureau=bureau, path=opts["file"], source=opts["source"], progress=bar
            )
        elif opts["what"] == "permits":
            batch = services.permits_import(
                bureau=bureau, path=opts["file"], source=opts["source"], progress=bar
            )
        else:
            platform, created = services.platform_get_or_create(bureau=bureau, name=opts["platform"])
            if created:
                self.stdout.write(f"已新建平台 / platform created: {platform.name}")
            batch = services.sellers_import(
                bureau=bureau, platform=platform, path=opts["file"], progress=bar, match=not opts["no_match"]
            )
        if bar:
            bar.close()
        self.stdout.write(
            f"导入批次 #{batch.pk}（{batch.encoding}）：新增 {batch.created_count}，更新 {batch.updated_count}，"
            f"未变化 {batch.unchanged_count}，拒收 {batch.rejected_count}"
        )
        self.stdout.write(
            f"batch #{batch.pk}: created {batch.created_count}, updated {batch.updated_count}, "
            f"unchanged {batch.unchanged_count}, rejected {batch.rejected_count}"
        )
        if batch.rejected_count:
            if opts.get("rejected_out"):
                with open(opts["rejected_out"], "w", encoding="utf-8-sig", newline="") as fh:
                    fh.write(services.rejected_rows_csv(batch=batch))
                self.stdout.write(f"拒收行已写入 / rejected rows written to {opts['rejected_out']}")
            else:
                for r in batch.rejected_rows.all()[:20]:
                    self.stdout.write(f"  第{r.row_number}行 [{r.column}] {r.value}：{r.reason}")
                if batch.rejected_count > 20:
                    self.stdout.write("  …（用 --rejected-out FILE 导出全部拒收行）")
