"""Domain-free REST pieces: the error shape of ``WangjianError`` and keyset pagination.

Scoped viewsets (rows of the user's bureaus) are the platform's: ``platform.api``.
"""

from __future__ import annotations

from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from wangjian.core.errors import WangjianError


def exception_handler(exc, context):
    """``WangjianError`` becomes ``{"error": {code, zh, en, detail}}`` with its HTTP status."""
    if isinstance(exc, WangjianError):
        return Response({"error": exc.as_dict()}, status=exc.http_status)
    return drf_exception_handler(exc, context)


class IdCursorPagination(CursorPagination):
    """Keyset pagination: the millionth row costs what the first does."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 1000
