"""The API's JSON parser (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``).

A module of its own: DRF resolves its default parsers while ``rest_framework.views`` is imported,
which ``core.api`` imports.
"""

from __future__ import annotations

from collections.abc import Mapping

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class ObjectJSONParser(JSONParser):
    """A JSON body must be an object: every operation of this API takes named fields.

    A list or a number reached views that read ``request.data.get(…)`` (a 500); now it is a 400.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, Mapping):
            raise ParseError("请求体应为 JSON 对象 / the JSON body must be an object")
        return data
