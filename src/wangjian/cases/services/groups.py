"""The joint case group (联合办案组) of a case: formed, staffed, tasked, journaled and dissolved.

旌德机制 二(五) and 云南实施意见 三(三)2: a major, difficult or cross-region case is handled by a group the
leading-group office forms across departments and bureaus. Its members see the case even in another
bureau (as a shared clue is seen by its partner) while the group stands and they have not left; the
lead (组长) or the office sets tasks with an owner and a due date, each also a platform work item of the
owner (待办: reminders, overdue, 督办 by the owner's own office); everyone on it keeps the journal
(办案日志), which is only ever appended to. Every step is a CaseEvent, so the case's history shows it.

Who may take each step is the transition table's (``transitions.TRANSITIONS``); the rules of the group
itself (one standing group, the last lead, who owns a task) are here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.cases.choices import Action, Party
from wangjian.cases.models import (
    Case,
    GroupMember,
    GroupReason,
    GroupTask,
    JointGroup,
    JournalEntry,
    MemberRole,
    TaskState,
)
from wangjian.cases.services.transitions import case_parties, record, required, transition_check
from wangjian.core.audit import acting
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org.choices import Role
from wangjian.org.models import User
from wangjian.platform.inbox.models import MessageKind
from wangjian.platform.inbox.services import notify
from wangjian.platform.workitems import kinds as workitem_kinds
from wangjian.platform.workitems.models import WorkItem, WorkItemState
from wangjian.platform.workitems.services import workitem_create, workitem_finish

GROUP_ACTIONS = frozenset(
    {
        Action.GROUP_FORM,
        Action.GROUP_MEMBER,
        Action.GROUP_TASK,
        Action.TASK_DONE,
        Action.JOURNAL,
        Action.GROUP_DISSOLVE,
    }
)

# A group task is a work item of its owner in the owner's own bureau, with the due date the lead gave
# (no clock of the catalogue: the date is the lead's, ``交办时指定期限``); the item's subject is the task.
TASK_KIND = "case.group_task"
WORKITEM_KINDS = (
    workitem_kinds.WorkItemKind(TASK_KIND, "联合办案组任务", "办案组任务"),
)  # apps.py registers

ADD, REMOVE = "add", "remove"


@dataclass
class MemberChange:
    """What a change of the group's members did, as the case's history says it."""

    member: GroupMember
    said: str
    cancelled: list[GroupTask] = field(default_factory=list)


@dataclass
class Dissolution:
    group: JointGroup
    cancelled: list[GroupTask] = field(default_factory=list)


# ---------------------------------------------------------------- reads the steps share


def standing_group(case: Case, *, lock: bool = False) -> JointGroup:
    """The case's group while it stands, or the refusal every step but forming gives."""
    qs = JointGroup.objects.filter(case_id=case.pk)
    group = (qs.select_for_update() if lock else qs).first()
    if group is None:
        raise ValidationFailed("本案尚未组建联合办案组", "The case has no joint group")
    if group.dissolved_at is not None:
        raise ValidationFailed(
            f"联合办案组已于 {timezone.localtime(group.dissolved_at):%Y-%m-%d} 解散",
            "The joint group was dissolved",
        )
    return group


def member_eligible(user: User | None) -> User:
    """A member may be of any bureau, but must be someone who takes part in case work: active, in a bureau,
    not the read-only auditor (只读审计)."""
    if user is None:
        raise ValidationFailed("请选择人员", "Choose a person")
    if not user.is_active:
        raise ValidationFailed(f"{user} 的账号已停用，不能加入办案组", f"{user.username} is inactive")
    if user.role == Role.AUDITOR:
        raise ValidationFailed(
            f"{user} 是审计人员（只读），不能加入办案组", f"{user.username} is a read-only auditor"
        )
    if user.bureau_id is None:
        raise ValidationFailed(f"{user} 没有所属局，不能加入办案组", f"{user.username} belongs to no bureau")
    return user


def _user(value: Any) -> User | None:
    """A user given as the form gives it (an instance) or as an id (a caller of ``case_act``)."""
    if value in (None, ""):
        return None
    if isinstance(value, User):
        return value
    return User.objects.filter(pk=value).first()


def _name(user: User) -> str:
    return getattr(user, "name", "") or getattr(user, "username", "")


