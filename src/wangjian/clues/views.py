"""Clue pages: the list, intake, the detail with its history and buttons, the office overview, the monthly export.

Every decision is a call to ``clues.services``; every read goes through ``clues.selectors``.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangjian.clues import filtersets, forms, selectors, services, tables
from wangjian.clues.choices import Action
from wangjian.clues.models import (
    Clue,
    SavedFilter,
)
from wangjian.clues.permissions import CLUE_CREATE, CLUE_OVERVIEW
from wangjian.core.audit import acting
from wangjian.core.errors import WangjianError
from wangjian.core.uploads import EVIDENCE, upload_limit
from wangjian.exchange import selectors as exchange_selectors
from wangjian.org import permissions
from wangjian.org.models import Bureau
from wangjian.org.selectors import visible_bureau_ids
from wangjian.platform import generic
from wangjian.platform.intake import Reporter


class ClueList(generic.ObjectListView):
    """The unit's clue list: due soonest first, overdue in red; the office sees the bureau's."""

    model = Clue
    url_prefix = "clues:clue"
    filterset_class = filtersets.ClueFilterSet
    table_class = tables.ClueTable
    template_name = "clues/clue_list.html"

    def get_queryset(self):
        return selectors.unit_clues(user=self.request.user, open_only=False)

    def can_change(self, obj=None):
        user = self.request.user
        return permissions.may(user, CLUE_CREATE) and (user.bureau_id is not None or user.is_superuser)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["saved_filters"] = SavedFilter.objects.filter(user=self.request.user)
        ctx["query"] = self.request.GET.urlencode()
        return ctx


@login_required
@require_POST
def saved_filter_save(request):
    name = request.POST.get("name", "").strip()[:50]
    if not name:
        messages.error(request, _("请为筛选命名"))
    else:
        SavedFilter.objects.update_or_create(
            user=request.user, name=name, defaults={"query": request.POST.get("query", "")[:500]}
        )
        messages.success(request, _("已保存筛选：%(name)s") % {"name": name})
    return redirect(f"{reverse('clues:clue_list')}?{request.POST.get('query', '')}")


def _clue_for(request, pk: int) -> Clue:
    clue = selectors.clues_visible(request.user).filter(pk=pk).first()
    if clue is None:
        raise Http404(_("没有这条线索，或无权查看"))
    return clue


def _action_form(action: str, clue: Clue):
    if action == Action.TRANSFER:
        hint = selectors.transfer_suggestion(clue)
        initial = {"to_bureau": hint[0].pk if hint else None, "reason": hint[1] if hint else ""}
        return forms.action_form(action, clue, prefix=action, initial=initial)
    return forms.action_form(action, clue, prefix=action)


@login_required
def clue_detail(request, pk: int):
    """The clue with why it went where it went, its deadlines and their basis, its history and the allowed steps."""
    clue = _clue_for(request, pk)
    read_only = selectors.clue_read_only(user=request.user, clue=clue)
    actions = [] if read_only else services.allowed_actions(user=request.user, clue=clue)
    # 立案 / 不予立案 are the cases app's 审批表, approved by the bureau's head; the unit drafts them
    may_draft = not read_only and services.may_draft_filing(user=request.user, clue=clue)
    actions = [a for a in actions if a not in (Action.FILE_CASE, Action.NOT_FILED)]
    # the captures as links to their pages, those of the bureau that transferred the clue here among them
    captures = list(selectors.clue_captures(clue))
    revealed = None
    if request.GET.get("reporter", "").isdigit():
        try:
            with acting(request.user, via="web"):
                revealed = services.reporter_reveal(
                    clue=clue, source_id=int(request.GET["reporter"]), user=request.user
                )
        except WangjianError as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "clues/clue_detail.html",
        {
            "object": clue,
            "clue": clue,
            "read_only": read_only,
            "may_draft": may_draft,
            "filing_stops": services.filing_stops(clue),
            "actions": [(a, Action(a).label, _action_form(a, clue)) for a in actions],
            "events": clue.events.select_related("actor"),
            "sources": selectors.source_evidence(list(clue.sources.select_related("finder")), captures),
            "captures": captures,
            "revealed": revealed,
            "escalations": services.escalations_of(clue),
            "attachments": clue.attachments.all(),
            "transferred_to": clue.transferred_to.select_related("bureau"),
            "merged": clue.merged_clues.all(),
            "today": timezone.localdate(),
            "transfer_hint": selectors.transfer_suggestion(clue) if Action.TRANSFER in actions else None,
            # the partner instances' side (跨实例): packages that came with the clue, where it was sent, to whom it may go
            "received_packages": exchange_selectors.packages_for("clues.clue", clue.pk),
            "sent_to_partners": selectors.clue_sent_to_partners(clue),
            "partners": selectors.transfer_partners(clue) if Action.TRANSFER in actions else [],
        },
    )


@login_required
@require_POST
def clue_transfer_partner(request, pk: int):
    """移送协作单位: the clue and its evidence packages to a bureau on another instance, as one signed message."""
    clue = _clue_for(request, pk)
    try:
        partner = selectors.transfer_partners(clue).get(pk=int(request.POST.get("partner") or 0))
    except (ValueError, ObjectDoesNotExist):
        messages.error(request, _("请选择协作单位"))
        return redirect(clue.get_absolute_url())
    try:
        with acting(request.user, via="web"):
            _event, message = services.clue_transfer_external(
                clue=clue, user=request.user, partner=partner, reason=request.POST.get("reason", "")
            )
    except WangjianError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("已签名发出，报文 %(id)s（%(state)s）")
            % {"id": message.message_id[:8], "state": message.get_state_display()},
        )
    return redirect(clue.get_absolute_url())


@login_required
@require_POST
def clue_act(request, pk: int, action: str):
    clue = _clue_for(request, pk)
    try:
        values = forms.action_input(action, clue, request.POST, prefix=action)
        with acting(request.user, via="web"):
            message = services.clue_act(clue=clue, user=request.user, action=action, values=values)
    except WangjianError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message)
    return redirect(clue.get_absolute_url())


@upload_limit(EVIDENCE)
@login_required
def clue_add(request):
    """Register a clue by hand (12315, inspection, superior's assignment, media …); it is routed at once.

    Its attachment is evidence and takes the evidence cap (a video of a live stream), not the import cap.
    """
    if not permissions.may(request.user, CLUE_CREATE):
        raise PermissionDenied(permissions.get(CLUE_CREATE).refusal()[0])
    if request.user.bureau_id is None:
        raise PermissionDenied(_("没有所属局的账号不能登记线索"))
    form = forms.ClueIntakeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("attachment"):
                services.attachment_check(file=data["attachment"])  # before the clue is registered
            with acting(request.user, via="web"):
                name, contact = data.pop("reporter_name", ""), data.pop("reporter_contact", "")
                result = services.clue_intake(
                    bureau=request.user.bureau,
                    finder=request.user,
                    reporter=Reporter(name, contact) if name else None,
                    **{k: data[k] or "" for k in data if k != "attachment"},
                )
                if data.get("attachment"):
                    services.attachment_add(clue=result.clue, file=data["attachment"], user=request.user)
        except WangjianError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{result.clue.number}：{result.reason_zh}")
            return redirect(result.clue.get_absolute_url())
    return render(request, "clues/clue_form.html", {"form": form})


@login_required
def clue_attachment(request, pk: int, attachment_id: int):
    """Download one of the clue's attachments (logged: attachments may hold personal data)."""
    import mimetypes

    from django.http import FileResponse

    clue = _clue_for(request, pk)
    try:
        with acting(request.user, via="web"):
            attachment, handle = services.attachment_open(
                clue=clue, attachment_id=attachment_id, user=request.user
            )
    except WangjianError as exc:
        raise Http404(str(exc)) from None
    content_type = mimetypes.guess_type(attachment.name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=attachment.name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ClueChangelog(generic.ObjectChangelogView):
    model = Clue
    url_prefix = "clues:clue"

    def get_queryset(self):
        return selectors.clues_visible(self.request.user)


def _period(request) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
        month = int(request.GET.get("month") or today.month)
        dt.date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    return year, month


def _bureau_for(request) -> Bureau:
    ids = visible_bureau_ids(request.user)
    bureau_id = request.GET.get("bureau") or request.user.bureau_id
    qs = Bureau.objects.all() if ids is None else Bureau.objects.filter(pk__in=ids)
    bureau = qs.filter(pk=bureau_id).first() if bureau_id else None
    if bureau is None:
        raise Http404(_("请选择市场监管局"))
    return bureau


def _may_see_overview(user, bureau) -> bool:
    return user.is_superuser or (
        permissions.may(user, CLUE_OVERVIEW) and bureau.pk in (visible_bureau_ids(user) or set())
    )


@login_required
def overview(request):
    """The office overview (per unit: received, on time, overdue, average working days to feedback, results)."""
    bureau = _bureau_for(request)
    if not _may_see_overview(request.user, bureau):
        raise PermissionDenied(_("办公室总览只对领导小组、办公室和审计人员开放"))
    year, month = _period(request)
    start, end = selectors.month_range(year, month)
    data = selectors.office_overview(bureau=bureau, start=start, end=end)
    return render(
        request,
        "clues/overview.html",
        {
            "overview": data,
            "columns": [label for _key, label in selectors.STAT_COLUMNS],
            "rows": [selectors.stat_values(r) for r in [*data.rows, data.total]],
            "year": year,
            "month": month,
            "bureau": bureau,
            "queue": selectors.office_queue(bureau=bureau),
        },
    )


@login_required
def statistics_export(request):
    """线索处置情况统计表 as Excel, for the month asked."""
    bureau = _bureau_for(request)
    if not _may_see_overview(request.user, bureau):
        raise PermissionDenied(_("办公室总览只对领导小组、办公室和审计人员开放"))
    year, month = _period(request)
    content = selectors.monthly_statistics_xlsx(bureau=bureau, year=year, month=month)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="clue-statistics-{year}-{month:02d}.xlsx"'
    return response


@login_required
def entity_clues(request, entity_id: int):
    """A fragment for the entity's archive page (registry): the clues about it this user may read."""
    return render(
        request,
        "clues/entity_clues.html",
        {"clues": selectors.clues_of_entity(user=request.user, entity_id=entity_id)[:100]},
    )
