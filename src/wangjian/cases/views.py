"""Case pages: the list with every running clock, the 审批表, the case with its history and buttons.

Every decision is a call to ``cases.services``; every read goes through ``cases.selectors``.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangjian.cases import documents, filtersets, forms, selectors, services, tables
from wangjian.cases.choices import Action, CaseState, PartyKind
from wangjian.cases.models import Case, CaseDocument
from wangjian.cases.permissions import CASE_ACT, CASE_DRAFT, CASE_FIGURES, CASE_READ
from wangjian.cases.services import documents as document_services
from wangjian.cases.services import publicity
from wangjian.cases.services.privacy import party_reveal
from wangjian.clues.selectors import clues_visible
from wangjian.core.audit import acting, mask_name
from wangjian.core.errors import ValidationFailed, WangjianError
from wangjian.core.uploads import EVIDENCE, upload_limit
from wangjian.evidence.forms import UploadForm
from wangjian.org import permissions
from wangjian.org.models import Bureau
from wangjian.org.selectors import visible_bureau_ids
from wangjian.platform import generic
from wangjian.platform.workitems import selectors as workitem_selectors


class CaseList(generic.ObjectListView):
    """The case list: the decision deadline and days left, overdue in red."""

    model = Case
    url_prefix = "cases:case"
    filterset_class = filtersets.CaseFilterSet
    table_class = tables.CaseTable
    template_name = "cases/case_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.may(request.user, CASE_READ):
            raise PermissionDenied(permissions.get(CASE_READ).refusal()[0])
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.running_first(selectors.cases_visible(self.request.user))

    def can_change(self, obj=None):
        return permissions.may(self.request.user, CASE_DRAFT) and self.request.user.bureau_id is not None


class CaseChangelog(generic.ObjectChangelogView):
    model = Case
    url_prefix = "cases:case"

    def get_queryset(self):
        return selectors.cases_visible(self.request.user)


def _case_for(request, pk: int) -> Case:
    if not permissions.may(request.user, CASE_READ):
        raise PermissionDenied(permissions.get(CASE_READ).refusal()[0])
    case = selectors.cases_visible(request.user).filter(pk=pk).first()
    if case is None:
        raise Http404(_("没有这个案件，或无权查看"))
    return case


@login_required
def case_add(request):
    """立案审批表 (or 不予立案审批表): from a clue (``?clue=``) with its facts carried over, or directly."""
    if not permissions.may(request.user, CASE_DRAFT):
        raise PermissionDenied(permissions.get(CASE_DRAFT).refusal()[0])
    if request.user.bureau_id is None:
        raise PermissionDenied(_("没有所属局的账号不能填写审批表"))
    clue = None
    ref = request.GET.get("clue") or request.POST.get("clue")
    if ref and str(ref).isdigit():
        clue = clues_visible(request.user).filter(pk=int(ref)).first()
        if clue is None:
            raise Http404(_("没有这条线索，或无权查看"))
    initial = {}
    if clue is not None:
        existing = Case.objects.filter(clue=clue).first()
        if existing is not None and selectors.cases_visible(request.user).filter(pk=existing.pk).exists():
            if existing.state == CaseState.DRAFT:
                return redirect("cases:case_edit", pk=existing.pk)
            return redirect(existing.get_absolute_url())
        initial = services.draft_initial(clue=clue)
    else:
        initial = {"department": request.user.department, "discovered_on": timezone.localdate()}
    form = forms.CaseDraftForm(
        request.POST or None, initial=initial, bureau=request.user.bureau, from_clue=clue is not None
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            with acting(request.user, via="web"):
                case = services.case_draft(user=request.user, bureau=request.user.bureau, clue=clue, **data)
        except WangjianError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("审批表已保存，请办案机构负责人指定办案人员并提交审批"))
            return redirect(case.get_absolute_url())
    return render(request, "cases/case_form.html", {"form": form, "clue": clue})


@login_required
def case_detail(request, pk: int):
    case = _case_for(request, pk)
    actions = services.allowed_actions(user=request.user, case=case)
    party = case.party_name
    revealed = False
    if case.party_kind == PartyKind.PERSON:
        party = mask_name(case.party_name)
        if request.GET.get("party") == "1":
            try:
                with acting(request.user, via="web"):
                    party, revealed = party_reveal(case=case, user=request.user), True
            except WangjianError as exc:
                messages.error(request, str(exc))
    items = workitem_selectors.items_of(case).order_by("-state", "due", "id")
    return render(
        request,
        "cases/case_detail.html",
        {
            "object": case,
            "case": case,
            "party": party,
            "party_revealed": revealed,
            "person": case.party_kind == PartyKind.PERSON,
            "officers": selectors.officers_of(case),
            "actions": [
                (a, Action(a).label, services.TRANSITIONS[a].basis, forms.action_form(a, case, prefix=a))
                for a in actions
            ],
            "events": case.events.select_related("actor"),
            "items": items,
            "stops": services.decision_stops(case),
            "evidence": services.case_evidence(case),
            "documents": case.documents.all(),
            "document_kinds": documents.available(case),
            "upload_form": UploadForm(initial={"operator_1": getattr(request.user, "name", "")}),
            "drafting": case.state in (CaseState.DRAFT, CaseState.PENDING),
            "aftercare": services.aftercare_summary(case, timezone.localdate()),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def case_act(request, pk: int, action: str):
    case = _case_for(request, pk)
    try:
        permissions.require(request.user, CASE_ACT)  # who takes part at all, before reading the step's input
        values = forms.action_input(action, case, request.POST, prefix=action)
        with acting(request.user, via="web"):
            message = services.case_act(case=case, user=request.user, action=action, values=values)
    except WangjianError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message)
    return redirect(case.get_absolute_url())


@upload_limit(EVIDENCE)
@login_required
@require_POST
def case_evidence_upload(request, pk: int):
    """Photos, videos, recordings of an APP or a live stream, scanned 笔录: into the evidence store, linked."""
    case = _case_for(request, pk)
    form = UploadForm(request.POST, request.FILES)
    form.fields["purpose"].required = False  # the case names it
    if not form.is_valid():
        messages.error(
            request, "；".join(f"{form.fields[k].label}：{' '.join(v)}" for k, v in form.errors.items())
        )
        return redirect(case.get_absolute_url() + "#evidence")
    data = form.cleaned_data
    try:
        with acting(request.user, via="web"):
            capture = services.case_evidence_upload(
                case=case,
                user=request.user,
                files=data["files"],
                kind=data["kind"],
                description=data["description"],
                source=data["source"],
                collected_at=data["collected_at"],
                operators=form.operators(),
            )
    except WangjianError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("证据已上传并登记：#%(id)s") % {"id": capture.pk})
    return redirect(case.get_absolute_url() + "#evidence")


@login_required
@require_POST
def case_evidence_link(request, pk: int):
    case = _case_for(request, pk)
    ref = (request.POST.get("capture") or "").strip().lstrip("#")
    try:
        if not ref.isdigit():
            raise ValidationFailed("请填写取证记录编号", "Give the capture's number")
        with acting(request.user, via="web"):
            capture = services.case_evidence_link(case=case, user=request.user, capture_id=int(ref))
    except WangjianError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已关联取证记录 #%(id)s") % {"id": capture.pk})
    return redirect(case.get_absolute_url() + "#evidence")


@login_required
@require_POST
def document_add(request, pk: int):
    case = _case_for(request, pk)
    try:
        with acting(request.user, via="web"):
            doc = document_services.document_draft(
                case=case, user=request.user, kind=request.POST.get("kind", "")
            )
    except WangjianError as exc:
        messages.error(request, str(exc))
        return redirect(case.get_absolute_url() + "#documents")
    return redirect("cases:document", pk=case.pk, doc_id=doc.pk)


def _document_for(request, pk: int, doc_id: int) -> tuple[Case, CaseDocument]:
    case = _case_for(request, pk)
    doc = case.documents.filter(pk=doc_id).first()
    if doc is None:
        raise Http404(_("没有这份文书"))
    return case, doc


@login_required
def document_detail(request, pk: int, doc_id: int):
    """Edit the draft's text, preview it, issue it (numbered, printed, kept by its hash)."""
    case, doc = _document_for(request, pk, doc_id)
    if request.method == "POST":
        try:
            with acting(request.user, via="web"):
                if "issue" in request.POST:
                    if request.POST.get("body"):
                        document_services.document_edit(doc=doc, user=request.user, body=request.POST["body"])
                    document_services.document_issue(doc=doc, user=request.user)
                    messages.success(request, _("已签发：%(n)s") % {"n": doc.number or doc.title})
                else:
                    document_services.document_edit(
                        doc=doc, user=request.user, body=request.POST.get("body", "")
                    )
                    messages.success(request, _("已保存"))
        except WangjianError as exc:
            messages.error(request, str(exc))
        return redirect("cases:document", pk=case.pk, doc_id=doc.pk)
    return render(
        request,
        "cases/document_detail.html",
        {
            "case": case,
            "doc": doc,
            "object": doc,
            "paragraphs": [p for p in doc.body.splitlines() if p.strip()],
            "evidence": doc.evidence if doc.issued else document_services.evidence_list(case),
        },
    )


