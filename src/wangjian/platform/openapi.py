"""The OpenAPI schema says which errors an operation answers, in the shape the API gives them.

drf-spectacular documents the answers a view declares (200, 201 …) and nothing else, but every
endpoint of this API is behind log-in and scoping, and every write goes through a service that
may refuse: a client (and the fuzz test, tests/platform/test_api_fuzz.py) must find those answers
in the schema. One rule for every operation, applied as a post-processing hook
(``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``), rather than decorations on each view:

- 401 and 403 everywhere: token or session required, reads scoped to the caller's bureaus, writes
  only for who may manage the row's bureau (``platform.api.ScopedPermission``);
- 400 for a write (a service refuses with ``WangjianError``, a body is invalid) and for a read
  that takes query parameters (filters, ``limit``, dates);
- 404 for an operation that names a row (a path parameter) or may name one in its query
  (``?bureau=``, a pagination cursor);
- 415 for an operation that takes a body: DRF's answer to a body it cannot read as one of the
  operation's media types;
- 409 for a delete: a row that other rows still refer to is not deleted
  (``core.errors.ReferencedError``, the same message as the page's delete).

A view that documents one of these codes itself keeps its own.
"""

from __future__ import annotations

from typing import Any

ERROR_COMPONENT = "Error"

# ``{"error": {code, zh, en, detail}}`` (``WangjianError``, core.api.exception_handler) or DRF's own
# shapes: ``{"detail": "…"}`` (not found, not authenticated, malformed JSON) and ``{"field": ["…"]}``.
ERROR_SCHEMA: dict[str, Any] = {
    "description": "错误：WangjianError 的中英文说明，或 DRF 的 detail / 字段错误 / an error",
    "oneOf": [
        {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["code", "zh", "en"],
                    "properties": {
                        "code": {"type": "string"},
                        "zh": {"type": "string"},
                        "en": {"type": "string"},
                        "detail": {},
                    },
                }
            },
        },
        {
            "type": "object",
            "required": ["detail"],
            "properties": {"detail": {"type": "string"}},
        },
        {
            "type": "object",
            "not": {"anyOf": [{"required": ["error"]}, {"required": ["detail"]}]},
            "additionalProperties": {"anyOf": [{"type": "array"}, {"type": "object"}]},
        },
    ],
}

DESCRIPTIONS = {
    "400": "请求无效或被业务规则拒绝 / invalid request, or refused by a rule",
    "401": "未登录或令牌无效 / not authenticated",
    "403": "无权访问或操作 / not allowed",
    "404": "不存在或不在本人可见范围 / not found (or not visible to the caller)",
    "409": "仍被其他数据引用，不能删除 / still referred to by other rows",
    "415": "不支持的请求体类型 / unsupported media type of the body",
}

METHODS = ("get", "put", "patch", "post", "delete")


def errors_for(method: str, operation: dict) -> list[str]:
    """The error statuses an operation may answer, by the rule of the module's docstring."""
    params = operation.get("parameters", [])
    in_path = any(p.get("in") == "path" for p in params)
    in_query = any(p.get("in") == "query" for p in params)
    codes = ["401", "403"]
    if method != "get" or in_query:
        codes.append("400")
    if in_path or in_query:
        codes.append("404")
    if method == "delete":
        codes.append("409")
    if "requestBody" in operation:
        codes.append("415")
    return sorted(codes)


def document_errors(result: dict, generator: Any = None, request: Any = None, public: bool = True) -> dict:
    """drf-spectacular post-processing hook: add the error answers to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    ref = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for item in result.get("paths", {}).values():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for code in errors_for(method, operation):
                responses.setdefault(
                    code,
                    {"description": DESCRIPTIONS[code], "content": {"application/json": {"schema": ref}}},
                )
    return result
