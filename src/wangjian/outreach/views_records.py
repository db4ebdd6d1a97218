"""The record pages: lists, details with their steps, and the forms that open a record — on the platform's generic
views; every write is an ``outreach.services`` call and a refusal is shown in the words the API answers with."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangjian.core import uploads
from wangjian.core.audit import acting
from wangjian.core.errors import WangjianError
from wangjian.org import permissions
from wangjian.outreach import filtersets, forms, selectors, services, tables
from wangjian.outreach.models import Authority, AuthorityRequest, Guidance, PlatformRequest
from wangjian.outreach.permissions import OUTREACH_READ
from wangjian.outreach.services.common import can_act, may_act
from wangjian.outreach.services.steps import AUTHORITY_REQUEST, GUIDANCE, REQUEST, STEPS
from wangjian.platform import generic


def read_check(user) -> None:  # noqa: ANN001
    if not permissions.may(user, OUTREACH_READ):
        raise PermissionDenied(permissions.get(OUTREACH_READ).refusal()[0])


def act_refusal(user, bureau_id=None) -> str:  # noqa: ANN001
    """The service's refusal of ``user`` acting (the words the API answers with), or "" when it may."""
    try:
        may_act(user, bureau_id if bureau_id is not None else user.bureau_id)
    except WangjianError as exc:
        return str(exc)
    if user.bureau_id is None and not user.is_superuser:
        return _("只有各局人员可以办理")
    return ""


def refused(request, message: str):  # noqa: ANN001, ANN201
    """A 403 page that says why, in the service's words."""
    return render(request, "outreach/refused.html", {"message": message}, status=403)


