"""Request middleware of the kernel: the acting user of every change (the change log's context).

The session policy and the language rule are the platform's (``platform.middleware``).
"""

from __future__ import annotations

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
