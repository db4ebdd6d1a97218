"""On the replay origin (``WANGJIAN_REPLAY_ORIGIN``) nothing but archived pages and their resources is served."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404

_REPLAY_PATH = re.compile(r"^/evidence/captures/\d+/replay/(r/)?$")


class ReplayOriginOnlyMiddleware:
    """The application is not served under the replay host: archived markup never shares an origin with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        origin = (getattr(settings, "WANGJIAN_REPLAY_ORIGIN", "") or "").rstrip("/")
        if origin and urlsplit(origin).netloc.lower() == request.get_host().lower():
            if not _REPLAY_PATH.match(request.path_info):
                raise Http404("replay origin")
        return self.get_response(request)
