"""The page where a user makes and revokes their API tokens (个人设置 → API 令牌)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wangjian.core.audit import acting
from wangjian.core.errors import WangjianError
from wangjian.platform.apitokens import services


@login_required
def tokens(request):
    made = None
    if request.method == "POST":
        try:
            with acting(request.user, via="web"):
                made = services.token_create(
                    user=request.user, days=int(request.POST.get("days") or 0) or None
                )
        except (WangjianError, ValueError) as exc:
            messages.error(request, str(exc))
            return redirect("platform:api_tokens")
    return render(
        request,
        "platform/api_tokens.html",
        {"tokens": services.tokens_of(user=request.user), "made": made},
    )


@login_required
@require_POST
def token_revoke(request, key: str):
    try:
        with acting(request.user, via="web"):
            services.token_revoke(user=request.user, key=key)
        messages.success(request, f"已撤销令牌 {key}… / token revoked")
    except WangjianError as exc:
        messages.error(request, str(exc))
    return redirect("platform:api_tokens")
