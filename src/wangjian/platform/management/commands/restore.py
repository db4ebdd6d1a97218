"""``wangjian restore SRC``: check a backup whole, restore it into this instance, verify.

wangjian restore /srv/backups/jingde.tar.gz [--force] [--manifest-sha256 HEX]

Stop ``wangjian serve``, ``worker`` and ``beat`` first. Exit 0: restored and verified; 1: restored,
but a count or a check (``evidence verify --all``) found a problem, listed; 2: refused, nothing
restored (a damaged backup, a database that is not empty, files that differ, a newer version).
"""

from __future__ import annotations

import sys
from pathlib import Path

from wangjian.core.management.base import WangjianCommand
from wangjian.platform.backup import backup_restore, counts_line


class Command(WangjianCommand):
    help = "恢复：先校验备份中每个文件的SHA-256，再恢复数据库、存储文件和签名私钥，最后校验电子数据"

    def add_arguments(self, parser):
        parser.add_argument("src", help="wangjian backup 写出的备份文件")
        parser.add_argument(
            "--force", action="store_true", help="以备份替换非空数据库和不同的文件（原文件改名保留）"
        )
        parser.add_argument(
            "--manifest-sha256", default="", help="备份时记录的清单 SHA-256（另行保存的那一份）"
        )

    def handle(self, *args, **opts):
        result = backup_restore(
            src=Path(opts["src"]).expanduser(), force=opts["force"], manifest_sha256=opts["manifest_sha256"]
        )
        manifest = result.checked.manifest
        self.stdout.write(
            f"备份校验通过 / backup checked: {result.checked.files} 个文件 files, {result.checked.bytes:,} bytes，"
            f"清单 / manifest {result.checked.manifest_sha256}"
        )
        self.stdout.write(
            f"来自 / made by wangjian {manifest.get('wangjian_version')} at {manifest.get('created_at')}，"
            f"数据库 / database {manifest['database']['engine']} ({manifest['database']['format']})"
        )
        self.stdout.write(
            f"已恢复 / restored: 存储对象 / stored objects {result.written}（已存在且相同 / already present "
            f"{result.present}），私钥等 / keys and secrets {result.private_files}"
        )
        if result.left:
            self.stdout.write(
                f"  存储中另有 {result.left} 个备份之外的对象，未改动 / objects not in the backup left as they were"
            )
        for name in result.replaced:
            self.stdout.write(f"  已替换（原文件改名保留）/ replaced, the old one kept beside: {name}")
        if result.migrated:
            self.stdout.write(f"  已执行本版本较新的迁移 / newer migrations applied: {result.migrated}")
        self.stdout.write(counts_line(result.counts, manifest.get("count_labels")))
        for difference in result.differences:
            self.stdout.write(f"✗ 数量与备份不符 / count differs: {difference}")
        for check, outcome in result.outcomes:
            for problem in outcome.problems:
                self.stdout.write(f"✗ {problem}")
            for note in outcome.notes:
                self.stdout.write(f"  {note}")
            status = "通过 / passed" if outcome.ok else f"失败 / FAILED ({len(outcome.problems)})"
            self.stdout.write(f"{check.zh} / {check.en}: {outcome.summary} — {status}")
        if not result.ok:
            self.stdout.write("恢复完成，但校验未通过 / restored, but the checks FAILED")
            sys.exit(1)
        self.stdout.write("恢复完成，校验通过 / restored and verified")
