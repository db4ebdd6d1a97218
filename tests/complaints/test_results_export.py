"""The handling results exported for entry into the national 12315 platform (``services.results``).

One row per record whose state a step changed in the period (Beijing days), keyed by the 12315 number; only
what came from the platform unless the other channels are asked for; the refusal's ground in the words of
art. 15, the agreement and the amount recovered, the clue a report became; no personal data of the
complainant or reporter anywhere in the file (the platform holds it); the same refusal for who may not, on
the page, through the API; the command line writes the file.

The story (demo county 旌德县; November 2025 has weekends only): complaints received Monday 11-03 from the 12315
platform about a shop in 旌阳镇, handled by 吴所员 of 旌阳市场监管所; the period is Monday 11-10 … Thursday
11-13.

- A accepted 11-04, mediated by phone 11-06, agreement 11-11 (199 yuan recovered)          → a row
- B refused 11-12 (more than three years), the note naming the complainant                 → a row
- C accepted 11-05, mediated 11-11: a session changes no state                             → no row
- D received by phone, accepted 11-10 at 07:30 Beijing time (11-09 in UTC)                 → only with all channels
- E accepted 11-14 at 07:30 Beijing time (11-13 in UTC)                                    → no row
- F a report, handed to the clue loop 11-13                                                → a row, the clue's number
- G received 11-10 and registered: registration is no result                               → no row
- H a complaint split 11-04 into a report, which is closed 11-12                           → a row, H's 12315 number
- I accepted 11-04, mediation ended 11-12 (no agreement)                                   → a row
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from tests.clues.conftest import at
from tests.platform.documented import assert_documented
from wangjian.complaints.choices import MediationEnd, RefusalGround
from wangjian.complaints.models import Complaint
from wangjian.complaints.permissions import COMPLAINT_RESULTS
from wangjian.complaints.services.intake import complaint_register
from wangjian.complaints.services.results import (
    HEADERS,
    XLSX,
    results_csv,
    results_rows,
    results_xlsx,
)
from wangjian.complaints.services.steps import complaint_act
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org import permissions

SINCE, UNTIL = dt.date(2025, 11, 10), dt.date(2025, 11, 13)
PAGE = "/complaints/imports/results/"
API = "/api/complaints/complaints/results/"
PERSON = {
    "person_name": "张小花",
    "person_phone": "13900001111",
    "person_address": "旌德县旌阳镇文化路8号",
    "person_id_number": "342530199001011234",
}


def act(complaint, user, action, on, time="15:00", **values):
    complaint_act(complaint=complaint, user=user, action=action, values=values, now=at(on, time))
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def story(demo, clock):
    clock(at("2025-11-14", "18:00"))  # whatever reads the time reads this, not the day the test runs
    office, officer = demo.users["office"], demo.users["station_officer"]

    def register(source, on="2025-11-03", **values):
        values = {
            "kind": "complaint",
            "channel": "12315",
            "source_number": source,
            "received_on": dt.date.fromisoformat(on),
            **PERSON,
            "respondent_name": "旌德县优品百货网店",
            "respondent_kind": "seller",
            "respondent_region": "341825100",
            "platform_name": "某电商平台",
            "summary": "购买的电水壶漏电，商家拒绝退货",
            "demand": "退货退款",
            **values,
        }
        return complaint_register(user=office, bureau=demo.county, values=values, now=at(on, "09:00"))

    a = act(register("1234500000000000001"), officer, "accept", "2025-11-04")
    act(a, officer, "mediate", "2025-11-06", method="phone", record="张小花与商家电话协商")
    act(a, officer, "resolve", "2025-11-11", agreement="商家退款199元", recovered="199")
    b = act(
        register("1234500000000000002"),
        officer,
        "refuse",
        "2025-11-12",
        ground=RefusalGround.LATE,
        note="张小花称于2021年购买，联系电话13900001111",
    )
    c = act(register("1234500000000000003"), officer, "accept", "2025-11-05")
    act(c, officer, "mediate", "2025-11-11", method="in_person", record="现场调解，双方分歧较大")
    d = act(register("", channel="phone"), officer, "accept", "2025-11-10", time="07:30")
    e = act(register("1234500000000000005"), officer, "accept", "2025-11-14", time="07:30")
    f = register("1234500000000000006", kind="report", domain="product_quality")
    act(f, office, "to_clue", "2025-11-13")
    g = register("1234500000000000007", on="2025-11-10")
    h = act(register("1234500000000000008"), office, "split", "2025-11-04")
    h_report = Complaint.objects.get(split_from=h)
    act(h_report, office, "close", "2025-11-12", note="经核查，未发现违法行为")
    i = act(register("1234500000000000009"), officer, "accept", "2025-11-04")
    act(i, officer, "end", "2025-11-12", ground=MediationEnd.NO_AGREEMENT)
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f, "G": g, "H": h, "H-report": h_report, "I": i}


def rows_by_number(rows):
    return {row["本局登记编号"]: row for row in rows}


def exported(story, office, **kwargs):
    return rows_by_number(results_rows(user=office, bureau=office.bureau, since=SINCE, until=UNTIL, **kwargs))


@pytest.fixture
def office(demo):
    return demo.users["office"]


# ---------------------------------------------------------------- which records


def test_a_row_for_each_record_whose_state_a_step_changed_in_the_period_in_beijing_days(story, office):
    rows = exported(story, office, only_platform=False)
    expected = {story[k].number for k in ("A", "B", "D", "F", "H-report", "I")}
    assert set(rows) == expected
    # C was only mediated in the period, E's step came on the 14th in Beijing (the 13th in UTC), G was
    # only registered (the platform holds the receipt): nothing to enter for them
    assert not {story[k].number for k in ("C", "E", "G")} & set(rows)


def test_only_what_came_from_the_12315_platform_unless_the_other_channels_are_asked_for(story, office):
    default = exported(story, office)
    assert story["D"].number not in default
    assert all(row["12315编号"] for row in default.values())
    assert story["D"].number in exported(story, office, only_platform=False)


def test_a_part_split_off_a_12315_record_is_entered_under_its_parents_12315_number(story, office):
    row = exported(story, office)[story["H-report"].number]
    assert row["12315编号"] == "1234500000000000008" and row["类别"] == "举报"
    assert row["举报处理结果"] == "经核查办结" and row["办结日期"] == dt.date(2025, 11, 12)
    assert row["办理说明"].startswith("由12315编号 1234500000000000008 的投诉拆分出的举报。")


def test_a_start_after_the_end_is_refused(story, office):
    with pytest.raises(ValidationFailed, match="晚于截止日期"):
        results_rows(user=office, bureau=office.bureau, since=UNTIL, until=SINCE)


# ---------------------------------------------------------------- what a row says


def test_a_refusal_gives_its_date_and_the_words_of_article_15(story, office):
    row = exported(story, office)[story["B"].number]
    assert row["处理状态"] == "不予受理" and row["不予受理日期"] == dt.date(2025, 11, 12)
    assert row["不予受理理由"] == str(RefusalGround.LATE.label)
    assert "超过三年" in row["不予受理理由"] and row["受理日期"] is None


def test_an_agreement_shows_how_it_was_mediated_what_was_agreed_and_recovered(story, office):
    row = exported(story, office)[story["A"].number]
    assert row["12315编号"] == "1234500000000000001" and row["处理状态"] == "调解成功"
    assert row["受理日期"] == dt.date(2025, 11, 4) and row["办结日期"] == dt.date(2025, 11, 11)
    assert row["调解方式"] == "2025-11-06 电话调解" and row["调解结果"] == "商家退款199元"
    assert row["是否达成调解协议"] == "是" and row["挽回经济损失（元）"] == Decimal("199.00")
    assert row["承办单位"] == "旌阳市场监管所"


def test_an_ended_mediation_says_no_agreement_and_the_ground_of_article_21(story, office):
    row = exported(story, office)[story["I"].number]
    assert row["是否达成调解协议"] == "否" and row["终止调解理由"] == str(MediationEnd.NO_AGREEMENT.label)
    assert row["挽回经济损失（元）"] is None


def test_a_report_handed_to_the_clue_loop_names_its_clue(story, office):
    clue = Complaint.objects.get(pk=story["F"].pk).clue
    row = exported(story, office)[story["F"].number]
    assert row["举报处理结果"].startswith(f"转为线索 {clue.number}（")
    assert row["是否达成调解协议"] == "" and row["调解方式"] == ""


def test_no_personal_data_of_the_complainant_anywhere_in_the_file(story, office):
    rows = results_rows(user=office, bureau=office.bureau, since=SINCE, until=UNTIL, only_platform=False)
    text = results_csv(rows).decode("utf-8-sig")
    book = openpyxl.load_workbook(io.BytesIO(results_xlsx(rows, about=[("说明", "测试")])))
    cells = " ".join(str(c.value) for ws in book for line in ws.iter_rows() for c in line if c.value)
    for value in PERSON.values():
        assert value not in text and value not in cells
    # what an officer typed about the person stays, the person's data masked
    note = rows_by_number(rows)[story["B"].number]["办理说明"]
    assert "张**称于2021年购买，联系电话139****1111" in note


# ---------------------------------------------------------------- the files


def test_the_workbook_opens_with_the_headers_and_keeps_the_12315_number_as_text(story, office):
    rows = results_rows(user=office, bureau=office.bureau, since=SINCE, until=UNTIL)
    ws = openpyxl.load_workbook(io.BytesIO(results_xlsx(rows)))["办理结果"]
    assert [c.value for c in ws[1]] == list(HEADERS)
    by_number = {line[1]: line for line in ws.iter_rows(min_row=2, values_only=True)}
    a = by_number[story["A"].number]
    assert a[0] == "1234500000000000001"  # text: as a number Excel would keep 15 digits
    assert a[HEADERS.index("收到日期")].date() == dt.date(2025, 11, 3)
    assert a[HEADERS.index("挽回经济损失（元）")] == 199


def test_the_csv_has_a_bom_and_the_headers(story, office):
    rows = results_rows(user=office, bureau=office.bureau, since=SINCE, until=UNTIL)
    data = results_csv(rows)
    assert data.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(lines[0]) == HEADERS and len(lines) == 1 + len(rows)


# ---------------------------------------------------------------- who may


def test_a_handler_without_the_results_permission_is_refused_in_the_same_words_on_the_page_and_the_api(
    story, demo, login, api
):
    officer = demo.users["station_officer"]
    refusal = permissions.get(COMPLAINT_RESULTS).refusal()[0]
    with pytest.raises(PermissionDeniedError, match=refusal):
        results_rows(user=officer, bureau=demo.county, since=SINCE, until=UNTIL)
    page = login(officer).get(PAGE, {"since": "2025-11-10", "until": "2025-11-13", "file": "csv"})
    assert page.status_code == 403 and refusal in page.content.decode()
    r = api(officer).get(API, {"since": "2025-11-10", "until": "2025-11-13", "file": "csv"})
    assert r.status_code == 403 and r.json()["error"]["zh"] == refusal


def test_another_bureaus_officer_exports_nothing_of_this_bureau(story, demo):
    with pytest.raises(PermissionDeniedError, match="只能导出本局或下辖局的办理结果"):
        results_rows(user=demo.users["jixi_officer"], bureau=demo.county, since=SINCE, until=UNTIL)


# ---------------------------------------------------------------- page, API, command line


def test_the_import_page_links_to_the_export_and_the_page_downloads_the_file(story, office, login):
    client = login(office)
    assert PAGE in client.get("/complaints/imports/").content.decode()
    assert client.get(PAGE).status_code == 200
    r = client.get(PAGE, {"since": "2025-11-10", "until": "2025-11-13", "file": "csv", "all_channels": "on"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert "attachment" in r["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert {line[1] for line in lines[1:]} == {story[k].number for k in ("A", "B", "D", "F", "H-report", "I")}
    refused = client.get(PAGE, {"since": "2025-11-13", "until": "2025-11-10", "file": "xlsx"})
    assert refused.status_code == 200 and "晚于截止日期" in refused.content.decode()


def test_the_api_gives_the_workbook_or_the_csv_as_its_schema_documents(story, office, api, login):
    r = api(office).get(API, {"since": "2025-11-10", "until": "2025-11-13", "file": "xlsx"})
    assert r.status_code == 200 and r["Content-Type"] == XLSX
    assert_documented(login(office), r, "get", API)
    ws = openpyxl.load_workbook(io.BytesIO(r.content))["办理结果"]
    assert ws.max_row == 1 + 5  # A, B, F, H's report, I
    r = api(office).get(API, {"since": "2025-11-10", "until": "2025-11-13"})
    assert r.status_code == 200 and r.content.startswith("\ufeff12315编号,".encode())
    assert_documented(login(office), r, "get", API)
    r = api(office).get(API, {"since": "2025-11-13", "until": "2025-11-10"})
    assert r.status_code == 400 and "晚于截止日期" in r.json()["error"]["zh"]


def test_the_command_writes_the_file(story, tmp_path):
    out = io.StringIO()
    path = tmp_path / "办理结果.csv"
    call_command(
        "complaints",
        "results",
        "--bureau",
        "341825",
        "--since",
        "2025-11-10",
        "--until",
        "2025-11-13",
        "--out",
        str(path),
        stdout=out,
    )
    assert "已导出 5 条办理结果" in out.getvalue()
    lines = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert tuple(lines[0]) == HEADERS
    assert {line[0] for line in lines[1:]} == {
        "1234500000000000001",
        "1234500000000000002",
        "1234500000000000006",
        "1234500000000000008",
        "1234500000000000009",
    }
    call_command(
        "complaints", "results", "--bureau", "341825", "--all-channels", "--out", str(tmp_path / "r.xlsx")
    )
    assert openpyxl.load_workbook(tmp_path / "r.xlsx")["办理结果"].max_row > 1
