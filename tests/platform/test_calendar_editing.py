"""The national working-day calendar: who enters it, and the legal deadlines a change moves.

Every bureau's deadlines counted in working days stand on the one calendar, so a county's or a
city's office does not edit it: the superuser and the province office (``province_office``, a
province-level bureau's) do, on the page, through the API and with ``wangjian workdays import``.
A change is in the change log, and the deadlines it moves follow at once and are listed: the
open work items (a clue's feedback duty among them) whose due day the change moves.
"""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from wangjian.clues import services as clue_services
from wangjian.core import services as calendar_services
from wangjian.core.models import CalendarDay, ChangeRecord, HolidayArrangement
from wangjian.org import services as org_services
from wangjian.org.choices import DepartmentKind, Role
from wangjian.org.models import Department
from wangjian.platform.workitems import services as workitem_services
from wangjian.platform.workitems.models import WorkItem

REFUSED_ZH = calendar_services.CALENDAR_REFUSED[0]
MOMENT = dt.datetime(2025, 11, 12, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Wednesday
DAY = "2025-11-14"  # the Friday after: made a holiday, it moves every deadline counted across it
ARRANGEMENT_2040 = "date,kind,name\n2040-01-02,holiday,元旦调休\n"


@pytest.fixture
def superuser(demo):
    user, _ = org_services.user_create(
        username="admin",
        bureau=demo.county,
        role=Role.OFFICE_ADMIN,
        password="Demo2025pass",
        is_superuser=True,
    )
    return user


def _page_edit(login, user, name: str):
    return login(user).post(
        reverse("platform:calendar_year", args=[2025]), {"date": DAY, "kind": "holiday", "name": name}
    )


def _api_edit(api, user, name: str):
    return api(user).post(
        "/api/calendar/days/", {"date": DAY, "kind": "holiday", "name": name}, format="json"
    )


@pytest.mark.parametrize("who", ["office", "city_office", "leader", "ad_head", "ad_officer", "auditor"])
def test_only_the_superuser_and_the_province_office_edit_the_calendar(demo, login, api, who, tmp_path):
    user = demo.users[who]
    assert _page_edit(login, user, "县局改").status_code == 403
    assert not login(user).get(reverse("platform:calendar_year", args=[2025])).context["may_edit"]
    response = _api_edit(api, user, "县局改")
    assert response.status_code == 403 and response.json()["error"]["zh"] == REFUSED_ZH
    upload = api(user).post(
        "/api/calendar/import/",
        {"file": SimpleUploadedFile("2040.csv", ARRANGEMENT_2040.encode())},
        format="multipart",
    )
    assert upload.status_code == 403
    path = tmp_path / "2040.csv"
    path.write_text(ARRANGEMENT_2040, encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command(
            "workdays",
            "import",
            str(path),
            "--user",
            user.username,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert not CalendarDay.objects.filter(name="县局改").exists()
    assert not HolidayArrangement.objects.filter(year=2040).exists()


@pytest.mark.parametrize("who", ["province_office", "superuser"])
def test_the_superuser_and_the_province_office_edit_it_on_the_page_the_api_and_the_command(
    demo, superuser, login, api, who, tmp_path
):
    user = superuser if who == "superuser" else demo.users[who]
    assert _page_edit(login, user, "页面").status_code == 302
    assert CalendarDay.objects.get(date=DAY).name == "页面"
    response = _api_edit(api, user, "接口")
    assert response.status_code == 200 and response.json()["days"][0]["name"] == "接口"
    upload = api(user).post(
        "/api/calendar/import/",
        {"file": SimpleUploadedFile("2041.csv", b"date,kind,name\n2041-01-01,holiday,New Year\n")},
        format="multipart",
    )
    assert upload.status_code == 201 and upload.json()["year"] == 2041 and upload.json()["moved"] == []
    path = tmp_path / "2040.csv"
    path.write_text(ARRANGEMENT_2040, encoding="utf-8")
    out = io.StringIO()
    call_command("workdays", "import", str(path), "--user", user.username, stdout=out)
    assert "2040" in out.getvalue() and "deadlines moved: 0" in out.getvalue()
    (create,) = ChangeRecord.objects.filter(content_type__model="calendarday", after__date="2040-01-02")
    assert (create.user_name, create.via) == (user.username, "cli")


def _open_clue(demo):
    """A price clue of 旌德县, assigned on Wednesday 12 November 2025: feedback due in 7 working days."""
    return clue_services.clue_intake(
        bureau=demo.county, source_kind="manual", domain="online_price", facts="虚构原价", now=MOMENT
    ).clue


def test_a_calendar_change_lists_the_legal_deadlines_it_moves_and_they_follow(demo, login, api):
    clue = _open_clue(demo)
    assert clue.feedback_due == dt.date(2025, 11, 21)
    dated = workitem_services.workitem_create(  # a deadline given as a date is not the calendar's
        bureau=demo.county,
        kind="task.check",
        title="固定日期的核查",
        department=Department.objects.get(bureau=demo.county, kind=DepartmentKind.PRICE),
        due=dt.date(2025, 11, 20),
        now=MOMENT,
    )
    response = _page_edit(login, demo.users["province_office"], "地方安排")
    page = login(demo.users["province_office"]).get(response["Location"])
    moved = page.context["moved"]
    # the unit's feedback, and the filing decision's clock (程序规定 art. 18) that runs beside it
    assert sorted((m["what"], m["before"], m["after"]) for m in moved) == sorted(
        [
            (f"线索 {clue.number}：反馈核查情况（{clue.unit}）", "2025-11-21", "2025-11-24"),
            (f"线索 {clue.number}：核查并决定是否立案（{clue.unit}）", "2025-12-03", "2025-12-04"),
        ]
    )
    html = page.content.decode()
    assert "本次修改移动的法定期限" in html and clue.number in html and "2025-11-24" in html
    assert (
        login(demo.users["province_office"]).get(response["Location"]).context["moved"] is None
    )  # shown once
    # the deadlines followed: the duty, the clue's record of it, and the change record says why
    clue.refresh_from_db()
    assert clue.feedback_due == dt.date(2025, 11, 24) and "11-14(地方安排)" in clue.feedback_basis
    item = WorkItem.objects.get(
        subject_type="clues.clue", subject_id=str(clue.pk), state="open", kind="clue.feedback"
    )
    record = ChangeRecord.objects.filter(content_type__model="workitem", object_id=str(item.pk)).latest("id")
    assert record.before["due"] == "2025-11-21" and record.after["due"] == "2025-11-24"
    assert record.reason.startswith("工作日历变更：2025-11-14") and record.user_name == "province_office"
    dated.refresh_from_db()
    assert dated.due == dt.date(2025, 11, 20)
    # the calendar's own change log lists the deadlines the change moved
    listed = ChangeRecord.objects.filter(content_type__model="holidayarrangement", action="update").latest(
        "id"
    )
    assert sorted(listed.before["moved_deadlines"]) == sorted(
        f"{demo.county.name} {m['what']}：{m['before']}" for m in moved
    )
    assert sorted(listed.after["moved_deadlines"]) == sorted(
        f"{demo.county.name} {m['what']}：{m['after']}" for m in moved
    )
    assert listed.user_name == "province_office" and listed.reason.startswith("工作日历变更：2025-11-14")
    # taking the holiday back moves it back, and the API says so too
    back = api(demo.users["province_office"]).post(
        "/api/calendar/days/", {"date": DAY, "kind": None}, format="json"
    )
    assert back.status_code == 200
    assert sorted((m["before"], m["after"]) for m in back.json()["moved"]) == [
        ("2025-11-24", "2025-11-21"),
        ("2025-12-04", "2025-12-03"),
    ]
