"""Exchange pages and the two machine endpoints.

* ``/exchange/inbox/`` (POST, no session): a partner instance posts a message here; the answer is the signed
  receipt (accepted, or refused with the reason and a 4xx). The signature is the authority, not a log-in.
* ``/exchange/keys/`` (GET): the public keys this instance publishes, for partners to register (and confirm by
  fingerprint out of band).
* The office's pages: partners with their agreements, the messages with their events and receipts, the review
  of held messages, the file exchange (a message or a receipt carried by hand).
"""

from __future__ import annotations

import json
import logging

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wangjian.core import uploads
from wangjian.core.audit import acting
from wangjian.core.errors import WangjianError
from wangjian.evidence.ledger import bureau_key
from wangjian.exchange import bundle, filtersets, forms, kinds, selectors, services, tables
from wangjian.exchange.models import Agreement, Message, Partner, ReceivedPackage
from wangjian.exchange.permissions import MESSAGE_READ, MESSAGE_REVIEW, PARTNER_MANAGE
from wangjian.exchange.services.outgoing import event
from wangjian.org import permissions
from wangjian.platform import generic

log = logging.getLogger("wangjian.exchange")


def _need(user, key: str) -> None:  # noqa: ANN001
    if not permissions.may(user, key):
        raise PermissionDenied(permissions.get(key).refusal()[0])


