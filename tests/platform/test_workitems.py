"""Work items (待办) and 督办 for every app: a deadline from the clocks, a reminder two working days before
and on the day, overdue the working day after, level-1 督办 by the office, level 2 by the leading group —
each step exactly once, pushes quiet outside working hours unless urgent."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org.models import Station
from wangjian.platform.inbox.models import Delivery, Message, PushAddress
from wangjian.platform.inbox.services import deliveries_send
from wangjian.platform.workitems import kinds
from wangjian.platform.workitems.followup import followups_run
from wangjian.platform.workitems.models import Escalation, WorkItem
from wangjian.platform.workitems.services import (
    escalation_answer,
    workitem_act,
    workitem_create,
    workitem_escalate,
    workitem_finish,
)

BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=BEIJING)


def messages(user, item, kind):
    return Message.objects.filter(user=user, kind=kind, url=item.url).count()


@pytest.fixture
def station(demo):
    return Station.objects.get(bureau=demo.county, name="旌阳市场监管所")


@pytest.fixture
def check(demo, station):
    """The office hands the station a check on Monday 2025-11-03, 5 working days: due Monday 11-10."""
    return workitem_create(
        bureau=demo.county,
        kind="task.check",
        title="核查“旌德好茶”网店是否亮照",
        station=station,
        working_days=5,
        domain="licence_display",
        created_by=demo.users["office"],
        now=at("2025-11-03"),
    )


# ---------------------------------------------------------------- handing work out


def test_the_deadline_comes_from_the_clocks_with_its_basis_across_the_national_day(demo, station):
    item = workitem_create(
        bureau=demo.county,
        kind="task.check",
        title="核查",
        station=station,
        working_days=5,
        created_by=demo.users["office"],
        now=at("2025-09-26"),
    )
    assert item.due == dt.date(2025, 10, 10)  # 09-28 and 10-11 worked, 10-01…10-08 off
    assert "第5个工作日为 2025-10-10" in item.due_basis and "国庆节" in item.due_basis


def test_the_unit_is_told_once_and_a_department_head_hands_work_only_to_their_department(
    demo, check, station
):
    assert messages(demo.users["station_officer"], check, "task") == 1
    head = demo.users["ad_head"]
    own = workitem_create(
        bureau=demo.county,
        kind="task.request",
        title="答复",
        department=head.department,
        working_days=3,
        created_by=head,
    )
    assert own.department == head.department
    with pytest.raises(PermissionDeniedError):
        workitem_create(
            bureau=demo.county, kind="task.check", title="x", station=station, working_days=3, created_by=head
        )
    with pytest.raises(PermissionDeniedError):
        workitem_create(
            bureau=demo.county,
            kind="task.check",
            title="x",
            station=station,
            working_days=3,
            created_by=demo.users["ad_officer"],
        )


def test_work_goes_only_to_a_unit_of_the_bureau_and_needs_a_deadline(demo):
    other = demo.other_county.departments.first()
    with pytest.raises(ValidationFailed, match="本局在用"):
        workitem_create(bureau=demo.county, kind="task.check", title="x", department=other, working_days=3)
    with pytest.raises(ValidationFailed, match="期限"):
        workitem_create(bureau=demo.county, kind="task.check", title="x", department=demo.county.office())


# ---------------------------------------------------------------- reminders, overdue, 督办


def test_a_reminder_two_working_days_before_and_one_on_the_day_each_once(demo, check):
    officer = demo.users["station_officer"]
    assert followups_run(now=at("2025-11-05")).reminded == []
    assert followups_run(now=at("2025-11-06")).reminded == [check.title]  # Thu: 2 working days before Mon
    assert followups_run(now=at("2025-11-07")).reminded == []
    assert followups_run(now=at("2025-11-10", "09:00")).reminded == [check.title]  # the day itself
    assert followups_run(now=at("2025-11-10", "15:00")).reminded == []
    assert messages(officer, check, "remind") == 2


def test_overdue_the_working_day_after_then_level_one_then_level_two_each_exactly_once(demo, check):
    office, leader, officer = demo.users["office"], demo.users["leader"], demo.users["station_officer"]
    assert followups_run(now=at("2025-11-10", "17:00")).overdue == []  # the due day is in time
    first = followups_run(now=at("2025-11-11", "09:00"))
    assert first.overdue == [check.title] and first.escalated_office == [check.title]
    again = followups_run(now=at("2025-11-11", "09:05"))
    assert again.overdue == again.escalated_office == []
    check.refresh_from_db()
    level_one = check.escalations.get()
    assert check.overdue and level_one.level == 1 and level_one.automatic
    assert level_one.answer_due == dt.date(2025, 11, 13)  # 2 working days
    assert messages(office, check, "overdue") == 1 and messages(officer, check, "escalated") == 1
    assert followups_run(now=at("2025-11-13", "16:00")).escalated == []  # still in time to answer
    late = followups_run(now=at("2025-11-14", "09:00"))
    assert late.escalated == [check.title]
    assert followups_run(now=at("2025-11-14", "09:05")).escalated == []
    level_two = check.escalations.get(level=2)
    assert level_two.automatic and "逾期未答复" in level_two.note
    assert messages(leader, check, "escalated") == 1


def test_an_answered_escalation_is_not_raised_to_the_leading_group(demo, check):
    followups_run(now=at("2025-11-11"))
    escalation_answer(
        escalation=check.escalations.get(),
        user=demo.users["station_officer"],
        answer="已约谈店主，11-12 复查",
    )
    assert followups_run(now=at("2025-11-20")).escalated == []


def test_the_office_may_switch_automatic_escalation_off(demo, check):
    from wangjian.platform.followup.services import followup_settings_set

    followup_settings_set(bureau=demo.county, user=demo.users["office"], escalate_overdue=False)
    report = followups_run(now=at("2025-11-11"))
    assert report.overdue == [check.title] and report.escalated_office == []
    assert not Escalation.objects.exists()


def test_a_finished_item_is_not_followed_up(demo, check):
    with pytest.raises(ValidationFailed, match="办理结果"):
        workitem_finish(item=check, user=demo.users["station_officer"], result=" ")
    workitem_finish(item=check, user=demo.users["station_officer"], result="已亮照，截图存档")
    assert followups_run(now=at("2025-11-20")).overdue == []


def test_who_escalates_and_who_answers(demo, check):
    with pytest.raises(PermissionDeniedError):
        workitem_escalate(item=check, user=demo.users["ad_officer"], note="x")
    with pytest.raises(PermissionDeniedError):
        workitem_escalate(item=check, user=demo.users["leader"], note="x", level=1)
    escalation = workitem_escalate(item=check, user=demo.users["leader"], note="请加快", level=2)
    with pytest.raises(PermissionDeniedError):
        escalation_answer(escalation=escalation, user=demo.users["ad_officer"], answer="x")
    with pytest.raises(PermissionDeniedError):
        escalation_answer(escalation=escalation, user=demo.users["auditor"], answer="x")
    escalation_answer(escalation=escalation, user=demo.users["station_officer"], answer="明日办结")
    with pytest.raises(ValidationFailed, match="已答复"):
        escalation_answer(escalation=escalation, user=demo.users["station_officer"], answer="again")


def test_pushes_wait_outside_working_hours_but_escalations_go_at_once(demo, check):
    PushAddress.objects.create(user=demo.users["station_officer"], url="json://127.0.0.1:9/none")
    followups_run(now=at("2025-11-06", "20:00"), send=lambda *a: (True, ""))  # the evening reminder waits
    assert Delivery.objects.get().status == "deferred"
    workitem_escalate(item=check, user=demo.users["office"], note="紧急", now=at("2025-11-06", "20:05"))
    report = deliveries_send(now=at("2025-11-06", "20:06"), send=lambda *a: (True, ""))
    assert (report.sent, report.deferred) == (1, 1)
    assert deliveries_send(now=at("2025-11-07", "08:31"), send=lambda *a: (True, "")).sent == 1


def test_the_offices_working_hours_decide_when_pushes_wait(demo, check):
    from wangjian.platform.followup.services import followup_settings_set

    PushAddress.objects.create(user=demo.users["station_officer"], url="json://127.0.0.1:9/none")
    followup_settings_set(bureau=demo.county, user=demo.users["office"], work_end=dt.time(18, 30))
    followups_run(now=at("2025-11-06", "18:00"), send=lambda *a: (True, ""))  # before 18:30: sent
    assert Delivery.objects.get().status == "sent"


# ---------------------------------------------------------------- a year whose holidays are not entered


def test_a_deadline_in_an_unentered_year_is_provisional_never_overdue_and_final_once_entered(demo, station):
    from wangjian.core.models import CalendarDay, HolidayArrangement

    item = workitem_create(
        bureau=demo.county,
        kind="task.check",
        title="年末核查",
        station=station,
        working_days=5,
        now=at("2026-12-28"),
    )
    assert item.due == dt.date(2027, 1, 4) and item.due_provisional  # 01-01 counted: a guess
    report = followups_run(now=at("2027-01-05"))
    assert report.overdue == [] and report.waiting_calendar == [item.title]
    assert (
        Message.objects.filter(user=demo.users["office"], title__startswith="请录入节假日安排").count() == 1
    )
    followups_run(now=at("2027-01-05", "11:00"))
    assert (
        Message.objects.filter(user=demo.users["office"], title__startswith="请录入节假日安排").count() == 1
    )
    arrangement = HolidayArrangement.objects.create(
        year=2027, notice="国务院办公厅关于2027年部分节假日安排的通知"
    )
    CalendarDay.objects.create(arrangement=arrangement, date=dt.date(2027, 1, 1), kind="holiday", name="元旦")
    report = followups_run(now=at("2027-01-05", "12:00"))
    item.refresh_from_db()
    assert report.recomputed == [item.title] and not item.due_provisional and item.due == dt.date(2027, 1, 5)
    assert report.overdue == []  # due today, in time
    assert followups_run(now=at("2027-01-06")).overdue == [item.title]


# ---------------------------------------------------------------- a new app registers its kind


def test_a_new_app_gets_reminders_overdue_and_escalation_by_registering_a_kind(demo, station, monkeypatch):
    heard = []
    monkeypatch.setitem(
        kinds._KINDS,
        "cases.service",
        kinds.WorkItemKind(
            "cases.service",
            "送达处罚决定书",
            "案件",
            clock="case.service",
            on_overdue=lambda item: heard.append(("overdue", item.reference)),
            on_escalated=lambda item, esc: heard.append(("escalated", esc.level)),
        ),
    )
    item = workitem_create(
        bureau=demo.county,
        kind="cases.service",
        title="送达处罚决定书",
        reference="旌市监处罚〔2025〕3号",
        station=station,
        now=at("2025-11-03"),
    )
    assert item.due == dt.date(2025, 11, 12) and "第八十一条" in item.due_basis  # 7 working days
    followups_run(now=at("2025-11-13"))
    assert heard == [("overdue", "旌市监处罚〔2025〕3号"), ("escalated", 1)]


# ---------------------------------------------------------------- the page and the API


def test_the_page_and_the_api_refuse_the_same_thing_with_the_same_message(demo, check, login, api):
    page = login(demo.users["station_officer"]).post(
        f"/tasks/{check.pk}/act/finish/", {"result": ""}, follow=True
    )
    assert "请填写办理结果或撤销理由" in page.content.decode()
    r = api(demo.users["station_officer"]).post(
        f"/api/tasks/{check.pk}/act/", {"action": "finish"}, format="json"
    )
    assert r.status_code == 400 and r.json()["error"]["zh"] == "请填写办理结果或撤销理由"
    r = api(demo.users["station_officer"]).post(
        f"/api/tasks/{check.pk}/act/", {"action": "finish", "result": "已核查"}, format="json"
    )
    assert r.status_code == 200 and r.json()["state"] == "done"


def test_the_office_hands_out_work_on_the_page_and_the_unit_sees_it_on_its_workbench(demo, login, station):
    office = login(demo.users["office"])
    r = office.post(
        "/tasks/add/",
        {"kind": "task.rectification", "title": "复查整改情况", "station": station.pk, "working_days": 3},
    )
    item = WorkItem.objects.get(title="复查整改情况")
    assert r.status_code == 302 and r["Location"] == f"/tasks/{item.pk}/"
    workbench = login(demo.users["station_officer"]).get("/").content.decode()
    assert "复查整改情况" in workbench and "待办事项" in workbench
    assert login(demo.users["jixi_officer"]).get(f"/tasks/{item.pk}/").status_code == 404


def test_the_api_lists_only_what_the_caller_may_see_and_creates_by_the_same_rules(demo, check, api):
    assert [r["id"] for r in api(demo.users["station_officer"]).get("/api/tasks/").json()["results"]] == [
        check.pk
    ]
    assert api(demo.users["jixi_officer"]).get("/api/tasks/").json()["results"] == []
    r = api(demo.users["ad_officer"]).post(
        "/api/tasks/",
        {"kind": "task.check", "title": "x", "station": check.station_id, "working_days": 2},
        format="json",
    )
    assert r.status_code == 403


def test_an_unknown_kind_or_clock_of_work_is_a_bad_request_not_a_missing_row(demo, station, api):
    office = api(demo.users["office"])
    body = {"kind": "task.check", "title": "核查", "station": station.pk, "working_days": 2}
    for wrong in ({"kind": "no.such.kind"}, {"clock": "no.such.clock"}):
        r = office.post("/api/tasks/", {**body, **wrong}, format="json")
        assert r.status_code == 400 and r.json()["error"]["code"] == "invalid", wrong
        assert list(r.json()["error"]["detail"]) == list(wrong)
    assert office.post("/api/tasks/", body, format="json").status_code == 201


def test_a_step_answers_the_item_and_its_message_as_documented(demo, check, api):
    from tests.platform.documented import assert_documented

    client = api(demo.users["station_officer"])
    r = client.post(f"/api/tasks/{check.pk}/act/", {"action": "finish", "result": "已核查"}, format="json")
    assert r.status_code == 200 and r.json()["message"]
    assert_documented(client, r, "post", "/api/tasks/{id}/act/")


def test_a_clues_duty_is_closed_on_the_clue_page_not_on_the_item(demo, login):
    from wangjian.clues import services as clue_services

    clue = clue_services.clue_intake(
        bureau=demo.county,
        source_kind="manual",
        domain="internet_advertising",
        facts="绝对化用语",
        now=at("2025-11-03"),
    ).clue
    duty = WorkItem.objects.get(subject_type="clues.clue", subject_id=str(clue.pk), kind="clue.feedback")
    assert (duty.kind, duty.reference, duty.due) == ("clue.feedback", clue.number, clue.feedback_due)
    with pytest.raises(ValidationFailed, match="线索页面"):
        workitem_act(item=duty, user=demo.users["ad_officer"], action="finish", data={"result": "x"})
