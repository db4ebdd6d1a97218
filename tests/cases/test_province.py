"""The province's case-handling system as the record: the export in its layout, and what differs between the two.

- the export is one row a case filed, decided or closed in the period, in the layout's columns; a natural
  person's name goes in full only to the record system (the province mode), and each such export is logged;
- the difference report matches each row of the province's export by its case number, else by the 立案编号,
  compares after normalising (dates, amounts, brackets, state names) and lists what differs, the cases only
  in wangjian, the rows only in the province's system and every row it could not read, with the reason;
- a file it cannot read is refused in Chinese and English; the office, the bureau's head and the legal
  department may exchange, an officer and the auditor may not.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import os
import zipfile

import openpyxl
import pytest

from tests.conftest import chromium_path
from wangjian.cases.models import CaseSettings
from wangjian.cases.services import documents as document_services
from wangjian.cases.services import province
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.core.models import ChangeRecord
from wangjian.core.uploads import UploadTooLarge

NOVEMBER = {"start": dt.date(2025, 11, 1), "end": dt.date(2025, 12, 31)}
SYSTEM = "安徽省市场监管行政执法办案系统"


@pytest.fixture(autouse=True)
def store(settings, tmp_path):
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    settings.WANGJIAN_EVIDENCE_KEY_DIR = str(tmp_path / "keys")


@pytest.fixture
def office(demo):
    """李主任, the county's office administrator."""
    return demo.users["office"]


@pytest.fixture
def closed(filed, advance):
    """A case filed 11-07, decided 12-03 (¥20,000), served 12-04 and closed 12-11; the province's number ZJ-0001."""
    case = advance(filed(), "closed")
    case.external_number = "ZJ-0001"
    case.save()
    return case


def province_mode(demo):
    CaseSettings.objects.update_or_create(
        bureau=demo.county, defaults={"record_system": "province", "province_system": SYSTEM}
    )


def export(demo, user, **period) -> tuple[list[str], list[dict]]:
    content = province.province_export(bureau=demo.county, user=user, **(period or NOVEMBER))
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    headers = list(rows[0])
    return headers, [dict(zip(headers, row, strict=True)) for row in rows[1:]]


def xlsx(headers: list[str], rows: list[dict]) -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(headers)
    for row in rows:
        wb.active.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(headers: list[str], rows: list[dict], encoding: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else row.get(h) for h in headers])
    return out.getvalue().encode(encoding)


def diff(demo, user, content: bytes, name: str = "province.xlsx", **period):
    return province.province_diff(bureau=demo.county, user=user, upload=content, file_name=name, **period)


# ---------------------------------------------------------------- the export


def test_the_export_has_the_layouts_columns_and_a_row_per_case_of_the_period(demo, office, closed, filed):
    filed(opened="2025-11-10")  # filed in the period too, still under investigation
    headers, rows = export(demo, office)
    assert headers == province.GENERIC.headers()
    assert headers[:4] == ["案件编号", "立案编号", "案由", "当事人"]
    row = next(r for r in rows if r["立案编号"] == closed.number)
    assert row["案件编号"] == "ZJ-0001"
    assert row["当事人"] == closed.party_name and row["统一社会信用代码"] == closed.party_uscc
    assert row["案件来源"] == "监测发现" and row["办案机构"] == closed.department.name
    assert row["主办人"] == "钱科员" and row["案件状态"] == "已结案"
    assert row["立案日期"].date() == dt.date(2025, 11, 7) and row["决定日期"].date() == dt.date(2025, 12, 3)
    assert row["送达日期"].date() == dt.date(2025, 12, 4) and row["结案日期"].date() == dt.date(2025, 12, 11)
    assert row["罚款金额（元）"] == 20000 and row["决定书文号"] == closed.decision_number
    assert len(rows) == 2
    assert {r["案件状态"] for r in rows} == {"已结案", "调查取证"}


def test_a_case_with_nothing_in_the_period_is_not_exported(demo, office, closed):
    _headers, rows = export(demo, office, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31))
    assert rows == []
    # decided in December: a December export carries it, though it was filed in November
    _headers, rows = export(demo, office, start=dt.date(2025, 12, 1), end=dt.date(2025, 12, 31))
    assert [r["立案编号"] for r in rows] == [closed.number]


def test_a_persons_name_is_masked_unless_the_export_feeds_the_record_system_and_then_it_is_logged(
    demo, office, filed
):
    case = filed(party_kind="person", party_name="张三丰")
    views = ChangeRecord.objects.filter(action="view", object_id=str(case.pk))
    _headers, [row] = export(demo, office)
    assert row["当事人"] == "张**" and not views.exists()
    province_mode(demo)
    _headers, [row] = export(demo, office)
    assert row["当事人"] == "张三丰"
    [record] = views
    assert record.user == office and SYSTEM in record.reason and "当事人" in record.object_repr


