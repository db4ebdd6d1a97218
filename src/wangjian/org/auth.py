"""Log-in with lock-out after repeated failures, and the password policy."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


class LockoutModelBackend(ModelBackend):
    """Counts consecutive failures per account; after the limit the account is locked for a while.

    A locked account is refused even with the right password, so guessing cannot continue.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        from wangjian.org.models import User

        if username is None or password is None:
            return None
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            User().set_password(password)  # same work as a real check, against timing probes
            return None
        if user.is_locked:
            if request is not None:
                request.wangjian_locked_until = user.locked_until
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
            if request is not None:
                request.wangjian_locked_until = locked_until
        User.objects.filter(pk=user.pk).update(failed_logins=failures, locked_until=locked_until)
        return None


class MixedCharacterValidator:
    """Passwords must mix letters and digits."""

    def validate(self, password, user=None):
        if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
            raise ValidationError(_("密码必须同时包含字母和数字。"), code="password_not_mixed")

    def get_help_text(self):
        return _("密码必须同时包含字母和数字。")