@csrf_exempt
@uploads.upload_limit(uploads.EVIDENCE)
@require_POST
def inbox(request):
    """Receive one message posted by a partner instance; answer with the signed receipt.

    The body is read from the stream, not ``request.body`` (whose 2.5 MB in-memory cap is for forms): a message
    carries evidence packages, and its own cap (``bundle.MAX_BYTES``) is checked before it is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > bundle.MAX_BYTES:
        answer = services.message_receive(b"", via="HTTP", declared_size=length)
    else:
        answer = services.message_receive(request.read(bundle.MAX_BYTES + 1), via="HTTP")
    return JsonResponse(answer.receipt, status=answer.status, json_dumps_params={"ensure_ascii": False})


@require_GET
def published_keys(request):
    return JsonResponse(services.published_keys(), json_dumps_params={"ensure_ascii": False})


class MessageList(generic.ObjectListView):
    model = Message
    url_prefix = "exchange:message"
    filterset_class = filtersets.MessageFilterSet
    table_class = tables.MessageTable

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _need(request.user, MESSAGE_READ)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.messages_visible(self.request.user)

    def can_change(self, obj=None):
        return False


def _message(request, pk: int) -> Message:
    _need(request.user, MESSAGE_READ)
    message = selectors.messages_visible(request.user).filter(pk=pk).first()
    if message is None:
        raise Http404(_("没有该报文，或无权查看"))
    return message


@login_required
def message_detail(request, pk: int):
    message = _message(request, pk)
    return render(
        request,
        "exchange/message_detail.html",
        {
            "object": message,
            "message": message,
            "kind_label": kinds.label(message.kind),
            "events": message.events.select_related("user"),
            "packages": message.packages.all(),
            "body": json.dumps(message.body, ensure_ascii=False, indent=2),
            "receipt": json.dumps(message.receipt, ensure_ascii=False, indent=2) if message.receipt else "",
            "may_review": permissions.may(request.user, MESSAGE_REVIEW),
            "review_form": forms.ReviewForm(),
        },
    )


def _act(request, pk: int, work) -> HttpResponse:  # noqa: ANN001
    message = _message(request, pk)
    try:
        with acting(request.user, via="web"):
            work(message)
    except WangjianError as exc:
        flash.error(request, str(exc))
    return redirect("exchange:message", pk=message.pk)


@login_required
@require_POST
def message_review(request, pk: int):
    form = forms.ReviewForm(request.POST)
    approve = form.is_valid() and form.cleaned_data["approve"]
    note = request.POST.get("note", "")[:300]
    return _act(
        request,
        pk,
        lambda m: services.message_review(message=m, user=request.user, approve=approve, note=note),
    )


@login_required
@require_POST
def message_resend(request, pk: int):
    return _act(request, pk, lambda m: services.message_resend(message=m, user=request.user))


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def message_bundle(request, pk: int):
    """The signed container (both sides keep it); for a file-only partner, the file to carry (POST)."""
    message = _message(request, pk)
    if not message.bundle:
        raise Http404(_("该报文未保存原件（拒收的超大报文）"))
    if request.method == "POST":
        _need(request.user, MESSAGE_REVIEW)
        try:
            data = services.message_file(message=message, user=request.user)
        except WangjianError as exc:
            flash.error(request, str(exc))
            return redirect("exchange:message", pk=message.pk)
    else:
        data = selectors.bundle_bytes(message)
    return _download(data, f"{message.message_id or message.pk}.wjx", "application/zip")


@login_required
def message_receipt(request, pk: int):
    message = _message(request, pk)
    if not message.receipt:
        raise Http404(_("该报文尚无回执"))
    data = json.dumps(message.receipt, ensure_ascii=False, indent=2).encode()
    return _download(data, f"receipt-{message.message_id or message.pk}.json", "application/json")


@login_required
@uploads.upload_limit(uploads.EVIDENCE)
@require_http_methods(["GET", "POST"])
def file_exchange(request):
    """Import a message file (it is received exactly as if posted) or a receipt file (applied to our message)."""
    _need(request.user, MESSAGE_REVIEW)
    form = forms.FileForm(request.POST or None, request.FILES or None)
    answer = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        if request.POST.get("what") == "receipt":
            try:
                with acting(request.user, via="web"):
                    message = services.receipt_import(data=data, user=request.user)
            except WangjianError as exc:
                flash.error(request, str(exc))
            else:
                flash.success(
                    request, _("已登记对方回执：%(state)s") % {"state": message.get_state_display()}
                )
                return redirect("exchange:message", pk=message.pk)
        else:
            answer = services.message_receive(data, via=_("文件"))
            if answer.message is not None:
                event(answer.message, "imported", f"{request.user.username} 导入报文文件", user=request.user)
            if answer.accepted:
                flash.success(request, _("报文已接收，请下载回执交回发送方"))
            else:
                flash.error(
                    request,
                    f"{answer.receipt['receipt'].get('reason_zh')} / {answer.receipt['receipt'].get('reason_en')}",
                )
            if answer.message is not None:
                return redirect("exchange:message", pk=answer.message.pk)
    return render(request, "exchange/file_exchange.html", {"form": form, "answer": answer})


@login_required
def package_download(request, pk: int):
    """A received evidence package, for whoever may see the message or the record it arrived with (logged)."""
    package = ReceivedPackage.objects.select_related("message").filter(pk=pk).first()
    if package is None or not selectors.package_visible(request.user, package):
        raise Http404(_("没有该证据包，或无权查看"))
    event(
        package.message,
        "package_read",
        f"{request.user.username} 下载证据包 {package.name}",
        user=request.user,
    )
    log.info("exchange: %s read received package %s", request.user.username, package.sha256)
    return _download(selectors.package_bytes(package), package.name, "application/wacz")


class PartnerList(generic.ObjectListView):
    model = Partner
    url_prefix = "exchange:partner"
    filterset_class = filtersets.PartnerFilterSet
    table_class = tables.PartnerTable

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            permissions.may(request.user, MESSAGE_READ) or permissions.may(request.user, PARTNER_MANAGE)
        ):
            raise PermissionDenied(permissions.get(MESSAGE_READ).refusal()[0])
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.partners_visible(self.request.user)

    def can_change(self, obj=None):
        return permissions.may(self.request.user, PARTNER_MANAGE) and self.request.user.bureau_id is not None


def _partner(request, pk: int) -> Partner:
    partner = selectors.partners_visible(request.user).filter(pk=pk).first()
    if partner is None:
        raise Http404(_("没有该协作单位，或无权查看"))
    return partner


@login_required
def partner_detail(request, pk: int):
    partner = _partner(request, pk)
    agreement = Agreement.objects.filter(partner=partner).first()
    _private, own = bureau_key(partner.bureau)
    return render(
        request,
        "exchange/partner_detail.html",
        {
            "object": partner,
            "partner": partner,
            "agreement": agreement,
            "own_key": own,
            "may_manage": permissions.may(request.user, PARTNER_MANAGE),
            "recent": partner.messages.order_by("-recorded_at")[:20],
            "agreement_form": forms.AgreementForm(
                initial={
                    "reference": agreement.reference,
                    "categories": agreement.categories,
                    "valid_from": agreement.valid_from,
                    "valid_until": agreement.valid_until,
                    "personal_data": agreement.personal_data,
                    "review_before_sending": agreement.review_before_sending,
                    "assistance_days": agreement.assistance_days,
                }
                if agreement
                else {"valid_from": timezone.localdate(), "review_before_sending": True}
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request, pk: int | None = None):
    _need(request.user, PARTNER_MANAGE)
    partner = _partner(request, pk) if pk else None
    initial = (
        {
            "code": partner.code,
            "name": partner.name,
            "endpoint": partner.endpoint,
            "public_key_pem": partner.public_key_pem,
            "package_public_key_pem": partner.package_public_key_pem,
            "active": partner.active,
            "note": partner.note,
        }
        if partner
        else {"active": True}
    )
    form = forms.PartnerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        bureau = partner.bureau if partner else request.user.bureau
        try:
            if bureau is None:
                raise WangjianError(
                    "请以本局人员身份登记协作单位", "Register partners as a member of a bureau"
                )
            if data["fetch_keys"] or not data["public_key_pem"].strip():
                fetched = services.keys_fetch(data["endpoint"], data["code"])
                data["public_key_pem"] = fetched["public_key_pem"]
                data["package_public_key_pem"] = fetched["package_public_key_pem"]
                data["name"] = data["name"] or fetched["name"]
            partner = services.partner_save(
                user=request.user,
                bureau=bureau,
                code=data["code"],
                name=data["name"],
                endpoint=data["endpoint"] or "",
                public_key_pem=data["public_key_pem"],
                package_public_key_pem=data["package_public_key_pem"],
                active=data["active"],
                note=data["note"],
                partner=partner,
            )
        except WangjianError as exc:
            form.add_error(None, str(exc))
        else:
            flash.success(
                request, _("已保存；请与对方电话核对公钥指纹 %(fp)s") % {"fp": partner.fingerprint[:16]}
            )
            return redirect("exchange:partner", pk=partner.pk)
    return render(request, "exchange/partner_form.html", {"form": form, "partner": partner})


@login_required
@require_POST
def agreement_edit(request, pk: int):
    _need(request.user, PARTNER_MANAGE)
    partner = _partner(request, pk)
    form = forms.AgreementForm(request.POST)
    if not form.is_valid():
        flash.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect("exchange:partner", pk=partner.pk)
    data = form.cleaned_data
    try:
        services.agreement_save(
            user=request.user,
            partner=partner,
            reference=data["reference"],
            categories=list(data["categories"]),
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            personal_data=data["personal_data"],
            review_before_sending=data["review_before_sending"],
            assistance_days=data["assistance_days"],
        )
    except WangjianError as exc:
        flash.error(request, str(exc))
    else:
        flash.success(request, _("协作协议已保存"))
    return redirect("exchange:partner", pk=partner.pk)


def message_url(message: Message) -> str:
    return reverse("exchange:message", args=[message.pk])