class _Visible:
    visible = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            read_check(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return type(self).visible(self.request.user)

    def can_change(self, obj=None):
        return can_act(self.request.user, getattr(obj, "bureau_id", None))


class GuidanceList(_Visible, generic.ObjectListView):
    model, url_prefix = Guidance, "outreach:guidance"
    filterset_class, table_class = filtersets.GuidanceFilterSet, tables.GuidanceTable
    visible = staticmethod(selectors.guidance_visible)


class RequestList(_Visible, generic.ObjectListView):
    model, url_prefix = PlatformRequest, "outreach:request"
    filterset_class, table_class = filtersets.RequestFilterSet, tables.RequestTable
    visible = staticmethod(selectors.requests_visible)


class AuthorityList(_Visible, generic.ObjectListView):
    model, url_prefix = Authority, "outreach:authority"
    filterset_class, table_class = filtersets.AuthorityFilterSet, tables.AuthorityTable
    visible = staticmethod(selectors.authorities_visible)


class AuthorityRequestList(_Visible, generic.ObjectListView):
    model, url_prefix = AuthorityRequest, "outreach:authority_request"
    filterset_class, table_class = filtersets.AuthorityRequestFilterSet, tables.AuthorityRequestTable
    visible = staticmethod(selectors.authority_requests_visible)


class _Detail(_Visible, generic.ObjectDetailView):
    record = ""
    files: tuple[str, ...] = ()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        ctx["can_change"] = False  # a record moves by its steps, never by editing it
        ctx["record"] = self.record
        ctx["steps"] = [
            {"action": a, "step": STEPS[(self.record, a)]}
            for a in services.allowed_steps(user=self.request.user, record=self.record, obj=obj)
        ]
        ctx["work_items"] = selectors.items_of(obj)
        ctx["files"] = [(name, getattr(obj, name)) for name in self.files if getattr(obj, name)]
        return ctx


class GuidanceDetail(_Detail):
    model, url_prefix, record = Guidance, "outreach:guidance", GUIDANCE
    template_name = "outreach/guidance_detail.html"
    visible = staticmethod(selectors.guidance_visible)
    files = ("file", "report_file")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        ctx["items"] = [
            {"item": i, "overdue": i.done_on is None and i.due < today, "work": selectors.items_of(i)}
            for i in self.object.items.all()
        ]
        ctx["open_items"] = self.object.items.filter(done_on__isnull=True)
        return ctx


class RequestDetail(_Detail):
    model, url_prefix, record = PlatformRequest, "outreach:request", REQUEST
    template_name = "outreach/record_detail.html"
    visible = staticmethod(selectors.requests_visible)
    files = ("file", "answer_file")


class AuthorityDetail(_Visible, generic.ObjectDetailView):
    model, url_prefix = Authority, "outreach:authority"
    template_name = "outreach/authority_detail.html"
    visible = staticmethod(selectors.authorities_visible)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["requests"] = self.object.requests.order_by("-sent_on")[:100]
        return ctx


class AuthorityRequestDetail(_Detail):
    model, url_prefix, record = AuthorityRequest, "outreach:authority_request", AUTHORITY_REQUEST
    template_name = "outreach/record_detail.html"
    visible = staticmethod(selectors.authority_requests_visible)
    files = ("file", "receipt_file")


class _Changelog(_Visible, generic.ObjectChangelogView):
    pass


class GuidanceChangelog(_Changelog):
    model, url_prefix, visible = Guidance, "outreach:guidance", staticmethod(selectors.guidance_visible)


class RequestChangelog(_Changelog):
    model, url_prefix, visible = PlatformRequest, "outreach:request", staticmethod(selectors.requests_visible)


class AuthorityChangelog(_Changelog):
    model, url_prefix, visible = Authority, "outreach:authority", staticmethod(selectors.authorities_visible)


class AuthorityRequestChangelog(_Changelog):
    model, url_prefix = AuthorityRequest, "outreach:authority_request"
    visible = staticmethod(selectors.authority_requests_visible)


class _Create(generic.ObjectEditView):
    """Opening a record: the form checks the shape, the service decides; the bureau is the user's."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            read_check(request.user)
            message = act_refusal(request.user)
            if message:
                return refused(request, message)
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return None

    def can_change(self, obj=None):
        return can_act(self.request.user, getattr(obj, "bureau_id", None))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.model(bureau_id=self.request.user.bureau_id, **self.initial_fields())
        return kwargs

    def initial_fields(self) -> dict:
        return {}

    def perform_save(self, obj, form) -> None:
        with acting(self.request.user, via="web"):
            self.save(obj, form)


class GuidanceCreate(_Create):
    model, url_prefix, form_class = Guidance, "outreach:guidance", forms.GuidanceForm

    def get_initial(self):
        return {"platform": self.request.GET.get("platform")}

    def save(self, obj, form) -> None:
        services.guidance_record(guidance=obj, items=form.cleaned_data["items"], user=self.request.user)


class RequestCreate(_Create):
    model, url_prefix, form_class = PlatformRequest, "outreach:request", forms.PlatformRequestForm

    def get_initial(self):
        return {"platform": self.request.GET.get("platform"), "kind": self.request.GET.get("kind")}

    def save(self, obj, form) -> None:
        services.request_send(request=obj, user=self.request.user)


class AuthorityCreate(_Create):
    model, url_prefix, form_class = Authority, "outreach:authority", forms.AuthorityForm

    def save(self, obj, form) -> None:
        services.authority_save(authority=obj, user=self.request.user)


class AuthorityRequestCreate(_Create):
    model, url_prefix, form_class = AuthorityRequest, "outreach:authority_request", forms.AuthorityRequestForm

    def save(self, obj, form) -> None:
        services.authority_request_send(request=obj, user=self.request.user)


RECORDS = {
    GUIDANCE: selectors.guidance_visible,
    REQUEST: selectors.requests_visible,
    AUTHORITY_REQUEST: selectors.authority_requests_visible,
}


def _record(request, record: str, pk: int):  # noqa: ANN001, ANN202
    if record not in RECORDS:
        raise Http404
    read_check(request.user)
    obj = RECORDS[record](request.user).filter(pk=pk).first()
    if obj is None:
        raise Http404(_("没有该记录，或无权查看"))
    return obj


@login_required
@require_POST
@uploads.upload_limit(uploads.EVIDENCE)
def record_act(request, record: str, pk: int, action: str):
    """Take one step of a record; a refusal is shown in the service's words."""
    obj = _record(request, record, pk)
    values = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    if request.FILES.get("file"):
        values["file"] = request.FILES["file"]
    try:
        with acting(request.user, via="web"):
            message = services.outreach_act(
                record=record, obj=obj, user=request.user, action=action, values=values
            )
    except WangjianError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message)
    return redirect(obj.get_absolute_url())


FILES = {
    GUIDANCE: ("file", "report_file"),
    REQUEST: ("file", "answer_file"),
    AUTHORITY_REQUEST: ("file", "receipt_file"),
}


@login_required
def record_file(request, record: str, pk: int, field: str):
    """A letter, report or answer of a record, for who may read the record."""
    obj = _record(request, record, pk)
    if field not in FILES[record] or not getattr(obj, field):
        raise Http404(_("没有该文件"))
    handle = getattr(obj, field)
    try:
        return FileResponse(handle.open("rb"), as_attachment=True, filename=handle.name.rsplit("/", 1)[-1])
    except FileNotFoundError:
        raise Http404(_("文件缺失")) from None
