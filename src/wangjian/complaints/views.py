"""Complaint pages: the list with the acceptance clock, registration, the record with its clocks, mediation
records, history and the steps the user may take, and the person's data shown on request (logged).

Every decision is a call to ``complaints.services``; every read goes through ``complaints.selectors``; the
person's data through ``platform.personal`` (masked unless this user handles this record and gives a reason).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangjian.complaints import filtersets, forms, selectors, tables
from wangjian.complaints.choices import Action, State
from wangjian.complaints.models import Complaint
from wangjian.complaints.permissions import COMPLAINT_ACT, COMPLAINT_CREATE, COMPLAINT_READ
from wangjian.complaints.services.clocks import ACCEPTANCE, END_NOTICE, MEDIATION
from wangjian.complaints.services.intake import complaint_register
from wangjian.complaints.services.jurisdiction import Ground
from wangjian.complaints.services.steps import complaint_act as take_step
from wangjian.complaints.services.transitions import TRANSITIONS, allowed_actions
from wangjian.core.audit import acting
from wangjian.core.errors import WangjianError
from wangjian.org import permissions
from wangjian.platform import generic
from wangjian.platform.personal import masked, may_unmask, personal_fields, personal_read
from wangjian.platform.workitems import selectors as workitem_selectors


class ComplaintList(generic.ObjectListView):
    """What the user may see: the acceptance deadline and days left, overdue in red, the person masked."""

    model = Complaint
    url_prefix = "complaints:complaint"
    filterset_class = filtersets.ComplaintFilterSet
    table_class = tables.ComplaintTable
    template_name = "complaints/complaint_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.may(request.user, COMPLAINT_READ):
            raise PermissionDenied(permissions.get(COMPLAINT_READ).refusal()[0])
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.complaints_visible(self.request.user)

    def can_change(self, obj=None):
        return (
            permissions.may(self.request.user, COMPLAINT_CREATE) and self.request.user.bureau_id is not None
        )


class ComplaintChangelog(generic.ObjectChangelogView):
    model = Complaint
    url_prefix = "complaints:complaint"

    def get_queryset(self):
        return selectors.complaints_visible(self.request.user)


def _complaint_for(request, pk: int) -> Complaint:
    if not permissions.may(request.user, COMPLAINT_READ):
        raise PermissionDenied(permissions.get(COMPLAINT_READ).refusal()[0])
    complaint = selectors.complaints_visible(request.user).filter(pk=pk).first()
    if complaint is None:
        raise Http404(_("没有这件投诉举报，或无权查看"))
    return complaint


@login_required
def complaint_add(request):
    """登记投诉举报 (a phone call, a letter, a visit; the 12315 platform's records come by import)."""
    if not permissions.may(request.user, COMPLAINT_CREATE):
        raise PermissionDenied(permissions.get(COMPLAINT_CREATE).refusal()[0])
    if request.user.bureau_id is None:
        raise PermissionDenied(_("没有所属局的账号不能登记投诉举报"))
    form = forms.RegisterForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            with acting(request.user, via="web"):
                complaint = complaint_register(
                    user=request.user, bureau=request.user.bureau, values=dict(form.cleaned_data)
                )
        except WangjianError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("已登记 %(number)s：%(routing)s")
                % {"number": complaint.number, "routing": complaint.routing_basis},
            )
            return redirect(complaint.get_absolute_url())
    return render(request, "complaints/complaint_form.html", {"form": form})


def _person(complaint: Complaint, shown: dict[str, str] | None) -> list[tuple[str, str, str]]:
    """The person's fields as this page shows them: (name, label, value), unmasked only when ``shown``."""
    spec = personal_fields(Complaint)
    names = spec.fields if spec else ()
    return [
        (
            name,
            str(Complaint._meta.get_field(name).verbose_name),
            shown[name] if shown else masked(complaint, name),
        )
        for name in names
    ]


