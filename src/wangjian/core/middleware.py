"""Request middleware: the audit actor and the idle-session timeout."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect

from wangjian.core import audit


class AuditActorMiddleware:
    """Make the logged-in user the actor of every change this request makes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        via = "api" if request.path.startswith("/api/") else "web"
        token = audit.set_actor(
            user if user is not None and user.is_authenticated else None, via=via, request=request
        )
        try:
            return self.get_response(request)
        finally:
            audit.reset_actor(token)


class IdleSessionTimeoutMiddleware:
    """Log out a browser session left idle longer than WANGJIAN_SESSION_IDLE_SECONDS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get("wangjian_last_seen")
            if last is not None and now - last > settings.WANGJIAN_SESSION_IDLE_SECONDS:
                logout(request)
                if not request.path.startswith("/api/"):
                    return redirect_to_login(request.get_full_path())
            else:
                request.session["wangjian_last_seen"] = now
            if user.must_change_password and not request.path.startswith(
                ("/password/", "/logout/", "/static/", "/i18n/", "/api/")
            ):
                return redirect("password_change")
        return self.get_response(request)


class ChineseFirstLocaleMiddleware:
    """Simplified Chinese unless the user chose another language with the switch (cookie).

    The browser's Accept-Language is ignored on purpose: bureau machines often carry
    English-language browsers, and the platform's working language is Chinese.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        available = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
