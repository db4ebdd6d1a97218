"""协查 and 内部协作 pages: the lists with filters, each request with its steps and history, the forms that open
one, and the office's settings. Every decision is a ``services`` call; a refusal is shown in the words the API
answers with (``WangjianError``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangjian.assist import filtersets, forms, selectors, services, tables
from wangjian.assist.clocks import INTERNAL, REPLY, REPLY_AGREED
from wangjian.assist.models import AssistanceRequest, InternalRequest
from wangjian.assist.permissions import ASSIST_ACT, ASSIST_READ, INTERNAL_ACT, INTERNAL_READ
from wangjian.assist.services.transitions import INTERNAL_TRANSITIONS, TRANSITIONS
from wangjian.cases.models import Case
from wangjian.clues.models import Clue
from wangjian.core.audit import acting
from wangjian.core.errors import WangjianError
from wangjian.evidence.access import capture_sight
from wangjian.evidence.models import EvidenceCapture, EvidenceLink
from wangjian.exchange import selectors as exchange_selectors
from wangjian.org import permissions
from wangjian.org.models import Department, User
from wangjian.org.selectors import can_manage
from wangjian.platform import generic
from wangjian.platform.clocks.models import DeadlinePolicy
from wangjian.platform.clocks.services import policy_remove, setting_for
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.registry.models import MarketEntity, Presence


def _require(user, key: str) -> None:  # noqa: ANN001
    if not permissions.may(user, key):
        raise PermissionDenied(permissions.get(key).refusal()[0])


class RequestList(generic.ObjectListView):
    model = AssistanceRequest
    url_prefix = "assist:request"
    filterset_class = filtersets.AssistanceFilterSet
    table_class = tables.AssistanceTable

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _require(request.user, ASSIST_READ)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.requests_visible(self.request.user)

    def can_change(self, obj=None):
        return permissions.may(self.request.user, ASSIST_ACT) and self.request.user.bureau_id is not None


class InternalList(generic.ObjectListView):
    model = InternalRequest
    url_prefix = "assist:internal"
    filterset_class = filtersets.InternalFilterSet
    table_class = tables.InternalTable

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _require(request.user, INTERNAL_READ)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.internal_visible(self.request.user)

    def can_change(self, obj=None):
        return permissions.may(self.request.user, INTERNAL_ACT) and self.request.user.bureau_id is not None


class RequestChangelog(generic.ObjectChangelogView):
    model = AssistanceRequest
    url_prefix = "assist:request"

    def get_queryset(self):
        return selectors.requests_visible(self.request.user)


class InternalChangelog(generic.ObjectChangelogView):
    model = InternalRequest
    url_prefix = "assist:internal"

    def get_queryset(self):
        return selectors.internal_visible(self.request.user)


def _steps(table, fields, allowed, bureau_id) -> list[dict]:  # noqa: ANN001
    departments = (
        Department.objects.filter(bureau_id=bureau_id, is_active=True).order_by("name") if bureau_id else []
    )
    users = User.objects.filter(bureau_id=bureau_id, is_active=True).order_by("name") if bureau_id else []
    return [
        {
            "action": a,
            "label": table[a].label,
            "basis": table[a].basis,
            "fields": fields.get(a, ()),
            "departments": departments,
            "users": users,
        }
        for a in allowed
    ]


def _request_for(request, pk: int) -> AssistanceRequest:  # noqa: ANN001
    _require(request.user, ASSIST_READ)
    obj = selectors.requests_visible(request.user).filter(pk=pk).first()
    if obj is None:
        raise Http404(_("没有该协查请求，或无权查看"))
    return obj


@login_required
def request_detail(request, pk: int):
    obj = _request_for(request, pk)
    allowed = services.allowed_actions(user=request.user, request=obj)
    linked = EvidenceLink.objects.filter(
        content_type__app_label="assist", content_type__model="assistancerequest", object_id=str(obj.pk)
    ).values("capture_id")
    captures = [
        c
        for c in EvidenceCapture.objects.filter(pk__in=linked).select_related("bureau")
        if capture_sight(user=request.user, capture=c)
    ]
    context = {
        "object": obj,
        "steps": _steps(TRANSITIONS, forms.STEP_FIELDS, allowed, obj.to_bureau_id),
        "events": obj.events.all(),
        "items": workitem_selectors.items_of(obj).select_related("department", "assignee").order_by("id"),
        "escalations": workitem_selectors.escalations_of(obj),
        "captures": captures,
        # packages a partner instance sent with the letter or its answer, and the messages themselves
        "received_packages": exchange_selectors.packages_for("assist.assistancerequest", obj.pk),
        "exchange_messages": exchange_selectors.messages_about(obj.external_ref) if obj.external_ref else [],
    }
    return render(request, "assist/request_detail.html", context)


@login_required
@require_POST
def request_act(request, pk: int, action: str):
    obj = _request_for(request, pk)
    try:
        permissions.require(request.user, ASSIST_ACT)
        values = forms.step_values(forms.STEP_FIELDS.get(action, ()), request.POST)
        with acting(request.user, via="web"):
            message = services.assistance_act(request=obj, user=request.user, action=action, values=values)
    except WangjianError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message)
    return redirect(obj.get_absolute_url())


def resolve_subject(user, data: dict) -> dict:  # noqa: ANN001
    """The entity, clue and case a form or a body names by natural keys, among the user's bureau's own."""
    bureau_id = user.bureau_id
    found: dict = {}
    uscc = (data.get("entity_uscc") or "").strip().upper()
    if uscc:
        found["entity"] = MarketEntity.objects.filter(bureau_id=bureau_id, uscc=uscc).first()
    clue_number = (data.get("clue_number") or "").strip()
    if clue_number:
        found["clue"] = Clue.objects.filter(bureau_id=bureau_id, number=clue_number).first()
        if found["clue"] is None:
            raise WangjianError(
                f"本局没有编号为 {clue_number} 的线索", f"No clue {clue_number} in your bureau"
            )
    case_number = (data.get("case_number") or "").strip()
    if case_number:
        found["case"] = Case.objects.filter(bureau_id=bureau_id, number=case_number).first()
        if found["case"] is None:
            raise WangjianError(
                f"本局没有立案编号为 {case_number} 的案件", f"No case {case_number} in your bureau"
            )
    return found


@login_required
def request_add(request):
    _require(request.user, ASSIST_ACT)
    form = forms.AssistanceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with acting(request.user, via="web"):
                obj = services.assistance_create(
                    user=request.user,
                    question=data["question"],
                    to_bureau=data.get("to_bureau"),
                    external_bureau_code=data.get("external_bureau_code", ""),
                    external_bureau_name=data.get("external_bureau_name", ""),
                    values=data,
                    send=data.get("send", False),
                    **resolve_subject(request.user, data),
                )
        except WangjianError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已登记协查请求") + (f" {obj.number}" if obj.number else ""))
            return redirect(obj.get_absolute_url())
    return render(request, "assist/form.html", {"form": form, "title": _("提出协查请求")})


def _internal_for(request, pk: int) -> InternalRequest:  # noqa: ANN001
    _require(request.user, INTERNAL_READ)
    obj = selectors.internal_visible(request.user).filter(pk=pk).first()
    if obj is None:
        raise Http404(_("没有该内部协作请求，或无权查看"))
    return obj


@login_required
def internal_detail(request, pk: int):
    obj = _internal_for(request, pk)
    allowed = services.internal_allowed(user=request.user, request=obj)
    context = {
        "object": obj,
        "steps": _steps(INTERNAL_TRANSITIONS, forms.INTERNAL_STEP_FIELDS, allowed, obj.bureau_id),
        "events": obj.events.all(),
        "items": workitem_selectors.items_of(obj).select_related("department", "assignee").order_by("id"),
        "escalations": workitem_selectors.escalations_of(obj),
        "findings": obj.findings.all(),
    }
    return render(request, "assist/internal_detail.html", context)


@login_required
@require_POST
def internal_act(request, pk: int, action: str):
    obj = _internal_for(request, pk)
    try:
        permissions.require(request.user, INTERNAL_ACT)
        values = forms.step_values(forms.INTERNAL_STEP_FIELDS.get(action, ()), request.POST)
        with acting(request.user, via="web"):
            message = services.internal_act(request=obj, user=request.user, action=action, values=values)
    except WangjianError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message)
    return redirect(obj.get_absolute_url())


def presence_of(user, pk) -> Presence | None:  # noqa: ANN001
    if not pk:
        return None
    presence = Presence.objects.filter(pk=pk, bureau_id=user.bureau_id).first()
    if presence is None:
        raise WangjianError("本局没有该网络经营场所", "No such presence in your bureau")
    return presence


@login_required
def internal_add(request):
    _require(request.user, INTERNAL_ACT)
    form = forms.InternalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with acting(request.user, via="web"):
                obj = services.internal_create(
                    user=request.user,
                    kind=data["kind"],
                    purpose=data["purpose"],
                    url=data.get("url", ""),
                    presence=presence_of(request.user, data.get("presence")),
                )
        except WangjianError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("已提交%(unit)s，%(due)s 前办结") % {"unit": obj.to_department, "due": obj.due}
            )
            return redirect(obj.get_absolute_url())
    return render(request, "assist/form.html", {"form": form, "title": _("请网络市场监管机构核查或取证")})


@login_required
def settings_page(request):
    """内部协作期限 (the bureau's own rule) and the cooperation agreements' 协查 periods: the office sets them."""
    user = request.user
    bureau = user.bureau
    if bureau is None or not can_manage(user, bureau):
        raise PermissionDenied(_("只有本局办公室管理员可以设置协查协作"))
    period_form = forms.PeriodForm(initial={"days": setting_for(bureau=bureau, clock=INTERNAL).length})
    agreement_form = forms.AgreementForm()
    if request.method == "POST":
        try:
            with acting(user, via="web"):
                if request.POST.get("form") == "period":
                    period_form = forms.PeriodForm(request.POST)
                    if period_form.is_valid():
                        services.internal_period_set(
                            bureau=bureau, days=period_form.cleaned_data["days"], user=user
                        )
                        messages.success(request, _("已保存内部协作期限"))
                        return redirect("assist:settings")
                elif request.POST.get("form") == "agreement":
                    agreement_form = forms.AgreementForm(request.POST)
                    if agreement_form.is_valid():
                        services.agreement_set(bureau=bureau, user=user, **agreement_form.cleaned_data)
                        messages.success(request, _("已保存协作协议约定的期限"))
                        return redirect("assist:settings")
                elif request.POST.get("remove"):
                    policy = DeadlinePolicy.objects.filter(
                        pk=request.POST["remove"] if request.POST["remove"].isdigit() else 0,
                        bureau=bureau,
                        clock=REPLY_AGREED,
                    ).first()
                    if policy is not None:
                        policy_remove(policy=policy, user=user)
                    messages.success(request, _("已删除"))
                    return redirect("assist:settings")
        except WangjianError as exc:
            messages.error(request, str(exc))
    context = {
        "period": setting_for(bureau=bureau, clock=INTERNAL),
        "reply": setting_for(bureau=bureau, clock=REPLY),
        "agreements": DeadlinePolicy.objects.filter(bureau=bureau, clock=REPLY_AGREED).exclude(variant=""),
        "period_form": period_form,
        "agreement_form": agreement_form,
    }
    return render(request, "assist/settings.html", context)
