"""Shared pieces of the registry commands: which bureau a command acts for."""

from __future__ import annotations

from wangjian.core.errors import ValidationFailed
from wangjian.org.models import Bureau, User


def bureau_option(code: str | None) -> Bureau:
    """``--bureau CODE``; without it the administrator's bureau (the one ``wangjian init`` created)."""
    if code:
        bureau = Bureau.objects.filter(code=code).first()
        if bureau is None:
            raise ValidationFailed(f"没有区划代码为{code}的局", f"no bureau with code {code}")
        return bureau
    admin = User.objects.filter(is_superuser=True, bureau__isnull=False).order_by("id").first()
    if admin is not None:
        return admin.bureau
    bureaus = list(Bureau.objects.all()[:2])
    if len(bureaus) == 1:
        return bureaus[0]
    raise ValidationFailed(
        "请用 --bureau 指定局的区划代码", "name the bureau with --bureau CODE", code="bureau"
    )
