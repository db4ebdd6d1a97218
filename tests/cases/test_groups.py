"""The joint case group (联合办案组): formed by the office across departments and bureaus, with tasks, owners,
due dates and a journal.

The story: 钱科员's case against 张三丰 (a natural person) is filed on Friday 2025-11-07; on Monday 11-10 李主任
(the office) forms a group with 赵股长 as its lead and two members — jixi_officer of 绩溪县 (another bureau)
and 孙科员 of the county's price department, neither of whom would otherwise see the case.

- a member, of any bureau, sees the case (the list, the page, the API) and the person's name while the
  group stands and they have not left; a colleague of theirs who is not on it does not;
- only the office or the lead changes the members or sets tasks: on the page and in the API alike;
- a task is the owner's (a work item of the owner's own bureau with the due date given) and only the
  owner, or the lead, completes it; the journal is appended to in order;
- dissolution cancels the open tasks and ends the members' view; the office may form it again;
- a removed member no longer sees the case; the group never goes without a lead.
"""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.utils import timezone

from tests.cases.conftest import at
from wangjian.cases.api_groups import JointGroupSerializer
from wangjian.cases.models import GroupMember, JointGroup
from wangjian.cases.selectors import cases_visible, may_see_party
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.platform.inbox.models import Message
from wangjian.platform.workitems.models import WorkItem

FORMED = "2025-11-10"  # Monday
MEMBER_REFUSAL = "“调整办案组成员”只能由办案组组长、领导小组办公室操作（办案组成员由领导小组办公室或组长调整；成员可跨局查看本案）。"
TASK_REFUSAL = "“布置办案组任务”只能由办案组组长、领导小组办公室操作（组长布置任务，明确责任人和完成时限）。"


@pytest.fixture
def office(demo):
    """李主任 of the county's leading-group office (领导小组办公室)."""
    return demo.users["office"]


@pytest.fixture
def partner(demo):
    """An officer of 绩溪县 (another bureau), put on the group."""
    assert demo.users["jixi_officer"].bureau_id == demo.other_county.pk
    return demo.users["jixi_officer"]


@pytest.fixture
def colleague(demo):
    """孙科员 of the county's price department: not the case's 办案机构, put on the group."""
    return demo.users["price_officer"]


@pytest.fixture
def stranger(demo):
    """Another officer of 绩溪县, who is not on the group."""
    from wangjian.org.services import user_create

    user, _ = user_create(
        username="jixi_stranger",
        name="绩溪路人",
        bureau=demo.other_county,
        department=demo.other_county.departments.order_by("id").first(),
        password="Demo2025pass",
    )
    user.must_change_password = False
    user.save()
    return user


@pytest.fixture
def case(filed):
    return filed(party_kind="person", party_name="张三丰")


@pytest.fixture
def grouped(case, act, office, head, partner, colleague):
    """The case with its group formed on 11-10: 赵股长 leads, jixi_officer and 孙科员 are members."""
    act(
        case,
        office,
        "group_form",
        FORMED,
        "09:00",
        name="云乐茶叶跨区域联合办案组",
        reason="cross_region",
        note="涉案网店在绩溪县有实际经营地",
        lead=head,
        members=[partner, colleague],
    )
    return case


def page_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def tasks_of(case):
    return case.group.tasks.order_by("id")


def items_of(task):
    return WorkItem.objects.filter(subject_type="cases.grouptask", subject_id=str(task.pk))


# ---------------------------------------------------------------- forming, and who sees the case


def test_a_member_of_another_bureau_sees_the_case_and_the_persons_name_once_the_group_is_formed(
    case, act, office, head, partner, colleague, stranger, login, api, clock
):
    assert not cases_visible(partner).filter(pk=case.pk).exists()
    assert login(partner).get(f"/cases/cases/{case.pk}/").status_code == 404
    message = act(
        case,
        office,
        "group_form",
        FORMED,
        name="云乐茶叶跨区域联合办案组",
        reason="cross_region",
        lead=head,
        members=[partner, colleague],
    )
    assert message == "已组建联合办案组“云乐茶叶跨区域联合办案组”，共 3 人"
    group = JointGroup.objects.get(case=case)
    assert {(m.user, m.role) for m in group.members.all()} == {
        (head, "lead"),
        (partner, "member"),
        (colleague, "member"),
    }
    event = case.events.get(action="group_form")
    assert (
        "组长 赵股长（旌德县市场监督管理局）" in event.comment
        and "jixi_officer（绩溪县市场监督管理局）" in event.comment
    )
    # the new members hear of it in their inbox, whatever their bureau
    assert Message.objects.filter(user=partner, kind="assigned", url=case.get_absolute_url()).exists()

    for member in (partner, colleague):
        assert cases_visible(member).filter(pk=case.pk).exists()
        assert may_see_party(user=member, case=case)
    clock(at("2025-11-11"))
    page = page_of(login(partner).get(f"/cases/cases/{case.pk}/?party=1"))
    assert "张三丰" in page and 'id="group-members"' in page and "云乐茶叶跨区域联合办案组" in page
    client = api(partner)
    assert case.pk in [row["id"] for row in client.get("/api/cases/cases/").json()["results"]]
    assert client.get(f"/api/cases/cases/{case.pk}/").status_code == 200

    # a colleague of the partner's bureau who is not on the group sees nothing of it
    assert not cases_visible(stranger).filter(pk=case.pk).exists()
    assert not may_see_party(user=stranger, case=case)
    assert login(stranger).get(f"/cases/cases/{case.pk}/").status_code == 404
    assert api(stranger).get(f"/api/cases/cases/{case.pk}/").status_code == 404


