"""通报 pages: the list, a draft for a month that has ended (with its highlights), the draft with its preview,
issuing it, and the downloads (Word, PDF, the Excel tables). Opening an issued 通报 records the reader's receipt.

Every decision is ``services.bulletins``': who may read and write, what a draft and an issued 通报 allow.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import django_filters as df
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wangjian.bulletins.choices import BulletinState, TableLayout
from wangjian.bulletins.models import Bulletin
from wangjian.bulletins.permissions import BULLETIN_READ
from wangjian.bulletins.services import bulletins as services
from wangjian.bulletins.services import document, periods, tables
from wangjian.core.audit import acting
from wangjian.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.org import permissions
from wangjian.platform.filtersets import SearchFilterSet

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class BulletinFilterSet(SearchFilterSet):
    """The list's filters and the API's alike."""

    search_fields = ("title", "number")
    state = df.ChoiceFilter(choices=BulletinState.choices, label=gettext_lazy("状态"))

    class Meta:
        model = Bulletin
        fields = ["q", "state"]


def download(data: bytes, kind: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[kind])
    disposition = "inline" if kind == "pdf" else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _require_read(request) -> None:
    if not permissions.may(request.user, BULLETIN_READ):
        raise PermissionDenied(permissions.get(BULLETIN_READ).refusal()[0])


def _bulletin_for(request, pk: int) -> Bulletin:
    try:
        return services.bulletin_get(user=request.user, pk=pk)
    except NotFoundError as exc:
        raise Http404(exc.zh) from None
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.zh) from None


@login_required
def bulletin_list(request):
    _require_read(request)
    filterset = BulletinFilterSet(
        request.GET or None,
        queryset=services.bulletins_visible(request.user).order_by("-month", "-id"),
        request=request,
    )
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "bulletins/list.html",
        {
            "filter": filterset,
            "page": page,
            "may_draft": services.may_write(request.user, request.user.bureau_id),
        },
    )


@login_required
def bulletin_add(request):
    """起草通报: choose a month that has ended and write its highlights; the figures are counted now."""
    _require_read(request)
    if request.method == "POST":
        try:
            try:
                month = dt.date.fromisoformat(request.POST.get("month", ""))
            except ValueError:
                raise ValidationFailed("请选择通报月份", "Choose the month") from None
            with acting(request.user, via="web"):
                bulletin = services.bulletin_draft(
                    user=request.user,
                    bureau=request.user.bureau,
                    month=month,
                    highlights=request.POST.get("highlights", ""),
                )
        except WangjianError as exc:
            messages.error(request, str(exc))
            return redirect("bulletins:add")
        messages.success(request, _("已起草：%(title)s") % {"title": bulletin.title})
        return redirect(bulletin.get_absolute_url())
    return render(
        request,
        "bulletins/form.html",
        {
            "months": periods.months_ended(today=timezone.localdate()),
            "may_draft": services.may_write(request.user, request.user.bureau_id),
            "refusal": services.WRITERS[0]
            if permissions.may(request.user, "bulletins.issue")
            else permissions.get("bulletins.issue").refusal()[0],
        },
    )


@login_required
def bulletin_detail(request, pk: int):
    """The 通报: its text and figures, the office's highlights while a draft, issue; receipts once issued."""
    bulletin = _bulletin_for(request, pk)
    if request.method == "POST":
        try:
            with acting(request.user, via="web"):
                if "recount" in request.POST:
                    services.bulletin_recount(bulletin=bulletin, user=request.user)
                    messages.success(request, _("已重新统计"))
                else:
                    services.bulletin_edit(
                        bulletin=bulletin,
                        user=request.user,
                        highlights=request.POST.get("highlights"),
                        addressee=request.POST.get("addressee"),
                        copy_to=request.POST.get("copy_to"),
                        typical_cases=request.POST.getlist("typical_cases")
                        if "typical_cases_shown" in request.POST
                        else None,
                    )
                    if "issue" in request.POST:
                        services.bulletin_issue(bulletin=bulletin, user=request.user)
                        messages.success(request, _("已印发：%(n)s") % {"n": bulletin.number})
                    else:
                        messages.success(request, _("已保存"))
        except WangjianError as exc:
            messages.error(request, str(exc))
        return redirect(bulletin.get_absolute_url())
    services.bulletin_opened(bulletin=bulletin, user=request.user)
    may_write = services.may_write(request.user, bulletin.bureau_id)
    context = document.content(bulletin)
    context.update(
        {
            "object": bulletin,
            "may_write": may_write and not bulletin.issued,
            "candidates": services.typical_candidates(bulletin) if may_write and not bulletin.issued else (),
            "chosen": set(bulletin.typical_cases.values_list("pk", flat=True)),
            "receipts": services.receipts(bulletin) if may_write else None,
            "layouts": TableLayout.choices,
        }
    )
    return render(request, "bulletins/detail.html", context)


@login_required
def bulletin_preview(request, pk: int):
    """The document as it prints (the HTML the PDF is printed from), for the draft's review."""
    bulletin = _bulletin_for(request, pk)
    return HttpResponse(document.html(bulletin))


@login_required
def bulletin_download(request, pk: int, kind: str):
    """The Word file or the PDF: as kept once issued (checked against its hash), else written now."""
    bulletin = _bulletin_for(request, pk)
    try:
        data = services.bulletin_file(bulletin=bulletin, kind=kind)
    except NotFoundError as exc:
        raise Http404(exc.zh) from None
    except WangjianError as exc:
        messages.error(request, str(exc))
        return redirect(bulletin.get_absolute_url())
    services.bulletin_opened(bulletin=bulletin, user=request.user)
    return download(data, kind, f"{document.file_name(bulletin)}.{kind}")


@login_required
def bulletin_table(request, pk: int):
    """The Excel statistics table of the 通报 (``?layout=campaign`` by default, or ``annex``)."""
    bulletin = _bulletin_for(request, pk)
    layout = request.GET.get("layout") or TableLayout.CAMPAIGN
    try:
        data = tables.workbook_bytes(bulletin, layout)
    except WangjianError as exc:
        messages.error(request, str(exc))
        return redirect(bulletin.get_absolute_url())
    return download(data, "xlsx", tables.workbook_name(bulletin, layout))