def _forget(case: Case) -> None:
    """The case's cached group (``case.group``) is read again by the next check."""
    case._state.fields_cache.pop("group", None)


def _join(group: JointGroup, user: User, role: str, by: User, now: dt.datetime) -> tuple[GroupMember, bool]:
    """Add ``user`` (or bring them back, the row kept: one per person and group); True when newly on it."""
    member = GroupMember.objects.filter(group=group, user=user).first()
    if member is None:
        return GroupMember.objects.create(group=group, user=user, role=role, added_by=by, added_at=now), True
    joined = member.left_at is not None
    if joined:
        member.added_by, member.added_at, member.left_at = by, now, None
    member.role = role
    member.save()
    return member, joined


def _leads_check(group: JointGroup) -> None:
    if not group.members.filter(left_at__isnull=True, role=MemberRole.LEAD).exists():
        raise ValidationFailed(
            "办案组须有组长：移除或调整组长时请同时指定新的组长",
            "The group needs a lead: name another lead when removing or changing the last one",
        )


def _welcome(case: Case, group: JointGroup, members: Iterable[GroupMember], now: dt.datetime) -> None:
    """The new members hear of it in their inbox, whatever their bureau."""
    for m in members:
        notify(
            key=f"casegroup{group.pk}:member{m.pk}:{m.added_at:%Y%m%d%H%M%S}",
            users=[m.user],
            kind=MessageKind.ASSIGNED,
            title=f"您已加入联合办案组“{group.name}”（{m.get_role_display()}）：{case.number} {case.title}",
            body=f"{case.bureau.name} · {group.get_reason_display()}。{group.note}".strip(),
            subject=case,
            url=case.get_absolute_url(),
            now=now,
        )


def _task_items(tasks: Iterable[GroupTask]) -> list[WorkItem]:
    ids = [str(t.pk) for t in tasks]
    if not ids:
        return []
    return list(
        WorkItem.objects.filter(
            kind=TASK_KIND,
            subject_type=GroupTask._meta.label_lower,
            subject_id__in=ids,
            state=WorkItemState.OPEN,
        )
    )


def _tasks_cancel(tasks: list[GroupTask], user: User, why: str, now: dt.datetime) -> None:
    for item in _task_items(tasks):
        workitem_finish(item=item, user=None, actor=user, result=why, state=WorkItemState.CANCELLED, now=now)
    for task in tasks:
        task.state, task.result = TaskState.CANCELLED, why
        task.save()


# ---------------------------------------------------------------- the steps


def group_form(
    *,
    case: Case,
    user: User,
    name: str,
    reason: str,
    lead: User | None,
    members: Iterable[User] = (),
    note: str = "",
    now: dt.datetime | None = None,
) -> JointGroup:
    """The office forms the group with its lead and members, of any department or bureau.

    A case has one group (``case.group``): forming is refused while it stands; after its dissolution the
    office may form it again — the same record, renamed and restaffed, its earlier tasks and journal kept,
    the earlier members ending their membership on the day it was dissolved."""
    now = now or timezone.now()
    transition_check(user=user, case=case, action=Action.GROUP_FORM)
    name = required(name, "请填写办案组名称", "Name the group")
    if reason not in GroupReason.values:
        raise ValidationFailed("请选择成立理由", "Choose why the group is formed")
    lead = member_eligible(_user(lead))
    others = [
        member_eligible(u) for u in (_user(m) for m in members or ()) if u is not None and u.pk != lead.pk
    ]
    others = list({u.pk: u for u in others}.values())
    with transaction.atomic(), acting(user, via="cases"):
        group = JointGroup.objects.select_for_update().filter(case_id=case.pk).first()
        revived = group is not None
        if group is None:
            group = JointGroup(case=case)
        elif group.dissolved_at is None:
            raise ValidationFailed(
                f"本案已有联合办案组“{group.name}”，请调整其成员而不是重新组建",
                "The case has a standing joint group already",
            )
        else:  # the earlier members' membership ended with the dissolution
            group.members.filter(left_at__isnull=True).update(left_at=group.dissolved_at)
        group.name, group.reason, group.note = name[:100], reason, (note or "").strip()
        group.formed_by, group.formed_at, group.dissolved_at = user, now, None
        group.save()
        joined = [_join(group, lead, MemberRole.LEAD, user, now)[0]]
        joined += [_join(group, u, MemberRole.MEMBER, user, now)[0] for u in others]
        record(
            case,
            Action.GROUP_FORM,
            user,
            from_state=case.state,
            comment=f"{'重新组建' if revived else '组建'}联合办案组“{group.name}”（{group.get_reason_display()}）："
            f"组长 {_member_label(lead)}"
            + (f"；成员 {'、'.join(_member_label(u) for u in others)}" if others else ""),
            detail={"group": group.pk, "lead": lead.pk, "members": [u.pk for u in others]},
            now=now,
        )
        _welcome(case, group, joined, now)
    _forget(case)
    return group


