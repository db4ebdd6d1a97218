"""``wangjian backup DEST``: one archive of the instance — database, stored files, signing keys, manifest.

wangjian backup /srv/backups/                      # → /srv/backups/wangjian-backup-20261205-023000.tar.gz
wangjian backup /srv/backups/jingde.tar.gz [--format json]
"""

from __future__ import annotations

from pathlib import Path

from wangjian.core.management.base import WangjianCommand
from wangjian.platform.backup import backup_create, counts_line
from wangjian.platform.backup.database import FORMAT_NAMES

AREAS = {
    "database": ("数据库", "database"),
    "storage": ("存储对象", "stored objects"),
    "keys": ("签名私钥", "signing keys"),
    "home": ("实例密钥", "secret key"),
}


class Command(WangjianCommand):
    help = "备份：数据库、证据存储中的全部文件、签名私钥和清单（逐个文件的SHA-256）写入一个归档文件"

    def add_arguments(self, parser):
        parser.add_argument("dest", help="备份文件（.tar.gz / .tgz / .tar），或目录（在其中按时间命名）")
        parser.add_argument(
            "--format",
            choices=["native", "json"],
            default="native",
            help="数据库格式：native（SQLite在线备份/pg_dump，默认）或 json（dumpdata，可在SQLite与PostgreSQL间迁移）",
        )

    def handle(self, *args, **opts):
        result = backup_create(dest=Path(opts["dest"]).expanduser(), portable=opts["format"] == "json")
        db = result.manifest["database"]
        zh, en = FORMAT_NAMES[db["format"]]
        self.stdout.write(f"备份完成 / backup written: {result.path} ({result.archive_bytes:,} bytes)")
        self.stdout.write(f"数据库 / database: {db['engine']}，{zh} / {en}")
        if db["note"]:
            self.stdout.write(f"  {db['note']}")
        self.stdout.write(counts_line(result.counts))
        areas = "，".join(
            f"{AREAS.get(k, (k, k))[0]} / {AREAS.get(k, (k, k))[1]} {n}"
            for k, n in result.manifest["areas"].items()
        )
        self.stdout.write(f"文件 / files {result.files}（{areas}），字节 / bytes {result.bytes:,}")
        self.stdout.write(f"清单 SHA-256 / manifest SHA-256: {result.manifest_sha256}")
        for key, (before, after) in result.changed.items():
            self.stderr.write(
                f"注意 / note: {key} 在备份期间由 {before} 变为 {after}：数据库快照之后写入的文件也在备份中，"
                f"恢复后的校验可能指出它们；请在无人使用时备份 / changed from {before} to {after} while the "
                "backup ran: files written after the database snapshot are in it too, and the verification "
                "after a restore may name them; back up when the instance is quiet"
            )
        self.stdout.write(
            "请将备份加密后保存在本机以外，并另行记录清单 SHA-256 / keep the backup off this machine, encrypted, "
            "and record the manifest SHA-256 apart from it"
        )
