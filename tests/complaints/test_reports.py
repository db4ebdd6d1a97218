"""The analysis report to the leading group (投诉举报分析报告): the period's figures frozen with the previous period
beside them, the unit's text editable while a draft, sent numbered with its PDF kept by its hash, never changed after.

The story: 旌德县's third quarter of 2025 (07-01 … 09-30), against the second (04-01 … 06-30), drafted on
Thursday 2025-10-09 by 李主任 of the office (the 12315 work sits with it in a county).

- A: a complaint received Monday 07-07 (家用电器 on 某电商平台), accepted 07-08 — within the 7 working days of
  art. 14 (due 07-16) — and settled by agreement 07-20, ¥199 recovered;
- B: a complaint received Monday 08-04 (服装 on 另一平台), accepted 08-20 — past its due date 08-13 — and its
  mediation ended without agreement 08-25;
- C: a complaint received Friday 09-26, not yet accepted; D: a report received 08-20;
- in the second quarter, one complaint (05-12).

A, B and C name the same shop, three complaints within the 90 days before 09-30: flagged by the office's
threshold (3 within 90 days).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os

import pytest
from django.utils.html import escape

from tests.clues.conftest import at
from tests.conftest import chromium_path
from wangjian.complaints.models import ComplaintReport
from wangjian.complaints.services import reports as report_services
from wangjian.complaints.services.intake import complaint_register
from wangjian.complaints.services.steps import complaint_act
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.evidence.store import get_store
from wangjian.org import permissions
from wangjian.platform.inbox.models import Message

Q3 = dt.date(2025, 7, 1)
DRAFTED = at("2025-10-09", "10:00")
SENT = at("2025-10-10", "09:00")
SHOP = "旌德县优品百货网店"
TEXT = "研判：网购家用电器质量问题投诉集中。\n建议：约谈某电商平台，督促落实首问负责。"


@pytest.fixture(autouse=True)
def store(settings, tmp_path):
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    settings.WANGJIAN_EVIDENCE_KEY_DIR = str(tmp_path / "keys")


@pytest.fixture
def chromium():
    if chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium missing in CI")
        pytest.skip("Debian's chromium is not installed")


@pytest.fixture
def office(demo):
    return demo.users["office"]


@pytest.fixture
def register(demo, office):
    def _register(on: str, **values):
        values.setdefault("kind", "complaint")
        values.setdefault("received_on", dt.date.fromisoformat(on))
        values.setdefault("person_name", "张小花")
        values.setdefault("person_phone", "13900001111")
        values.setdefault("respondent_name", SHOP)
        values.setdefault("respondent_uscc", "92341825MA2COMP01X")
        values.setdefault("respondent_region", "341825100")
        values.setdefault("platform_name", "某电商平台")
        values.setdefault("category", "家用电器")
        values.setdefault("summary", "电水壶漏电")
        return complaint_register(user=office, bureau=demo.county, values=values, now=at(on, "10:00"))

    return _register


def act(complaint, user, action, on, **values):
    complaint_act(complaint=complaint, user=user, action=action, values=values, now=at(on, "15:00"))
    complaint.refresh_from_db()


@pytest.fixture
def quarter(demo, register):
    """The third quarter's four records and the second quarter's one, as the story above tells."""
    station_officer = demo.users["station_officer"]
    a = register("2025-07-07")
    act(a, station_officer, "accept", "2025-07-08")
    act(a, station_officer, "resolve", "2025-07-20", agreement="商家退货退款", recovered="199")
    b = register("2025-08-04", category="服装", platform_name="另一平台")
    act(b, station_officer, "accept", "2025-08-20")
    act(b, station_officer, "end", "2025-08-25", ground="no_agreement")
    register("2025-09-26")
    register("2025-08-20", kind="report", person_name="", person_phone="", domain="product_quality")
    register("2025-05-12")
    return a, b


@pytest.fixture
def draft(demo, office, quarter):
    return report_services.report_draft(
        user=office, bureau=demo.county, period_kind="quarter", period_start=Q3, now=DRAFTED
    )


def test_the_report_freezes_the_quarters_figures_with_the_two_rates_and_the_repeated_flags(
    demo, office, draft, register
):
    f = draft.figures
    assert draft.title == "旌德县市场监督管理局2025年第三季度投诉举报分析报告"
    assert (draft.period_start, draft.period_end) == (Q3, dt.date(2025, 9, 30)) and not draft.issued
    t = f["totals"]
    assert (t["total"], t["complaints"], t["reports"]) == (4, 3, 1)
    # 按期受理率: A on time, B late, of the two accepted; 调解成功率: A agreed, B ended, of the two that ended
    assert (t["accepted"], t["accepted_on_time"], t["accepted_late"], t["on_time_rate"]) == (2, 1, 1, "50.0")
    assert (t["resolved"], t["mediation_ended"], t["agreement_rate"]) == (1, 1, "50.0")
    assert t["recovered"] == "199.00"
    assert f["by_month"] == [
        {"month": "2025-07", "complaints": 1, "reports": 0},
        {"month": "2025-08", "complaints": 1, "reports": 1},
        {"month": "2025-09", "complaints": 1, "reports": 0},
    ]
    assert f["by_category"] == [{"name": "家用电器", "count": 3}, {"name": "服装", "count": 1}]
    assert {r["name"]: r["count"] for r in f["by_platform"]} == {"某电商平台": 3, "另一平台": 1}
    assert f["top_respondents"][0] == {"name": SHOP, "uscc": "92341825MA2COMP01X", "count": 4}
    assert f["by_region"][0]["code"] == "341825100" and f["by_region"][0]["name"].endswith("辖区")
    assert f["repeated"] == {
        "threshold": 3,
        "days": 90,
        "as_of": "2025-09-30",
        "rows": [{"name": SHOP, "uscc": "92341825MA2COMP01X", "count": 3}],
        "total": 1,
    }
    # frozen: a record of the quarter registered late changes the draft only when it is counted again
    register("2025-09-29", respondent_name="旌德县另一网店", respondent_uscc="")
    draft.refresh_from_db()
    assert draft.figures["totals"]["total"] == 4
    report_services.report_recount(report=draft, user=office, now=at("2025-10-09", "16:00"))
    draft.refresh_from_db()
    assert draft.figures["totals"]["total"] == 5 and draft.figures["computed_at"].startswith(
        "2025-10-09T16:00"
    )


def test_the_previous_quarter_stands_beside_it_with_the_change(draft):
    f = draft.figures
    assert f["previous"]["label"] == "2025年第二季度"
    assert (f["previous"]["start"], f["previous"]["end"]) == ("2025-04-01", "2025-06-30")
    assert f["previous"]["totals"]["total"] == 1 and f["previous"]["totals"]["on_time_rate"] is None
    change = {row["key"]: row for row in f["change"]}
    assert change["total"] == {
        "key": "total",
        "label": "登记合计（件）",
        "now": 4,
        "before": 1,
        "diff": "3",
        "pct": "300.0",
    }
    assert change["reports"]["pct"] is None  # no report in the second quarter: no per cent of nothing
    assert change["recovered"]["diff"] == "199.00"
    assert change["on_time_rate"]["diff"] is None  # no rate in the second quarter to compare with
    summary = report_services.report_summary(f)
    assert summary[0].startswith("2025年第三季度，共登记投诉举报4件，其中投诉3件、举报1件")
    assert "较上期（2025年第二季度）增加3件（增长300.0%）" in summary[0]
    assert "按期受理率50.0%" in summary[1] and "挽回经济损失199.00元" in summary[1]
    assert f"{SHOP}（3件）" in summary[-1]


def test_the_period_has_ended_begins_a_period_of_its_kind_and_has_one_draft(demo, office, draft):
    def new(kind: str, start: dt.date, now=DRAFTED):
        return report_services.report_draft(
            user=office, bureau=demo.county, period_kind=kind, period_start=start, now=now
        )

    with pytest.raises(ValidationFailed, match="期满后方可起草"):
        new("month", dt.date(2025, 10, 1))  # October runs until 10-31
    with pytest.raises(ValidationFailed, match="1月1日、4月1日、7月1日、10月1日"):
        new("quarter", dt.date(2025, 8, 1))
    with pytest.raises(ValidationFailed, match="已有草稿"):
        new("quarter", Q3)
    september = new("month", dt.date(2025, 9, 1))
    assert (
        september.period_end == dt.date(2025, 9, 30) and september.figures["previous"]["label"] == "2025年8月"
    )
    assert new("half", dt.date(2025, 1, 1)).title.endswith("2025年上半年投诉举报分析报告")
    assert [
        label
        for _start, label in report_services.periods_ended(
            kind="quarter", today=dt.date(2025, 10, 9), count=2
        )
    ] == [
        "2025年第三季度",
        "2025年第二季度",
    ]


def test_the_leading_group_reads_the_report_but_the_12315_unit_of_the_bureau_drafts_it(demo, draft):
    leader, auditor = demo.users["leader"], demo.users["auditor"]
    assert report_services.report_get(user=leader, pk=draft.pk) == draft
    for user in (leader, auditor):
        with pytest.raises(PermissionDeniedError) as refused:
            report_services.report_edit(report=draft, user=user, text="改")
        assert "complaints.report.issue" in refused.value.zh
    # a department head (the 12315 work may sit with a department) writes it too
    report_services.report_edit(report=draft, user=demo.users["ad_head"], text="赵股长的研判")
    # but not another bureau's: 绩溪县's office does not write 旌德县's report
    assert not report_services.may_write(demo.users["jixi_officer"], demo.county)
    with pytest.raises(PermissionDeniedError):  # the station's officer is not in the analysis row at all
        report_services.report_get(user=demo.users["station_officer"], pk=draft.pk)


def test_a_draft_is_edited_then_sent_numbered_with_its_pdf_kept_and_never_changes_after(
    demo, office, draft, chromium
):
    with pytest.raises(ValidationFailed, match="请先填写研判和建议"):
        report_services.report_issue(report=draft, user=office, now=SENT)
    report_services.report_edit(report=draft, user=office, text=TEXT)
    report_services.report_issue(report=draft, user=office, now=SENT)
    draft.refresh_from_db()
    assert draft.issued and draft.number == "旌市监诉析〔2025〕1号" and draft.issued_by == office
    pdf = get_store().get(draft.pdf_sha256)
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == draft.pdf_sha256
    assert draft.pdf_size == len(pdf) and report_services.report_pdf(draft) == pdf
    # the leading group is told (王局长; 李主任 sent it himself)
    assert Message.objects.filter(user=demo.users["leader"], title__contains="旌市监诉析〔2025〕1号").exists()
    for change in (
        lambda: report_services.report_edit(report=draft, user=office, text="改写"),
        lambda: report_services.report_recount(report=draft, user=office),
        lambda: report_services.report_issue(report=draft, user=office),
    ):
        with pytest.raises(ValidationFailed, match="已报送，不再修改"):
            change()
    draft.refresh_from_db()
    assert draft.text == TEXT.strip()
    # a correction is a new report of the same quarter, numbered next
    again = report_services.report_draft(
        user=office, bureau=demo.county, period_kind="quarter", period_start=Q3, now=SENT
    )
    assert again.pk != draft.pk and not again.number


def test_a_kept_pdf_that_was_changed_is_refused_on_the_page_and_through_the_api(
    office, draft, login, api, chromium
):
    report_services.report_edit(report=draft, user=office, text=TEXT)
    report_services.report_issue(report=draft, user=office, now=SENT)
    path = get_store().path(draft.pdf_sha256)
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(ValidationFailed) as refused:
        report_services.report_pdf(draft)
    assert "SHA-256不符" in refused.value.zh and "SHA-256" in refused.value.en
    page = login(office).get(f"/complaints/reports/{draft.pk}/pdf/", follow=True)
    assert page.redirect_chain and refused.value.zh in page.content.decode()
    answer = api(office).get(f"/api/complaints/reports/{draft.pk}/pdf/")
    assert answer.status_code == 400 and answer.json()["error"]["zh"] == refused.value.zh


def test_the_office_drafts_and_writes_the_report_on_its_pages(demo, office, quarter, login, clock):
    clock(DRAFTED)
    client = login(office)
    analysis = client.get("/complaints/analysis/?start=2025-07-01&end=2025-09-30").content.decode()
    assert 'href="/complaints/reports/"' in analysis
    form = client.get("/complaints/reports/add/").content.decode()
    assert 'value="quarter:2025-07-01"' in form and 'value="month:2025-10-01"' not in form
    response = client.post("/complaints/reports/add/", {"period": "quarter:2025-07-01"})
    report = ComplaintReport.objects.get(bureau=demo.county)
    assert response.status_code == 302 and response["Location"] == f"/complaints/reports/{report.pk}/"
    client.post(response["Location"], {"text": TEXT, "save": "1"})
    report.refresh_from_db()
    assert report.text == TEXT.strip() and not report.issued
    page = client.get(response["Location"]).content.decode()
    assert "共登记投诉举报4件" in page and 'id="report-change"' in page and "<svg" in page
    assert "<script>" not in page  # no inline script (CSP): the charts are drawn on the server
    assert report.title in client.get("/complaints/reports/").content.decode()
    html = report_services.report_html(report)
    assert "<script" not in html and html.count("<svg") == 3 and "（草稿，未报送）" in html


def test_the_api_drafts_edits_recounts_and_lists_as_the_page_does(demo, office, quarter, api, clock):
    clock(DRAFTED)
    client = api(office)
    r = client.post(
        "/api/complaints/reports/", {"period_kind": "quarter", "period_start": "2025-07-01"}, format="json"
    )
    assert r.status_code == 201, r.content
    report = r.json()
    assert report["state"] == "draft" and report["figures"]["totals"]["total"] == 4
    r = client.post(
        "/api/complaints/reports/", {"period_kind": "quarter", "period_start": "2025-08-01"}, format="json"
    )
    assert r.status_code == 400 and "季度报告的统计期间应从" in r.json()["error"]["zh"]
    r = client.patch(f"/api/complaints/reports/{report['id']}/", {"text": TEXT}, format="json")
    assert r.status_code == 200 and r.json()["text"] == TEXT.strip()
    assert client.post(f"/api/complaints/reports/{report['id']}/recount/").status_code == 200
    listed = client.get("/api/complaints/reports/", {"period_kind": "quarter"}).json()["results"]
    assert [row["id"] for row in listed] == [report["id"]]
    assert client.get("/api/complaints/reports/", {"state": "issued"}).json()["results"] == []


def test_a_refusal_reads_the_same_on_the_page_and_through_the_api(demo, draft, login, api, clock):
    clock(DRAFTED)
    leader = demo.users["leader"]
    writers = permissions.get("complaints.report.issue").refusal()[0]
    # the leading group reads the report but does not write it
    page = login(leader).post(f"/complaints/reports/{draft.pk}/", {"text": "改", "save": "1"}, follow=True)
    assert escape(writers) in page.content.decode()
    answer = api(leader).patch(f"/api/complaints/reports/{draft.pk}/", {"text": "改"}, format="json")
    assert answer.status_code == 403 and answer.json()["error"]["zh"] == writers
    answer = api(leader).post(
        "/api/complaints/reports/", {"period_kind": "month", "period_start": "2025-09-01"}, format="json"
    )
    assert answer.status_code == 403 and answer.json()["error"]["zh"] == writers
    draft.refresh_from_db()
    assert draft.text == ""
    # the station's officer is not in the table's analysis row: refused the list and the report, page and API
    station_officer = demo.users["station_officer"]
    table_refusal = permissions.get("complaints.analysis.read").refusal()[0]
    web = login(station_officer)
    for url in ("/complaints/reports/", f"/complaints/reports/{draft.pk}/"):
        assert web.get(url).status_code == 403
    for url in ("/api/complaints/reports/", f"/api/complaints/reports/{draft.pk}/"):
        answer = api(station_officer).get(url)
        assert answer.status_code == 403 and answer.json()["error"]["zh"] == table_refusal
    # an officer of 绩溪县 next door does not see the report at all: missing, before any refusal
    jixi = demo.users["jixi_officer"]
    assert api(jixi).get(f"/api/complaints/reports/{draft.pk}/").status_code == 404
