"""Staff accounts: creating, editing, deactivating, locking, resetting, deleting — and who may.

One rule (``user_manage_check``) decides every change of someone else's account, for the page,
the API and the commands alike (账号分级管理规则): the table's ``org.users.manage`` row (the
office), for an account of the manager's own bureau, and never the superuser's account nor an
account — or a role given to it — ranking equal to or above the manager's own
(``org.permissions.ROLE_RANK``). Those are the superuser's. Without the rank, a bureau's office
could reset the password of the superuser made by ``wangjian init`` (who sits in the first
bureau) or of the leader who audits it, and log in as them.
"""

from __future__ import annotations

import datetime as dt
import secrets
import string

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.core.models import ChangeRecord
from wangjian.org import permissions
from wangjian.org.choices import Role
from wangjian.org.models import Bureau, Department, LoginDay, Station, User

# What is done to an account, in the words of a refusal ({whom}: the account).
ACCOUNT_ACTIONS: dict[str, tuple[str, str]] = {
    "create": ("新增{whom}", "create {whom}"),
    "edit": ("修改{whom}", "edit {whom}"),
    "deactivate": ("停用{whom}", "deactivate {whom}"),
    "lock": ("锁定{whom}", "lock {whom}"),
    "unlock": ("解锁{whom}", "unlock {whom}"),
    "reset_password": ("重置{whom}的密码", "reset the password of {whom}"),
    "delete": ("删除{whom}", "delete {whom}"),
}

RANK_RULE = (
    "账号分级管理规则：超级管理员的账号，以及角色与本人同级或更高的账号，只有超级管理员可以新增、修改、停用、锁定、重置密码或删除",
    "rule of accounts managed from above: only a superuser may create, edit, deactivate, lock, reset the password of "
    "or delete a superuser's account or an account whose role ranks equal to or above one's own",
)

# An account the office locks stays locked until it is unlocked or its password is reset.
LOCKED_BY_THE_OFFICE = dt.timedelta(days=36500)


def _refuse(zh: str, en: str, action: str, **detail) -> PermissionDeniedError:
    return PermissionDeniedError(
        f"{zh}。{RANK_RULE[0]}。",
        f"{en}: {RANK_RULE[1]}.",
        detail={"rule": "accounts_managed_from_above", "action": action, **detail},
    )


def user_manage_check(
    *,
    actor: User | None,
    target: User,
    action: str,
    new_role: str | None = None,
    new_bureau_id: int | None = None,
) -> None:
    """May ``actor`` do ``action`` (``ACCOUNT_ACTIONS``) to ``target`` (as stored; for ``create`` the new
    account), giving it ``new_role`` and ``new_bureau_id`` if they change? Raises the refusal naming the rule.

    ``actor=None`` is the system itself (``wangjian init``, ``createuser``, the demo).
    """
    if actor is None or (actor.is_authenticated and actor.is_active and actor.is_superuser):
        return
    zh, en = ACCOUNT_ACTIONS[action]
    permissions.require(actor, permissions.USERS_MANAGE)
    name = target.username or "—"
    if target.is_superuser:
        raise _refuse(
            "不能" + zh.format(whom=f"超级管理员账号 {name} "),
            "You may not " + en.format(whom=f"the superuser {name}"),
            action,
        )
    if target.bureau_id is None or target.bureau_id != actor.bureau_id:
        raise PermissionDeniedError(
            "只能" + zh.format(whom="本局人员的账号"),
            "You may " + en.format(whom="accounts of your own bureau") + " only",
            detail={"action": action},
        )
    own = permissions.rank(actor.role)
    if permissions.rank(target.role) >= own:
        raise _refuse(
            "不能" + zh.format(whom=f"{target.get_role_display()} {name} ") + "（角色与本人同级或更高）",
            "You may not " + en.format(whom=f"{name}, a {target.role}") + " (a role equal to or above yours)",
            action,
            role=target.role,
        )
    if new_role is not None and permissions.rank(new_role) >= own:
        label = Role(new_role).label if new_role in Role.values else new_role
        raise _refuse(
            f"不能授予“{label}”角色（与本人同级或更高）",
            f"You may not give the role {new_role} (equal to or above your own)",
            action,
            role=new_role,
        )
    if new_bureau_id is not None and new_bureau_id != actor.bureau_id:
        raise PermissionDeniedError(
            "不能把人员调到其他局", "You may not move staff to another bureau", detail={"action": action}
        )


def user_may(*, actor: User, target: User | None, action: str) -> bool:
    """Whether ``user_manage_check`` lets ``actor`` do ``action`` to ``target`` (the pages' buttons);
    ``target=None``: whether the actor may add anyone at all."""
    if target is None:
        return permissions.may(actor, permissions.USERS_MANAGE) and (
            actor.is_superuser or actor.bureau_id is not None
        )
    try:
        user_manage_check(actor=actor, target=target, action=action)
    except PermissionDeniedError:
        return False
    return True


