"""The listing-feed scan pages (网络交易监测 → 商品信息扫描): the scans, the start form, a scan's progress and results.

The rules are the service's (``services.feed_scan_start``): the page shows its refusal as the API does.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from wangjian.core import uploads
from wangjian.core.errors import WangjianError
from wangjian.core.exports import csv_writer
from wangjian.monitoring import filtersets, forms, services, tables
from wangjian.monitoring.models import FeedScan, Finding
from wangjian.monitoring.permissions import FEED_SCAN
from wangjian.org import permissions
from wangjian.platform import generic

REJECTED_SHOWN = 200  # rejected rows on the page; all of them in the CSV and the API
UNKNOWN_SHOWN = 200


class FeedScanMixin:
    model = FeedScan
    url_prefix = "monitoring:feedscan"
    queryset = FeedScan.objects.select_related("task", "platform", "bureau", "started_by")

    def can_change(self, obj=None) -> bool:
        return False  # a scan is a record: started anew, never edited or deleted


class FeedScanList(FeedScanMixin, generic.ObjectListView):
    filterset_class = filtersets.FeedScanFilterSet
    table_class = tables.FeedScanTable
    template_name = "monitoring/feedscan_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_start"] = permissions.may(self.request.user, FEED_SCAN)
        return ctx


class FeedScanDetail(FeedScanMixin, generic.ObjectDetailView):
    template_name = "monitoring/feedscan_detail.html"
    detail_fields = [
        "task",
        "platform",
        "source",
        "file_name",
        "url",
        "fmt",
        "size",
        "sha256",
        "started_by",
        "created",
        "started_at",
        "finished_at",
        "run",
    ]

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and self.request.GET.get("partial"):
            return ["monitoring/feedscan_progress.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scan = self.object
        ctx["rejected"] = scan.rejected_rows[:REJECTED_SHOWN]
        ctx["rejected_more"] = max(0, len(scan.rejected_rows) - REJECTED_SHOWN)
        ctx["unknown"] = scan.unknown_shops[:UNKNOWN_SHOWN]
        ctx["unknown_more"] = max(0, len(scan.unknown_shops) - UNKNOWN_SHOWN)
        if scan.run_id:
            findings = reverse("monitoring:finding_list")
            ctx["findings_url"] = f"{findings}?run={scan.run_id}"
            ctx["new_findings_url"] = f"{findings}?first_run={scan.run_id}"
            ctx["new_findings"] = Finding.objects.filter(first_run_id=scan.run_id).select_related("presence")[
                :20
            ]
        return ctx

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.request.GET.get("partial") and self.object.finished:
            # The scan just ended: reload the whole page for the totals, rejected rows, shops and findings.
            response["HX-Refresh"] = "true"
        return response


@login_required
def feedscan_start(request):
    """The start form: a task, the platform, a file or a URL; the scan's page follows its progress."""
    if not permissions.may(request.user, FEED_SCAN):
        raise PermissionDenied(permissions.get(FEED_SCAN).refusal()[0])
    form = forms.FeedScanForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("file")
        try:
            scan = services.feed_scan_start(
                task=data["task"],
                platform=data["platform"],
                user=request.user,
                file=upload,
                file_name=upload.name if upload else "",
                url=data.get("url", ""),
                fmt=data.get("fmt", ""),
            )
        except WangjianError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已开始扫描：%(s)s") % {"s": scan})
            return redirect(scan.get_absolute_url())
    cap = uploads.human_size(uploads.cap(uploads.IMPORT))
    return render(request, "monitoring/feedscan_form.html", {"form": form, "cap": cap})


@login_required
def feedscan_rejected(request, pk):
    """Every rejected row of a scan with its reason, as CSV (the page shows the first ones)."""
    scan = generic.object_or_404_scoped(FeedScan, request.user, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="feed-scan-{scan.pk}-rejected.csv"'
    response.write("\ufeff")  # so that Excel opens it as UTF-8
    writer = csv_writer(response)
    writer.writerow([_("行号"), _("原因")])
    for row in scan.rejected_rows:
        writer.writerow([row.get("row"), row.get("reason")])
    return response


@login_required
def feedscan_source(request, pk):
    """The feed as it was scanned (the upload, or what the URL answered), kept in storage."""
    scan = generic.object_or_404_scoped(FeedScan, request.user, pk)
    if not scan.file:
        raise Http404(_("本次扫描没有保存的文件"))
    try:
        handle = scan.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404(_("保存的文件已不在")) from exc
    suffix = "." + scan.file.name.rsplit(".", 1)[-1] if "." in scan.file.name else ""
    name = scan.file_name or f"feed-scan-{scan.pk}{suffix}"
    return FileResponse(handle, as_attachment=True, filename=name)