@login_required
def document_pdf(request, pk: int, doc_id: int):
    case, doc = _document_for(request, pk, doc_id)
    try:
        data = document_services.document_pdf(doc)
    except WangjianError as exc:
        messages.error(request, str(exc))
        return redirect("cases:document", pk=case.pk, doc_id=doc.pk)
    response = HttpResponse(data, content_type="application/pdf")
    name = f"{doc.title}{('-' + doc.number) if doc.number else ''}.pdf"
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    return response


def _period(request) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
        month = int(request.GET.get("month") or today.month)
        dt.date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    return year, month


def _figures_bureau(request) -> Bureau:
    if not permissions.may(request.user, CASE_FIGURES):
        raise PermissionDenied(permissions.get(CASE_FIGURES).refusal()[0])
    ids = visible_bureau_ids(request.user)
    bureau_id = request.GET.get("bureau") or request.user.bureau_id
    qs = Bureau.objects.all() if ids is None else Bureau.objects.filter(pk__in=ids)
    bureau = qs.filter(pk=bureau_id).first() if bureau_id and str(bureau_id).isdigit() else None
    if bureau is None:
        raise Http404(_("请选择市场监管局"))
    return bureau


@login_required
def figures(request):
    """涉网案件 figures of a month per 办案机构, from the case records (for the office's 通报)."""
    bureau = _figures_bureau(request)
    year, month = _period(request)
    rows = selectors.monthly_figures(bureau=bureau, year=year, month=month)
    return render(
        request,
        "cases/figures.html",
        {
            "bureau": bureau,
            "year": year,
            "month": month,
            "columns": [label for _key, label in selectors.FIGURE_COLUMNS],
            "rows": [selectors.figure_values(r) for r in [*rows, selectors.figures_total(rows)]],
        },
    )


