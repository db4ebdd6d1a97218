"""The one application error type: a message a person can read, in Chinese and English.

Services raise ``WangjianError``; the web UI shows it as a message, the REST API returns
``{"error": {"code": …, "zh": …, "en": …, "detail": …}}``, commands print it and exit 2.
"""

from __future__ import annotations

from typing import Any


class WangjianError(Exception):
    code = "error"
    http_status = 400

    def __init__(self, zh: str, en: str, *, code: str | None = None, detail: Any = None):
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en
        if code:
            self.code = code
        self.detail = detail

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "zh": self.zh, "en": self.en}
        if self.detail is not None:
            data["detail"] = self.detail
        return data

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


class PermissionDeniedError(WangjianError):
    code = "permission_denied"
    http_status = 403


class NotFoundError(WangjianError):
    code = "not_found"
    http_status = 404


class ValidationFailed(WangjianError):
    """Bad input; ``detail`` lists every problem (row, column, reason) so nothing is lost."""

    code = "invalid"