def _member_label(user: User) -> str:
    bureau = getattr(user.bureau, "name", "")
    return f"{_name(user)}（{bureau}）" if bureau else _name(user)


def group_member(
    *,
    case: Case,
    user: User,
    member: User | None,
    change: str = ADD,
    role: str = MemberRole.MEMBER,
    lead: User | None = None,
    now: dt.datetime | None = None,
) -> MemberChange:
    """The office or the lead adds a member (or changes their role), or removes one.

    A removal ends the membership (``left_at``) and never deletes it; the member's open tasks are
    cancelled with it. The group keeps a lead: removing or demoting the last one needs ``lead``, who
    becomes the lead (added to the group if not on it)."""
    now = now or timezone.now()
    transition_check(user=user, case=case, action=Action.GROUP_MEMBER)
    person = _user(member)
    if person is None:
        raise ValidationFailed("请选择人员", "Choose a person")
    if change not in (ADD, REMOVE):
        raise ValidationFailed("请选择加入或移出", "Choose to add or to remove")
    if change == ADD and role not in MemberRole.values:
        raise ValidationFailed("请选择职责", "Choose the member's role")
    new_lead = _user(lead)
    with transaction.atomic(), acting(user, via="cases"):
        group = standing_group(case, lock=True)
        row = GroupMember.objects.filter(group=group, user=person, left_at__isnull=True).first()
        joined: list[GroupMember] = []
        cancelled: list[GroupTask] = []
        if change == ADD:
            member_eligible(person)
            if row is not None and row.role == role:
                raise ValidationFailed(
                    f"{person} 已是办案组{row.get_role_display()}",
                    f"{person.username} is on the group already",
                )
            before = row.get_role_display() if row is not None else ""
            row, new = _join(group, person, role, user, now)
            if new:
                joined.append(row)
            said = (
                f"{_member_label(person)} 加入办案组（{row.get_role_display()}）"
                if new
                else f"{_member_label(person)} 的职责由{before}调整为{row.get_role_display()}"
            )
        else:
            if row is None:
                raise ValidationFailed(f"{person} 不是办案组成员", f"{person.username} is not on the group")
            row.left_at = now
            row.save()
            cancelled = list(group.tasks.filter(owner=person, state=TaskState.OPEN))
            _tasks_cancel(cancelled, user, f"{_name(person)} 已退出办案组，任务取消", now)
            said = f"{_member_label(person)} 退出办案组"
            if cancelled:
                said += f"，其未完成任务 {len(cancelled)} 项已取消"
        if new_lead is not None and new_lead.pk != person.pk:
            lead_row, new = _join(group, member_eligible(new_lead), MemberRole.LEAD, user, now)
            if new:
                joined.append(lead_row)
            said += f"；{_member_label(new_lead)} 任组长"
        _leads_check(group)
        record(
            case,
            Action.GROUP_MEMBER,
            user,
            from_state=case.state,
            comment=said,
            detail={
                "group": group.pk,
                "change": change,
                "user": person.pk,
                "role": row.role,
                "lead": getattr(new_lead, "pk", None),
                "cancelled_tasks": [t.pk for t in cancelled],
            },
            now=now,
        )
        _welcome(case, group, joined, now)
    _forget(case)
    return MemberChange(row, said, cancelled)


