"""Personal data (个人信息): masked everywhere unless this user needs this record, and every unmasked read logged.

个人信息保护法 art. 6 asks for no more than the purpose needs: lists, exports, previews and
rejected-row files show personal fields masked for everyone; a role that handles the person
(inspection, enforcement, the complaint's handler) reads one record's fields unmasked by asking
for them with a reason, and the read is written to the change log (查看敏感信息) where the
auditor's report finds it.

Apps register which fields of which model are personal and who may unmask them, record by
record (``register_personal(Complaint, fields=(…), may=lambda user, c: c.handler_id == user.pk)``);
the page and the API both call ``personal_read``, so both refuse alike and both log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from wangjian.core.audit import mask, mask_name
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.core.models import ChangeRecord

Name = str


@dataclass(frozen=True)
class PersonalFields:
    fields: tuple[str, ...]
    names: tuple[str, ...]  # which of them are a person's name (masked 张**), the rest like phones
    may: Callable[[Any, Any], bool]  # may(user, record): this user needs this record's personal data


_registry: dict[type[models.Model], PersonalFields] = {}


def register_personal(
    model: type[models.Model],
    *,
    fields: tuple[str, ...],
    may: Callable[[Any, Any], bool],
    names: tuple[str, ...] = (),
) -> None:
    """Declare ``model``'s personal fields and who may unmask them, per record (called from ``ready()``)."""
    _registry[model] = PersonalFields(tuple(fields), tuple(names), may)


def personal_fields(model: type[models.Model]) -> PersonalFields | None:
    return _registry.get(model)


def masked(record: Any, field: str) -> str:
    """The field as lists and exports show it to everyone."""
    spec = _registry.get(type(record))
    value = getattr(record, field) or ""
    if spec is None or field not in spec.fields:
        return value
    return mask_name(value) if field in spec.names else mask(value)


def may_unmask(user: Any, record: Any) -> bool:
    spec = _registry.get(type(record))
    return bool(
        spec is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and spec.may(user, record)
    )


def personal_read(*, user: Any, record: Any, reason: str) -> dict[str, str]:
    """One record's personal fields unmasked, for a user who needs them, with the reason logged."""
    spec = _registry.get(type(record))
    if spec is None:
        raise ValidationFailed("该记录没有个人信息字段", "this record has no personal fields")
    if not may_unmask(user, record):
        raise PermissionDeniedError(
            "无权查看该记录的个人信息（仅限办理该记录需要的岗位）",
            "not allowed to see this record's personal data (only roles that handle it)",
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("查看个人信息须写明理由", "give the reason for reading personal data")
    ChangeRecord.log_view(record, user=user, bureau_id=getattr(record, "bureau_id", None), reason=reason)
    return {f: getattr(record, f) or "" for f in spec.fields}