@login_required
def figures_export(request):
    bureau = _figures_bureau(request)
    year, month = _period(request)
    content = selectors.monthly_figures_xlsx(bureau=bureau, year=year, month=month)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="case-figures-{year}-{month:02d}.xlsx"'
    return response


@login_required
def entity_cases(request, entity_id: int):
    """A fragment for the entity's archive page (registry): the cases about it this user may read."""
    cases = selectors.cases_of_entity(user=request.user, entity_id=entity_id)[:100]
    return render(request, "cases/entity_cases.html", {"cases": cases})


@login_required
def publicity_export(request):
    """Decisions to publish in ``start``–``end`` in the 公示系统's 行政处罚信息 layout (natural persons masked)."""
    bureau = _figures_bureau(request)
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("start") or f"{today:%Y-%m}-01")
        end = dt.date.fromisoformat(request.GET.get("end") or f"{today:%Y-%m-%d}")
    except ValueError:
        raise Http404(_("日期格式应为 YYYY-MM-DD")) from None
    content = publicity.publicity_export_xlsx(bureau=bureau, start=start, end=end)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="penalty-publicity-{start}-{end}.xlsx"'
    return response


@login_required
def case_settings(request):
    """案件办理设置: the province's amounts (公示规定 art. 11, 听证办法 art. 5) and the record system."""
    bureau = request.user.bureau
    if bureau is None:
        raise Http404(_("没有所属局的账号没有案件办理设置"))
    current = publicity.settings_for(bureau)
    if request.method == "POST":
        try:
            with acting(request.user, via="web"):
                publicity.settings_set(
                    bureau=bureau,
                    user=request.user,
                    low_fine_person=request.POST.get("low_fine_person"),
                    low_fine_organisation=request.POST.get("low_fine_organisation"),
                    basis=request.POST.get("basis", ""),
                    hearing_fine_person=request.POST.get("hearing_fine_person"),
                    hearing_fine_organisation=request.POST.get("hearing_fine_organisation"),
                    hearing_basis=request.POST.get("hearing_basis"),
                    record_system=request.POST.get("record_system"),
                    province_system=request.POST.get("province_system"),
                )
        except WangjianError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已保存"))
        return redirect("cases:settings")
    return render(request, "cases/settings.html", {"settings": current, "bureau": bureau})


DRAFT_FIELDS = (
    "proposal",
    "title",
    "domain",
    "source_kind",
    "party_name",
    "party_uscc",
    "party_kind",
    "party_region",
    "presence_label",
    "platform_region",
    "facts",
    "provisions",
    "discovered_on",
    "department",
    "major",
    "jurisdiction_dispute",
    "not_filed_reason",
)


@login_required
def case_edit(request, pk: int):
    """Fill the draft 审批表 again (a form the head sent back, or one the unit is still writing)."""
    case = _case_for(request, pk)
    if case.state != CaseState.DRAFT:
        messages.error(request, _("只有草稿状态的审批表可以修改"))
        return redirect(case.get_absolute_url())
    initial = {name: getattr(case, name) for name in DRAFT_FIELDS}
    initial["presence_kind"] = case.presence.kind if case.presence_id else ""
    form = forms.CaseDraftForm(
        request.POST or None, initial=initial, bureau=case.bureau, from_clue=case.clue_id is not None
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if case.clue_id:
            data.pop("discovered_on", None)
            data.pop("source_kind", None)
        try:
            with acting(request.user, via="web"):
                services.case_draft(user=request.user, bureau=case.bureau, case=case, **data)
        except WangjianError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("审批表已保存"))
            return redirect(case.get_absolute_url())
    return render(request, "cases/case_form.html", {"form": form, "clue": case.clue, "case": case})
