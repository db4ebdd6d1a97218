"""Bounded uploads: an import over its cap is refused before it is read, a zip bomb before it is parsed,
and the page and the API say the same; a refused file is recorded on a failed batch with the reason."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.registry.conftest import REGISTRY_HEADER_ZH, REGISTRY_ROWS, csv_bytes, xlsx_bytes
from wangjian.core import uploads
from wangjian.core.errors import ValidationFailed
from wangjian.registry import services
from wangjian.registry.choices import ImportStatus
from wangjian.registry.models import ImportBatch

pytestmark = pytest.mark.django_db

API = "/api/registry/import-batches/"


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")


def kept() -> list[str]:
    try:
        return services.uploads().listdir("")[1]
    except FileNotFoundError:
        return []


def zip_bomb() -> bytes:
    """A workbook whose first sheet declares 16 MB of XML that compresses a thousandfold."""
    good = zipfile.ZipFile(io.BytesIO(xlsx_bytes(REGISTRY_HEADER_ZH, REGISTRY_ROWS)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in good.infolist():
            data = good.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"<!--" + b" " * (64 * 1024 * 1024) + b"--></sheetData>")
            bomb.writestr(info.filename, data)
    return out.getvalue()


def never_parsed(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to parse a file the zip check should have refused")

    monkeypatch.setattr("openpyxl.load_workbook", refuse)


def test_an_upload_over_the_cap_is_refused_by_page_and_api_alike(demo, login, api, settings):
    settings.WANGJIAN_IMPORT_MAX_BYTES = 2000
    content = csv_bytes(REGISTRY_HEADER_ZH, REGISTRY_ROWS * 20)
    assert len(content) > 2000
    page = login(demo.users["office"]).post(
        reverse("registry:import_upload"), {"kind": "registry", "file": SimpleUploadedFile("r.csv", content)}
    )
    r = api(demo.users["office"]).post(
        API, {"kind": "registry", "file": SimpleUploadedFile("r.csv", content)}, format="multipart"
    )
    message = uploads.too_large(uploads.IMPORT).zh
    assert r.status_code == 413 and r.json()["error"]["zh"] == message and r.json()["error"]["en"]
    assert page.status_code == 413 and message in page.content.decode()
    assert kept() == [] and not ImportBatch.objects.exists()


def test_a_body_claiming_three_gigabytes_is_refused_before_it_is_read(demo, login, api):
    """The test client's payload holds a few bytes: reading past them would fail the request itself."""
    three_gb = str(3 * 1024**3)
    page = login(demo.users["office"]).post(
        reverse("registry:import_upload"), {"kind": "registry"}, CONTENT_LENGTH=three_gb
    )
    r = api(demo.users["office"]).post(API, {"kind": "registry"}, format="multipart", CONTENT_LENGTH=three_gb)
    assert page.status_code == 413 and r.status_code == 413
    assert r.json()["error"]["code"] == "too_large" and r.json()["error"]["detail"]["size"] == int(three_gb)


def test_the_service_refuses_a_file_over_the_cap_and_the_batch_says_why(demo, settings):
    """Whoever calls it — a page, the API, another caller — the service holds the cap too."""
    settings.WANGJIAN_IMPORT_MAX_BYTES = 100
    with pytest.raises(uploads.UploadTooLarge) as exc:
        services.upload_receive(
            bureau=demo.county,
            kind="registry",
            file=ContentFile(b"x" * 101, name="r.csv"),
            file_name="r.csv",
            user=demo.users["office"],
        )
    assert exc.value.http_status == 413 and exc.value.zh == uploads.too_large(uploads.IMPORT).zh
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.FAILED and batch.file_name == "r.csv"
    assert batch.message == str(exc.value) and batch.finished_at is not None
    assert kept() == []


def test_an_xlsx_whose_members_expand_past_the_cap_is_refused_before_parsing(
    demo, write, settings, monkeypatch
):
    settings.WANGJIAN_ZIP_MAX_BYTES = 4096  # an ordinary small workbook declares more than this
    path = write("登记.xlsx", xlsx_bytes(REGISTRY_HEADER_ZH, REGISTRY_ROWS))
    never_parsed(monkeypatch)
    with pytest.raises(ValidationFailed) as exc:
        services.registry_import(bureau=demo.county, path=path, user=demo.users["office"])
    assert exc.value.code == "zip_bomb" and "解压后" in exc.value.zh and "uncompressed" in exc.value.en
    batch = ImportBatch.objects.get()  # the command line's import: the refused file has its batch
    assert batch.status == ImportStatus.FAILED and batch.message == str(exc.value)
    assert batch.sha256 and batch.total_rows == 0


def test_an_xlsx_compressed_a_thousandfold_is_refused_as_a_zip_bomb(demo, write, monkeypatch):
    bomb = zip_bomb()
    assert len(bomb) < 200 * 1024
    never_parsed(monkeypatch)
    with pytest.raises(ValidationFailed) as exc:
        services.registry_import(bureau=demo.county, path=write("bomb.xlsx", bomb))
    assert exc.value.code == "zip_bomb" and "xl/worksheets/sheet1.xml" in exc.value.zh
    assert exc.value.detail["ratio"] > 100
    assert ImportBatch.objects.get().status == ImportStatus.FAILED


def test_a_zip_bomb_sent_to_the_page_and_the_api_is_refused_alike_and_each_batch_says_why(
    demo, login, api, monkeypatch
):
    bomb = zip_bomb()
    never_parsed(monkeypatch)
    page = login(demo.users["office"]).post(
        reverse("registry:import_upload"), {"kind": "registry", "file": SimpleUploadedFile("b.xlsx", bomb)}
    )
    r = api(demo.users["office"]).post(
        API, {"kind": "registry", "file": SimpleUploadedFile("b.xlsx", bomb)}, format="multipart"
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "zip_bomb"
    message = r.json()["error"]["zh"]
    assert page.status_code == 200 and message in page.content.decode()
    batches = ImportBatch.objects.all()
    assert [b.status for b in batches] == [ImportStatus.FAILED, ImportStatus.FAILED]
    assert all(message in b.message and b.sha256 and b.file_name == "b.xlsx" for b in batches)
    assert kept() == []  # nothing waits for an import that will never run


def test_an_ordinary_workbook_passes_the_checks_and_is_read_in_read_only_mode(demo, write, monkeypatch):
    import openpyxl

    modes = []
    real = openpyxl.load_workbook

    def spy(*args, **kwargs):
        modes.append(kwargs.get("read_only"))
        return real(*args, **kwargs)

    monkeypatch.setattr("openpyxl.load_workbook", spy)
    path = write("登记.xlsx", xlsx_bytes(REGISTRY_HEADER_ZH, REGISTRY_ROWS))
    batch = services.registry_import(bureau=demo.county, path=path)
    assert batch.created_count == 4 and modes == [True]
