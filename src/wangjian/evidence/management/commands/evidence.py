"""``wangjian evidence``: capture, verify, export, checkpoint, public key, purge.

wangjian evidence capture URL [--case REF] [--operator NAME]… [--purpose TEXT] [--http] [--json]
wangjian evidence verify [ID … | --all] [--json]
wangjian evidence export ID --out FILE.wacz [--reason TEXT]
wangjian evidence checkpoint [--bureau CODE]
wangjian evidence pubkey [--bureau CODE]
wangjian evidence purge
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from wangjian.core.errors import NotFoundError, ValidationFailed
from wangjian.core.management.base import WangjianCommand
from wangjian.evidence import ledger, selectors, services
from wangjian.evidence.choices import CaptureStatus
from wangjian.evidence.models import EvidenceCapture
from wangjian.org.models import Bureau


def _bureau(code: str | None) -> Bureau:
    """The capturing bureau: ``--bureau CODE``, else the bureau of the instance's administrator."""
    from wangjian.org.models import User

    if code:
        bureau = Bureau.objects.filter(code=code).first()
        if bureau is None:
            raise NotFoundError(f"没有代码为 {code} 的局", f"no bureau with code {code}")
        return bureau
    admin = User.objects.filter(is_superuser=True, bureau__isnull=False).order_by("id").first()
    if admin is not None:
        return admin.bureau
    if Bureau.objects.count() == 1:
        return Bureau.objects.get()
    raise ValidationFailed("请用 --bureau 指定取证单位", "name the capturing bureau with --bureau")