def test_the_visible_cases_of_a_member_cost_two_queries_whatever_their_number(grouped, partner, queries):
    # the groups the user stands on, then the cases: no OR-subquery in a bureau's list (bench/cases.py)
    assert queries.count(lambda: list(cases_visible(partner))) == 2


def test_the_case_page_says_so_in_a_line_when_there_is_no_group_and_offers_the_office_to_form_one(
    case, office, login
):
    page = page_of(login(office).get(f"/cases/cases/{case.pk}/"))
    assert 'id="group-none"' in page and 'id="group-members"' not in page
    assert 'data-action="group_form"' in page and 'data-action="group_task"' not in page


def test_only_the_office_forms_a_group_and_only_one_stands_at_a_time(
    case, act, office, head, officer, partner, demo
):
    with pytest.raises(PermissionDeniedError):
        act(case, head, "group_form", FORMED, name="组", reason="major", lead=head)
    with pytest.raises(ValidationFailed, match="审计人员"):
        act(
            case,
            office,
            "group_form",
            FORMED,
            name="组",
            reason="major",
            lead=head,
            members=[demo.users["auditor"]],
        )
    partner.is_active = False
    partner.save()
    with pytest.raises(ValidationFailed, match="账号已停用"):
        act(case, office, "group_form", FORMED, name="组", reason="major", lead=head, members=[partner])
    act(case, office, "group_form", FORMED, name="组", reason="major", lead=head, members=[officer])
    with pytest.raises(ValidationFailed, match="已有联合办案组"):
        act(case, office, "group_form", FORMED, name="另一个组", reason="major", lead=officer)
    assert JointGroup.objects.filter(case=case).count() == 1


# ---------------------------------------------------------------- members and tasks: the office or the lead


def test_only_the_office_or_the_lead_changes_members_or_sets_tasks_on_the_page_and_the_api_alike(
    grouped, act, office, head, officer, partner, colleague, stranger, login, api, clock
):
    case = grouped
    for who in (partner, officer):  # a member; one of the case's officers
        with pytest.raises(PermissionDeniedError) as refused:
            act(case, who, "group_member", "2025-11-11", member=stranger, change="add", role="member")
        assert refused.value.zh == MEMBER_REFUSAL
        with pytest.raises(PermissionDeniedError) as refused:
            act(
                case,
                who,
                "group_task",
                "2025-11-11",
                title="调取平台交易数据",
                owner=partner,
                due=dt.date(2025, 11, 20),
            )
        assert refused.value.zh == TASK_REFUSAL

    clock(at("2025-11-11"))
    r = api(partner).post(
        f"/api/cases/cases/{case.pk}/transition/",
        {"action": "group_member", "change": "add", "member": stranger.pk, "role": "member"},
        format="json",
    )
    assert r.status_code == 403 and r.json()["error"]["zh"] == MEMBER_REFUSAL
    page = page_of(
        login(partner).post(
            f"/cases/cases/{case.pk}/act/group_task/",
            {
                "group_task-title": "调取平台交易数据",
                "group_task-owner": partner.pk,
                "group_task-due": "2025-11-20",
            },
            follow=True,
        )
    )
    assert TASK_REFUSAL in page
    assert not GroupMember.objects.filter(user=stranger).exists() and not case.group.tasks.exists()

    # the lead, through the API, and the office, through the page
    r = api(head).post(
        f"/api/cases/cases/{case.pk}/transition/",
        {"action": "group_task", "title": "调取平台交易数据", "owner": partner.pk, "due": "2025-11-20"},
        format="json",
    )
    assert r.status_code == 200, r.json()
    assert r.json()["message"] == "已布置任务“调取平台交易数据”，负责人 jixi_officer，2025-11-20 前完成"
    page = page_of(
        login(office).post(
            f"/cases/cases/{case.pk}/act/group_member/",
            {"group_member-change": "add", "group_member-member": officer.pk, "group_member-role": "liaison"},
            follow=True,
        )
    )
    assert "钱科员（旌德县市场监督管理局） 加入办案组（联络员）" in page
    assert GroupMember.objects.get(group__case=case, user=officer).role == "liaison"
    assert list(
        case.events.filter(action__in=["group_task", "group_member"]).values_list("action", flat=True)
    ) == [
        "group_task",
        "group_member",
    ]


