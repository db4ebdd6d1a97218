"""API authentication (token and session) with the pages' rule: until a one-time password is changed, the
API refuses everything but the password change, with the same words.

Kept apart from ``platform.api``: DRF imports the authentication classes while its views are loading.
"""

from __future__ import annotations

from knox import auth as knox_auth
from rest_framework import authentication

from wangjian.core.errors import PermissionDeniedError
from wangjian.org.selectors import PASSWORD_CHANGE_REQUIRED, must_change_password

PASSWORD_PATH = "/api/password/"


def _password_gate(result, request):
    """The API refuses what the pages refuse: nothing but the password change until a one-time password is changed."""
    if result is not None and must_change_password(result[0]) and request.path != PASSWORD_PATH:
        raise PermissionDeniedError(*PASSWORD_CHANGE_REQUIRED, code="password_change_required")
    return result


class TokenAuthentication(knox_auth.TokenAuthentication):
    """``Authorization: Token <token>``, a token the user made (``platform.apitokens``), stored hashed."""

    def authenticate(self, request):
        return _password_gate(super().authenticate(request), request)


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        return _password_gate(super().authenticate(request), request)
