"""Making, listing and revoking one's own API tokens; the page and the API call these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from wangjian.core.errors import NotFoundError, ValidationFailed
from wangjian.core.models import ChangeRecord


@dataclass(frozen=True)
class NewToken:
    token: str  # shown once: only its digest is stored
    key: str
    expiry: dt.datetime


def tokens_of(*, user: Any) -> QuerySet:
    """The user's live tokens, newest first."""
    from knox.models import AuthToken

    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")


def token_create(*, user: Any, days: int | None = None) -> NewToken:
    from knox.models import AuthToken

    limit = settings.WANGJIAN_API_TOKEN_MAX_DAYS
    days = limit if days is None else days
    if not 1 <= days <= limit:
        raise ValidationFailed(f"有效期须为 1 至 {limit} 天", f"a token lasts between 1 and {limit} days")
    if tokens_of(user=user).count() >= settings.WANGJIAN_API_TOKEN_LIMIT:
        raise ValidationFailed(
            f"有效令牌已达 {settings.WANGJIAN_API_TOKEN_LIMIT} 个，请先撤销不用的令牌",
            f"already {settings.WANGJIAN_API_TOKEN_LIMIT} live tokens: revoke one first",
        )
    instance, token = AuthToken.objects.create(user=user, expiry=dt.timedelta(days=days))
    ChangeRecord.log(
        user,
        ChangeRecord.Action.UPDATE,
        {"api_token": ""},
        {"api_token": f"{instance.token_key}…（有效至 {timezone.localtime(instance.expiry):%Y-%m-%d}）"},
        reason="创建 API 令牌 / API token made",
    )
    return NewToken(token=token, key=instance.token_key, expiry=instance.expiry)


def token_revoke(*, user: Any, key: str) -> None:
    """Revoke one of one's own tokens (by its first eight characters)."""
    token = tokens_of(user=user).filter(token_key=key).first()
    if token is None:
        raise NotFoundError("没有这个令牌", "no such token")
    token.delete()
    ChangeRecord.log(
        user,
        ChangeRecord.Action.UPDATE,
        {"api_token": f"{key}…"},
        {"api_token": ""},
        reason="撤销 API 令牌 / API token revoked",
    )