def test_a_task_is_owed_by_an_active_member_as_a_work_item_of_their_own_bureau(
    grouped, act, head, officer, partner
):
    case = grouped
    with pytest.raises(ValidationFailed, match="不是办案组成员"):
        act(
            case,
            head,
            "group_task",
            "2025-11-11",
            title="询问当事人",
            owner=officer,
            due=dt.date(2025, 11, 20),
        )
    with pytest.raises(ValidationFailed, match="完成期限不能早于今天"):
        act(
            case,
            head,
            "group_task",
            "2025-11-11",
            title="询问当事人",
            owner=partner,
            due=dt.date(2025, 11, 10),
        )
    act(
        case,
        head,
        "group_task",
        "2025-11-11",
        title="核查绩溪县实际经营地",
        owner=partner,
        due=dt.date(2025, 11, 20),
    )
    [task] = tasks_of(case)
    [item] = items_of(task)
    assert (item.bureau_id, item.assignee, item.due, item.state) == (
        partner.bureau_id,
        partner,
        dt.date(2025, 11, 20),
        "open",
    )
    assert item.url == f"{case.get_absolute_url()}#group" and item.reference == case.number
    assert Message.objects.filter(user=partner, kind="task", title__contains="核查绩溪县实际经营地").exists()


def test_a_task_is_completed_only_by_its_owner_or_the_lead_and_its_work_item_finishes_with_it(
    grouped, act, head, officer, partner, colleague, clock
):
    case = grouped
    act(
        case,
        head,
        "group_task",
        "2025-11-11",
        title="核查绩溪县实际经营地",
        owner=partner,
        due=dt.date(2025, 11, 20),
    )
    act(
        case,
        head,
        "group_task",
        "2025-11-11",
        title="调取平台交易数据",
        owner=colleague,
        due=dt.date(2025, 11, 14),
    )
    first, second = tasks_of(case)
    for who in (colleague, officer):  # another member; one of the case's officers
        with pytest.raises(PermissionDeniedError):
            act(case, who, "task_done", "2025-11-18", task=first, result="已核查")
    act(case, partner, "task_done", "2025-11-18", task=first, result="实际经营地位于华阳镇，已制作现场笔录")
    first.refresh_from_db()
    assert (first.state, first.done_on, first.overdue) == ("done", dt.date(2025, 11, 18), False)
    assert items_of(first).get().state == "done"
    with pytest.raises(ValidationFailed, match="已完成"):
        act(case, partner, "task_done", "2025-11-18", task=first, result="再次办结")

    clock(at("2025-11-17"))  # the second task, due Friday 11-14, is overdue while open
    second.refresh_from_db()
    assert second.overdue
    assert JointGroupSerializer(case.group).data["tasks"][1]["overdue"] is True
    act(case, head, "task_done", "2025-11-17", task=second, result="组长代为登记：数据已调取")
    second.refresh_from_db()
    assert second.state == "done" and not second.overdue
    assert "超过期限 2025-11-14" in case.events.filter(action="task_done").order_by("id").last().comment


# ---------------------------------------------------------------- the journal


def test_the_journal_is_appended_to_in_order_by_members_officers_and_the_office(
    grouped, act, office, officer, partner, stranger
):
    case = grouped
    act(case, partner, "journal", "2025-11-12", "09:00", text="绩溪县局已派员赴华阳镇核查")
    act(case, officer, "journal", "2025-11-12", "14:00", text="会商：固定网店页面证据，询问当事人")
    act(case, office, "journal", "2025-11-13", text="办公室：请于11月20日前报送进展")
    with pytest.raises(PermissionDeniedError):
        act(case, stranger, "journal", "2025-11-13", text="路过")
    with pytest.raises(ValidationFailed):
        act(case, partner, "journal", "2025-11-13", text="  ")
    entries = [(e.author_name, e.author_bureau, e.text) for e in case.group.journal.all()]
    assert entries == [
        ("jixi_officer", "绩溪县市场监督管理局", "绩溪县局已派员赴华阳镇核查"),
        ("钱科员", "旌德县市场监督管理局", "会商：固定网店页面证据，询问当事人"),
        ("李主任", "旌德县市场监督管理局", "办公室：请于11月20日前报送进展"),
    ]
    data = JointGroupSerializer(case.group).data
    assert [e["text"] for e in data["journal"]] == [text for _, _, text in entries]
    assert {(m["name"], m["bureau"], m["role"], m["left_at"]) for m in data["members"]} >= {
        ("jixi_officer", "绩溪县市场监督管理局", "member", None)
    }
    assert case.events.filter(action="journal").count() == 3


