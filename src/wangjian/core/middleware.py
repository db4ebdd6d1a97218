"""Request middleware of the kernel: the acting user of every change (the change log's context), and
bounded uploads (``core.uploads``).

The session policy and the language rule are the platform's (``platform.middleware``).
"""

from __future__ import annotations

from django.http import JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.datastructures import MultiValueDict

from wangjian.core import audit, uploads


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


class UploadLimitMiddleware:
    """Refuse a body over its page's upload cap before it is read, and count the files as they stream in.

    Placed before ``CsrfViewMiddleware``, whose ``process_view`` is the first to parse a form: the
    view is resolved by then, so its cap is known (``core.uploads.view_kind``). A body whose
    ``Content-Length`` passes the cap is refused unread; otherwise the form is parsed here with
    ``CappedUploadHandler`` first, so a file that passes the cap while streaming is refused too.
    The refusal is ``uploads.too_large``: JSON in the API's error shape, a page otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("POST", "PUT", "PATCH"):
            return None
        kind = uploads.view_kind(view_func)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > uploads.cap(kind) + uploads.FORM_ALLOWANCE:
            return self.refuse(request, uploads.too_large(kind, length))
        if hasattr(request, "_files"):
            return None  # already parsed (by an earlier middleware): nothing left to count
        request.upload_handlers.insert(0, uploads.CappedUploadHandler(request, kind=kind))
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                request.POST  # noqa: B018 — parsed here, counted by the handler, not by CSRF's check
            except uploads.UploadTooLarge as exc:
                request._post, request._files = QueryDict(), MultiValueDict()
                return self.refuse(request, exc)
            except MultiPartParserError:
                if not request.path.startswith("/api/"):
                    raise  # a malformed form: Django's 400, as before
                # The API's serializer then finds the form empty and says what is missing.
        return None

    @staticmethod
    def refuse(request, exc):
        if request.path.startswith("/api/"):
            return JsonResponse({"error": exc.as_dict()}, status=exc.http_status)
        return render(request, "413.html", {"error": exc}, status=exc.http_status)