def group_task(
    *,
    case: Case,
    user: User,
    title: str,
    owner: User | None,
    due: dt.date | None,
    now: dt.datetime | None = None,
) -> GroupTask:
    """The lead or the office sets a task with an owner, an active member, and a due date not past.

    The owner also owes it as a work item of their own bureau (待办, with its reminders, overdue marking
    and 督办); the due date is the one given, not a clock's."""
    now = now or timezone.now()
    transition_check(user=user, case=case, action=Action.GROUP_TASK)
    title = required(title, "请填写任务内容", "Describe the task")
    person = _user(owner)
    if person is None:
        raise ValidationFailed("请选择任务负责人", "Choose the task's owner")
    if due is None:
        raise ValidationFailed("请填写完成期限", "Give the due date")
    today = timezone.localtime(now).date()
    if due < today:
        raise ValidationFailed(
            f"完成期限不能早于今天（{today:%Y-%m-%d}）", "The due date cannot be in the past"
        )
    with transaction.atomic(), acting(user, via="cases"):
        group = standing_group(case, lock=True)
        if not group.members.filter(user=person, left_at__isnull=True).exists():
            raise ValidationFailed(
                f"{person} 不是办案组成员，不能负责办案组任务", f"{person.username} is not on the group"
            )
        member_eligible(person)
        task = GroupTask.objects.create(
            group=group, title=title[:200], owner=person, due=due, created_by=user, created_at=now
        )
        item = workitem_create(
            bureau=person.bureau,
            kind=TASK_KIND,
            title=f"办案组任务：{task.title}"[:200],
            body=f"{case.bureau.name} {case.number} {case.title}（联合办案组“{group.name}”）",
            reference=case.number,
            assignee=person,
            due=due,
            subject=task,
            domain=case.domain,
            now=now,
            notify_unit=False,  # told below, with the case's page as the link
        )
        url = f"{case.get_absolute_url()}#group"
        WorkItem.objects.filter(pk=item.pk).update(url=url)
        notify(
            key=f"workitem{item.pk}:created",
            users=[person],
            kind=MessageKind.TASK,
            title=f"新办案组任务：{task.title}，请于 {due:%Y-%m-%d} 前完成",
            body=item.body,
            subject=task,
            url=url,
            now=now,
        )
        record(
            case,
            Action.GROUP_TASK,
            user,
            from_state=case.state,
            comment=f"布置任务“{task.title}”：负责人 {_member_label(person)}，{due:%Y-%m-%d} 前完成",
            detail={"group": group.pk, "task": task.pk, "owner": person.pk, "due": due.isoformat()},
            now=now,
        )
    _forget(case)
    return task


def task_done(
    *, case: Case, user: User, task: GroupTask | int | None, result: str, now: dt.datetime | None = None
) -> GroupTask:
    """The task's owner reports it done with its result (the lead or the office may record it for them);
    the owner's work item is finished with it."""
    now = now or timezone.now()
    transition_check(user=user, case=case, action=Action.TASK_DONE)
    result = required(result, "请填写完成情况", "Say what was done")
    with transaction.atomic(), acting(user, via="cases"):
        group = standing_group(case, lock=True)
        pk = task.pk if isinstance(task, GroupTask) else task
        row = group.tasks.select_for_update().filter(pk=pk).first() if pk else None
        if row is None:
            raise ValidationFailed("请选择本案办案组的任务", "Choose a task of this case's group")
        if row.state != TaskState.OPEN:
            raise ValidationFailed(
                f"任务“{row.title}”{row.get_state_display()}", f"The task is {row.state} already"
            )
        parties = case_parties(user=user, case=case)
        if row.owner_id != user.pk and not parties & {Party.GROUP_LEAD, Party.OFFICE}:
            raise PermissionDeniedError(
                f"任务“{row.title}”只能由负责人 {row.owner} 或组长、领导小组办公室办结",
                "Only the task's owner, the group's lead or the office completes it",
            )
        today = timezone.localtime(now).date()
        row.state, row.result, row.done_on = TaskState.DONE, result, today
        row.save()
        for item in _task_items([row]):
            workitem_finish(item=item, user=None, actor=user, result=result, now=now)
        late = f"（超过期限 {row.due:%Y-%m-%d}）" if today > row.due else ""
        record(
            case,
            Action.TASK_DONE,
            user,
            from_state=case.state,
            comment=f"任务“{row.title}”办结{late}：{result}",
            detail={"group": group.pk, "task": row.pk, "late": bool(late)},
            now=now,
        )
    _forget(case)
    return row


