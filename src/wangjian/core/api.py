"""Domain-free REST pieces: the error shape of ``WangjianError``, bounded pagination (bodies: ``core.parsers``).

Scoped viewsets (rows of the user's bureaus) are the platform's: ``platform.api``.
"""

from __future__ import annotations

from django.db.models import ProtectedError, RestrictedError
from rest_framework import pagination, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from wangjian.core.errors import ReferencedError, WangjianError

# The most rows one answer holds: a larger ``?limit=`` is clamped to it (README, "The REST API").
PAGE_SIZE_MAX = 500
# An ``?offset=`` past any table a bureau keeps: clamped so that the database never sees a number
# beyond its 64-bit range (an empty page, not a 500).
OFFSET_MAX = 10**15


def exception_handler(exc, context):
    """``WangjianError`` becomes ``{"error": {code, zh, en, detail}}`` with its HTTP status.

    A delete refused because other rows still refer to the object (``on_delete=PROTECT`` or
    ``RESTRICT``) is ``ReferencedError`` (409), the same words as the page's delete.
    """
    if isinstance(exc, ProtectedError | RestrictedError):
        exc = ReferencedError.of(exc)
    if isinstance(exc, WangjianError):
        return Response({"error": exc.as_dict()}, status=exc.http_status)
    return drf_exception_handler(exc, context)


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """The API's default pagination: ``?limit=`` at most ``PAGE_SIZE_MAX``, ``?offset=`` bounded."""

    max_limit = PAGE_SIZE_MAX

    def get_offset(self, request):
        return min(super().get_offset(request), OFFSET_MAX)


class IdCursorPagination(pagination.CursorPagination):
    """Keyset pagination: the millionth row costs what the first does."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = PAGE_SIZE_MAX

    def decode_cursor(self, request):
        """A cursor whose position is not an id is invalid (404), as an undecodable one is."""
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            try:
                int(cursor.position)
            except ValueError:
                raise NotFound(self.invalid_cursor_message) from None
        return cursor


class BlankChoicesModelSerializer(serializers.ModelSerializer):
    """A ``ModelSerializer`` whose read-only choice fields keep the blank value the model allows.

    DRF drops ``allow_blank`` from read-only fields, so the schema's enum of such a field left out
    the ``""`` the API sends for a clue not yet disposed of (its ``disposal``, ``refer_kind`` …).
    """

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        blank = bool(kwargs.get("allow_blank")) and "choices" in kwargs
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs
