"""Credit pages: the lists with filters, each record with its dates, history and the steps the user may take,
the annual-report imports, and the entity page's credit panel. Every decision is a ``credit.services`` call;
a refusal is shown in the words the API answers with (``WangjianError``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangjian.core import uploads
from wangjian.core.audit import acting
from wangjian.core.errors import WangjianError
from wangjian.credit import filtersets, forms, selectors, services, tables
from wangjian.credit.models import AbnormalListing, CreditRepair, DeclarationMismatch, SeriousListing
from wangjian.credit.permissions import CREDIT_ACT, CREDIT_IMPORT, CREDIT_READ
from wangjian.credit.services.transitions import TRANSITIONS, allowed_actions
from wangjian.org import permissions
from wangjian.platform import generic
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.registry.models import MarketEntity


def _read_check(user) -> None:  # noqa: ANN001
    if not permissions.may(user, CREDIT_READ):
        raise PermissionDenied(permissions.get(CREDIT_READ).refusal()[0])


class _CreditList(generic.ObjectListView):
    visible = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _read_check(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return type(self).visible(self.request.user)

    def can_change(self, obj=None):
        return permissions.may(self.request.user, CREDIT_ACT) and self.request.user.bureau_id is not None


class AbnormalList(_CreditList):
    model = AbnormalListing
    url_prefix = "credit:abnormal"
    filterset_class = filtersets.AbnormalFilterSet
    table_class = tables.AbnormalTable
    visible = staticmethod(selectors.listings_visible)


class SeriousList(_CreditList):
    model = SeriousListing
    url_prefix = "credit:serious"
    filterset_class = filtersets.SeriousFilterSet
    table_class = tables.SeriousTable
    visible = staticmethod(selectors.serious_visible)


class RepairList(_CreditList):
    model = CreditRepair
    url_prefix = "credit:repair"
    filterset_class = filtersets.RepairFilterSet
    table_class = tables.RepairTable
    visible = staticmethod(selectors.repairs_visible)


class MismatchList(_CreditList):
    model = DeclarationMismatch
    url_prefix = "credit:mismatch"
    filterset_class = filtersets.MismatchFilterSet
    table_class = tables.MismatchTable
    visible = staticmethod(selectors.mismatches_visible)

    def can_change(self, obj=None):
        return False  # mismatches come from the comparison, not from a form


class _Changelog(generic.ObjectChangelogView):
    visible = None

    def get_queryset(self):
        return type(self).visible(self.request.user)


class AbnormalChangelog(_Changelog):
    model = AbnormalListing
    url_prefix = "credit:abnormal"
    visible = staticmethod(selectors.listings_visible)


class SeriousChangelog(_Changelog):
    model = SeriousListing
    url_prefix = "credit:serious"
    visible = staticmethod(selectors.serious_visible)


RECORDS = {
    "abnormal": (selectors.listings_visible, "credit/abnormal_detail.html"),
    "serious": (selectors.serious_visible, "credit/serious_detail.html"),
    "repair": (selectors.repairs_visible, "credit/repair_detail.html"),
    "mismatch": (selectors.mismatches_visible, "credit/mismatch_detail.html"),
}


def _record_for(request, record: str, pk: int):  # noqa: ANN001, ANN202
    _read_check(request.user)
    obj = RECORDS[record][0](request.user).filter(pk=pk).first()
    if obj is None:
        raise Http404(_("没有该记录，或无权查看"))
    return obj


def _steps(user, record: str, obj) -> list[dict]:  # noqa: ANN001
    return [
        {
            "action": a,
            "label": TRANSITIONS[(record, a)].label,
            "basis": TRANSITIONS[(record, a)].basis,
            "fields": forms.STEP_FIELDS.get((record, a), ()),
        }
        for a in allowed_actions(user=user, record=record, obj=obj)
    ]


def _detail(request, record: str, pk: int):  # noqa: ANN202
    obj = _record_for(request, record, pk)
    context = {
        "object": obj,
        "record": record,
        "steps": _steps(request.user, record, obj),
        "events": obj.events.all() if record in ("abnormal", "serious") else (),
        "items": workitem_selectors.items_of(obj).order_by("id"),
    }
    return render(request, RECORDS[record][1], context)


@login_required
def abnormal_detail(request, pk: int):
    return _detail(request, "abnormal", pk)


@login_required
def serious_detail(request, pk: int):
    return _detail(request, "serious", pk)


@login_required
def repair_detail(request, pk: int):
    return _detail(request, "repair", pk)


@login_required
def mismatch_detail(request, pk: int):
    return _detail(request, "mismatch", pk)


ACTS = {
    "abnormal": lambda obj, user, action, values: services.abnormal_act(
        listing=obj, user=user, action=action, values=values
    ),
    "serious": lambda obj, user, action, values: services.serious_act(
        serious=obj, user=user, action=action, values=values
    ),
    "repair": lambda obj, user, action, values: services.repair_decide(
        repair=obj, user=user, action=action, values=values
    ),
    "mismatch": lambda obj, user, action, values: services.mismatch_act(
        mismatch=obj, user=user, action=action, values=values
    ),
}


@login_required
@require_POST
def record_act(request, record: str, pk: int, action: str):
    """Take one step of the transition table; a refusal is shown in the service's words."""
    if record not in ACTS:
        raise Http404
    obj = _record_for(request, record, pk)
    try:
        permissions.require(request.user, CREDIT_ACT)
        with acting(request.user, via="web"):
            message = ACTS[record](obj, request.user, action, forms.step_values(record, action, request.POST))
    except WangjianError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message)
    return redirect(obj.get_absolute_url())


