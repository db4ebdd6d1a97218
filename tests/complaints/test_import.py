"""Importing the national 12315 platform's exports: the platform is the record, imported again and again.

A new 12315 number is registered as if keyed by hand (routed, numbered, its acceptance clock of 7 working
days from receipt, art. 14); a known one takes the platform's changes and nothing of wangjian's; every
refused row is kept with its reason. The calendar: 国庆节 2025-10-01 … 10-08 off, Saturday 10-11 调休上班.
"""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest

from tests.clues.conftest import at
from wangjian.complaints.models import Complaint, ComplaintImport, ComplaintRejectedRow
from wangjian.complaints.services.imports import complaints_import, rejected_rows_csv
from wangjian.complaints.services.steps import complaint_act
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.core.models import ChangeRecord
from wangjian.platform.inbox.models import Message
from wangjian.platform.workitems.models import WorkItem

NOW = "2025-10-20"
HEADERS = [
    "登记编号",
    "类型",
    "登记日期",
    "投诉人/举报人姓名",
    "联系电话",
    "地址",
    "被投诉人/被举报人名称",
    "统一社会信用代码",
    "所在地区划",
    "电商平台名称",
    "网店名称/网址",
    "商品/服务类别",
    "投诉内容",
    "诉求",
    "涉及金额",
]


def row(number, kind="投诉", received="2025-09-30", name="张三", phone="13912345678", **kw):
    values = {
        "登记编号": number,
        "类型": kind,
        "登记日期": received,
        "投诉人/举报人姓名": name,
        "联系电话": phone,
        "地址": "安徽省宣城市旌德县旌阳镇文化路8号",
        "被投诉人/被举报人名称": kw.pop("respondent", "旌德县云乐茶叶店"),
        "统一社会信用代码": "92341825MA2TEST01X",
        "所在地区划": kw.pop("region", "安徽省宣城市旌德县旌阳镇"),
        "电商平台名称": "淘宝",
        "网店名称/网址": "云乐茶叶淘宝店",
        "商品/服务类别": "茶叶",
        "投诉内容": kw.pop("summary", "网购黄山毛峰一斤，收到后发现受潮结块"),
        "诉求": kw.pop("demand", "退货退款"),
        "涉及金额": kw.pop("amount", "268"),
    }
    assert not kw
    return [values[h] for h in HEADERS]


