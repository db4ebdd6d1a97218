"""``wangjian reindex_names [--bureau CODE]``: rebuild the index of the entities' name 2-grams (mid-word search)."""

from __future__ import annotations

from wangjian.core.management.base import WangjianCommand
from wangjian.registry import services
from wangjian.registry.management.cli import bureau_option


class Command(WangjianCommand):
    help = "重建市场主体名称的二字索引（按名称中间的词查找主体所用），用于修复"

    def add_arguments(self, parser):
        parser.add_argument("--bureau", help="只重建该局（区划代码）自己的主体（默认：全部）")

    def handle(self, *args, **opts):
        bureau = bureau_option(opts["bureau"]) if opts.get("bureau") else None
        done = services.name_grams_rebuild(bureau=bureau)
        self.stdout.write(f"已重建 {done} 个主体的名称索引 / name index rebuilt for {done} entities")