def _entity_by_code(user, code: str) -> MarketEntity:  # noqa: ANN001
    from wangjian.org.selectors import scope
    from wangjian.registry.uscc import normalize

    entity = scope(MarketEntity.objects.all(), user).filter(uscc=normalize(code)).first()
    if entity is None:
        raise WangjianError(
            "本局登记库中没有该统一社会信用代码的市场主体",
            "No entity with this code is registered with your bureau",
        )
    return entity


def _act_check(user) -> None:  # noqa: ANN001
    if not permissions.may(user, CREDIT_ACT):
        raise PermissionDenied(permissions.get(CREDIT_ACT).refusal()[0])


@login_required
def abnormal_add(request):
    """提请列入经营异常名录: the clock starts from the period's end."""
    _act_check(request.user)
    form = forms.ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entity = _entity_by_code(request.user, data["uscc"])
            with acting(request.user, via="web"):
                listing = services.listing_propose(
                    bureau=entity.bureau,
                    entity=entity,
                    ground=data["ground"],
                    user=request.user,
                    period_end=data.get("period_end"),
                    report_year=data.get("report_year"),
                    facts=data.get("facts", ""),
                )
        except WangjianError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已提请，%(due)s 前作出列入决定") % {"due": listing.listing_due})
            return redirect(listing.get_absolute_url())
    return render(request, "credit/form.html", {"form": form, "title": _("提请列入经营异常名录")})


@login_required
def serious_add(request):
    """提请列入严重违法失信名单 on a heavier penalty decision."""
    _act_check(request.user)
    form = forms.SeriousForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entity = _entity_by_code(request.user, data["uscc"])
            with acting(request.user, via="web"):
                serious = services.serious_propose(
                    bureau=entity.bureau,
                    entity=entity,
                    ground=data["ground"],
                    user=request.user,
                    penalty_number=data["penalty_number"],
                )
        except WangjianError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已提请，请告知当事人"))
            return redirect(serious.get_absolute_url())
    return render(request, "credit/form.html", {"form": form, "title": _("提请列入严重违法失信名单")})


@login_required
def repair_add(request):
    """登记信用修复申请: refused with the first possible day when too early."""
    _act_check(request.user)
    form = forms.RepairForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subject = selectors.repair_subject(
                user=request.user,
                target=data["target"],
                reference=data["record"],
                entity_id=request.POST.get("entity") or request.GET.get("entity"),
            )
            values = {k: v for k, v in data.items() if k not in ("target", "record") and v not in (None, "")}
            with acting(request.user, via="web"):
                repair = services.repair_apply(
                    target=data["target"], user=request.user, values=values, **subject
                )
        except WangjianError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("已登记信用修复申请，%(due)s 前作出决定") % {"due": repair.decision_due}
            )
            return redirect(repair.get_absolute_url())
    return render(
        request,
        "credit/form.html",
        {"form": form, "title": _("登记信用修复申请"), "entity": request.GET.get("entity", "")},
    )


@login_required
@uploads.upload_limit(uploads.IMPORT)
def import_list(request):
    """导入年度报告申报的网站网店: the upload (for who may import) and the imports one may see."""
    _read_check(request.user)
    user = request.user
    may_import = permissions.may(user, CREDIT_IMPORT) and user.bureau_id is not None
    form = forms.ImportForm()
    if request.method == "POST":
        if not may_import:
            raise PermissionDenied(permissions.get(CREDIT_IMPORT).refusal()[0])
        form = forms.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                with tempfile.TemporaryDirectory() as tmp:
                    path = Path(tmp) / "upload"
                    with open(path, "wb") as fh:
                        for chunk in upload.chunks():
                            fh.write(chunk)
                    batch = services.annual_import(
                        bureau=user.bureau, path=path, user=user, file_name=upload.name
                    )
            except WangjianError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _(
                        "已导入：年度报告 %(reports)s 份，申报网站网店 %(shops)s 个，拒收 %(rejected)s 行，比对不一致 %(mismatches)s 条"
                    )
                    % {
                        "reports": batch.report_count,
                        "shops": batch.shop_count,
                        "rejected": batch.rejected_count,
                        "mismatches": batch.mismatch_count,
                    },
                )
                return redirect(batch.get_absolute_url())
    batches = selectors.imports_visible(user).order_by("-id")[:100]
    columns = [
        (services.annual.LABELS[name], spellings) for name, spellings in services.annual.COLUMNS.items()
    ]
    return render(
        request,
        "credit/import_list.html",
        {"form": form, "may_import": may_import, "batches": batches, "columns": columns},
    )


@login_required
def import_detail(request, pk: int):
    _read_check(request.user)
    batch = selectors.imports_visible(request.user).filter(pk=pk).first()
    if batch is None:
        raise Http404(_("没有这个导入批次，或无权查看"))
    return render(
        request,
        "credit/import_detail.html",
        {
            "batch": batch,
            "rejected": batch.rejected_rows.all()[:500],
            "mismatches": batch.mismatches.select_related("entity")[:500],
        },
    )


@login_required
def entity_credit(request, pk: int):
    """A fragment for the entity's archive page (registry): its credit, as this user may read it."""
    if not permissions.may(request.user, CREDIT_READ):
        return render(
            request, "credit/entity_credit.html", {"refused": permissions.get(CREDIT_READ).refusal()[0]}
        )
    context = selectors.entity_credit(user=request.user, entity_id=pk)
    context["entity_id"] = pk
    context["may_act"] = permissions.may(request.user, CREDIT_ACT)
    return render(request, "credit/entity_credit.html", context)