def test_only_the_office_the_head_and_the_legal_department_export_and_only_their_own_bureau(demo, filed):
    filed()
    for who in ("office", "leader", "legal"):
        assert export(demo, demo.users[who])[1]
    for who in ("ad_officer", "ad_head", "auditor"):
        with pytest.raises(PermissionDeniedError, match="cases.province.exchange"):
            export(demo, demo.users[who])
    with pytest.raises(PermissionDeniedError, match="只能导出和核对本局的案件数据"):
        export(demo, demo.users["city_office"])


# ---------------------------------------------------------------- the difference report


def test_the_province_systems_export_read_back_unchanged_differs_in_nothing(demo, office, closed, filed):
    filed(opened="2025-11-10")
    headers, rows = export(demo, office)
    report = diff(demo, office, xlsx(headers, rows), **NOVEMBER)
    assert report.clean and report.same == 2 and report.rows == 2


def test_the_report_lists_each_difference_each_side_alone_and_each_row_not_read_with_its_reason(
    demo, office, closed, filed
):
    running = filed(opened="2025-11-10")
    ours_only = filed(opened="2025-11-12")
    headers, rows = export(demo, office)
    by_number = {r["立案编号"]: r for r in rows}
    mine = by_number[closed.number]
    mine["罚款金额（元）"] = "¥30,000.00"  # the province recorded another amount
    mine["决定日期"] = "2025/12/3"  # the same day, written otherwise
    mine["立案编号"] = closed.number.replace("〔", "[").replace("〕", "]")
    mine["案件状态"] = "结案"  # the province's word for 已结案
    theirs = by_number[running.number]
    theirs["案件状态"] = "已结案"  # closed there, still under investigation here
    province_only = {
        **theirs,
        "立案编号": "旌市监立〔2025〕99号",
        "案件编号": "ZJ-0099",
        "案件状态": "调查中",
    }
    bad_date = {**theirs, "立案编号": "旌市监立〔2025〕98号", "结案日期": "2025-13-45"}
    no_key = {**theirs, "立案编号": "", "案件编号": ""}
    twice = {**by_number[running.number]}
    rows = [mine, theirs, province_only, bad_date, no_key, twice]  # and none for ``ours_only``

    report = diff(demo, office, xlsx(headers, rows), **NOVEMBER)

    found = {d.case.pk: d for d in report.differing}
    assert [(x.header, x.ours, x.theirs) for x in found[closed.pk].differences] == [
        ("罚款金额（元）", "20000.00", "¥30,000.00")
    ]
    assert found[closed.pk].matched_by == "案件编号" and found[closed.pk].row == 2
    assert [(x.header, x.ours, x.theirs) for x in found[running.pk].differences] == [
        ("案件状态", "调查取证", "已结案")
    ]
    assert found[running.pk].matched_by == "立案编号"  # no province number recorded here yet
    assert [c.pk for c in report.only_wangjian] == [ours_only.pk]
    assert [(r.row, r.key) for r in report.only_province] == [(4, "ZJ-0099")]
    rejected = {r.row: r for r in report.rejected}
    assert sorted(rejected) == [5, 6, 7]
    assert rejected[5].reasons == ["结案日期：日期无法识别：2025-13-45 / 结案日期: not a date: 2025-13-45"]
    assert rejected[6].reasons[0].startswith("缺少案件编号、立案编号")
    assert "与第3行对应同一案件" in rejected[7].reasons[0]
    assert report.rows == 6 and report.matched == 2 and report.same == 0


def test_a_gb18030_csv_is_read_with_a_character_gbk_lacks(demo, office, closed):
    type(closed).objects.filter(pk=closed.pk).update(title="𠮷祥茶叶网店使用绝对化用语")
    headers, rows = export(demo, office)
    rows[0]["罚款金额（元）"] = "25000"
    content = csv_bytes(headers, rows, "gb18030")
    with pytest.raises(UnicodeEncodeError):
        "𠮷".encode("gbk")
    report = diff(demo, office, content, "导出.csv")
    assert report.encoding == "gb18030"
    [case] = report.differing
    assert [(x.header, x.theirs) for x in case.differences] == [("罚款金额（元）", "25000")]


def test_a_utf8_csv_with_other_header_spellings_and_missing_columns_is_read(demo, office, closed):
    content = "\ufeff省级办案系统案件编号,处罚决定日期,罚款金额,备注\nZJ-0001,20251203,20000,无\n".encode()
    report = diff(demo, office, content, "export.csv")
    assert report.clean and report.same == 1
    assert "结案日期" in report.missing_columns and report.ignored_headers == ["备注"]


