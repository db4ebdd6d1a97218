"""The content-addressed store: local folder fully, S3 through django-storages (exercised with an in-memory stand-in)."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import InMemoryStorage

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


def test_s3_store_put_get_exists_remove_against_a_storage_backend():
    store = S3BlobStore("s3://evidence-bucket/jingde")
    store.storage = InMemoryStorage()  # stands in for the bucket; same Storage interface
    digest = store.put(b"page")
    assert store.exists(digest) and store.get(digest) == b"page"
    assert store.put(b"page") == digest  # a second write of the same bytes is a no-op
    store.remove(digest)
    assert not store.exists(digest)
    with pytest.raises(BlobMissing):
        store.get(digest)


def test_invalid_hash_is_refused(tmp_path):
    from wangjian.core.errors import WangjianError

    with pytest.raises(WangjianError):
        LocalBlobStore(tmp_path).get("../../etc/passwd")
