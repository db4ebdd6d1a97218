"""Benchmark of messages between two instances on loopback: a clue with a 1 MB evidence package, end to end.

    .venv/bin/python bench/exchange.py                  # 30 messages of about 1 MB
    .venv/bin/python bench/exchange.py --messages 60 --mb 1

Two real instances on this machine, each with its own home and SQLite database (a copy of one freshly migrated
database): this process is 旌德县 (341825), the sender; 安吉县 (330523) runs ``wangjian serve`` in its own
process. Each message is a clue whose evidence is one uploaded file of ``--mb`` MB of random bytes (the signed
WACZ package is about that size). Timed per message, in order:

* send: building the package and the message, signing, storing (``clues.services.clue_transfer_external``);
* deliver: one POST of the container, the receiver's checks (members, signature, agreement, the package's
  own signature and hashes), its intake of the clue, its signed receipt, and the sender's check of that
  receipt (``exchange.services.message_deliver``).

The baseline in the same run is a plain HTTP POST of the same container bytes to a server of the same kind
(waitress, in its own process) whose application reads the body and answers a short JSON — what moving the
bytes costs without any of the above. Prints messages per second of each and the ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

BASELINE_APP = """
import sys
from waitress import serve

def app(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length)
    out = b'{"status": "ok", "size": %d}' % len(body)
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(out)))])
    return [out]

serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=4, max_request_body_size=1 << 30, _quiet=True)
"""


def migrated(work: Path) -> Path:
    """A freshly migrated SQLite database, made once here and copied for both instances."""
    from wangjian.exchange import instance

    home = work / "migrated"
    home.mkdir()
    instance.run(home, "migrate", "-v0", timeout=1800)
    return home / "wangjian.sqlite3"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=30)
    parser.add_argument("--mb", type=float, default=1.0)
    parser.add_argument("--keep", action="store_true", help="keep the two homes")
    parser.add_argument("--database", help="a freshly migrated SQLite database to copy (skips migrating one)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="wj-bench-exchange-"))
    from wangjian.exchange import instance

    if args.database:
        database = Path(args.database)
    else:
        print("migrating one database for both instances …", flush=True)
        database = migrated(work)
    sender, receiver = work / "jingde", work / "anji"
    for home in (sender, receiver):
        home.mkdir()
        shutil.copyfile(database, home / "wangjian.sqlite3")
    instance.run(receiver, "init", "--bureau-name", "安吉县市场监督管理局", "--bureau-code", "330523")
    published = instance.run_json(receiver, "exchange", "keys", "--bureau", "330523")["bureaus"][0]

    os.environ.update({k: v for k, v in instance.environment(sender).items() if k.startswith("WANGJIAN_")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "wangjian.settings"
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    call_command(
        "init", bureau_name="旌德县市场监督管理局", bureau_code="341825", stdout=open(os.devnull, "w")
    )
    import datetime as dt

    from wangjian.clues import services as clue_services
    from wangjian.evidence import services as evidence_services
    from wangjian.evidence.ledger import bureau_key, package_key
    from wangjian.exchange import services
    from wangjian.exchange.models import Agreement, Category, State
    from wangjian.org.models import Bureau, User

    bureau = Bureau.objects.get(code="341825")
    admin = User.objects.get(username="admin")
    _private, row = bureau_key(bureau)
    package_key(bureau)
    row.refresh_from_db()
    (work / "k.pem").write_text(row.public_key_pem)
    (work / "p.pem").write_text(row.package_public_key_pem)
    port, baseline_port = instance.free_port(), instance.free_port()
    partner = services.partner_save(
        user=admin,
        bureau=bureau,
        code="330523",
        name="安吉县市场监督管理局",
        endpoint=f"http://127.0.0.1:{port}/",
        public_key_pem=published["public_key_pem"],
        package_public_key_pem=published["package_public_key_pem"],
    )
    Agreement.objects.create(
        partner=partner,
        reference="bench",
        categories=[Category.ENFORCEMENT],
        valid_from=dt.date(2026, 1, 1),
        review_before_sending=False,
    )
    instance.run(
        receiver,
        "exchange",
        "partner-add",
        "--bureau",
        "330523",
        "--code",
        "341825",
        "--key-file",
        str(work / "k.pem"),
        "--package-key-file",
        str(work / "p.pem"),
    )
    instance.run(
        receiver,
        "exchange",
        "agreement",
        "--bureau",
        "330523",
        "--partner",
        "341825",
        "--reference",
        "bench",
        "--categories",
        "enforcement",
        "--from",
        "2026-01-01",
        "--no-review",
    )
    server = instance.serve(receiver, port)
    baseline = subprocess.Popen([sys.executable, "-c", BASELINE_APP, str(baseline_port)])
    import httpx

    for _ in range(100):
        try:
            httpx.post(f"http://127.0.0.1:{baseline_port}/", content=b"x")
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    size = int(args.mb * 1024 * 1024)
    send_times, deliver_times, bundles = [], [], []
    try:
        for i in range(args.messages):
            capture = evidence_services.evidence_upload(
                files=[SimpleUploadedFile(f"shot{i}.png", os.urandom(size), content_type="image/png")],
                kind="screen",
                description=f"截图 {i}",
                operators=["甲", "乙"],
                purpose="bench",
                bureau=bureau,
            ).capture
            clue = clue_services.clue_intake(
                bureau=bureau,
                source_kind="monitoring",
                domain="internet_advertising",
                facts=f"基准测试线索 {i}",
                evidence_refs=[f"capture:{capture.pk}"],
            ).clue
            t0 = time.perf_counter()
            _event, message = clue_services.clue_transfer_external(
                clue=clue, user=admin, partner=partner, reason="bench", deliver=False
            )
            t1 = time.perf_counter()
            message = services.message_deliver(message.pk)
            t2 = time.perf_counter()
            if message.state != State.DELIVERED:
                raise SystemExit(f"message {i} not delivered: {message.last_error or message.reason_zh}")
            send_times.append(t1 - t0)
            deliver_times.append(t2 - t1)
            with message.bundle.open("rb") as fh:
                bundles.append(fh.read())
        baseline_times = []
        with httpx.Client() as http:
            for data in bundles:
                t0 = time.perf_counter()
                http.post(f"http://127.0.0.1:{baseline_port}/", content=data).raise_for_status()
                baseline_times.append(time.perf_counter() - t0)
    finally:
        instance.stop(server)
        baseline.terminate()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    mean_size = statistics.mean(len(b) for b in bundles) / 1024 / 1024
    end_to_end = [s + d for s, d in zip(send_times, deliver_times, strict=True)]
    rate = len(end_to_end) / sum(end_to_end)
    delivered = len(deliver_times) / sum(deliver_times)
    plain = len(baseline_times) / sum(baseline_times)
    print(
        f"{len(bundles)} messages, {mean_size:.2f} MB each (one signed WACZ package of {args.mb} MB of data)"
    )
    print(f"send (package, sign, store):  median {statistics.median(send_times) * 1000:7.1f} ms")
    print(
        f"deliver (POST, checks, intake, receipt): median {statistics.median(deliver_times) * 1000:7.1f} ms"
    )
    print(f"end to end:   {rate:6.2f} messages/s")
    print(f"deliver only: {delivered:6.2f} messages/s")
    print(f"plain POST:   {plain:6.2f} messages/s (baseline, same bytes, same server software)")
    print(f"ratio plain/end-to-end {plain / rate:.1f}x, plain/deliver {plain / delivered:.1f}x")


if __name__ == "__main__":
    main()