# ---------------------------------------------------------------- dissolution and removal


def test_dissolution_cancels_the_open_tasks_and_ends_the_members_view_until_a_new_formation(
    grouped, act, office, head, partner, colleague, login
):
    case = grouped
    act(
        case,
        head,
        "group_task",
        "2025-11-11",
        title="核查绩溪县实际经营地",
        owner=partner,
        due=dt.date(2025, 11, 20),
    )
    act(
        case,
        head,
        "group_task",
        "2025-11-11",
        title="调取平台交易数据",
        owner=colleague,
        due=dt.date(2025, 11, 20),
    )
    done, still_open = tasks_of(case)
    act(case, partner, "task_done", "2025-11-14", task=done, result="已核查")
    with pytest.raises(ValidationFailed):  # a reason is required
        act(case, office, "group_dissolve", "2025-11-17", reason="")
    with pytest.raises(PermissionDeniedError):
        act(case, head, "group_dissolve", "2025-11-17", reason="案件事实已查清")
    message = act(case, office, "group_dissolve", "2025-11-17", reason="案件事实已查清")
    assert message == "联合办案组“云乐茶叶跨区域联合办案组”已解散，取消未完成任务 1 项"
    done.refresh_from_db()
    still_open.refresh_from_db()
    assert (done.state, still_open.state) == ("done", "cancelled")
    assert items_of(still_open).get().state == "cancelled" and items_of(done).get().state == "done"

    for member in (partner, colleague):
        assert not cases_visible(member).filter(pk=case.pk).exists()
        assert not may_see_party(user=member, case=case)
    assert login(partner).get(f"/cases/cases/{case.pk}/").status_code == 404
    assert cases_visible(head).filter(pk=case.pk).exists()  # the lead still handles it as the 办案机构's head
    with pytest.raises(ValidationFailed, match="本案没有联合办案组"):
        act(case, head, "journal", "2025-11-18", text="补记")

    # formed again: the same record, the earlier members' membership ended with the dissolution
    act(
        case,
        office,
        "group_form",
        "2025-11-24",
        name="第二阶段办案组",
        reason="difficult",
        lead=head,
        members=[partner],
    )
    group = JointGroup.objects.get(case=case)
    assert group.dissolved_at is None and group.name == "第二阶段办案组" and group.tasks.count() == 2
    assert cases_visible(partner).filter(pk=case.pk).exists()
    assert not cases_visible(colleague).filter(pk=case.pk).exists()
    left = GroupMember.objects.get(group=group, user=colleague).left_at
    assert timezone.localtime(left).date() == dt.date(2025, 11, 17)


def test_a_removed_member_no_longer_sees_the_case_and_the_group_keeps_a_lead(
    grouped, act, office, head, partner, colleague, login
):
    case = grouped
    act(
        case,
        head,
        "group_task",
        "2025-11-11",
        title="核查绩溪县实际经营地",
        owner=partner,
        due=dt.date(2025, 11, 20),
    )
    message = act(case, head, "group_member", "2025-11-12", member=partner, change="remove")
    assert message == "jixi_officer（绩溪县市场监督管理局） 退出办案组，其未完成任务 1 项已取消"
    row = GroupMember.objects.get(group__case=case, user=partner)  # kept, with the day it ended
    assert timezone.localtime(row.left_at).date() == dt.date(2025, 11, 12)
    [task] = tasks_of(case)
    assert task.state == "cancelled" and items_of(task).get().state == "cancelled"
    assert not cases_visible(partner).filter(pk=case.pk).exists()
    assert login(partner).get(f"/cases/cases/{case.pk}/").status_code == 404

    with pytest.raises(ValidationFailed, match="办案组须有组长"):
        act(case, office, "group_member", "2025-11-12", member=head, change="remove")
    act(case, office, "group_member", "2025-11-12", member=head, change="remove", lead=colleague)
    assert GroupMember.objects.get(group__case=case, user=colleague).role == "lead"
    # the new lead now changes the members
    act(case, colleague, "group_member", "2025-11-13", member=partner, change="add", role="member")
    assert cases_visible(partner).filter(pk=case.pk).exists()
