"""The one application error type: a message a person can read, in Chinese and English.

Services raise ``WangjianError``; the web UI shows it as a message, the REST API returns
``{"error": {"code": …, "zh": …, "en": …, "detail": …}}``, commands print it and exit 2.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils import translation


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


class ReferencedError(WangjianError):
    """A row that other rows still refer to is not deleted (``on_delete=PROTECT`` / ``RESTRICT``).

    The one refusal of the pages' delete (``platform.generic.ObjectDeleteView``) and of the API's
    (409, ``core.api.exception_handler``): it names the kinds of rows that still refer and how many,
    so an officer knows what to reassign or deactivate first.
    """

    code = "referenced"
    http_status = 409

    @classmethod
    def of(cls, exc: Exception) -> ReferencedError:
        """The refusal for Django's ``ProtectedError`` or ``RestrictedError``."""
        rows = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", None) or ()
        counts = Counter(type(row)._meta for row in rows)
        kinds = sorted(counts.items(), key=lambda item: (-item[1], item[0].label))

        def names(language: str, pattern: str, sep: str) -> str:
            with translation.override(language):
                return sep.join(pattern.format(name=meta.verbose_name, n=n) for meta, n in kinds)

        zh, en = (
            "仍有其他数据引用该对象，不能删除",
            "Other records still refer to this object; it cannot be deleted",
        )
        if kinds:
            zh += "：" + names("zh-hans", "{name} {n} 条", "、")
            en += ": " + names("en", "{name} ({n})", ", ")
        detail = [{"model": meta.label_lower, "count": n} for meta, n in kinds]
        return cls(zh + "。", en + ".", detail=detail)
