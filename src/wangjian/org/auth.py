"""Log-in with lock-out after repeated failures, and the password policy."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


class LockoutModelBackend(ModelBackend):
    """Counts consecutive failures per account and per address; past either limit, log-in is refused for a while.

    A locked account is refused even with the right password, so guessing cannot continue; an
    address with too many failures (any accounts, existing or not) is refused before any check.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        from wangjian.org.models import User

        if username is None or password is None:
            return None
        address = _address(request)
        if address and _address_failures(address) >= settings.WANGJIAN_LOGIN_MAX_FAILURES_PER_ADDRESS:
            User().set_password(password)  # refused unread, after the same work as a real check
            return None
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            User().set_password(password)  # same work as a real check, against timing probes
            _address_failed(address)
            return None
        if user.is_locked:
            User().set_password(password)  # refused after the same work as a real check
            _address_failed(address)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            if user.failed_logins or user.locked_until:
                User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
                user.failed_logins, user.locked_until = 0, None
            return user
        failures = user.failed_logins + 1
        locked_until = None
        if failures >= settings.WANGJIAN_LOGIN_MAX_FAILURES:
            locked_until = timezone.now() + dt.timedelta(minutes=settings.WANGJIAN_LOGIN_LOCK_MINUTES)
            failures = 0
        User.objects.filter(pk=user.pk).update(failed_logins=failures, locked_until=locked_until)
        _address_failed(address)
        return None


# Failures counted per address too: guessing across many accounts from one machine is stopped
# without locking those accounts for their owners. Counted in Django's cache (per process unless
# the deployment configures a shared cache).


def _address(request) -> str:
    return (getattr(request, "META", None) or {}).get("REMOTE_ADDR", "") if request is not None else ""


def _address_key(address: str) -> str:
    return f"wangjian:login-failures:{address}"


def _address_failures(address: str) -> int:
    from django.core.cache import cache

    return int(cache.get(_address_key(address), 0))


def _address_failed(address: str) -> None:
    from django.core.cache import cache

    if not address:
        return
    key = _address_key(address)
    timeout = settings.WANGJIAN_LOGIN_LOCK_MINUTES * 60
    if not cache.add(key, 1, timeout):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout)


class MixedCharacterValidator:
    """Passwords must mix letters and digits."""

    def validate(self, password, user=None):
        if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
            raise ValidationError(_("密码必须同时包含字母和数字。"), code="password_not_mixed")

    def get_help_text(self):
        return _("密码必须同时包含字母和数字。")