def _clocks(complaint: Complaint, items) -> list[dict]:
    """The record's deadlines, each with its legal basis (the work item's where the record keeps none).

    A clock is overdue only while it runs: acceptance while 待受理, mediation while 调解中 or with the
    platform, the notice of an ended mediation until both sides are told.
    """
    basis = {item.kind: item.due_basis for item in items}
    state = complaint.state
    rows = [
        {
            "key": "accept",
            "label": _("受理决定期限"),
            "due": complaint.accept_due,
            "basis": complaint.accept_basis or basis.get(ACCEPTANCE, ""),
            "running": state == State.RECEIVED,
            "done": complaint.accepted_on,
            "done_label": _("受理日期"),
        },
        {
            "key": "mediation",
            "label": _("调解期限"),
            "due": complaint.mediation_due,
            "basis": complaint.mediation_basis or basis.get(MEDIATION, ""),
            "running": state in (State.ACCEPTED, State.ODR),
            "done": None if state in (State.ACCEPTED, State.ODR) else complaint.ended_on,
            "done_label": _("终止/办结日期"),
        },
        {
            "key": "notify",
            "label": _("告知期限"),
            "due": complaint.notify_due,
            "basis": basis.get(END_NOTICE, ""),
            "running": complaint.notified_on is None,
            "done": complaint.notified_on,
            "done_label": _("告知日期"),
        },
    ]
    today = timezone.localdate()
    for row in rows:
        row["overdue"] = bool(row["due"] and row["running"] and row["due"] < today)
    return [row for row in rows if row["due"]]


def _detail(request, complaint: Complaint, shown: dict[str, str] | None = None):
    items = list(
        workitem_selectors.items_of(complaint)
        .select_related("assignee", "department", "station")
        .order_by("-state", "due", "id")
    )
    has_person = any(getattr(complaint, name) for name in personal_fields(Complaint).fields)
    return render(
        request,
        "complaints/complaint_detail.html",
        {
            "object": complaint,
            "complaint": complaint,
            "person": _person(complaint, shown),
            "person_revealed": bool(shown),
            "may_reveal": has_person and not shown and may_unmask(request.user, complaint),
            "jurisdiction": Ground(complaint.jurisdiction).label
            if complaint.jurisdiction in Ground.values
            else "",
            "clocks": _clocks(complaint, items),
            "items": items,
            "mediations": complaint.mediations.select_related("recorded_by"),
            "events": complaint.events.select_related("actor"),
            "split_into": complaint.split_into.all(),
            "actions": [
                (a, Action(a).label, TRANSITIONS[a].basis, forms.action_form(a, complaint, prefix=a))
                for a in allowed_actions(user=request.user, complaint=complaint)
            ],
            "today": timezone.localdate(),
        },
    )


def _reveal(request, complaint: Complaint, reason: str) -> dict[str, str] | None:
    """The person's data for who handles the record, the reason logged; else the refusal as a message."""
    try:
        with acting(request.user, via="web"):
            return personal_read(user=request.user, record=complaint, reason=reason)
    except WangjianError as exc:
        messages.error(request, str(exc))
        return None


@login_required
def complaint_detail(request, pk: int):
    complaint = _complaint_for(request, pk)
    shown = None
    if request.GET.get("person") == "1":
        shown = _reveal(request, complaint, request.GET.get("reason", ""))
    return _detail(request, complaint, shown)


@login_required
def complaint_person(request, pk: int):
    """查看投诉人/举报人信息: the reason is written to the change log with the read (个人信息保护法 art. 6)."""
    complaint = _complaint_for(request, pk)
    if request.method != "POST":
        return redirect(complaint.get_absolute_url())
    return _detail(request, complaint, _reveal(request, complaint, request.POST.get("reason", "")))


@login_required
@require_POST
def complaint_act(request, pk: int, action: str):
    complaint = _complaint_for(request, pk)
    try:
        permissions.require(request.user, COMPLAINT_ACT)  # who takes part at all, before reading the input
        values = forms.action_input(action, complaint, request.POST, prefix=action)
        with acting(request.user, via="web"):
            message = take_step(complaint=complaint, user=request.user, action=action, values=values)
    except WangjianError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message)
    return redirect(complaint.get_absolute_url())
