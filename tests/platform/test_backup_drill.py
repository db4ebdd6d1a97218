"""The backup drill: a demo instance backed up, wiped, restored into the empty home, and verified.

Run against the database of the run: SQLite by default; PostgreSQL when ``WANGJIAN_DATABASE_URL``
names one (CI's second run), on a database of the drill's own, made and dropped here, so that it
never meets the test database. Every step is the ``wangjian`` command in its own process, as an
operator would run it.

The demo is ``wangjian demo``'s without the monitoring sweep (half a minute of crawling that
adds nothing a backup treats differently), plus captures enough for several signed checkpoints
anchored in the store, and a clue attachment.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from tests.journeys import create_migrated_postgres, postgres_admin

REPO = Path(__file__).resolve().parents[2]

SETUP = """
import http.server, io, sys, threading
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.management import call_command
from wangjian.clues.models import Clue
from wangjian.clues.services import attachment_add
from wangjian.core.models import AllowedAddress
from wangjian.evidence import services as evidence
from wangjian.org import demo as org_demo
from wangjian.platform import demo

call_command("init", bureau_name="旌德县市场监督管理局", bureau_code="341825", admin_password="Demo2025pass",
             stdout=io.StringIO())
org = org_demo.build(password="Demo2025pass")
AllowedAddress.objects.get_or_create(network="127.0.0.1/32", defaults={"reason": "drill"})
for loader in demo.loaders():
    if loader.label != "monitoring":
        loader.load(org, io.StringIO())


