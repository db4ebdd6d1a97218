"""The content-addressed store: a local folder, or an S3-compatible bucket (a real S3 endpoint on 127.0.0.1)."""

from __future__ import annotations

import hashlib

import pytest

from wangjian.evidence.store import BlobMissing, LocalBlobStore, S3BlobStore, get_store


def test_local_store_names_blobs_by_sha256_and_never_rewrites(tmp_path):
    store = LocalBlobStore(tmp_path)
    digest = store.put("宣纸".encode())
    assert digest == hashlib.sha256("宣纸".encode()).hexdigest()
    path = store.path(digest)
    assert path == tmp_path / "evidence" / "sha256" / digest[:2] / digest[2:4] / digest
    before = path.stat().st_mtime_ns
    assert store.put("宣纸".encode()) == digest and path.stat().st_mtime_ns == before
    with pytest.raises(BlobMissing):
        store.get("0" * 64)


def test_s3_url_selects_the_s3_store_with_its_prefix():
    store = get_store("s3://evidence-bucket/jingde")
    assert isinstance(store, S3BlobStore)
    digest = hashlib.sha256(b"x").hexdigest()
    assert store.describe(digest) == f"s3://evidence-bucket/jingde/evidence/sha256/{digest[:2]}/{digest}"


def test_s3_store_writes_each_blob_once_under_its_hash_in_the_bucket(s3):
    store = get_store()
    assert isinstance(store, S3BlobStore)
    digest = store.put("宣纸".encode())
    key = f"jingde/evidence/sha256/{digest[:2]}/{digest}"
    assert s3.keys() == [key]
    assert store.describe(digest) == f"s3://{s3.bucket}/{key}"
    assert store.exists(digest) and store.get(digest) == "宣纸".encode()
    first = s3.client.head_object(Bucket=s3.bucket, Key=key)["LastModified"]
    assert store.put("宣纸".encode()) == digest  # a second write of the same bytes is a no-op
    assert s3.client.head_object(Bucket=s3.bucket, Key=key)["LastModified"] == first
    store.remove(digest)
    assert not store.exists(digest) and s3.keys() == []
    with pytest.raises(BlobMissing):
        store.get(digest)


def test_a_capture_kept_in_s3_verifies_and_a_lost_object_is_named(s3, bureau, site):
    from wangjian.evidence import selectors, services

    capture = services.evidence_capture(
        url=site.url("/shop.html"), operators=["张三", "李四"], purpose="价格检查", bureau=bureau, mode="http"
    ).capture
    assert selectors.evidence_verify(capture_ids=[capture.pk]).ok
    stored = {k.rsplit("/", 1)[1] for k in s3.keys()}
    assert {f.sha256 for f in capture.files.all()} <= stored

    text = capture.files.get(name="text.txt")
    s3.client.delete_object(Bucket=s3.bucket, Key=f"jingde/evidence/sha256/{text.sha256[:2]}/{text.sha256}")
    problems = [str(p) for p in selectors.evidence_verify(capture_ids=[capture.pk]).problems]
    assert len(problems) == 1 and "text.txt" in problems[0] and "文件缺失" in problems[0]


def test_invalid_hash_is_refused(tmp_path):
    from wangjian.core.errors import WangjianError

    with pytest.raises(WangjianError):
        LocalBlobStore(tmp_path).get("../../etc/passwd")
