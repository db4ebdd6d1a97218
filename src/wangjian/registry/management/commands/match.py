"""``wangjian match sellers --out FILE.csv``: match reported sellers to registered entities."""

from __future__ import annotations

from wangjian.core.errors import ValidationFailed
from wangjian.core.management.base import WangjianCommand
from wangjian.registry import services
from wangjian.registry.management.cli import bureau_option
from wangjian.registry.management.progress import ProgressBar
from wangjian.registry.models import MatchResult, Platform


class Command(WangjianCommand):
    help = "把平台报送的经营者与登记主体匹配，输出 seller_id, uscc, confidence, decision, reasons"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        s = sub.add_parser("sellers", help="匹配平台报送的经营者")
        s.add_argument("--out", help="结果 CSV 文件")
        s.add_argument("--platform", help="只匹配该平台")
        s.add_argument("--bureau", help="局的区划代码（默认：管理员所在局）")
        s.add_argument("--no-progress", action="store_true")
        e = sub.add_parser(
            "estimate", help="按本局数据估计匹配权重（Fellegi–Sunter），并按目标精确率设定阈值"
        )
        e.add_argument("--bureau", help="局的区划代码（默认：管理员所在局）")
        e.add_argument("--target-precision", type=float, default=0.995, help="自动关联的目标精确率")
        e.add_argument("--review-precision", type=float, default=0.80, help="待确认区间的最低预期精确率")

    def handle(self, *args, **opts):
        bureau = bureau_option(opts.get("bureau"))
        if opts["what"] == "estimate":
            est = services.linkage_estimate(
                bureau=bureau,
                target_precision=opts["target_precision"],
                review_precision=opts["review_precision"],
            )
            x = est.expected
            self.stdout.write(
                f"已估计：{est.entities} 个登记主体、{est.sellers} 个报送经营者、{est.pairs} 个候选对"
                f"（人工决定 {est.labelled}）；自动关联阈值 {est.auto_threshold:.3f}（预期 {x['auto_links']} 个，"
                f"精确率 {x['auto_precision']:.4f}），待确认阈值 {est.review_threshold:.3f}（预期 {x['review']} 个）"
            )
            self.stdout.write(
                f"estimated from {est.entities} entities, {est.sellers} sellers, {est.pairs} pairs; "
                f"auto threshold {est.auto_threshold:.3f}, review threshold {est.review_threshold:.3f}"
            )
            return
        platform = None
        if opts.get("platform"):
            platform = Platform.objects.filter(bureau=bureau, name=opts["platform"]).first()
            if platform is None:
                raise ValidationFailed(f"没有平台“{opts['platform']}”", f"no platform {opts['platform']!r}")
        bar = None if opts["no_progress"] else ProgressBar("匹配", self.stderr._out)
        summary = services.sellers_match(bureau=bureau, platform=platform, progress=bar)
        if bar:
            bar.close()
        self.stdout.write(
            f"经营者 {summary.total}：自动关联 {summary.auto}（其中人工已确认 {summary.decided}），"
            f"待人工确认 {summary.review}，未找到登记主体 {summary.none}"
        )
        self.stdout.write(
            f"sellers {summary.total}: auto {summary.auto} (confirmed {summary.decided}), "
            f"review {summary.review}, none {summary.none}"
        )
        if opts.get("out"):
            results = MatchResult.objects.filter(bureau=bureau)
            if platform:
                results = results.filter(seller__platform=platform)
            with open(opts["out"], "w", encoding="utf-8-sig", newline="") as fh:
                fh.write(
                    services.match_results_csv(
                        results=results.order_by("seller__platform", "seller__seller_id")
                    )
                )
            self.stdout.write(f"结果已写入 / written to {opts['out']}")