def xlsx(rows, headers=HEADERS) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def gb18030_csv(rows, headers=HEADERS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("gb18030")


GOOD_AND_BAD = [
    row("1234100000001"),  # a complaint, received on the eve of 国庆
    row("1234100000002", kind="举报", name="", phone="", summary="销售过期食品"),  # anonymous report
    row("", received="2025-10-09"),  # no number
    row("1234100000004", received="2025-13-45"),  # not a date
    row("1234100000005", received="2025-11-01"),  # after the day of import
    row("1234100000006", kind="咨询"),  # neither complaint nor report
    row("1234100000007", name=""),  # an anonymous complaint: art. 9 wants the complainant
]


@pytest.fixture
def office(demo, clock):
    clock(at(NOW))
    return demo.users["office"]


def run(demo, user, content, name="12315导出.xlsx", day=NOW):
    return complaints_import(
        user=user, bureau=demo.county, path_or_bytes=content, file_name=name, now=at(day)
    )


def reasons(batch) -> dict[int, tuple[str, str, str]]:
    return {r.row_number: (r.column, r.value, r.reason) for r in batch.rejected_rows.all()}


def test_an_xlsx_export_registers_the_good_rows_and_keeps_every_bad_row_with_its_reason(demo, office):
    batch = run(demo, office, xlsx(GOOD_AND_BAD))

    assert (batch.total_rows, batch.created_count, batch.rejected_count) == (7, 2, 5)
    assert batch.encoding == "xlsx" and batch.user == office
    rejected = reasons(batch)
    assert set(rejected) == {4, 5, 6, 7, 8}  # the header is row 1
    assert rejected[4][0] == "登记编号" and "12315编号为空" in rejected[4][2]
    assert rejected[5][:2] == ("登记日期", "2025-13-45") and "无法识别" in rejected[5][2]
    assert rejected[6][0] == "登记日期" and "晚于导入之日" in rejected[6][2]
    assert rejected[7][:2] == ("类型", "咨询") and "投诉或举报" in rejected[7][2]
    assert rejected[8][0] == "投诉人/举报人姓名" and "第九条" in rejected[8][2]
    raw = ComplaintRejectedRow.objects.get(batch=batch, row_number=8).raw
    assert ["登记编号", "1234100000007"] in raw  # the raw row, as the file had it


def test_a_new_complaint_is_routed_numbered_and_given_seven_working_days_across_national_day(demo, office):
    run(demo, office, xlsx(GOOD_AND_BAD))

    c = Complaint.objects.get(source_number="1234100000001")
    assert (c.kind, c.channel, c.state) == ("complaint", "12315", "received")
    assert re.fullmatch(r".+诉〔2025〕\d+号", c.number)
    # the township from the 12315 address: the station whose territory covers 旌阳镇
    assert c.respondent_region == "341825100" and c.station.name == "旌阳市场监管所"
    assert "旌阳市场监管所" in c.routing_basis
    # received Tuesday 09-30: 10-01 … 10-08 off, Saturday 10-11 worked → the seventh working day is 10-16
    assert str(c.accept_due) == "2025-10-16"
    assert "第十四条" in c.accept_basis
    assert c.events.get().action == "register" and c.events.get().actor == office
    assert (c.respondent_kind, c.platform_name, str(c.amount)) == ("seller", "淘宝", "268.00")


def test_an_import_registers_as_keying_by_hand_would_and_tells_each_unit_once(demo, office):
    """Numbers in order, the change log, the history and one acceptance clock per complaint, as a hand-keyed
    record has them; the unit hears of the export once, with the earliest deadline, not once per row."""
    rows = [row(f"12341000001{i:02d}", received="2025-10-09") for i in range(30)]
    batch = run(demo, office, xlsx(rows))
    made = list(Complaint.objects.filter(import_batch=batch).order_by("id"))
    assert len(made) == 30 == batch.created_count
    seqs = [int(re.search(r"〔2025〕(\d+)号", c.number).group(1)) for c in made]
    assert seqs == list(range(seqs[0], seqs[0] + 30))
    station = made[0].station
    assert {c.station for c in made} == {station}
    items = WorkItem.objects.filter(subject_type="complaints.complaint", kind="complaint.acceptance")
    assert items.count() == 30 and {i.subject_id for i in items} == {str(c.pk) for c in made}
    # received Thursday 10-09 (国庆 ends 10-08; Saturday 10-11 worked): the seventh working day is 10-17
    assert {str(c.accept_due) for c in made} == {"2025-10-17"} == {str(i.due) for i in items}
    assert all(
        i.station == station and i.reference == c.number
        for i, c in zip(items.order_by("subject_id"), sorted(made, key=lambda c: str(c.pk)), strict=True)
    )
    logged = ChangeRecord.objects.filter(content_type__model="complaint", action="create", user=office)
    assert logged.count() == 30 and "*" in logged.first().after["person_phone"]
    assert all(c.events.get().action == "register" for c in made)
    messages = Message.objects.filter(key__startswith=f"complaintimport{batch.pk}:")
    staff = {m.user for m in messages}
    assert staff and all(u.station == station for u in staff) and messages.count() == len(staff)
    message = messages.first()
    assert "新分来投诉30件" in message.title and "2025-10-17" in message.title
    assert message.url.endswith(f"?import_batch={batch.pk}")
    assert not Message.objects.filter(key__startswith="workitem")


def test_a_report_row_without_a_name_is_registered_as_anonymous(demo, office):
    run(demo, office, xlsx(GOOD_AND_BAD))

    report = Complaint.objects.get(source_number="1234100000002")
    assert (report.kind, report.anonymous, report.person_name) == ("report", True, "")
    assert report.state == "verifying" and report.accept_due is None


def test_a_gb18030_csv_is_read_in_its_encoding_with_its_bad_rows_kept(demo, office):
    rows = [
        row("1234100000011", respondent="𠮷祥超市有限公司"),  # 𠮷 is outside GBK: four bytes in GB18030
        row("1234100000012", received="2025/10/09 14:20:05", region="341825102"),
        row("", received="2025-10-09"),
        row("1234100000014", received="2025/02/30"),
    ]
    batch = run(demo, office, gb18030_csv(rows), name="12315导出.csv")

    assert batch.encoding == "gb18030"
    assert (batch.created_count, batch.rejected_count) == (2, 2)
    assert Complaint.objects.get(source_number="1234100000011").respondent_name == "𠮷祥超市有限公司"
    second = Complaint.objects.get(source_number="1234100000012")
    assert str(second.received_on) == "2025-10-09" and second.station.name == "三溪市场监管所"
    assert set(reasons(batch)) == {4, 5}


def test_reimporting_an_updated_export_updates_what_changed_and_counts_the_rest_unchanged(demo, office):
    run(demo, office, xlsx(GOOD_AND_BAD), day="2025-10-10")
    first = Complaint.objects.get(source_number="1234100000001")
    station_officer = demo.users["station_officer"]
    complaint_act(complaint=first, user=station_officer, action="accept", values={}, now=at("2025-10-13"))
    first.refresh_from_db()
    kept = (first.state, first.handler_id, first.accept_due, first.mediation_due, first.number)

    updated = [row("1234100000001", demand="退一赔三", amount="1,268.50"), *GOOD_AND_BAD[1:]]
    again = run(demo, office, xlsx(updated))

    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 1, 1)
    assert again.rejected_count == 5  # the bad rows are still bad, and kept again
    assert Complaint.objects.filter(bureau=demo.county).count() == 2  # nobody keys a complaint twice
    first.refresh_from_db()
    assert (first.demand, str(first.amount)) == ("退一赔三", "1268.50")
    # what wangjian added is untouched: the state, the handler, the clocks, the number
    assert (first.state, first.handler_id, first.accept_due, first.mediation_due, first.number) == kept
    assert first.import_batch == again

    same = run(demo, office, xlsx(updated))
    assert (same.created_count, same.updated_count, same.unchanged_count) == (0, 0, 2)


