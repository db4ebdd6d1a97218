"""Evidence pages: list, capture form, viewer, files, package download, safe replay, deletion.

The pages call ``services`` and ``selectors`` only; every view of a capture and every
download is written to the bureau's ledger (who, when, why).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangjian.core.errors import NotFoundError, WangjianError
from wangjian.evidence import filtersets, forms, selectors, services, tables
from wangjian.evidence.choices import LedgerAction
from wangjian.evidence.models import BureauKey, EvidenceCapture
from wangjian.org.selectors import can_manage
from wangjian.platform import generic

# Archived pages are shown as inert documents: no script, no request leaves the archive.
REPLAY_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; sandbox"


class CaptureList(generic.ObjectListView):
    model = EvidenceCapture
    queryset = EvidenceCapture.objects.select_related("bureau")
    filterset_class = filtersets.EvidenceCaptureFilterSet
    table_class = tables.EvidenceCaptureTable
    url_prefix = "evidence:capture"

    def can_change(self, obj=None):
        return services.can_capture(self.request.user)


def _get(request, pk: int) -> EvidenceCapture:
    try:
        return selectors.capture_get(user=request.user, pk=pk)
    except NotFoundError:
        raise Http404(_("取证记录不存在或无权查看")) from None


@login_required
def capture_add(request):
    """The capture form; other apps link here with ?url=…&case_ref=…&purpose=… (the 取证 button)."""
    if not services.can_capture(request.user):
        raise PermissionDenied(_("无权取证 / not allowed to capture evidence"))
    initial = {k: request.GET.get(k, "") for k in ("url", "case_ref", "purpose")}
    initial["operator_1"] = request.user.name if hasattr(request.user, "name") and request.user.name else ""
    form = forms.CaptureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.evidence_capture(
                url=form.cleaned_data["url"],
                operators=form.operators(),
                purpose=form.cleaned_data["purpose"],
                case_ref=form.cleaned_data["case_ref"],
                mode=form.cleaned_data["mode"],
                user=request.user,
            )
        except WangjianError as exc:
            form.add_error(None, str(exc))
        else:
            for note in outcome.notes:
                messages.warning(request, note)
            if outcome.ok:
                messages.success(request, _("取证完成：%(id)s") % {"id": outcome.capture.pk})
            return redirect(outcome.capture.get_absolute_url())
    return render(request, "evidence/capture_add.html", {"form": form})


@login_required
def capture_detail(request, pk: int):
    """The viewer: screenshot beside the text (finding highlighted), metadata, hashes, verification, access log."""
    capture = _get(request, pk)
    services.evidence_access(
        capture=capture, user=request.user, action=LedgerAction.VIEW, reason=request.GET.get("reason", "查看")
    )
    files = list(capture.files.all())
    names = {f.name for f in files}
    text = selectors.capture_blob(capture=capture, name="text.txt").decode() if "text.txt" in names else ""
    metadata = json.loads(selectors.capture_blob(capture=capture, name="metadata.json"))
    holds = services.evidence_holds(capture=capture)
    return render(
        request,
        "evidence/capture_detail.html",
        {
            "object": capture,
            "files": files,
            "has_screenshot": "screenshot.png" in names,
            "text_pieces": selectors.text_with_highlight(text, request.GET.get("highlight", "")),
            "highlight": request.GET.get("highlight", ""),
            "metadata": json.dumps(metadata, ensure_ascii=False, indent=2),
            "verification": selectors.capture_verification(capture=capture),
            "access_log": selectors.capture_access_log(capture=capture),
            "links": capture.links.select_related("content_type"),
            "holds": holds,
            "can_delete": can_manage(request.user, capture.bureau_id) and not holds,
            "key": BureauKey.objects.filter(bureau_id=capture.bureau_id).first(),
        },
    )


@login_required
def capture_file(request, pk: int, name: str):
    """One stored file; the screenshot is shown inline, other files are downloads written to the ledger."""
    capture = _get(request, pk)
    f = capture.files.filter(name=name).first()
    if f is None:
        raise Http404(name)
    data = selectors.capture_blob(capture=capture, name=name)
    inline = name == "screenshot.png" and not request.GET.get("download")
    if not inline:
        services.evidence_access(
            capture=capture, user=request.user, action=LedgerAction.DOWNLOAD, reason=f"下载 {name}"
        )
    content_type = "text/plain; charset=utf-8" if name == "page.html" else f.content_type
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = (
        f'{"inline" if inline else "attachment"}; filename="capture-{pk}-{name}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def capture_package(request, pk: int):
    """The signed WACZ evidence package."""
    capture = _get(request, pk)
    data = services.evidence_export(
        capture=capture, user=request.user, reason=request.GET.get("reason", "") or "下载证据包"
    )
    response = HttpResponse(data, content_type="application/wacz")
    response["Content-Disposition"] = f'attachment; filename="evidence-{capture.bureau.code}-{pk}.wacz"'
    return response


@login_required
def capture_replay(request, pk: int):
    """The archived page, inert: the rendered DOM without scripts, its images and styles served from the
    archive only (the CSP lets the browser ask nothing else). Full replay: open the WACZ in a player."""
    capture = _get(request, pk)
    base = reverse("evidence:capture_replay_resource", args=[pk])
    body = selectors.replay_document(capture=capture, resource_base=base)
    if body is None:
        raise Http404(_("档案中没有该页面"))
    archive = f"{request.scheme}://{request.get_host()}{base}"
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = (
        f"default-src 'none'; img-src {archive} data:; style-src {archive} 'unsafe-inline'; "
        f"font-src {archive} data:; media-src {archive}; form-action 'none'; base-uri 'none'; "
        "sandbox allow-same-origin"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
def capture_replay_resource(request, pk: int):
    """One archived response (image, stylesheet …) of the capture, by its original URL; never fetched live."""
    capture = _get(request, pk)
    archived = selectors.capture_archived_response(capture=capture, url=request.GET.get("u", ""))
    if archived is None:
        raise Http404(_("档案中没有该资源"))
    content_type, body = archived
    response = HttpResponse(body, content_type=content_type)
    response["Content-Security-Policy"] = REPLAY_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def capture_delete(request, pk: int):
    capture = _get(request, pk)
    try:
        services.evidence_delete(capture=capture, user=request.user, reason=request.POST.get("reason", ""))
    except WangjianError as exc:
        messages.error(request, str(exc))
        for reason in exc.detail or []:
            messages.error(request, reason)
        return redirect(capture.get_absolute_url())
    messages.success(request, _("已删除取证记录 %(id)s，删除已登记在台账") % {"id": pk})
    return redirect(reverse("evidence:capture_list"))


@login_required
def ledger_list(request):
    """The bureau's evidence ledger and signed checkpoints, for auditors and office administrators."""
    from django.core.paginator import Paginator

    from wangjian.org.selectors import can_read_audit

    if not can_read_audit(request.user):
        raise PermissionDenied(_("无权查看取证台账 / not allowed to read the evidence ledger"))
    entries = selectors.ledger_entries(user=request.user, action=request.GET.get("action", ""))
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "evidence/ledger.html",
        {
            "page": page,
            "checkpoints": selectors.ledger_checkpoints(user=request.user)[:20],
            "keys": selectors.bureau_keys(user=request.user),
            "actions": LedgerAction.choices,
            "action": request.GET.get("action", ""),
        },
    )


def demo_shop(request):
    """The fictitious demo shop page (no log-in), for trying a capture in the demo."""
    from wangjian.evidence.demo import shop_html

    return HttpResponse(shop_html(), content_type="text/html; charset=utf-8")


@login_required
def public_key(request, code: str):
    """The bureau's public signing key, for reviewers."""
    key = BureauKey.objects.filter(bureau__code=code).first()
    if key is None:
        raise Http404(code)
    # Package key (ECDSA P-256, checks evidence packages) first, then the ledger key (Ed25519).
    pems = f"{key.package_public_key_pem.strip()}\n{key.public_key_pem.strip()}\n"
    response = HttpResponse(pems, content_type="application/x-pem-file")
    response["Content-Disposition"] = f'attachment; filename="evidence-{code}-public-key.pem"'
    return response
