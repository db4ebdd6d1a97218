"""The backup archive and the store copy, without a database: what a restore refuses, and where files go.

The whole round trip — demo, backup, wipe, restore, verify — is the drill (``test_backup_drill``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from wangjian.core.errors import WangjianError
from wangjian.platform.backup import archive, exactjson, files, parts


def _archive(path: Path, members: dict[str, bytes]) -> str:
    writer = archive.ArchiveWriter(path)
    for name, data in members.items():
        writer.add(name, len(data), io.BytesIO(data))
    return writer.finish({"format": archive.FORMAT, "members": writer.members})


def _rewrite(
    src: Path, dest: Path, change: dict[str, bytes | None], add: dict[str, bytes] | None = None
) -> None:
    """``src`` copied to ``dest`` with members replaced (or left out: None) and added."""
    with tarfile.open(src, "r:*") as tar, tarfile.open(dest, "w") as out:
        for info in tar:
            data = tar.extractfile(info).read()
            if info.name in change:
                if change[info.name] is None:
                    continue
                data = change[info.name]
                info.size = len(data)
            out.addfile(info, io.BytesIO(data))
        for name, data in (add or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


MEMBERS = {
    "database/wangjian.sqlite3": b"SQLite format 3\x00" + b"\x00" * 100,
    "keys/evidence-341825.ed25519.pem": b"-----BEGIN PRIVATE KEY-----\n",
    "storage/evidence/sha256/ab/ab/" + "ab" * 32: b"<html>evidence</html>",
}


def test_the_archive_is_written_whole_and_private_and_its_members_check(tmp_path):
    path = tmp_path / "b.tar.gz"
    digest = _archive(path, MEMBERS)
    assert not (tmp_path / "b.tar.gz.partial").exists()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    checked = archive.check(path, expected_manifest_sha256=digest)
    assert checked.files == 3 and checked.bytes == sum(len(v) for v in MEMBERS.values())
    listed = {m["name"]: m for m in checked.manifest["members"]}
    blob = "storage/evidence/sha256/ab/ab/" + "ab" * 32
    assert listed[blob]["sha256"] == hashlib.sha256(MEMBERS[blob]).hexdigest()


def test_a_damaged_member_is_refused_by_name(tmp_path):
    good, bad = tmp_path / "b.tar", tmp_path / "damaged.tar"
    _archive(good, MEMBERS)
    _rewrite(good, bad, {"keys/evidence-341825.ed25519.pem": b"-----BEGIN PRIVATE KEY----X\n"})
    with pytest.raises(WangjianError) as refused:
        archive.check(bad)
    assert (
        "keys/evidence-341825.ed25519.pem" in refused.value.zh and "nothing was restored" in refused.value.en
    )
    changed = hashlib.sha256(b"-----BEGIN PRIVATE KEY----X\n").hexdigest()
    assert refused.value.detail == [
        "keys/evidence-341825.ed25519.pem: SHA-256 或大小与清单不符 / SHA-256 or size differs from the manifest "
        f"(28 bytes, {changed[:16]}…; manifest 28 bytes, "
        f"{hashlib.sha256(MEMBERS['keys/evidence-341825.ed25519.pem']).hexdigest()[:16]}…)"
    ]


def test_a_missing_member_and_one_not_in_the_manifest_are_each_named(tmp_path):
    good, bad = tmp_path / "b.tar", tmp_path / "damaged.tar"
    _archive(good, MEMBERS)
    _rewrite(good, bad, {"database/wangjian.sqlite3": None}, add={"storage/planted.txt": b"x"})
    with pytest.raises(WangjianError) as refused:
        archive.check(bad)
    assert refused.value.detail == [
        "database/wangjian.sqlite3: 缺失 / missing",
        "storage/planted.txt: 不在清单中 / not in the manifest",
    ]


def test_a_manifest_changed_to_match_a_changed_member_is_refused_by_its_hash(tmp_path):
    good, bad = tmp_path / "b.tar", tmp_path / "damaged.tar"
    digest = _archive(good, MEMBERS)
    with tarfile.open(good) as tar:
        manifest = json.loads(tar.extractfile(archive.MANIFEST).read())
    manifest["members"][0]["size"] += 1
    _rewrite(good, bad, {archive.MANIFEST: json.dumps(manifest).encode()})
    with pytest.raises(WangjianError, match="manifest.json: SHA-256 与 manifest.json.sha256 不符"):
        archive.check(bad)
    # Rewriting the hash member too is caught by the hash recorded at backup time, kept apart.
    forged = json.dumps(manifest).encode()
    _rewrite(
        good,
        bad,
        {
            archive.MANIFEST: forged,
            archive.MANIFEST_HASH: f"{hashlib.sha256(forged).hexdigest()}  manifest.json\n".encode(),
        },
    )
    with pytest.raises(WangjianError, match="不是备份时记录的"):
        archive.check(bad, expected_manifest_sha256=digest)


def test_a_truncated_archive_is_refused_and_says_where_it_stopped(tmp_path):
    path = tmp_path / "b.tar.gz"
    _archive(path, {"storage/big.bin": bytes(range(256)) * 4096, **MEMBERS})
    data = path.read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(WangjianError, match="cannot be read to its end"):
        archive.check(cut)


def test_unsafe_names_and_other_suffixes_are_refused(tmp_path):
    for name in ("/etc/passwd", "storage/../../x", "storage//x", "a\\b", "x\n"):
        with pytest.raises(WangjianError):
            files.safe_name(name)
    with pytest.raises(WangjianError, match=r"\.tar\.gz"):
        archive.compressed(tmp_path / "b.zip")
    assert archive.compressed(tmp_path / "b.tgz") and not archive.compressed(tmp_path / "b.tar")


def test_the_json_format_keeps_every_microsecond_the_ledger_signed():
    moment = dt.datetime(2026, 12, 5, 4, 24, 59, 901552, tzinfo=dt.UTC)
    assert json.dumps(moment, cls=exactjson.ExactEncoder) == '"2026-12-05T04:24:59.901552Z"'
    assert json.dumps(dt.time(8, 30, 0, 123456), cls=exactjson.ExactEncoder) == '"08:30:00.123456"'


def test_the_apps_register_their_counts_check_keys_and_layout():
    assert {"captures", "ledger_entries", "checkpoints", "clues", "entities"} <= {
        c.key for c in parts.counts()
    }
    assert "evidence" in {c.key for c in parts.checks()}
    assert "keys" in {f.name for f in parts.folders()}
    with pytest.raises(WangjianError):
        parts.register_folder("storage", "存储", "storage", Path)


def test_a_local_store_restores_into_a_bucket_in_the_buckets_layout(s3, tmp_path, settings):
    """A bureau moving to S3-compatible storage restores its local folder's backup into the bucket."""
    from wangjian.evidence.store import LocalBlobStore, LocalRecordStore, get_records, get_store

    local = tmp_path / "storage"
    digest = LocalBlobStore(local).put(b"<html>evidence</html>")
    LocalRecordStore(local).create("341825/checkpoint-000000000001.json", b'{"number": 1}\n')
    (local / "clues" / "2026" / "12").mkdir(parents=True)
    (local / "clues" / "2026" / "12" / "photo.jpg").write_bytes(b"\xff\xd8photo")

    writer = files.StoreWriter()  # the bucket of WANGJIAN_STORAGE
    names = []
    for src in files.store_objects(str(local)):
        names.append(src.name)
        assert writer.existing(parts.placed(src.name, writer.kind)) is None
        writer.write(parts.placed(src.name, writer.kind), src.open(), mode=src.mode)
    assert f"evidence/sha256/{digest[:2]}/{digest[2:4]}/{digest}" in names
    assert get_store().get(digest) == b"<html>evidence</html>"
    assert get_records().read("341825/checkpoint-000000000001.json") == b'{"number": 1}\n'
    assert "jingde/clues/2026/12/photo.jpg" in s3.keys()
    # And back: the bucket's objects, named in the bucket's layout, go to a local folder in the folder's.
    back = tmp_path / "back"
    local_writer = files.StoreWriter(str(back))
    for src in files.store_objects():
        local_writer.write(parts.placed(src.name, "local"), src.open(), mode=src.mode)
    assert LocalBlobStore(back).get(digest) == b"<html>evidence</html>"
    assert local_writer.existing(f"evidence/sha256/{digest[:2]}/{digest[2:4]}/{digest}") == digest


