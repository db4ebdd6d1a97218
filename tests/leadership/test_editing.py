"""Correcting the year after it was written down: the plan, its tasks and a meeting, on the page and through the
API, each change in the change log; a refusal reads the same on both (2025, a published calendar year)."""

import datetime as dt
import html

import pytest
from django.contrib.contenttypes.models import ContentType

from tests.clues.conftest import at
from wangjian.core.models import ChangeRecord
from wangjian.leadership import services
from wangjian.leadership.models import AnnualPlan, Meeting, MeetingKind, PlanTask
from wangjian.leadership.permissions import LEADERSHIP_MANAGE
from wangjian.org import permissions
from wangjian.org.choices import DepartmentKind as K
from wangjian.platform.inbox.models import Message
from wangjian.platform.workitems.models import WorkItemState

D = dt.date


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def _changes(obj) -> list[ChangeRecord]:
    ct = ContentType.objects.get_for_model(type(obj))
    return list(ChangeRecord.objects.filter(content_type=ct, object_id=str(obj.pk), action="update"))


def _refused_alike(api_response, page: str, status: int = 400) -> str:
    """The API's refusal, and the page showing the very same sentence."""
    assert api_response.status_code == status, api_response.json()
    zh = api_response.json()["error"]["zh"]
    assert zh in page, zh
    return zh


@pytest.fixture
def task(users, units, plan, clock):
    clock(at("2025-09-01"))
    return services.task_add(
        plan=plan,
        title="开展直播带货专项监测",
        due=D(2025, 10, 10),
        department=units[K.PRICE],
        user=users["office"],
    )


@pytest.fixture
def meeting(demo, users, units, clock):
    clock(at("2025-09-01"))
    meeting = services.meeting_create(
        bureau=demo.county,
        kind=MeetingKind.DISPATCH,
        title="三季度调度会",
        held_on=D(2025, 9, 1),
        attendees=[users["leader"]],
        summary="议定事项如下",
        user=users["office"],
    )
    services.decision_add(
        meeting=meeting,
        text="报送监测结果",
        due=D(2025, 9, 30),
        department=units[K.ADVERTISING],
        user=users["office"],
    )
    return meeting


# ---------------------------------------------------------------- the plan


def test_the_office_corrects_the_plan_on_its_edit_page_and_the_change_is_logged(users, plan, login, clock):
    clock(at("2025-10-20"))
    web = login(users["office"])
    assert 'id="plan-edit-link"' in _page(web.get(plan.get_absolute_url()))
    form = _page(web.get(f"/leadership/plans/{plan.pk}/edit/"))
    assert f'value="{plan.title}"' in form and 'value="2025-11-30"' in form  # filled with what is recorded
    data = {"title": "2025年网络市场监管工作要点", "body": "一、加强监测", "summary_due": "2025-12-05"}
    _page(web.post(f"/leadership/plans/{plan.pk}/edit/", {**data, "summary_remind_days": "3"}, follow=True))
    plan.refresh_from_db()
    assert (plan.title, plan.body, plan.summary_due, plan.summary_remind_days) == (
        "2025年网络市场监管工作要点",
        "一、加强监测",
        D(2025, 12, 5),
        3,
    )
    [record] = _changes(plan)
    assert record.via == "web" and record.user == users["office"]
    assert record.before["summary_due"] == "2025-11-30" and record.after["summary_due"] == "2025-12-05"


def test_the_plan_is_corrected_through_the_api_and_refused_in_the_pages_words(users, plan, login, api, clock):
    clock(at("2025-10-20"))
    client = api(users["leader"])
    done = client.patch(
        f"/api/leadership/plans/{plan.pk}/", {"title": "领导小组2025年工作计划"}, format="json"
    )
    assert done.status_code == 200 and done.json()["title"] == "领导小组2025年工作计划"
    assert _changes(AnnualPlan.objects.get(pk=plan.pk))[0].via == "api"
    answer = client.patch(f"/api/leadership/plans/{plan.pk}/", {"summary_remind_days": 31}, format="json")
    page = _page(
        login(users["leader"]).post(
            f"/leadership/plans/{plan.pk}/edit/",
            {"title": "x", "summary_due": "2025-11-30", "summary_remind_days": "31"},
            follow=True,
        )
    )
    assert _refused_alike(answer, page) == "提前提醒不能超过30个工作日"
    plan.refresh_from_db()
    assert plan.title == "领导小组2025年工作计划" and plan.summary_remind_days == 5


