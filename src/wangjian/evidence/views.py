"""Evidence pages: list, capture form, viewer, files, package download, safe replay, deletion.

The pages call ``services`` and ``selectors`` only. A capture is seen by its bureau's readers and by
whoever may see a clue or case it is linked to (``access``): the page, its files, its package and its
replay all ask ``selectors.capture_get``; the list stays the bureau's. A GET only shows: opening a
capture's page is kept in the change log (who viewed what, and from outside the bureau through which
matter), never in the evidence ledger. What the ledger
records — a view registered with its reason, a file downloaded, a package exported — is a
POST, and its reason comes from a fixed list (``AccessReason``), never from the request's text.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangjian.core.errors import NotFoundError, WangjianError
from wangjian.core.uploads import EVIDENCE, upload_limit
from wangjian.evidence import filtersets, forms, selectors, services, tables
from wangjian.evidence.choices import AccessReason, LedgerAction
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


@upload_limit(EVIDENCE)
@login_required
def capture_upload(request):
    """Upload evidence collected outside the browser; other apps link here with ?case_ref=…&purpose=…."""
    if not services.can_capture(request.user):
        raise PermissionDenied(_("无权取证 / not allowed to capture evidence"))
    initial = {k: request.GET.get(k, "") for k in ("case_ref", "purpose")}
    initial["operator_1"] = getattr(request.user, "name", "") or ""
    form = forms.UploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = services.evidence_upload(
                files=data["files"],
                kind=data["kind"],
                description=data["description"],
                source=data["source"],
                collected_at=data["collected_at"],
                operators=form.operators(),
                purpose=data["purpose"],
                case_ref=data["case_ref"],
                user=request.user,
            )
        except WangjianError as exc:
            form.add_error(None, str(exc))
        else:
            for note in outcome.notes:
                messages.warning(request, note)
            messages.success(request, _("证据已上传并登记：%(id)s") % {"id": outcome.capture.pk})
            return redirect(outcome.capture.get_absolute_url())
    return render(request, "evidence/capture_upload.html", {"form": form})


@login_required
def capture_detail(request, pk: int):
    """The viewer: screenshot beside the text (finding highlighted), metadata, hashes, verification, access log.

    Opening it is kept in the change log; registering the view in the ledger is ``capture_access`` (POST).
    """
    capture = _get(request, pk)
    sight = selectors.capture_sight(user=request.user, capture=capture)
    services.evidence_page_viewed(capture=capture, user=request.user, sight=sight)
    files = list(capture.files.all())
    names = {f.name for f in files}
    text = selectors.capture_blob(capture=capture, name="text.txt").decode() if "text.txt" in names else ""
    metadata = json.loads(selectors.capture_blob(capture=capture, name="metadata.json"))
    # why it may not be deleted names the bureau's matters: for the bureau only (no one else deletes it)
    holds = services.evidence_holds(capture=capture) if sight.own else services.Holds()
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
            "page_views": selectors.capture_page_views(capture=capture),
            "access_reasons": AccessReason.choices,
            # from outside the bureau: only the matters the officer came through, not the bureau's others
            "links": capture.links.select_related("content_type") if sight.own else [],
            "sight": sight,
            "holds": holds,
            "can_delete": can_manage(request.user, capture.bureau_id) and not holds,
            "key": BureauKey.objects.filter(bureau_id=capture.bureau_id).first(),
        },
    )


@login_required
@require_POST
def capture_access(request, pk: int):
    """登记查阅: the view written to the ledger with a reason from the fixed list."""
    capture = _get(request, pk)
    try:
        entry = services.evidence_view_record(
            capture=capture,
            user=request.user,
            reason=request.POST.get("reason", ""),
            sight=selectors.capture_sight(user=request.user, capture=capture),
        )
    except WangjianError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已登记查阅：台账条目 #%(seq)s") % {"seq": entry.seq})
    return redirect(capture.get_absolute_url())


@login_required
def capture_file(request, pk: int, name: str):
    """One stored file. The screenshot is shown inline by GET (part of the page, not logged); every
    other file is a download by POST, written to the ledger."""
    capture = _get(request, pk)
    inline = request.method == "GET" and name == "screenshot.png"
    if inline:
        f = capture.files.filter(name=name).first()
        if f is None:
            raise Http404(name)
        data = selectors.capture_blob(capture=capture, name=name)
    elif request.method == "POST":
        try:
            f, data = services.evidence_download(
                capture=capture,
                user=request.user,
                name=name,
                sight=selectors.capture_sight(user=request.user, capture=capture),
            )
        except NotFoundError:
            raise Http404(name) from None
    else:
        return HttpResponseNotAllowed(["POST"])
    content_type = "text/plain; charset=utf-8" if name == "page.html" else f.content_type
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = (
        f'{"inline" if inline else "attachment"}; filename="capture-{pk}-{name}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def capture_package(request, pk: int):
    """The signed WACZ evidence package, by POST: its export is written to the ledger with a reason
    from the fixed list."""
    capture = _get(request, pk)
    try:
        reason = services.access_reason_text(request.POST.get("reason", AccessReason.EXPORT))
    except WangjianError as exc:
        messages.error(request, str(exc))
        return redirect(capture.get_absolute_url())
    data = services.evidence_export(
        capture=capture,
        user=request.user,
        reason=reason,
        sight=selectors.capture_sight(user=request.user, capture=capture),
    )
    response = HttpResponse(data, content_type="application/wacz")
    response["Content-Disposition"] = f'attachment; filename="evidence-{capture.bureau.code}-{pk}.wacz"'
    return response


# Replay from a separate origin (WANGJIAN_REPLAY_ORIGIN, e.g. ``https://replay.bureau.example``):
# archived markup is never served from the application's origin, so even a flaw in its sanitising
# could not act with an officer's session. The replay origin has no session: the application
# hands the officer a signed ticket (capture, user, five minutes) with the link, and the replay
# origin serves that capture's page and resources to that ticket only.
_TICKET_SALT = "wangjian.evidence.replay"
_TICKET_SECONDS = 300


def _replay_origin() -> str:
    return (getattr(settings, "WANGJIAN_REPLAY_ORIGIN", "") or "").rstrip("/")


def _on_replay_origin(request) -> bool:
    origin = _replay_origin()
    return bool(origin) and urlsplit(origin).netloc.lower() == request.get_host().lower()


def _ticket_capture(request, pk: int) -> EvidenceCapture:
    """The capture a ticket opens on the replay origin (its user must still be allowed to see it)."""
    from django.contrib.auth import get_user_model

    try:
        data = signing.loads(request.GET.get("t", ""), salt=_TICKET_SALT, max_age=_TICKET_SECONDS)
    except signing.BadSignature:
        raise PermissionDenied(_("查看链接无效或已过期，请从取证记录页重新打开")) from None
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or data.get("c") != pk:
        raise PermissionDenied(_("查看链接无效或已过期，请从取证记录页重新打开"))
    try:
        return selectors.capture_get(user=user, pk=pk)
    except NotFoundError:
        raise Http404(_("取证记录不存在或无权查看")) from None


def _serve_replay(request, capture: EvidenceCapture, resource_base: str) -> HttpResponse:
    body = selectors.replay_document(capture=capture, resource_base=resource_base)
    if body is None:
        raise Http404(_("档案中没有该页面"))
    archive = f"{request.scheme}://{request.get_host()}{reverse('evidence:capture_replay_resource', args=[capture.pk])}"
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = (
        f"default-src 'none'; img-src {archive} data:; style-src {archive} 'unsafe-inline'; "
        f"font-src {archive} data:; media-src {archive}; form-action 'none'; base-uri 'none'; "
        "sandbox allow-same-origin"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    return response


def capture_replay(request, pk: int):
    """The archived page, inert: the rendered DOM without scripts, its images and styles served from the
    archive only (the CSP lets the browser ask nothing else). Full replay: open the WACZ in a player.

    With a replay origin configured, the application's origin only hands out a ticket and sends the
    browser there; the replay origin serves the page to the ticket.
    """
    base = reverse("evidence:capture_replay_resource", args=[pk])
    if _on_replay_origin(request):
        capture = _ticket_capture(request, pk)
        return _serve_replay(request, capture, f"{base}?t={request.GET['t']}")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    capture = _get(request, pk)
    origin = _replay_origin()
    if origin:
        ticket = signing.dumps({"c": capture.pk, "u": request.user.pk}, salt=_TICKET_SALT)
        return HttpResponseRedirect(f"{origin}{reverse('evidence:capture_replay', args=[pk])}?t={ticket}")
    return _serve_replay(request, capture, base)


def capture_replay_resource(request, pk: int):
    """One archived response (image, stylesheet …) of the capture, by its original URL; never fetched live."""
    if _on_replay_origin(request):
        capture = _ticket_capture(request, pk)
    elif _replay_origin():
        raise Http404(_("档案资源只在回放地址提供"))
    elif not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    else:
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