@pytest.mark.parametrize(
    "content,zh,en",
    [
        (b"", "文件为空", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "不支持旧版 Excel", ".xls"),
        (b"PK\x03\x04 not really a workbook", "无法读取 Excel 文件", "cannot read the Excel file"),
        ("姓名,电话\n张三,123\n".encode(), "文件中没有找到用于对应案件的列", "none of the columns"),
    ],
    ids=["empty", "old-excel", "broken-xlsx", "another-table"],
)
def test_a_file_that_is_not_the_province_systems_case_table_is_refused_in_both_languages(
    demo, office, content, zh, en
):
    with pytest.raises(ValidationFailed) as refused:
        diff(demo, office, content, "upload.xlsx")
    assert zh in refused.value.zh and en in refused.value.en


def test_a_file_over_the_import_cap_is_refused_before_it_is_read(demo, office, settings):
    settings.WANGJIAN_IMPORT_MAX_BYTES = 100
    with pytest.raises(UploadTooLarge, match="大小上限"):
        diff(demo, office, b"x" * 101, "big.csv")


def test_a_difference_in_a_persons_name_is_logged_when_shown(demo, office, filed):
    case = filed(party_kind="person", party_name="张三丰")
    province_mode(demo)
    headers, rows = export(demo, office)
    rows[0]["当事人"] = "张三峰"
    ChangeRecord.objects.filter(action="view").delete()
    [found] = diff(demo, office, xlsx(headers, rows)).differing
    assert [(x.header, x.ours, x.theirs) for x in found.differences] == [("当事人", "张三丰", "张三峰")]
    assert ChangeRecord.objects.filter(action="view", object_id=str(case.pk)).count() == 1


# ---------------------------------------------------------------- the page


def test_the_page_shows_the_mode_and_compares_an_upload(demo, office, closed, login):
    client = login(office)
    page = client.get("/cases/cases/province/").content.decode()
    assert 'id="province-mode"' in page and "本平台为办案记录" in page
    province_mode(demo)
    page = client.get("/cases/cases/province/").content.decode()
    assert "省级办案系统为记录，本平台同步" in page and SYSTEM in page
    headers, rows = export(demo, office)
    rows[0]["罚款金额（元）"] = "30000"
    upload = io.BytesIO(xlsx(headers, rows))
    upload.name = "province.xlsx"
    page = html.unescape(
        client.post("/cases/cases/province/", {"file": upload, "show": "1"}).content.decode()
    )
    assert 'id="report-differing"' in page and "罚款金额（元）" in page and "30000" in page
    upload.seek(0)
    response = client.post("/cases/cases/province/", {"file": upload, "download": "1"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["说明", "差异", "仅本平台有", "仅省级办案系统有", "未读入的行"]
    assert list(book["差异"].iter_rows(values_only=True))[1][-3:] == ("罚款金额（元）", "20000.00", "30000")


def test_the_page_says_why_a_file_is_refused(demo, office, login):
    upload = io.BytesIO(b"\xd0\xcf\x11\xe0" + b"\0" * 64)
    upload.name = "old.xls"
    page = html.unescape(
        login(office).post("/cases/cases/province/", {"file": upload}, follow=True).content.decode()
    )
    assert "不支持旧版 Excel（.xls）文件" in page and 'id="province-report"' not in page


def test_the_export_downloads_from_the_page(demo, office, closed, login):
    response = login(office).get(
        "/cases/cases/province/export.xlsx", {"start": "2025-11-01", "end": "2025-12-31"}
    )
    assert response.status_code == 200 and response.content.startswith(b"PK")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][1] == closed.number


@pytest.mark.parametrize("who", ["ad_officer", "auditor"])
def test_an_officer_and_the_auditor_are_refused_the_page_and_the_export(demo, login, who):
    client = login(demo.users[who])
    assert client.get("/cases/cases/province/").status_code == 403
    assert client.get("/cases/cases/province/export.xlsx").status_code == 403


@pytest.fixture
def chromium():
    if chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium missing in CI")
        pytest.skip("Debian's chromium is not installed")


def test_a_cases_issued_documents_download_as_one_zip_of_the_kept_pdfs(
    demo, office, officer, filed, login, chromium
):
    case = filed()
    draft = document_services.document_draft(case=case, user=officer, kind="filing_approval")
    assert (
        login(office).get(f"/cases/cases/province/{case.pk}/documents.zip").status_code == 302
    )  # none issued
    doc = document_services.document_issue(doc=draft, user=officer)
    response = login(office).get(f"/cases/cases/province/{case.pk}/documents.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    [name] = archive.namelist()
    assert name.startswith("01-立案审批表-") and archive.read(name) == document_services.document_pdf(doc)
