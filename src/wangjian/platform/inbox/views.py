"""The inbox pages: every message of the user (notices, workflow messages, reminders) and push addresses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from wangjian.core.audit import acting
from wangjian.core.errors import WangjianError
from wangjian.platform.inbox import selectors, services
from wangjian.platform.inbox.forms import AddressForm
from wangjian.platform.inbox.models import Message, MessageKind, PushAddress


@login_required
def inbox(request):
    if request.method == "POST":
        if request.POST.get("all"):
            services.messages_mark_all_read(user=request.user)
        else:
            message = get_object_or_404(Message, pk=request.POST.get("id"), user=request.user)
            services.message_mark_read(message=message, user=request.user)
        return redirect(request.get_full_path())
    qs = selectors.messages_for(request.user)
    if request.GET.get("unread"):
        qs = qs.filter(read_at__isnull=True)
    if request.GET.get("kind") in MessageKind.values:
        qs = qs.filter(kind=request.GET["kind"])
    return render(
        request,
        "platform/inbox.html",
        {
            "page": Paginator(qs, 50).get_page(request.GET.get("page")),
            "kinds": MessageKind.choices,
            "unread": selectors.unread_count(request.user),
        },
    )


@login_required
def message_open(request, pk: int):
    """Open what a message is about; opening it reads it."""
    message = get_object_or_404(Message, pk=pk, user=request.user)
    services.message_mark_read(message=message, user=request.user)
    safe = message.url and url_has_allowed_host_and_scheme(message.url, allowed_hosts={request.get_host()})
    return redirect(message.url if safe else "platform:inbox")


@login_required
def push_addresses(request):
    """我的推送地址: Apprise URLs for oneself; the office also sets those of units and the bureau's webhooks."""
    if request.method == "POST":
        try:
            with acting(request.user, via="web"):
                if request.POST.get("remove"):
                    address = get_object_or_404(PushAddress, pk=request.POST["remove"])
                    services.push_address_remove(actor=request.user, address=address)
                    messages.success(request, _("已删除推送地址"))
                else:
                    form = AddressForm(request.POST, bureau=request.user.bureau)
                    form.is_valid()
                    data = form.cleaned_data
                    services.push_address_add(
                        actor=request.user,
                        url=data.get("url", ""),
                        label=data.get("label", ""),
                        department=data.get("department"),
                        station=data.get("station"),
                        bureau=request.user.bureau if data.get("whole_bureau") else None,
                    )
                    messages.success(request, _("已添加推送地址"))
        except WangjianError as exc:
            messages.error(request, str(exc))
        return redirect("platform:push_addresses")
    ctx = selectors.push_addresses_for(request.user)
    ctx["form"] = AddressForm(bureau=request.user.bureau)
    return render(request, "platform/push_addresses.html", ctx)
