"""Importing the permit data (许可证和备案数据): rejected rows kept with their reasons, idempotent upserts,
the import page and the API, the list, a permit's page, and who may import."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.registry.conftest import HONGDA, csv_bytes, xlsx_bytes
from wangjian.core.errors import PermissionDeniedError
from wangjian.core.models import ChangeRecord
from wangjian.registry import services
from wangjian.registry.choices import ImportKind, ImportStatus, PermitKind, PermitStatus
from wangjian.registry.models import ImportBatch, Permit
from wangjian.registry.selectors import permit_lookup

pytestmark = pytest.mark.django_db

HEADER = [
    "许可类型",
    "许可证编号",
    "经营者名称",
    "统一社会信用代码",
    "发证日期",
    "有效期至",
    "许可状态",
    "经营项目",
]
ROWS = [
    [
        "食品经营许可证",
        "JY13418250000127",
        "旌德县宏达商贸有限责任公司",
        HONGDA,
        "2022-01-05",
        "2027-01-04",
        "有效",
        "预包装食品销售",
    ],
    ["", "YB23418250000451", "旌德县宏达商贸有限责任公司", HONGDA, "2023/03/01", "", "", "仅销售预包装食品"],
    ["药品经营许可证", "皖DA5630012", "旌德百姓大药房有限公司", "", "2021-07-01", "2026-06-30", "有效", ""],
    [
        "第二类医疗器械经营备案凭证",
        "皖宣药监械经营备20230008号",
        "旌德县安康医疗器械商行",
        "",
        "",
        "",
        "有效",
        "",
    ],
]
BAD_ROWS = [
    ["食品经营许可证", "JY1341825000012", "少一位", "", "", "", "有效", ""],  # 13 digits
    ["药品经营许可证", "JY13418250000336", "类型不符", "", "", "", "有效", ""],  # a food number
    ["食品经营许可证", "JY13418250000215", "日期错", "", "2021-13-45", "", "有效", ""],
    ["食品经营许可证", "JY13418250000442", "状态错", "", "", "", "暂停", ""],
    ["食品经营许可证", "JY13418250000553", "代码错", HONGDA[:17] + "X", "", "", "有效", ""],
    ["食品经营许可证", "JY13418250000127", "重复", "", "", "", "有效", ""],  # row 2 again
    ["", "ABC123", "无法识别", "", "", "", "", ""],
]


def _import(demo, write, rows, name="permits.csv", make=csv_bytes, user="office"):
    path = write(name, make(HEADER, rows))
    return services.permits_import(bureau=demo.county, path=path, user=demo.users[user])


def test_permits_are_imported_with_their_kind_from_the_column_or_the_numbers_shape(demo, write):
    batch = _import(demo, write, ROWS)
    assert (batch.kind, batch.status, batch.created_count, batch.rejected_count) == (
        ImportKind.PERMITS,
        ImportStatus.DONE,
        4,
        0,
    )
    food = Permit.objects.get(number="JY13418250000127")
    assert (food.kind, food.holder_uscc, food.status, food.region_code) == (
        PermitKind.FOOD_LICENCE,
        HONGDA,
        PermitStatus.VALID,
        "341825",
    )
    assert str(food.valid_to) == "2027-01-04" and food.number_region == "341825"
    assert Permit.objects.get(number="YB23418250000451").kind == PermitKind.FOOD_FILING  # no kind given
    assert Permit.objects.get(number="皖DA5630012").number_region == "皖5630"
    assert Permit.objects.get(kind=PermitKind.DEVICE_FILING).number_region == "皖宣"


def test_every_refused_row_is_kept_with_its_row_column_and_reason_in_chinese_and_english(demo, write):
    batch = _import(demo, write, ROWS + BAD_ROWS)
    assert (batch.created_count, batch.rejected_count) == (4, 7)
    rejected = {r.row_number: r for r in batch.rejected_rows.all()}
    assert sorted(rejected) == [6, 7, 8, 9, 10, 11, 12]
    assert "14位数字" in rejected[6].reason and "/" in rejected[6].reason
    assert "与许可类型不符" in rejected[7].reason and rejected[7].column == "许可证/备案编号"
    assert rejected[8].column == "有效期起" and "日期格式" in rejected[8].reason
    assert rejected[9].column == "许可状态" and "unknown permit status" in rejected[9].reason
    assert rejected[10].column == "持证主体统一社会信用代码"
    assert "与第2行编号重复" in rejected[11].reason
    assert "无法从编号识别许可类型" in rejected[12].reason
    assert rejected[12].raw == BAD_ROWS[-1]  # the original cells, for correcting the file
    csv_text = services.rejected_rows_csv(batch=batch)
    assert "JY1341825000012" in csv_text and "the same number as row 2" in csv_text


def test_importing_the_same_export_again_changes_nothing_and_a_later_one_updates_through_the_change_log(
    demo, write
):
    _import(demo, write, ROWS)
    again = _import(demo, write, ROWS, name="again.csv")
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 4)
    revoked = [list(r) for r in ROWS]
    revoked[0][6] = "吊销"
    later = _import(demo, write, revoked, name="later.xlsx", make=xlsx_bytes)
    assert (later.created_count, later.updated_count, later.unchanged_count) == (0, 1, 3)
    food = Permit.objects.get(number="JY13418250000127")
    assert food.status == PermitStatus.REVOKED and food.import_batch_id == later.pk
    change = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Permit), object_id=str(food.pk), action="update"
    ).get()
    assert change.before["status"] == "valid" and change.after["status"] == "revoked"


def test_only_those_the_permission_table_allows_import_permit_data(demo, write):
    path = write("permits.csv", csv_bytes(HEADER, ROWS))
    with pytest.raises(PermissionDeniedError):
        services.permits_import(bureau=demo.county, path=path, user=demo.users["auditor"])
    assert not Permit.objects.exists()


def test_the_database_lookup_finds_a_permit_only_in_its_bureaus_data_and_says_what_it_covers(demo, write):
    _import(demo, write, ROWS)
    county = permit_lookup(bureau=demo.county)
    assert county.covers(PermitKind.FOOD_LICENCE, "341825")
    assert not county.covers(PermitKind.FOOD_LICENCE, "310101")
    assert county.find(PermitKind.FOOD_LICENCE, "jy13418250000127").holder_uscc == HONGDA
    assert county.find(PermitKind.FOOD_LICENCE, "JY13418250000999") is None
    jixi = permit_lookup(bureau=demo.users["jixi_officer"].bureau)
    assert not jixi.covers(PermitKind.FOOD_LICENCE, "341825")  # another county's data is not its own


def test_the_permit_import_page_previews_maps_and_imports_keeping_rejected_rows(demo, login):
    client = login(demo.users["office"])
    assert client.get(reverse("registry:permit_import")).status_code == 200
    content = csv_bytes(HEADER, ROWS + BAD_ROWS[:1], "gbk")
    r = client.post(reverse("registry:permit_import"), {"file": SimpleUploadedFile("许可.csv", content)})
    assert r.status_code == 302
    preview = client.get(r["Location"]).content.decode()
    assert "gbk" in preview and "许可证/备案编号" in preview and "JY13418250000127" in preview
    done = client.post(r["Location"], {"map_permit_kind": "0", "map_number": "1", "map_holder_name": "2"})
    batch = ImportBatch.objects.get(kind=ImportKind.PERMITS)
    assert done["Location"] == batch.get_absolute_url()
    assert (batch.created_count, batch.rejected_count) == (4, 1)
    assert "拒收行" in client.get(batch.get_absolute_url()).content.decode()


def test_the_permit_pages_list_filter_and_show_a_permit_and_another_county_sees_none(demo, write, login):
    _import(demo, write, ROWS)
    client = login(demo.users["office"])
    page = client.get(reverse("registry:permit_list"), {"kind": PermitKind.FOOD_LICENCE}).content.decode()
    assert "JY13418250000127" in page and "皖DA5630012" not in page
    food = Permit.objects.get(number="JY13418250000127")
    detail = client.get(food.get_absolute_url()).content.decode()
    assert "旌德县宏达商贸有限责任公司" in detail and "2027" in detail
    assert client.get(reverse("registry:permit_changelog", args=[food.pk])).status_code == 200
    jixi = login(demo.users["jixi_officer"])
    assert "JY13418250000127" not in jixi.get(reverse("registry:permit_list")).content.decode()
    assert jixi.get(food.get_absolute_url()).status_code == 404
    assert login(demo.users["auditor"]).get(reverse("registry:permit_import")).status_code == 403


def test_the_api_lists_permits_and_takes_a_permit_export(demo, write, api, settings, tmp_path):
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    office = api(demo.users["office"])
    r = office.post(
        "/api/registry/import-batches/",
        {"kind": "permits", "file": SimpleUploadedFile("许可.csv", csv_bytes(HEADER, ROWS))},
        format="multipart",
    )
    assert r.status_code == 202, r.content
    data = office.get("/api/registry/permits/", {"kind": "drug_licence"}).json()
    assert [p["number"] for p in data["results"]] == ["皖DA5630012"]
    refused = api(demo.users["auditor"]).post(
        "/api/registry/import-batches/",
        {"kind": "permits", "file": SimpleUploadedFile("许可.csv", csv_bytes(HEADER, ROWS))},
        format="multipart",
    )
    assert refused.status_code == 403


def test_wangjian_import_permits_imports_from_the_command_line_and_lists_the_refused_rows(demo, write):
    import io

    from django.core.management import call_command

    path = write("permits.csv", csv_bytes(HEADER, ROWS + BAD_ROWS[:1]))
    out = io.StringIO()
    call_command("import", "permits", str(path), "--bureau", demo.county.code, "--no-progress", stdout=out)
    text = out.getvalue()
    assert "新增 4" in text and "拒收 1" in text and "JY1341825000012" in text
    assert Permit.objects.filter(bureau=demo.county).count() == 4