def test_the_auditor_is_refused_correcting_the_plan_and_a_meeting_in_the_tables_words(
    users, plan, meeting, login, api
):
    refusal = permissions.get(LEADERSHIP_MANAGE).refusal()[0]
    client, web = api(users["auditor"]), login(users["auditor"])
    answer = client.patch(f"/api/leadership/plans/{plan.pk}/", {"title": "审计改"}, format="json")
    _refused_alike(answer, _page(web.get(f"/leadership/plans/{plan.pk}/edit/", follow=True)), status=403)
    page = _page(web.post(f"/leadership/plans/{plan.pk}/edit/", {"title": "审计改"}, follow=True))
    assert refusal in page and answer.json()["error"]["zh"] == refusal
    assert 'id="plan-edit-link"' not in _page(web.get(plan.get_absolute_url()))
    answer = client.patch(f"/api/leadership/meetings/{meeting.pk}/", {"title": "审计改"}, format="json")
    page = _page(web.post(f"/leadership/meetings/{meeting.pk}/edit/", {"title": "审计改"}, follow=True))
    assert _refused_alike(answer, page, status=403) == refusal
    assert AnnualPlan.objects.get(pk=plan.pk).title != "审计改"
    assert Meeting.objects.get(pk=meeting.pk).title == "三季度调度会"


def test_the_summaries_due_day_stays_once_a_unit_was_marked_late_against_it(
    users, units, plan, login, api, clock
):
    food = plan.summaries.get(department=units[K.FOOD])
    services.summary_submit(summary=food, user=users["food_officer"], text="全年总结", now=at("2025-12-02"))
    clock(at("2025-12-03"))
    answer = api(users["office"]).patch(
        f"/api/leadership/plans/{plan.pk}/", {"summary_due": "2025-12-10"}, format="json"
    )
    page = _page(
        login(users["office"]).post(
            f"/leadership/plans/{plan.pk}/edit/",
            {"title": plan.title, "summary_due": "2025-12-10", "summary_remind_days": "5"},
            follow=True,
        )
    )
    assert "报送截止日不再更改" in _refused_alike(answer, page)
    plan.refresh_from_db()
    assert plan.summary_due == D(2025, 11, 30)


# ---------------------------------------------------------------- its tasks


def test_a_tasks_new_due_day_moves_its_work_item_and_tells_the_unit(users, units, plan, task, login, clock):
    from wangjian.leadership.services import leadership_daily

    leadership_daily(now=at("2025-10-13", "08:00"))  # the day after 10 October: overdue
    task.work_item.refresh_from_db()
    assert task.work_item.overdue
    clock(at("2025-10-20"))
    web = login(users["office"])
    assert f'id="task-edit-{task.pk}"' in _page(web.get(plan.get_absolute_url()))
    form = _page(web.get(f"/leadership/tasks/{task.pk}/edit/"))
    assert 'value="2025-10-10"' in form and f'value="d{units[K.PRICE].pk}" selected' in form
    data = {
        "title": "开展直播带货专项监测",
        "body": "每月报送",
        "unit": f"d{units[K.PRICE].pk}",
        "due": "2025-11-14",
    }
    _page(web.post(f"/leadership/tasks/{task.pk}/edit/", data, follow=True))
    task.refresh_from_db()
    item = task.work_item
    assert (task.due, item.due, item.overdue, item.state) == (D(2025, 11, 14), D(2025, 11, 14), False, "open")
    assert item.body == "每月报送" and "2025-10-10 → 2025-11-14" in item.due_basis
    assert Message.objects.filter(user=users["price_officer"], title__contains="期限调整").exists()
    assert [r.after["due"] for r in _changes(task)] == ["2025-11-14"]


