"""Log-in through the province's single sign-on (统一身份认证) by OpenID Connect.

The provider says who the person is; wangjian still decides what they may do. So the provider
creates no account here: its claim (``WANGJIAN_OIDC_USERNAME_CLAIM``, by default
``preferred_username``) must name an existing, active wangjian user, whose bureau and role the
office administrator set as for any account. A locked account stays locked. Uses Mozilla's
maintained ``mozilla-django-oidc`` (authorization-code flow, state and nonce checked, ID token
verified with the client secret (HS256) or the provider's keys (RS256 via JWKS)).
"""

from __future__ import annotations

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class ProvinceSSOBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims):
        """The claim that names the account is what matters (no e-mail is needed)."""
        return bool(claims.get(getattr(settings, "WANGJIAN_OIDC_USERNAME_CLAIM", "preferred_username")))

    def filter_users_by_claims(self, claims):
        name = claims.get(getattr(settings, "WANGJIAN_OIDC_USERNAME_CLAIM", "preferred_username"))
        if not name:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(username=name, is_active=True)

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None or getattr(user, "is_locked", False):
            return None
        from wangjian.org.services import login_record

        login_record(user=user)  # the attendance page counts single sign-on like a password log-in
        return user
