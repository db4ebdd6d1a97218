"""The 12315 import pages: the batches with the upload form, a batch with its counts and refused rows, the
refused rows as CSV with the complainant's data masked, and the handling results to enter into the platform.

Every rule — who may import, which file is refused, what a row must carry — is ``services.imports``'s; the page
shows its refusal in the same words as the command line.
"""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wangjian.complaints.models import ComplaintImport
from wangjian.complaints.permissions import COMPLAINT_IMPORT, COMPLAINT_READ, COMPLAINT_RESULTS
from wangjian.complaints.services import imports, results
from wangjian.core import uploads
from wangjian.core.errors import WangjianError
from wangjian.org import permissions
from wangjian.org.selectors import visible_bureau_ids
from wangjian.platform.generic import bureau_choices, scoped_bureau

REJECTED_SHOWN = 500  # rows on the page; the CSV has them all


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("全国12315平台导出文件（Excel 或 CSV）"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control form-control-sm", "accept": ".xlsx,.csv"}
        ),
    )


class ResultsForm(forms.Form):
    since = forms.DateField(
        label=gettext_lazy("起始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
    until = forms.DateField(
        label=gettext_lazy("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
    file = forms.ChoiceField(
        label=gettext_lazy("文件格式"),
        choices=[("xlsx", "Excel (.xlsx)"), ("csv", gettext_lazy("CSV（UTF-8）"))],
        initial="xlsx",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    all_channels = forms.BooleanField(
        label=gettext_lazy("含非12315来源"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


def _read_check(request) -> None:
    if not permissions.may(request.user, COMPLAINT_READ):
        raise PermissionDenied(permissions.get(COMPLAINT_READ).refusal()[0])


def _batches(user):
    qs = ComplaintImport.objects.select_related("bureau", "user")
    ids = visible_bureau_ids(user)
    return qs if ids is None else qs.filter(bureau_id__in=ids)


def _batch_for(request, pk: int) -> ComplaintImport:
    _read_check(request)
    batch = _batches(request.user).filter(pk=pk).first()
    if batch is None:
        raise Http404(_("没有这个导入批次，或无权查看"))
    return batch


@login_required
@uploads.upload_limit(uploads.IMPORT)
def import_list(request):
    """导入全国12315平台导出数据: the upload (for who may import) and the batches of the bureaus one sees."""
    _read_check(request)
    user = request.user
    may_import = permissions.may(user, COMPLAINT_IMPORT) and user.bureau_id is not None
    may_export = permissions.may(user, COMPLAINT_RESULTS)
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            f = form.cleaned_data["file"]
            try:
                batch = imports.complaints_import(
                    user=user, bureau=user.bureau, path_or_bytes=f, file_name=f.name
                )
            except WangjianError as exc:  # refused whole (unreadable, no number column, not allowed)
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _(
                        "已导入：新增 %(created)s，更新 %(updated)s，未变化 %(unchanged)s，拒收 %(rejected)s 行"
                    )
                    % {
                        "created": batch.created_count,
                        "updated": batch.updated_count,
                        "unchanged": batch.unchanged_count,
                        "rejected": batch.rejected_count,
                    },
                )
                return redirect("complaints:import_detail", pk=batch.pk)
    columns = [(imports.column_label(name), spellings) for name, spellings in imports.COLUMNS.items()]
    return render(
        request,
        "complaints/import_list.html",
        {
            "form": form,
            "may_import": may_import,
            "may_export": may_export,
            "batches": _batches(user).order_by("-id")[:100],
            "columns": columns,
            "cap": uploads.human_size(uploads.cap(uploads.IMPORT)),
        },
    )


@login_required
def import_detail(request, pk: int):
    batch = _batch_for(request, pk)
    rejected = [
        imports.rejected_row_view(r)
        for r in batch.rejected_rows.order_by("row_number", "id")[:REJECTED_SHOWN]
    ]
    return render(
        request,
        "complaints/import_detail.html",
        {
            "batch": batch,
            "rejected": rejected,
            "more": batch.rejected_rows.count() > REJECTED_SHOWN,
            "touched": batch.complaints.count(),
        },
    )


@login_required
def import_rejected_csv(request, pk: int):
    batch = _batch_for(request, pk)
    response = HttpResponse(
        "\ufeff" + imports.rejected_rows_csv(batch=batch), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="12315-rejected-{batch.pk}.csv"'
    return response


@login_required
def import_results(request):
    """办理结果导出: the handling results of a period, one row per 12315 number, to enter into the platform.

    Who may, which records and which columns are ``services.results``'s; a refusal is shown on this page in the
    words the API and the command line use (403). ``?file=`` downloads, the form's fields in the query.
    """
    bureau = scoped_bureau(request)
    context = {"bureau": bureau, "bureaus": bureau_choices(request)}
    try:
        results.results_check(user=request.user, bureau=bureau)
    except WangjianError as exc:
        return render(request, "complaints/import_results.html", {**context, "error": str(exc)}, status=403)
    if "file" in request.GET:
        form = ResultsForm(request.GET)
        if form.is_valid():
            data = form.cleaned_data
            try:
                content, name, content_type, _count = results.results_file(
                    user=request.user,
                    bureau=bureau,
                    since=data["since"],
                    until=data["until"],
                    only_platform=not data["all_channels"],
                    kind=data["file"],
                )
            except WangjianError as exc:  # a start after the end
                form.add_error(None, str(exc))
            else:
                response = HttpResponse(content, content_type=content_type)
                response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
                return response
    else:
        today = timezone.localdate()
        form = ResultsForm(initial={"since": today.replace(day=1), "until": today, "file": "xlsx"})
    return render(request, "complaints/import_results.html", {**context, "form": form})
