"""``/metrics``: the registry in the Prometheus text format, for the holder of ``WANGJIAN_METRICS_TOKEN``.

Unset, the address does not exist (404): an installation that does not scrape shows nothing.
Set, a request must carry ``Authorization: Bearer <token>`` (401 otherwise); the counts say how
much work the bureaus have and how late it is, which is not for everyone on the intranet.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from prometheus_client import CONTENT_TYPE_LATEST

from wangjian.platform.metrics import exposition


def token_matches(request, token: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


@never_cache
@require_http_methods(["GET", "HEAD"])
def metrics(request):
    token = getattr(settings, "WANGJIAN_METRICS_TOKEN", "")
    if not token:
        raise Http404("metrics are not enabled (WANGJIAN_METRICS_TOKEN)")
    if not token_matches(request, token):
        response = HttpResponse("bearer token required\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="wangjian metrics"'
        return response
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
