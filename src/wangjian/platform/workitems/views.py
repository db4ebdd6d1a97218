"""Work-item pages (待办事项): the list, handing something to a unit, and one item with its 督办."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangjian.core.audit import acting
from wangjian.core.errors import WangjianError
from wangjian.org import permissions
from wangjian.platform.permissions import WORKITEMS_CREATE
from wangjian.platform.workitems import kinds, selectors, services
from wangjian.platform.workitems.forms import AnswerForm, FinishForm, NoteForm, WorkItemForm
from wangjian.platform.workitems.models import EscalationLevel, WorkItemState


@login_required
def workitem_list(request):
    qs = selectors.items_visible(request.user)
    state = request.GET.get("state", "open")
    if state in WorkItemState.values:
        qs = qs.filter(state=state)
    if request.GET.get("overdue"):
        qs = qs.filter(overdue=True)
    if request.GET.get("kind"):
        qs = qs.filter(kind=request.GET["kind"])
    page = Paginator(qs.order_by("state", "due", "id"), 50).get_page(request.GET.get("page"))
    labels = {k.key: k.label for k in kinds.kinds()}
    for item in page:
        item.kind_label = labels.get(item.kind, item.kind)
    may_create = request.user.bureau_id is not None and permissions.may(request.user, WORKITEMS_CREATE)
    return render(
        request,
        "platform/workitem_list.html",
        {
            "page": page,
            "states": WorkItemState.choices,
            "state": state,
            "kinds": [(k.key, k.label) for k in kinds.kinds()],
            "may_create": may_create,
            "today": timezone.localdate(),
        },
    )


@login_required
def workitem_add(request):
    bureau = request.user.bureau
    if not permissions.may(request.user, WORKITEMS_CREATE):
        raise PermissionDenied(permissions.get(WORKITEMS_CREATE).refusal()[0])
    if bureau is None:
        raise PermissionDenied(_("没有所属局的账号不能交办事项"))
    form = WorkItemForm(request.POST or None, bureau=bureau)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        due = data.get("due")
        try:
            with acting(request.user, via="web"):
                if due is None and not data.get("working_days"):
                    raise WangjianError("请填写期限或工作日数", "Give a date or a number of working days")
                item = services.workitem_create(
                    bureau=bureau,
                    kind=data["kind"],
                    title=data["title"],
                    body=data.get("body", ""),
                    department=data.get("department"),
                    station=data.get("station"),
                    assignee=data.get("assignee"),
                    due=due,
                    working_days=data.get("working_days") if due is None else None,
                    domain=data.get("domain", ""),
                    urgent=bool(data.get("urgent")),
                    created_by=request.user,
                )
        except WangjianError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已交办：%(t)s，期限 %(d)s") % {"t": item.title, "d": item.due})
            return redirect(item.get_absolute_url())
    return render(request, "platform/workitem_form.html", {"form": form})


def _item_for(request, pk: int):
    item = selectors.items_visible(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404(_("没有这个待办事项，或无权查看"))
    return item


@login_required
def workitem_detail(request, pk: int):
    item = _item_for(request, pk)
    user = request.user
    escalations = list(item.escalations.select_related("raised_by", "answered_by"))
    pending = next((e for e in reversed(escalations) if not e.answered), None)
    return render(
        request,
        "platform/workitem_detail.html",
        {
            "item": item,
            "kind": kinds.get(item.kind),
            "escalations": escalations,
            "pending": pending,
            "may_finish": item.is_open
            and not kinds.get(item.kind).own_section
            and selectors.may_finish(user, item),
            "may_cancel": item.is_open
            and not kinds.get(item.kind).own_section
            and (selectors.is_office(user, item.bureau_id) or item.created_by_id == user.pk),
            "may_escalate": item.is_open and selectors.may_escalate(user, item, EscalationLevel.OFFICE),
            "may_escalate_group": item.is_open
            and selectors.may_escalate(user, item, EscalationLevel.LEADING_GROUP),
            "may_answer": pending is not None and selectors.in_unit(user, item),
            "finish_form": FinishForm(),
            "note_form": NoteForm(),
            "answer_form": AnswerForm(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def workitem_act(request, pk: int, action: str):
    item = _item_for(request, pk)
    data = request.POST
    try:
        with acting(request.user, via="web"):
            message = services.workitem_act(item=item, user=request.user, action=action, data=data)
    except WangjianError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message)
    return redirect(item.get_absolute_url())