def test_a_line_repeated_in_one_file_updates_the_record_it_repeats(demo, office):
    lines = [
        row("1234100000021"),
        row("1234100000021", demand="换货"),
        row("1234100000021", demand="换货并补偿"),
    ]
    batch = run(demo, office, xlsx(lines))

    assert (batch.total_rows, batch.created_count, batch.updated_count, batch.rejected_count) == (3, 1, 2, 0)
    assert Complaint.objects.get(source_number="1234100000021").demand == "换货并补偿"


def test_a_record_whose_personal_data_was_erased_does_not_take_it_back_from_a_later_export(demo, office):
    run(demo, office, xlsx([row("1234100000041")]))
    Complaint.objects.filter(source_number="1234100000041").update(
        person_name="", person_phone="", person_address="", erased_at=at(NOW)
    )
    batch = run(demo, office, xlsx([row("1234100000041", demand="换货")]))

    erased = Complaint.objects.get(source_number="1234100000041")
    assert batch.updated_count == 1 and erased.demand == "换货"
    assert (erased.person_name, erased.person_phone, erased.person_address) == ("", "", "")


def test_an_update_may_not_strip_what_a_complaint_must_carry(demo, office):
    run(demo, office, xlsx([row("1234100000031")]))
    batch = run(demo, office, xlsx([row("1234100000031", phone="")]))

    assert (batch.updated_count, batch.rejected_count) == (0, 1)
    assert "第九条" in batch.rejected_rows.get().reason
    assert Complaint.objects.get(source_number="1234100000031").person_phone == "13912345678"


def test_a_file_without_a_number_column_is_refused_whole(demo, office):
    headers = ["序号", *HEADERS[1:]]
    with pytest.raises(ValidationFailed) as refused:
        run(demo, office, xlsx([row("1")], headers=headers))

    assert "12315编号列" in refused.value.zh and "number column" in refused.value.en
    assert not ComplaintImport.objects.exists() and not Complaint.objects.exists()


def test_an_unreadable_file_is_refused_whole(demo, office):
    with pytest.raises(ValidationFailed):
        run(demo, office, b"PK\x03\x04 not really a workbook", name="坏文件.xlsx")
    assert not ComplaintImport.objects.exists()


def test_the_auditor_may_not_import(demo, office):
    with pytest.raises(PermissionDeniedError) as refused:
        run(demo, demo.users["auditor"], xlsx(GOOD_AND_BAD))

    assert "complaints.import.run" in refused.value.zh
    assert not ComplaintImport.objects.exists()


def test_the_rejected_rows_download_masks_the_persons_columns(demo, office):
    batch = run(demo, office, xlsx(GOOD_AND_BAD))

    rows = list(csv.reader(io.StringIO(rejected_rows_csv(batch=batch))))
    header, first = rows[0], rows[1]
    assert header[:4] == ["行号", "列", "值", "原因"] and header[4:] == HEADERS
    cells = dict(zip(header[4:], first[4:], strict=True))
    assert cells["投诉人/举报人姓名"] == "张*" and cells["联系电话"] == "139****5678"
    assert cells["被投诉人/被举报人名称"] == "旌德县云乐茶叶店"  # the business is not personal data
    assert "13912345678" not in rejected_rows_csv(batch=batch)


def test_the_import_pages_upload_show_the_batch_and_give_the_rejected_rows(demo, office, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(office)
    page = client.get("/complaints/imports/")
    assert page.status_code == 200 and "import-form" in page.content.decode()

    upload = SimpleUploadedFile("12315导出.xlsx", xlsx(GOOD_AND_BAD))
    response = client.post("/complaints/imports/", {"file": upload})
    batch = ComplaintImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/complaints/imports/{batch.pk}/"

    detail = client.get(f"/complaints/imports/{batch.pk}/").content.decode()
    assert "12315编号为空" in detail and "1234100000007" in detail and "13912345678" not in detail
    download = client.get(f"/complaints/imports/{batch.pk}/rejected.csv")
    assert download.status_code == 200 and "张*" in download.content.decode("utf-8-sig")


def test_the_import_page_refuses_the_auditor_with_the_services_words(demo, office, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(demo.users["auditor"])
    page = client.get("/complaints/imports/")
    assert page.status_code == 200 and "import-form" not in page.content.decode()
    upload = SimpleUploadedFile("12315导出.xlsx", xlsx(GOOD_AND_BAD))
    refused = client.post("/complaints/imports/", {"file": upload}).content.decode()
    assert "complaints.import.run" in refused and not ComplaintImport.objects.exists()
