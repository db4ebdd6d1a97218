"""Files of every app live in areas of WANGJIAN_STORAGE: a local folder, or a bucket all machines share."""

from __future__ import annotations

import os

import pytest
from django.core.files.base import ContentFile

from wangjian.core import storage


def test_a_local_area_is_a_folder_under_the_storage_location(settings, tmp_path):
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    name = storage.area("clues").save("2026/11/投诉信.txt", ContentFile("举报内容".encode()))
    assert (tmp_path / "storage" / "clues" / name).read_text() == "举报内容"


def test_an_s3_area_is_a_prefix_in_the_bucket(s3):
    name = storage.area("clues").save("2026/11/投诉信.txt", ContentFile("举报内容".encode()))
    assert s3.keys() == [f"jingde/clues/{name}"]
    body = s3.client.get_object(Bucket=s3.bucket, Key=f"jingde/clues/{name}")["Body"].read()
    assert body.decode() == "举报内容"


def test_a_local_file_is_read_in_place(settings, tmp_path):
    settings.WANGJIAN_STORAGE = str(tmp_path)
    area = storage.area("registry-uploads")
    name = area.save("a.csv", ContentFile(b"x,y\n"))
    with storage.local_copy(area, name) as path:
        assert path == tmp_path / "registry-uploads" / name
    assert (tmp_path / "registry-uploads" / name).exists()


def test_an_object_is_read_through_a_temporary_copy_removed_afterwards(s3):
    area = storage.area("registry-uploads")
    name = area.save("a.csv", ContentFile(b"x,y\n" * 100_000))
    with storage.local_copy(area, name) as path:
        assert path.read_bytes() == b"x,y\n" * 100_000 and path.suffix == ".csv"
    assert not os.path.exists(path)
    assert s3.keys() == [f"jingde/registry-uploads/{name}"]  # the stored object stays


@pytest.mark.parametrize("where", ["local", "s3"])
def test_a_file_not_stored_is_not_found(where, request, settings, tmp_path):
    if where == "s3":
        request.getfixturevalue("s3")
    else:
        settings.WANGJIAN_STORAGE = str(tmp_path)
    with pytest.raises(FileNotFoundError):
        with storage.local_copy(storage.area("registry-uploads"), "gone.csv"):
            pass


def test_a_model_field_storage_follows_the_setting_at_each_use(settings, tmp_path):
    """Django builds a field's storage once; the area is found again at each call."""
    field_storage = storage.AreaStorage("clues")
    settings.WANGJIAN_STORAGE = str(tmp_path / "one")
    first = field_storage.save("a.txt", ContentFile(b"1"))
    settings.WANGJIAN_STORAGE = str(tmp_path / "two")
    second = field_storage.save("b.txt", ContentFile(b"2"))
    assert (tmp_path / "one" / "clues" / first).exists() and (tmp_path / "two" / "clues" / second).exists()
    assert field_storage.exists(second) and not field_storage.exists(first)
    assert field_storage.deconstruct() == ("wangjian.core.storage.AreaStorage", ("clues",), {})