class Command(WangjianCommand):
    help = "电子数据取证：capture 取证、verify 校验、export 导出证据包、checkpoint 签名台账、pubkey 导出公钥、purge 清理到期证据"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        cap = sub.add_parser("capture", help="取证一个网址（最后一行输出取证记录编号）")
        cap.add_argument("url")
        cap.add_argument("--case", default="", help="线索/案件编号")
        cap.add_argument(
            "--operator", action="append", default=[], help="取证人员（可重复，应为两名执法人员）"
        )
        cap.add_argument("--purpose", default="网络交易监测取证", help="取证事由")
        cap.add_argument("--bureau", help="取证单位的行政区划代码")
        cap.add_argument("--http", action="store_true", help="不用浏览器，仅以HTTP请求取证")
        cap.add_argument("--timeout", type=float, default=None, help="超时秒数")
        cap.add_argument("--json", action="store_true", help="输出完整记录(JSON)")
        ver = sub.add_parser(
            "verify", help="重新计算哈希、校验台账链与签名、与证据存储中锚定的检查点比对；有问题时退出码非零"
        )
        ver.add_argument("ids", nargs="*", type=int)
        ver.add_argument("--all", action="store_true")
        ver.add_argument("--json", action="store_true")
        exp = sub.add_parser("export", help="导出签名的证据包(WACZ)")
        exp.add_argument("id", type=int)
        exp.add_argument("--out", required=True)
        exp.add_argument("--reason", default="", help="导出事由")
        exp.add_argument("--no-pdf", action="store_true", help="不生成取证工作记录PDF")
        chk = sub.add_parser("checkpoint", help="立即签名台账检查点")
        chk.add_argument("--bureau")
        pub = sub.add_parser("pubkey", help="输出本局的取证签名公钥(PEM)")
        pub.add_argument("--bureau")
        chp = sub.add_parser("check", help="核验证据包：文件哈希、清单摘要、签名（可指定本局公钥）")
        chp.add_argument("file")
        chp.add_argument("--pubkey", help="本局公布的公钥(PEM)文件")
        sub.add_parser("purge", help="删除保存期限届满且未被未结事项关联的证据")

    def handle(self, *args, **opts):
        return getattr(self, f"do_{opts['action']}")(opts)

    def do_capture(self, opts):
        outcome = services.evidence_capture(
            url=opts["url"],
            operators=opts["operator"] or ["命令行取证"],
            purpose=opts["purpose"],
            case_ref=opts["case"],
            mode="http" if opts["http"] else "browser",
            bureau=_bureau(opts["bureau"]),
            timeout=opts["timeout"],
        )
        c = outcome.capture
        for note in outcome.notes:
            self.stderr.write(note)
        if opts["json"]:
            self.stdout.write(json.dumps(selectors.capture_summary(c), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"{c.get_status_display()} / {c.status}: {c.url} → {c.final_url or '—'}")
            for f in c.files.all():
                self.stdout.write(f"  {f.sha256}  {f.name}")
        self.stdout.write(str(c.pk))
        if c.status == CaptureStatus.FAILED:
            # Recorded as failed (the attempt is in the ledger), and the shell is told so.
            self.stderr.write(f"{c.get_failure_reason_display()}: {c.failure_detail}")
            sys.exit(1)

    def do_verify(self, opts):
        if not opts["all"] and not opts["ids"]:
            raise ValidationFailed("请给出取证记录编号或 --all", "give capture ids or --all")
        report = selectors.evidence_verify(capture_ids=None if opts["all"] else opts["ids"])
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            for problem in report.problems:
                self.stdout.write(f"✗ {problem}")
            for note in report.notes:
                self.stdout.write(f"  {note}")
            summary = (
                f"取证记录 {report.captures}，文件 {report.files}，台账条目 {report.entries}，"
                f"签名检查点 {report.checkpoints} / captures {report.captures}, files {report.files}, "
                f"ledger entries {report.entries}, checkpoints {report.checkpoints}"
            )
            self.stdout.write(summary)
            self.stdout.write(
                "校验通过 / verified" if report.ok else f"校验失败：{len(report.problems)} 处 / FAILED"
            )
        if not report.ok:
            sys.exit(1)

    def do_export(self, opts):
        capture = EvidenceCapture.objects.select_related("bureau").filter(pk=opts["id"]).first()
        if capture is None:
            raise NotFoundError(f"取证记录 {opts['id']} 不存在", f"capture {opts['id']} does not exist")
        data = services.evidence_export(
            capture=capture, reason=opts["reason"] or "命令行导出", pdf=not opts["no_pdf"]
        )
        out = Path(opts["out"])
        out.write_bytes(data)
        self.stdout.write(f"已导出 / exported: {out} ({len(data)} bytes)")

    def do_checkpoint(self, opts):
        bureaus = (
            [_bureau(opts["bureau"])]
            if opts["bureau"]
            else list(Bureau.objects.filter(evidence_ledger__isnull=False).distinct())
        )
        for bureau in bureaus:
            cp = services.evidence_checkpoint(bureau=bureau)
            if cp:
                self.stdout.write(f"{bureau.code} #{cp.seq} {cp.entry_hash} {cp.signature}")

    def do_pubkey(self, opts):
        _, row = ledger.bureau_key(_bureau(opts["bureau"]))
        # The package key first: it is the one reviewers check evidence packages with.
        self.stdout.write(row.package_public_key_pem.strip())
        self.stdout.write(row.public_key_pem.strip())
        self.stderr.write(f"证据包签名公钥 / package key (ECDSA P-256) SHA-256: {row.package_fingerprint}")
        self.stderr.write(f"台账签名公钥 / ledger key (Ed25519) SHA-256: {row.fingerprint}")

    def do_check(self, opts):
        from wangjian.evidence.package import check_package

        pem = Path(opts["pubkey"]).read_text() if opts["pubkey"] else None
        result = check_package(Path(opts["file"]).read_bytes(), public_key_pem=pem)
        for problem in result.problems:
            self.stdout.write(f"✗ {problem}")
        self.stdout.write(
            "证据包核验通过 / package verified" if result.ok else "证据包核验失败 / package FAILED"
        )
        if not result.ok:
            sys.exit(1)

    def do_purge(self, opts):
        result = services.evidence_purge_expired()
        self.stdout.write(json.dumps(result, ensure_ascii=False))