def generate_password(length: int = 14) -> str:
    """A one-time password that satisfies the password policy (letters and digits, not common)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(length))
        if any(c.isdigit() for c in pw) and any(c.islower() for c in pw) and any(c.isupper() for c in pw):
            return pw


def user_create(
    *,
    username: str,
    bureau: Bureau | None,
    role: str = Role.OFFICER,
    name: str = "",
    department: Department | None = None,
    station: Station | None = None,
    password: str | None = None,
    phone: str = "",
    is_superuser: bool = False,
    actor: User | None = None,
) -> tuple[User, str]:
    """Create a member of staff; returns the user and the (one-time) password. ``actor``: who creates it
    (``None``: the system); the office creates accounts of lower roles in its own bureau only."""
    user = User(
        username=username,
        bureau=bureau,
        role=role,
        name=name,
        department=department,
        station=station,
        phone=phone,
        is_superuser=is_superuser,
        is_staff=is_superuser or role in permissions.OFFICE,
    )
    user_manage_check(actor=actor, target=user, action="create")
    if User.objects.filter(username=username).exists():
        raise WangjianError(
            f"用户名 {username} 已存在", f"User name {username} already exists", code="duplicate"
        )
    one_time = password is None
    password = password or generate_password()
    user.must_change_password = one_time
    try:
        validate_password(password, user)
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise ValidationFailed("用户信息不符合要求", "Invalid user", detail=exc.messages) from exc
    user.set_password(password)
    user.save()
    return user, password


def user_save(*, user: User, actor: User | None) -> User:
    """Save changes to an account (name, unit, role, active): the page's edit form and the API's update."""
    stored = User.objects.get(pk=user.pk)
    action = "deactivate" if stored.is_active and not user.is_active else "edit"
    user_manage_check(
        actor=actor,
        target=stored,
        action=action,
        new_role=user.role if user.role != stored.role else None,
        new_bureau_id=user.bureau_id if user.bureau_id != stored.bureau_id else None,
    )
    if user.is_superuser != stored.is_superuser and not (actor is None or actor.is_superuser):
        raise _refuse("不能授予或撤销超级管理员", "You may not grant or take away superuser", action)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise ValidationFailed(
            "用户信息不符合要求：" + "；".join(exc.messages), "Invalid user", detail=exc.message_dict
        ) from exc
    user.save()
    return user


def user_delete(*, user: User, actor: User | None) -> None:
    """Delete an account (one that others' records name is kept: deactivate it instead)."""
    user_manage_check(actor=actor, target=user, action="delete")
    user.delete()


def user_reset_password(*, user: User, actor: User | None) -> str:
    """Issue a new one-time password; the lock-out is lifted."""
    user_manage_check(actor=actor, target=user, action="reset_password")
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    user.save()
    return password


def user_lock(*, user: User, actor: User | None, locked: bool = True, now: dt.datetime | None = None) -> User:
    """Lock an account (a lost phone, a suspected break-in) until it is unlocked or its password reset.

    The log-in counters are not audited; a lock by a person is, so it is recorded here.
    """
    user_manage_check(actor=actor, target=user, action="lock" if locked else "unlock")
    before = user.locked_until
    user.locked_until = (now or timezone.now()) + LOCKED_BY_THE_OFFICE if locked else None
    user.failed_logins = 0
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(locked_until=user.locked_until, failed_logins=0)
        ChangeRecord.log(
            user,
            ChangeRecord.Action.UPDATE,
            {"locked_until": before.isoformat() if before else None},
            {"locked_until": user.locked_until.isoformat() if user.locked_until else None},
            reason="锁定账号 / account locked" if locked else "解锁账号 / account unlocked",
        )
    return user


def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """Change one's own password; a one-time password stops being one (the page and the API both come here)."""
    if not user.check_password(old_password or ""):
        raise ValidationFailed("原密码不正确", "The old password is wrong")
    if new_password == old_password:
        raise ValidationFailed("新密码不能与原密码相同", "The new password must differ from the old one")
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationFailed(
            "新密码不符合要求：" + "；".join(exc.messages), "The new password is refused", detail=exc.messages
        ) from exc
    user.set_password(new_password)
    user.must_change_password = False
    user.save()
    return user


def login_record(*, user: User) -> None:
    """Remember that ``user`` logged in today (the office checks daily log-in)."""
    now = timezone.now()
    LoginDay.objects.get_or_create(user=user, date=timezone.localdate(now), defaults={"first_at": now})
