"""The numbering page (文号管理): each kind's format, the next number, and the register of numbers issued."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from wangjian.core.audit import acting
from wangjian.core.errors import WangjianError
from wangjian.org.selectors import can_manage
from wangjian.platform import generic
from wangjian.platform.numbering import kinds, services
from wangjian.platform.numbering.models import IssuedNumber, Sequence


@login_required
def number_kinds(request):
    bureau = generic.scoped_bureau(request)
    may_edit = can_manage(request.user, bureau)
    year = timezone.localdate().year
    if request.method == "POST":
        try:
            with acting(request.user, via="web"):
                found = services.number_format_set(
                    bureau=bureau,
                    kind=request.POST.get("kind", ""),
                    prefix=request.POST.get("prefix", ""),
                    pattern=request.POST.get("pattern", ""),
                    user=request.user,
                )
            messages.success(request, _("已保存文号格式：%(f)s") % {"f": found.pattern})
        except WangjianError as exc:
            messages.error(request, str(exc))
        return redirect(f"{request.path}?bureau={bureau.pk}")
    last = dict(Sequence.objects.filter(bureau=bureau, year=year).values_list("kind", "last"))
    rows = []
    for kind in kinds.kinds():
        prefix, pattern = services.number_format(bureau=bureau, kind=kind.key)
        rows.append(
            {
                "kind": kind,
                "prefix": prefix,
                "pattern": pattern,
                "issued": last.get(kind.key, 0),
                "next": services.render(pattern, prefix=prefix, year=year, seq=last.get(kind.key, 0) + 1),
            }
        )
    return render(
        request,
        "platform/number_kinds.html",
        {
            "bureau": bureau,
            "bureaus": generic.bureau_choices(request),
            "rows": rows,
            "may_edit": may_edit,
            "year": year,
        },
    )


@login_required
def number_register(request, kind: str):
    try:
        number_kind = kinds.get(kind)
    except WangjianError:
        raise Http404 from None
    bureau = generic.scoped_bureau(request)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    may_void = can_manage(request.user, bureau) and number_kind.voidable
    if request.method == "POST":
        issued = get_object_or_404(IssuedNumber, pk=request.POST.get("number"), bureau=bureau, kind=kind)
        try:
            with acting(request.user, via="web"):
                services.number_void(issued=issued, user=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("已作废文号 %(n)s（不再使用）") % {"n": issued.number})
        except WangjianError as exc:
            messages.error(request, str(exc))
        return redirect(f"{request.path}?bureau={bureau.pk}&year={year}")
    qs = IssuedNumber.objects.filter(bureau=bureau, kind=kind, year=year).select_related(
        "issued_by", "voided_by"
    )
    return render(
        request,
        "platform/number_register.html",
        {
            "bureau": bureau,
            "kind": number_kind,
            "year": year,
            "page": Paginator(qs, 100).get_page(request.GET.get("page")),
            "gaps": services.sequence_gaps(bureau=bureau, kind=kind, year=year),
            "may_void": may_void,
        },
    )
