"""The leading group's pages and API: the same rules and the same words, read by every role of the bureau."""

import datetime as dt
import html

import pytest

from tests.clues.conftest import at
from wangjian.leadership import services
from wangjian.leadership.models import Meeting, MeetingKind
from wangjian.leadership.permissions import LEADERSHIP_MANAGE
from wangjian.org import permissions
from wangjian.org.choices import DepartmentKind as K


@pytest.fixture
def year(demo, users, units, plan, clock):
    clock(at("2025-10-20", "10:00"))
    office = users["office"]
    services.task_add(
        plan=plan,
        title="专项检查",
        due=dt.date(2025, 10, 10),
        department=units[K.PRICE],
        user=office,
        now=at("2025-09-01"),
    )
    meeting = services.meeting_create(
        bureau=demo.county,
        kind=MeetingKind.DISPATCH,
        title="三季度调度会",
        held_on=dt.date(2025, 9, 1),
        summary="议定事项如下",
        user=office,
    )
    services.decision_add(
        meeting=meeting,
        text="报送监测结果",
        due=dt.date(2025, 9, 30),
        department=units[K.ADVERTISING],
        user=office,
    )
    services.minutes_issue(meeting=meeting, user=office, now=at("2025-09-01", "16:00"))
    services.leadership_daily(now=at("2025-10-09"))
    return meeting


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("who", ["office", "auditor", "station_officer", "leader"])
def test_every_role_reads_the_year_the_meeting_and_the_assessment(year, users, plan, login, who):
    client = login(users[who])
    page = _page(client.get("/leadership/?year=2025"))
    assert plan.title in page and "三季度调度会" in page
    page = _page(client.get(year.get_absolute_url()))
    assert year.summary_number in page and "报送监测结果" in page and "逾期" in page and "督办" in page
    assert "专项检查" in _page(client.get(plan.get_absolute_url()))
    assert "年度工作总结" in _page(client.get(f"/leadership/plans/{plan.pk}/summaries/"))
    assert "综合得分" in _page(client.get(f"/leadership/plans/{plan.pk}/assessment/"))
    _page(client.get("/leadership/meetings/"))
    _page(client.get("/leadership/activities/"))


def test_the_api_gives_decisions_with_their_state_and_the_rollup(year, users, plan, api):
    client = api(users["auditor"])
    rows = client.get("/api/leadership/decisions/").json()["results"]
    assert [(r["text"], r["state"], r["overdue"], r["escalations"]) for r in rows] == [
        ("报送监测结果", "open", True, 1)
    ]
    rollup = client.get(f"/api/leadership/plans/{plan.pk}/rollup/").json()
    assert rollup["overall"]["total"] == 1 and rollup["overall"]["overdue"] == 1
    assert client.get(f"/api/leadership/plans/{plan.pk}/assessment/").status_code == 200
    summaries = client.get("/api/leadership/summaries/").json()["results"]
    assert len(summaries) == plan.summaries.count() and not any(s["submitted"] for s in summaries)


def test_the_auditor_is_refused_a_meeting_in_the_same_words_on_the_page_and_the_api(
    demo, users, login, api, clock
):
    clock(at("2025-10-20"))
    refusal = permissions.get(LEADERSHIP_MANAGE).refusal()[0]
    data = {"kind": "analysis", "title": "矩阵分析会", "held_on": "2025-10-20"}
    r = api(users["auditor"]).post("/api/leadership/meetings/", data, format="json")
    assert r.status_code == 403 and r.json()["error"]["zh"] == refusal
    page = _page(login(users["auditor"]).post("/leadership/meetings/add/", data, follow=True))
    assert refusal in page
    assert not Meeting.objects.filter(title="矩阵分析会").exists()


def test_another_unit_is_refused_a_summary_in_the_same_words_on_the_page_and_the_api(
    users, units, plan, login, api, clock
):
    clock(at("2025-11-20"))
    food = plan.summaries.get(department=units[K.FOOD])
    r = api(users["ad_officer"]).post(
        f"/api/leadership/summaries/{food.pk}/submit/", {"text": "代报"}, format="json"
    )
    assert r.status_code == 403
    refusal = r.json()["error"]["zh"]
    assert refusal == "只能报送或办结本单位的总结、任务和议定事项"
    page = _page(
        login(users["ad_officer"]).post(
            f"/leadership/plans/{plan.pk}/summaries/", {"summary": food.pk, "text": "代报"}, follow=True
        )
    )
    assert refusal in page
    food.refresh_from_db()
    assert food.submitted_at is None


def test_a_unit_submits_its_summary_with_an_attachment_on_the_page(
    users, units, plan, login, clock, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    clock(at("2025-11-20"))
    mine = plan.summaries.get(department=units[K.FOOD])
    client = login(users["food_officer"])
    page = _page(client.get(f"/leadership/plans/{plan.pk}/summaries/"))
    assert 'id="summary-form"' in page
    upload = SimpleUploadedFile("食品股2025年度总结.docx", "全年工作总结".encode())
    _page(
        client.post(
            f"/leadership/plans/{plan.pk}/summaries/",
            {"summary": mine.pk, "text": "全年总结", "attachment": upload},
            follow=True,
        )
    )
    mine.refresh_from_db()
    assert mine.submitted_at and not mine.late and mine.attachment_name == "食品股2025年度总结.docx"
    got = client.get(f"/leadership/summaries/{mine.pk}/attachment/")
    assert (
        got.status_code == 200
        and b"".join(got.streaming_content if got.streaming else [got.content]).decode() == "全年工作总结"
    )


def test_the_assessment_exports_to_excel_from_the_page(users, plan, login, clock):
    import io

    import openpyxl

    clock(at("2025-12-10"))
    services.criterion_add(plan=plan, name="信息报送", weight=100, scoring="manual", user=users["office"])
    services.assessment_compute(plan=plan, user=users["office"], now=at("2025-12-10"))
    r = login(users["auditor"]).get(f"/leadership/plans/{plan.pk}/assessment/", {"export": "xlsx"})
    assert r.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(r.content))["考核得分"]
    assert [c.value for c in sheet[2]][:3] == ["名次", "单位", "信息报送（权重100.0）"]


def test_an_attendee_id_no_database_holds_is_refused_not_a_server_error(demo, users, login, api, clock):
    clock(at("2025-10-20"))
    data = {
        "kind": "analysis",
        "title": "调度会",
        "held_on": "2025-10-20",
        "attendees": [158670221680281255936],
    }
    r = api(users["office"]).post("/api/leadership/meetings/", data, format="json")
    assert r.status_code == 400 and "attendees" in str(r.json())
    page = login(users["office"]).post(
        "/leadership/meetings/add/", {**data, "attendees": ["158670221680281255936", "abc"]}, follow=True
    )
    assert page.status_code == 200
    meeting = Meeting.objects.get(title="调度会")
    assert list(meeting.attendees.all()) == []
