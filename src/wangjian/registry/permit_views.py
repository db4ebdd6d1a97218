"""Pages of the permit data (许可证和备案数据): the list and a permit's page (generic views), and its import
page — the registry's upload → preview and column mapping → batch page, with the permit data's columns."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wangjian.core import uploads
from wangjian.core.errors import WangjianError
from wangjian.platform import generic
from wangjian.registry import filtersets, forms, importing, selectors, services, tables
from wangjian.registry.choices import ImportKind
from wangjian.registry.models import Permit


class PermitMixin:
    model = Permit
    url_prefix = "registry:permit"
    queryset = Permit.objects.select_related("import_batch")

    def can_change(self, obj=None):
        return False  # permits change through imports of the licensing data only


class PermitList(PermitMixin, generic.ObjectListView):
    filterset_class = filtersets.PermitFilterSet
    table_class = tables.PermitTable


class PermitDetail(PermitMixin, generic.ObjectDetailView):
    detail_fields = [
        "kind",
        "number",
        "holder_name",
        "holder_uscc",
        "region_code",
        "valid_from",
        "valid_to",
        "status",
        "scope",
        "authority",
        "source",
        "import_batch",
        "bureau",
    ]


class PermitChangelog(PermitMixin, generic.ObjectChangelogView):
    pass


@login_required
def permit_import(request):
    """导入许可证和备案数据: the file is kept, then previewed and mapped like every registry import."""
    bureau = request.user.bureau
    if bureau is None or not selectors.can_import(request.user, bureau, kind=ImportKind.PERMITS):
        raise PermissionDenied(_("无权导入许可证和备案数据 / not allowed to import the permit data"))
    if request.method == "POST":
        form = forms.PermitUploadForm(request.POST, request.FILES)
        if form.is_valid():
            f = form.cleaned_data["file"]
            try:
                stored = services.upload_receive(
                    bureau=bureau, kind=ImportKind.PERMITS, file=f, file_name=f.name, user=request.user
                )
            except WangjianError as exc:
                form.add_error(None, str(exc))
            else:
                token = stored.partition(".")[0]
                request.session[f"upload-{token}"] = {
                    "stored": stored,
                    "kind": ImportKind.PERMITS,
                    "name": f.name,
                    "platform": None,
                    "new_platform": "",
                }
                return redirect("registry:import_preview", token=token)
    else:
        form = forms.PermitUploadForm()
    columns = [
        (importing.FIELD_LABELS.get(name, name), aliases, name in importing.PERMIT_REQUIRED)
        for name, aliases in importing.PERMIT_COLUMNS.items()
    ]
    cap = uploads.human_size(uploads.cap(uploads.IMPORT))
    return render(
        request,
        "registry/permit_upload.html",
        {"form": form, "bureau": bureau, "cap": cap, "columns": columns},
    )
