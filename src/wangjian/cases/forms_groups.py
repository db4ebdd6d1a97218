"""Forms of the joint case group's steps (联合办案组); they only collect input — ``services.groups`` decides.

Registered into ``forms.ACTION_FORMS``, so the case page's buttons and the API's ``transition`` read the
same fields. A form with ``takes_case`` gets the case for its choices (the group's members, its open tasks).
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangjian.cases.choices import Action
from wangjian.cases.models import Case, GroupReason, GroupTask, MemberRole, TaskState
from wangjian.org.choices import Role
from wangjian.org.models import User
from wangjian.platform.forms import StyledForm

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def candidates():
    """Who may be put on a group: anyone active in any bureau but the read-only auditor (the service checks again)."""
    return (
        User.objects.filter(is_active=True, bureau__isnull=False)
        .exclude(role=Role.AUDITOR)
        .select_related("bureau", "department", "station")
        .order_by("bureau_id", "department_id", "id")
    )


def labelled(user: User) -> str:
    unit = user.department or user.station
    where = f"{user.bureau}{' ' + str(unit.name) if unit else ''}" if user.bureau_id else ""
    return f"{user}（{where}）" if where else str(user)


def members_of(case: Case | None):
    """The group's members who have not left, while it stands."""
    if case is None or not case.pk:
        return User.objects.none()
    return candidates().filter(
        case_groups__group__case_id=case.pk,
        case_groups__group__dissolved_at__isnull=True,
        case_groups__left_at__isnull=True,
    )


class GroupFormForm(StyledForm):
    name = forms.CharField(label=_("办案组名称"), max_length=100)
    reason = forms.ChoiceField(label=_("成立理由"), choices=GroupReason.choices)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    lead = forms.ModelChoiceField(label=_("组长"), queryset=User.objects.none())
    members = forms.ModelMultipleChoiceField(
        label=_("成员（可跨科室、跨局）"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lead", "members"):
            self.fields[name].queryset = candidates()
            self.fields[name].label_from_instance = labelled


class GroupMemberForm(StyledForm):
    takes_case = True

    change = forms.ChoiceField(
        label=_("调整"), choices=[("add", _("加入或调整职责")), ("remove", _("移出"))], initial="add"
    )
    member = forms.ModelChoiceField(label=_("人员"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("职责"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    lead = forms.ModelChoiceField(
        label=_("新组长（移出或调整组长时指定）"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # a member whose account was since disabled can still be taken off the group
        on_group = Q(case_groups__group__case_id=getattr(case, "pk", None), case_groups__left_at__isnull=True)
        self.fields["member"].queryset = (
            User.objects.filter(Q(pk__in=candidates().values("pk")) | on_group)
            .distinct()
            .select_related("bureau", "department", "station")
            .order_by("bureau_id", "department_id", "id")
        )
        self.fields["lead"].queryset = candidates()
        for name in ("member", "lead"):
            self.fields[name].label_from_instance = labelled


class GroupTaskForm(StyledForm):
    takes_case = True

    title = forms.CharField(label=_("任务"), max_length=200)
    owner = forms.ModelChoiceField(label=_("负责人（办案组成员）"), queryset=User.objects.none())
    due = forms.DateField(label=_("完成期限"), **DATE)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(case)
        self.fields["owner"].label_from_instance = labelled


class TaskDoneForm(StyledForm):
    takes_case = True

    task = forms.ModelChoiceField(label=_("任务"), queryset=GroupTask.objects.none())
    result = forms.CharField(label=_("完成情况"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None and case.pk:
            self.fields["task"].queryset = GroupTask.objects.filter(
                group__case_id=case.pk, state=TaskState.OPEN
            ).select_related("owner")
        self.fields["task"].label_from_instance = lambda t: f"{t.title}（{t.owner}，{t.due:%Y-%m-%d}）"


class JournalForm(StyledForm):
    text = forms.CharField(label=_("日志内容（会商、分工、进展）"), widget=forms.Textarea(attrs={"rows": 3}))


class DissolveForm(StyledForm):
    reason = forms.CharField(label=_("解散理由"), widget=forms.Textarea(attrs={"rows": 2}))


GROUP_FORMS: dict[str, type[forms.Form]] = {
    Action.GROUP_FORM: GroupFormForm,
    Action.GROUP_MEMBER: GroupMemberForm,
    Action.GROUP_TASK: GroupTaskForm,
    Action.TASK_DONE: TaskDoneForm,
    Action.JOURNAL: JournalForm,
    Action.GROUP_DISSOLVE: DissolveForm,
}