def journal_add(*, case: Case, user: User, text: str, now: dt.datetime | None = None) -> JournalEntry:
    """An entry of the journal (办案日志) by a member, one of the case's officers or the office; entries are
    appended in order and never changed (执法全过程记录)."""
    now = now or timezone.now()
    transition_check(user=user, case=case, action=Action.JOURNAL)
    text = required(text, "请填写日志内容", "Write the entry")
    with transaction.atomic(), acting(user, via="cases"):
        group = standing_group(case)
        entry = JournalEntry.objects.create(
            group=group,
            author=user,
            author_name=_name(user)[:50],
            author_bureau=getattr(user.bureau, "name", "")[:100],
            at=now,
            text=text,
        )
        record(
            case,
            Action.JOURNAL,
            user,
            from_state=case.state,
            comment=text if len(text) <= 200 else f"{text[:200]}…",
            detail={"group": group.pk, "entry": entry.pk},
            now=now,
        )
    _forget(case)
    return entry


def group_dissolve(*, case: Case, user: User, reason: str, now: dt.datetime | None = None) -> Dissolution:
    """The office dissolves the group: its open tasks (and their work items) are cancelled, and its
    members from then on see the case only as their own role and unit let them."""
    now = now or timezone.now()
    transition_check(user=user, case=case, action=Action.GROUP_DISSOLVE)
    reason = required(reason, "解散办案组须说明理由", "Say why the group is dissolved")
    with transaction.atomic(), acting(user, via="cases"):
        group = standing_group(case, lock=True)
        open_tasks = list(group.tasks.filter(state=TaskState.OPEN))
        _tasks_cancel(open_tasks, user, f"办案组解散，任务取消：{reason}", now)
        group.dissolved_at = now
        group.save()
        record(
            case,
            Action.GROUP_DISSOLVE,
            user,
            from_state=case.state,
            comment=f"解散联合办案组“{group.name}”：{reason}"
            + (f"；取消未完成任务 {len(open_tasks)} 项" if open_tasks else ""),
            detail={"group": group.pk, "cancelled_tasks": [t.pk for t in open_tasks]},
            now=now,
        )
    _forget(case)
    return Dissolution(group, open_tasks)


# ---------------------------------------------------------------- the one entry point of the steps


def group_act(
    *, case: Case, user: User, action: str, values: Mapping[str, Any], now: dt.datetime | None = None
) -> str:
    """Take a step of the group with the form's checked ``values``; returns what happened, in Chinese."""

    def get(name: str) -> Any:
        value = values.get(name, "")
        return value.strip() if isinstance(value, str) else value

    if action == Action.GROUP_FORM:
        group = group_form(
            case=case,
            user=user,
            name=get("name"),
            reason=get("reason"),
            lead=values.get("lead"),
            members=list(values.get("members") or []),
            note=get("note"),
            now=now,
        )
        n = group.members.filter(left_at__isnull=True).count()
        return f"已组建联合办案组“{group.name}”，共 {n} 人"
    if action == Action.GROUP_MEMBER:
        change = group_member(
            case=case,
            user=user,
            member=values.get("member"),
            change=get("change") or ADD,
            role=get("role") or MemberRole.MEMBER,
            lead=values.get("lead") or None,
            now=now,
        )
        return change.said
    if action == Action.GROUP_TASK:
        task = group_task(
            case=case,
            user=user,
            title=get("title"),
            owner=values.get("owner"),
            due=values.get("due"),
            now=now,
        )
        return f"已布置任务“{task.title}”，负责人 {task.owner}，{task.due:%Y-%m-%d} 前完成"
    if action == Action.TASK_DONE:
        task = task_done(case=case, user=user, task=values.get("task"), result=get("result"), now=now)
        return f"任务“{task.title}”已办结"
    if action == Action.JOURNAL:
        journal_add(case=case, user=user, text=get("text"), now=now)
        return "已记录办案日志"
    if action == Action.GROUP_DISSOLVE:
        done = group_dissolve(case=case, user=user, reason=get("reason"), now=now)
        cancelled = f"，取消未完成任务 {len(done.cancelled)} 项" if done.cancelled else ""
        return f"联合办案组“{done.group.name}”已解散{cancelled}"
    raise ValidationFailed(f"未知的办案组操作：{action}", f"Unknown group action: {action}")


__all__ = [
    "ADD",
    "GROUP_ACTIONS",
    "Dissolution",
    "MemberChange",
    "REMOVE",
    "TASK_KIND",
    "group_act",
    "group_dissolve",
    "group_form",
    "group_member",
    "group_task",
    "journal_add",
    "member_eligible",
    "standing_group",
    "task_done",
]
