"""``wangjian inspections``: list draws, re-run a recorded draw from its published inputs.

wangjian inspections draws --json      one JSON object per line: id, plan, drawn_at, seed, pool_hash, objects
wangjian inspections redraw DRAW_ID    re-runs the draw from its published inputs and the confirmed value;
                                       exit 0 only when it yields the recorded objects and inspectors,
                                       1 (with what differs) otherwise, 2 when the draw cannot be re-run
"""

from __future__ import annotations

import json
import sys

from wangjian.core.errors import NotFoundError
from wangjian.core.management.base import WangjianCommand
from wangjian.inspections.models import Draw
from wangjian.inspections.services import draw_rerun


def draw_row(d: Draw) -> dict:
    return {
        "id": d.pk,
        "plan": d.plan_id,
        "plan_title": d.plan.title,
        "state": d.state,
        "replaces": d.replaces_id,
        "drawn_at": d.drawn_at.isoformat() if d.drawn_at else None,
        "seed": d.seed or None,
        "pool_hash": d.pool_sha256,
        "pool_size": d.pool_size,
        "objects": d.objects_count,
        "source": d.source_name,
    }


class Command(WangjianCommand):
    help = "双随机抽查：列出抽取，按公布要素复算抽取"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("draws", help="列出抽取")
        p.add_argument("--json", action="store_true", help="每行一个 JSON 对象")
        p = sub.add_parser("redraw", help="按公布要素和随机源数值复算抽取，与记录比对")
        p.add_argument("draw_id", type=int)

    def handle(self, *args, **options):
        getattr(self, "do_" + options["action"])(options)

    def do_draws(self, options):
        for d in Draw.objects.select_related("plan").order_by("id"):
            row = draw_row(d)
            if options["json"]:
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                self.stdout.write(
                    f"{row['id']}\t{row['plan_title']}\t{d.get_state_display()}\t{row['drawn_at'] or '—'}\t"
                    f"{row['objects']}/{row['pool_size']}\t{row['pool_hash'][:16]}…"
                )

    def do_redraw(self, options):
        draw = Draw.objects.select_related("plan", "inputs").filter(pk=options["draw_id"]).first()
        if draw is None:
            raise NotFoundError(f"没有第{options['draw_id']}号抽取", f"No draw {options['draw_id']}")
        rerun = draw_rerun(draw)
        self.stdout.write(
            f"抽取 {draw.pk}：名录库哈希{'一致' if rerun.pool_hash_ok else '不一致'}，"
            f"种子{'一致' if rerun.seed_ok else '不一致'}，抽中主体{'一致' if rerun.objects_ok else '不一致'}，"
            f"检查人员{'一致' if rerun.inspectors_ok else '不一致'}"
        )
        if rerun.ok:
            self.stdout.write(f"复算结果与记录一致 / the re-run yields the recorded draw (seed {rerun.seed})")
            return
        for line in rerun.differences:
            self.stderr.write(line)
        self.stderr.write("复算结果与记录不一致 / the re-run does not yield the recorded draw")
        sys.exit(1)
