"""Request middleware of the platform: the idle-session timeout and Chinese first."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils import translation

from wangjian.org.selectors import must_change_password


class IdleSessionTimeoutMiddleware:
    """Log out a browser session left idle longer than WANGJIAN_SESSION_IDLE_SECONDS.

    The last-seen time is rewritten only when it is older than a tenth of the idle limit (at most a
    minute): a page pulls its images and styles and polls progress every second, and writing the
    session for each of those requests costs a database write apiece and lets parallel requests of
    one page race for the same session row. Idleness is thus counted from at most that much before
    the last request: the logout may come up to a minute early, never late.
    """

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
            elif last is None or now - last >= touch_interval():
                request.session["wangjian_last_seen"] = now
            if must_change_password(user) and not request.path.startswith(
                ("/password/", "/logout/", "/static/", "/i18n/", "/api/")
            ):
                return redirect("password_change")
        return self.get_response(request)


def start_idle_clock(sender, request, user, **kwargs) -> None:
    """The idle clock starts at log-in, written with the session the log-in saves anyway."""
    if request is not None and hasattr(request, "session"):
        request.session["wangjian_last_seen"] = int(time.time())


def touch_interval() -> int:
    """Seconds a session's last-seen time may lag behind: a tenth of the idle limit, at most 60."""
    return min(60, max(1, settings.WANGJIAN_SESSION_IDLE_SECONDS // 10))


class ChineseFirstLocaleMiddleware:
    """Simplified Chinese unless the user chose another language with the switch (cookie).

    The browser's Accept-Language is ignored on purpose: bureau machines often carry
    English-language browsers, and the platform's working language is Chinese.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        available = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