class Shop(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"<html><title>网店 {self.path}</title><body>原价888元，现价288元 {self.path}</body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Shop)
threading.Thread(target=server.serve_forever, daemon=True).start()
for n in range(5):
    outcome = evidence.evidence_capture(
        url=f"http://127.0.0.1:{server.server_port}/shop/{n}.html", operators=["甲", "乙"],
        purpose="备份演练", mode="http", bureau=org.county,
    )
    assert outcome.capture.status == "ok", outcome.capture.failure_detail
server.shutdown()
clue = Clue.objects.filter(bureau=org.county).order_by("pk").first()
attachment_add(clue=clue, file=ContentFile("投诉人提交的截图说明".encode(), name="投诉材料.txt"), user=None)
"""

# Every row of every table (a digest per table), and the clues, captures and ledger by name and hash.
FACTS = """
import hashlib, json
import django
django.setup()
from django.apps import apps
from wangjian.clues.models import Clue, ClueAttachment
from wangjian.evidence.models import EvidenceCapture, EvidenceFile, LedgerCheckpoint, LedgerEntry
from wangjian.evidence.store import get_store

tables = {}
for model in apps.get_models(include_auto_created=True):
    fields = [f.attname for f in model._meta.concrete_fields]
    digest, n = hashlib.sha256(), 0
    for row in model._base_manager.order_by("pk").values_list(*fields):
        digest.update(json.dumps(row, default=str, sort_keys=True, ensure_ascii=False).encode())
        n += 1
    tables[model._meta.label] = [n, digest.hexdigest()]
store = get_store()
print(json.dumps({
    "tables": tables,
    "clues": sorted(Clue.objects.values_list("number", "state")),
    "captures": sorted(EvidenceCapture.objects.values_list("pk", "metadata_sha256")),
    "files": sorted((f.sha256, hashlib.sha256(store.get(f.sha256)).hexdigest()) for f in EvidenceFile.objects.all()),
    "ledger": sorted(LedgerEntry.objects.values_list("bureau__code", "seq", "entry_hash")),
    "checkpoints": sorted(LedgerCheckpoint.objects.values_list("bureau__code", "number", "signature")),
    "attachments": sorted(
        (a.name, hashlib.sha256(a.file.open("rb").read()).hexdigest()) for a in ClueAttachment.objects.all()
    ),
}, ensure_ascii=False))
"""


class Instance:
    """One instance's environment: its home and its database (a SQLite file in the home, or PostgreSQL)."""

    def __init__(self, home: Path, database_url: str | None):
        self.home, self.database_url = home, database_url
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("WANGJIAN_", "DJANGO_"))}
        self.env.update(
            WANGJIAN_HOME=str(home),
            DJANGO_SETTINGS_MODULE="tests.org.cli_settings",
            PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
            WANGJIAN_FETCH_ALLOW="127.0.0.1/32",
            WANGJIAN_EVIDENCE_CHECKPOINT_EVERY="3",
        )
        if database_url:
            self.env["WANGJIAN_DATABASE_URL"] = database_url

    def python(self, script: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", script],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            cwd=self.home,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def wangjian(self, *args: str) -> subprocess.CompletedProcess:
        command = [str(Path(sys.executable).with_name("wangjian")), *args]
        return subprocess.run(
            command, env=self.env, capture_output=True, text=True, timeout=300, cwd=self.home
        )


@pytest.fixture
def instance(tmp_path, request):
    """The drill's instance: SQLite, or a PostgreSQL database of its own when the run uses PostgreSQL."""
    url = os.environ.get("WANGJIAN_DATABASE_URL", "")
    home = tmp_path / "home"
    home.mkdir()
    if not url.startswith(("postgres://", "postgresql://")):
        # Its database starts migrated (a copy): the drill is about the backup, the restore migrates a wiped one.
        request.getfixturevalue("migrated_sqlite")(home / "wangjian.sqlite3")
        yield Instance(home, None), lambda: None
        return
    admin, server = postgres_admin(url)
    name = f"wangjian_drill_{os.getpid()}"
    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    # Migrated too, as on SQLite (a copy of a migrated template); the restore goes into an empty one.
    create_migrated_postgres(admin, server, name)

    def wipe_database():
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")

    try:
        yield Instance(home, f"{server}/{name}"), wipe_database
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


class Clock:
    def __init__(self):
        self.start = self.last = time.monotonic()
        self.laps: list[str] = []

    def lap(self, what: str) -> None:
        now = time.monotonic()
        self.laps.append(f"{what} {now - self.last:.1f} s")
        self.last = now

    def __str__(self) -> str:
        return f"drill {time.monotonic() - self.start:.1f} s: " + ", ".join(self.laps)


def _wipe_home(home: Path) -> None:
    """What a lost machine leaves: nothing — no database file, no store, no keys, no secret key."""
    shutil.rmtree(home)
    home.mkdir()


def _damaged_copy(backup: Path, into: Path) -> str:
    """The backup as a plain tar with one evidence file's bytes changed; the member changed."""
    damaged = None
    with tarfile.open(backup, "r:*") as src, tarfile.open(into, "w") as out:
        for info in src:
            data = src.extractfile(info).read() if info.isfile() else None
            if damaged is None and info.name.startswith("storage/evidence/sha256/"):
                damaged = info.name
                data = bytes([data[0] ^ 1]) + data[1:]
            out.addfile(info, None if data is None else io.BytesIO(data))
    assert damaged
    return damaged


def test_the_drill_backs_up_wipes_restores_and_every_clue_capture_and_ledger_entry_comes_back(
    instance, tmp_path
):
    site, wipe_database = instance
    clock = Clock()
    before = json.loads(site.python(SETUP + FACTS))
    clock.lap("demo")
    assert len(before["captures"]) >= 6 and len(before["checkpoints"]) >= 2 and before["attachments"]
    assert len(before["clues"]) >= 9 and before["tables"]["registry.MarketEntity"][0] == 3000

    backups = tmp_path / "backups"
    backups.mkdir()
    made = site.wangjian("backup", str(backups))
    clock.lap("backup")
    assert made.returncode == 0, made.stderr
    print(made.stdout)
    archive = Path(re.search(r"backup written: (\S+) \(", made.stdout).group(1))
    assert archive.parent == backups and archive.name.endswith(".tar.gz")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # it holds the private keys
    manifest_sha256 = re.search(r"manifest SHA-256: ([0-9a-f]{64})", made.stdout).group(1)
    captures, entries = len(before["captures"]), len(before["ledger"])
    assert f"captures {captures}" in made.stdout and f"ledger entries {entries}" in made.stdout
    assert f"clues {len(before['clues'])}" in made.stdout and "entities 3000" in made.stdout
    assert re.search(r"signing keys 2", made.stdout)

    _wipe_home(site.home)
    wipe_database()

    restored = site.wangjian("restore", str(archive), "--manifest-sha256", manifest_sha256)
    clock.lap("restore")
    print(restored.stdout)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "restored and verified" in restored.stdout
    assert f"captures {captures}" in restored.stdout and f"ledger entries {entries}" in restored.stdout

    again = site.wangjian("restore", str(archive))
    assert again.returncode == 2 and "the database is not empty" in again.stderr

    member = _damaged_copy(archive, tmp_path / "damaged.tar")
    refused = site.wangjian("restore", "--force", str(tmp_path / "damaged.tar"))
    assert refused.returncode == 2 and member in refused.stderr and "nothing was restored" in refused.stderr

    verified = site.wangjian("evidence", "verify", "--all")
    assert verified.returncode == 0, verified.stdout
    after = json.loads(site.python(FACTS))
    assert after == before
    clock.lap("refusals, verify, compare")
    print(clock)