def test_a_key_that_differs_is_refused_and_when_forced_kept_beside_the_restored_one(tmp_path, settings):
    from wangjian.platform.backup import services

    keys, store = tmp_path / "keys", tmp_path / "storage"
    settings.WANGJIAN_EVIDENCE_KEY_DIR, settings.WANGJIAN_STORAGE = str(keys), str(store)
    keys.mkdir()
    (keys / "evidence-341825.ed25519.pem").write_bytes(b"the key this machine made since")
    path = tmp_path / "b.tar"
    _archive(path, MEMBERS)
    checked = archive.check(path)
    with pytest.raises(WangjianError) as refused:
        services._plan(checked, files.StoreWriter(), force=False)
    assert str(keys / "evidence-341825.ed25519.pem") in refused.value.zh and "--force" in refused.value.en

    plan = services._plan(checked, files.StoreWriter(), force=True)
    assert services._apply(checked, plan, files.StoreWriter()) == (1, 1)
    restored = keys / "evidence-341825.ed25519.pem"
    assert restored.read_bytes() == MEMBERS["keys/evidence-341825.ed25519.pem"]
    assert oct(restored.stat().st_mode & 0o777) == "0o600"
    (kept,) = keys.glob("evidence-341825.ed25519.pem.before-restore-*")
    assert kept.read_bytes() == b"the key this machine made since"
    blob = store / "evidence" / "sha256" / "ab" / "ab" / ("ab" * 32)
    assert blob.read_bytes() == b"<html>evidence</html>"
    # Restored again: everything is there already, nothing to write.
    plan = services._plan(checked, files.StoreWriter(), force=False)
    assert (plan.store, plan.private, plan.present) == ({}, {}, 1)


def test_a_backup_is_never_written_inside_what_it_backs_up(tmp_path, settings):
    from wangjian.platform.backup import services

    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    (tmp_path / "storage").mkdir()
    with pytest.raises(WangjianError, match="inside a folder it backs up"):
        services.backup_path(tmp_path / "storage")
    (tmp_path / "elsewhere.tar.gz").write_bytes(b"")
    with pytest.raises(WangjianError, match="is not overwritten"):
        services.backup_path(tmp_path / "elsewhere.tar.gz")