def test_a_task_handed_to_another_unit_cancels_the_first_units_item_and_gives_the_new_one_its_own(
    users, units, plan, task, api, clock
):
    clock(at("2025-09-20"))
    first = task.work_item
    answer = api(users["office"]).patch(
        f"/api/leadership/plans/{plan.pk}/tasks/{task.pk}/", {"station": units["station"].pk}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["unit"] == str(units["station"]) and answer.json()["state"] == "open"
    first.refresh_from_db()
    task.refresh_from_db()
    assert first.state == WorkItemState.CANCELLED and first.result == f"改由{units['station']}承办"
    assert task.work_item != first and task.work_item.station == units["station"]
    assert (
        task.work_item.due == D(2025, 10, 10) and task.station == units["station"] and task.department is None
    )
    total, _ = services.plan_rollup(plan, today=D(2025, 9, 20))
    assert (total.total, total.open, total.cancelled) == (1, 1, 0)  # one task, handed on: not a second one
    clock(at("2025-10-20"))  # past its due day, a task goes to another unit only with a new one
    answer = api(users["office"]).patch(
        f"/api/leadership/plans/{plan.pk}/tasks/{task.pk}/", {"department": units[K.FOOD].pk}, format="json"
    )
    assert answer.status_code == 400 and answer.json()["error"]["zh"] == "完成期限不能早于今天"


def test_a_withdrawn_task_stays_in_the_plan_as_cancelled_with_its_reason(
    users, plan, task, login, api, clock
):
    clock(at("2025-10-20"))
    web = login(users["office"])
    answer = api(users["office"]).post(
        f"/api/leadership/plans/{plan.pk}/tasks/{task.pk}/withdraw/", {"reason": " "}, format="json"
    )
    assert answer.status_code == 400  # a reason is required (the serializer refuses a blank one)
    page = _page(
        web.post(f"/leadership/tasks/{task.pk}/edit/", {"step": "withdraw", "reason": " "}, follow=True)
    )
    assert "请填写撤销理由" in page
    _page(
        web.post(
            f"/leadership/tasks/{task.pk}/edit/", {"step": "withdraw", "reason": "并入专项行动"}, follow=True
        )
    )
    item = PlanTask.objects.get(pk=task.pk).work_item
    assert item.state == WorkItemState.CANCELLED and item.result == "撤销：并入专项行动"
    listed = api(users["auditor"]).get(f"/api/leadership/plans/{plan.pk}/tasks/").json()
    assert [(t["title"], t["state"]) for t in listed] == [("开展直播带货专项监测", "cancelled")]
    page = _page(web.get(plan.get_absolute_url()))
    assert "已撤销" in page and f'id="task-edit-{task.pk}"' not in page
    answer = api(users["office"]).patch(
        f"/api/leadership/plans/{plan.pk}/tasks/{task.pk}/", {"title": "再改"}, format="json"
    )
    page = _page(web.get(f"/leadership/tasks/{task.pk}/edit/", follow=True))
    assert _refused_alike(answer, page) == "该任务已撤销，不能修改或撤销"


def test_after_the_plans_year_its_tasks_are_neither_added_nor_changed(
    users, units, plan, task, login, api, clock
):
    clock(at("2026-01-05"))
    client, web = api(users["office"]), login(users["office"])
    answer = client.patch(
        f"/api/leadership/plans/{plan.pk}/tasks/{task.pk}/", {"due": "2025-12-31"}, format="json"
    )
    page = _page(web.get(f"/leadership/tasks/{task.pk}/edit/", follow=True))
    assert _refused_alike(answer, page) == "2025年度已结束，年度工作任务不再下达或调整"
    added = client.post(
        f"/api/leadership/plans/{plan.pk}/tasks/",
        {"title": "补充任务", "due": "2025-12-31", "department": units[K.FOOD].pk},
        format="json",
    )
    page = _page(
        web.post(
            plan.get_absolute_url(),
            {"title": "补充任务", "due": "2025-12-31", "unit": f"d{units[K.FOOD].pk}"},
            follow=True,
        )
    )
    assert _refused_alike(added, page) == "2025年度已结束，年度工作任务不再下达或调整"
    assert f'id="task-edit-{task.pk}"' not in page and 'id="task-new"' not in page
    assert plan.tasks.count() == 1


def test_the_api_hands_out_a_task_as_the_page_does(users, units, plan, api, clock):
    clock(at("2025-10-20"))
    answer = api(users["office"]).post(
        f"/api/leadership/plans/{plan.pk}/tasks/",
        {"title": "食品网店建档", "due": "2025-11-30", "department": units[K.FOOD].pk},
        format="json",
    )
    assert answer.status_code == 201 and answer.json()["unit"] == str(units[K.FOOD])
    task = PlanTask.objects.get(pk=answer.json()["id"])
    assert task.work_item.kind == services.TASK_KIND and task.work_item.due == D(2025, 11, 30)


# ---------------------------------------------------------------- meetings


def test_a_meeting_is_corrected_on_its_edit_page_its_decisions_kept_and_the_attendees_logged(
    users, meeting, login, clock
):
    clock(at("2025-09-02"))
    web = login(users["office"])
    assert 'id="meeting-edit-link"' in _page(web.get(meeting.get_absolute_url()))
    form = _page(web.get(f"/leadership/meetings/{meeting.pk}/edit/"))
    assert 'value="三季度调度会"' in form and 'value="2025-09-01"' in form
    assert f'<option value="{users["leader"].pk}" selected>' in form
    data = {
        "kind": MeetingKind.ANALYSIS,
        "title": "三季度形势分析会",
        "held_on": "2025-09-01",
        "place": "三楼会议室",
        "chair": users["leader"].pk,
        "attendees": [users["leader"].pk, users["office"].pk],
        "summary": "议定事项如下（修订）",
    }
    _page(web.post(f"/leadership/meetings/{meeting.pk}/edit/", data, follow=True))
    meeting.refresh_from_db()
    assert (meeting.kind, meeting.title, meeting.place, meeting.chair) == (
        "analysis",
        "三季度形势分析会",
        "三楼会议室",
        users["leader"],
    )
    assert set(meeting.attendees.all()) == {users["leader"], users["office"]}
    assert [d.text for d in meeting.decisions.all()] == ["报送监测结果"]
    records = _changes(meeting)
    attendees = next(r for r in records if "attendees" in r.after)
    assert len(attendees.after["attendees"]) == 2 and len(attendees.before["attendees"]) == 1
    fields = next(r for r in records if "title" in r.after)
    assert fields.before["title"] == "三季度调度会" and fields.via == "web"


def test_a_meeting_cannot_move_after_a_decisions_deadline_in_the_same_words(users, meeting, login, api):
    answer = api(users["office"]).patch(
        f"/api/leadership/meetings/{meeting.pk}/", {"held_on": "2025-10-08"}, format="json"
    )
    data = {"kind": MeetingKind.DISPATCH, "title": "三季度调度会", "held_on": "2025-10-08"}
    page = _page(login(users["office"]).post(f"/leadership/meetings/{meeting.pk}/edit/", data, follow=True))
    zh = _refused_alike(answer, page)
    assert zh.startswith("会议日期不能晚于议定事项第1项的完成期限（2025-09-30）")
    meeting.refresh_from_db()
    assert meeting.held_on == D(2025, 9, 1)


def test_a_joint_meeting_corrected_through_the_api_still_names_its_outside_attendees(users, meeting, api):
    client = api(users["office"])
    answer = client.patch(f"/api/leadership/meetings/{meeting.pk}/", {"kind": "joint"}, format="json")
    assert answer.status_code == 400 and answer.json()["error"]["zh"] == "联席会议请填写外单位参会人员"
    answer = client.patch(
        f"/api/leadership/meetings/{meeting.pk}/",
        {"kind": "joint", "outside_attendees": "县公安局 张警官 副大队长", "attendees": []},
        format="json",
    )
    assert answer.status_code == 200 and answer.json()["outside"] == ["县公安局 张警官 副大队长"]
    assert not Meeting.objects.get(pk=meeting.pk).attendees.exists()


def test_an_issued_meeting_stays_as_issued_and_its_decisions_keep_their_work_items(
    users, meeting, login, api, clock
):
    services.minutes_issue(meeting=meeting, user=users["office"], now=at("2025-09-02", "16:00"))
    decision = meeting.decisions.get()
    item = decision.work_item
    clock(at("2025-09-03"))
    web = login(users["office"])
    assert 'id="meeting-edit-link"' not in _page(web.get(meeting.get_absolute_url()))
    answer = api(users["office"]).patch(
        f"/api/leadership/meetings/{meeting.pk}/", {"title": "改名"}, format="json"
    )
    page = _page(web.get(f"/leadership/meetings/{meeting.pk}/edit/", follow=True))
    assert _refused_alike(answer, page).startswith("纪要已印发（")
    page = _page(web.post(f"/leadership/meetings/{meeting.pk}/edit/", {"title": "改名"}, follow=True))
    assert "纪要已印发（" in page
    decision.refresh_from_db()
    assert decision.work_item == item and item.state == WorkItemState.OPEN
    assert Meeting.objects.get(pk=meeting.pk).title == "三季度调度会"
