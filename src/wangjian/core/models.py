"""Shared models: the change log, and the holiday arrangements behind the working-day calendar."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangjian.core.audit import current_actor, mask


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return value.hex()
    return value


class ChangeRecord(models.Model):
    """One change of an audited object: who, when, through what, and the object before and after."""

    class Action(models.TextChoices):
        CREATE = "create", _("创建")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        VIEW = "view", _("查看敏感信息")

    time = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    via = models.CharField(_("途径"), max_length=16, default="system")
    reason = models.CharField(_("事由"), max_length=300, blank=True)
    action = models.CharField(_("动作"), max_length=8, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, verbose_name=_("对象类型"), on_delete=models.PROTECT)
    object_id = models.CharField(_("对象ID"), max_length=64, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=300)
    bureau_id = models.BigIntegerField(_("所属局"), null=True, blank=True, db_index=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)

    class Meta:
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.user_name} {self.get_action_display()} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]

    @classmethod
    def log(
        cls, obj: models.Model, action: str, before: dict | None, after: dict | None, **extra
    ) -> ChangeRecord:
        actor = current_actor()
        user = actor.acting_user if getattr(actor.acting_user, "pk", None) else None
        bureau_id = obj.audit_bureau_id() if hasattr(obj, "audit_bureau_id") else None
        return cls.objects.create(
            user=user,
            user_name=getattr(user, "username", "") or actor.via,
            via=actor.via,
            reason=extra.get("reason", actor.reason)[:300],
            action=action,
            content_type=ContentType.objects.get_for_model(obj.__class__),
            object_id=str(obj.pk),
            object_repr=str(obj)[:300],
            bureau_id=bureau_id,
            before=before,
            after=after,
        )

    @classmethod
    def log_view(
        cls, obj: models.Model, *, user: Any, bureau_id: int | None, label: str = "", reason: str = ""
    ) -> ChangeRecord:
        """Record that ``user`` saw ``obj``'s personal data (查看敏感信息): unmasked fields, an attachment."""
        return cls.objects.create(
            user=user if getattr(user, "pk", None) else None,
            user_name=getattr(user, "username", ""),
            via=current_actor().via,
            reason=reason[:300],
            action=cls.Action.VIEW,
            content_type=ContentType.objects.get_for_model(obj.__class__),
            object_id=str(obj.pk),
            object_repr=(label or str(obj))[:300],
            bureau_id=bureau_id,
        )


class AuditedModel(models.Model):
    """Mixin: every create, change and delete is written to ``ChangeRecord``.

    The snapshot taken when the row is loaded is the "before"; fields named in
    ``audit_masked`` (personal data) are masked in the log, fields in ``audit_exclude``
    (password hashes) are recorded only as "changed", fields in ``audit_ignore``
    (log-in counters) are not recorded.
    """

    created = models.DateTimeField(_("创建时间"), auto_now_add=True, null=True)
    last_updated = models.DateTimeField(_("更新时间"), auto_now=True, null=True)

    audit_exclude: tuple[str, ...] = ()
    audit_ignore: tuple[str, ...] = ()
    audit_masked: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._audit_before = instance.audit_snapshot()
        instance._audit_secrets = instance._audit_secret_values()
        return instance

    def _audit_secret_values(self) -> dict[str, Any]:
        """The raw values of ``audit_exclude`` fields, kept in memory only to notice that one changed."""
        return {name: self.__dict__.get(self._meta.get_field(name).attname) for name in self.audit_exclude}

    def audit_snapshot(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for field in self._meta.concrete_fields:
            if field.name in ("created", "last_updated") or field.name in self.audit_ignore:
                continue
            if field.attname not in self.__dict__:
                continue  # deferred
            value = getattr(self, field.attname)
            if field.name in self.audit_exclude:
                value = "••••" if value else ""
            elif field.name in self.audit_masked:
                value = mask(value)
            data[field.name] = _jsonable(value)
        return data

    def audit_bureau_id(self) -> int | None:
        bureau_id = getattr(self, "bureau_id", None)
        return bureau_id

    def save(self, *args, **kwargs):
        before = getattr(self, "_audit_before", None)
        creating = self._state.adding or before is None
        super().save(*args, **kwargs)
        after = self.audit_snapshot()
        secrets_before = getattr(self, "_audit_secrets", None)
        secrets_now = self._audit_secret_values()
        logged = dict(after)
        if not creating and secrets_before is not None:
            # A new password is recorded as changed, never with its hash.
            for name, value in secrets_now.items():
                if value != secrets_before.get(name):
                    logged[name] = "••••（已更改 / changed）"
        if creating:
            ChangeRecord.log(self, ChangeRecord.Action.CREATE, None, after)
        elif logged != before:
            ChangeRecord.log(self, ChangeRecord.Action.UPDATE, before, logged)
        self._audit_before = after
        self._audit_secrets = secrets_now

    def update_if(self, condition: models.Q | None = None, **values: Any) -> bool:
        """Set ``values`` in one conditional UPDATE and write the change record ``save()`` would.

        For claims two workers must not both win (the first capture linked to a finding, a
        queued import marked failed): the row is changed only if it still matches ``condition``,
        and the change log still shows who changed what. Returns whether the row was changed.
        """
        before = getattr(self, "_audit_before", None)
        if before is None:
            before = type(self).objects.get(pk=self.pk).audit_snapshot()
        rows = type(self).objects.filter(pk=self.pk)
        if condition is not None:
            rows = rows.filter(condition)
        if not rows.update(**values, last_updated=timezone.now()):
            return False
        self.refresh_from_db(fields=[*{self._meta.get_field(n).name for n in values}, "last_updated"])
        after = self.audit_snapshot()
        if after != before:
            ChangeRecord.log(self, ChangeRecord.Action.UPDATE, before, after)
        self._audit_before = after
        return True

    def delete(self, *args, **kwargs):
        before = self.audit_snapshot()
        pk = self.pk
        result = super().delete(*args, **kwargs)
        self.pk = pk
        ChangeRecord.log(self, ChangeRecord.Action.DELETE, before, None)
        self.pk = None
        return result


def _change_records(objs: list[AuditedModel], action: str, befores: list[dict | None]) -> list[ChangeRecord]:
    actor = current_actor()
    user = actor.acting_user if getattr(actor.acting_user, "pk", None) else None
    ct = ContentType.objects.get_for_model(objs[0].__class__)
    records = []
    for obj, before in zip(objs, befores, strict=True):
        after = obj.audit_snapshot()
        if action == ChangeRecord.Action.UPDATE and before == after:
            obj._audit_before = after
            continue
        records.append(
            ChangeRecord(
                user=user,
                user_name=getattr(user, "username", "") or actor.via,
                via=actor.via,
                reason=actor.reason[:300],
                action=action,
                content_type=ct,
                object_id=str(obj.pk),
                object_repr=str(obj)[:300],
                bureau_id=obj.audit_bureau_id(),
                before=before,
                after=after,
            )
        )
        obj._audit_before = after
    return records


def bulk_create_audited(objs: list[AuditedModel], *, batch_size: int = 1000) -> list[AuditedModel]:
    """``bulk_create`` plus the change record ``save()`` writes for each new object, in two inserts.

    For imports that add thousands of rows a run: the primary keys come back (PostgreSQL, SQLite ≥ 3.35),
    so the records name their objects as ``save()``'s would.
    """
    if not objs:
        return objs
    now = timezone.now()
    for obj in objs:
        obj.created = obj.created or now
        obj.last_updated = now
    created = objs[0].__class__.objects.bulk_create(objs, batch_size=batch_size)
    records = _change_records(created, ChangeRecord.Action.CREATE, [None] * len(created))
    ChangeRecord.objects.bulk_create(records, batch_size=batch_size)
    for obj in created:
        obj._audit_secrets = obj._audit_secret_values()
    return created


def bulk_update_audited(objs: list[AuditedModel], fields: list[str], *, batch_size: int = 1000) -> None:
    """``bulk_update`` plus one change record per object whose audited snapshot changed."""
    if not objs:
        return
    now = timezone.now()
    for obj in objs:
        obj.last_updated = now
    befores = [getattr(obj, "_audit_before", None) for obj in objs]
    records = _change_records(objs, ChangeRecord.Action.UPDATE, befores)
    objs[0].__class__.objects.bulk_update(objs, [*fields, "last_updated"], batch_size=batch_size)
    ChangeRecord.objects.bulk_create(records, batch_size=batch_size)


class HolidayArrangement(AuditedModel):
    """A year's holiday arrangement as the State Council's notice publishes it (国务院办公厅节假日安排通知).

    A year with an arrangement is covered by the calendar even where the
    ``chinese-calendar`` package is not; its days override the package's.
    """

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    notice = models.CharField(_("通知文号/标题"), max_length=300, blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"


class CalendarDay(AuditedModel):
    """One date of an arrangement: a public holiday (放假) or a make-up working day (调休上班)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假")
        WORKDAY = "workday", _("调休上班")

    arrangement = models.ForeignKey(
        HolidayArrangement, verbose_name=_("节假日安排"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("节假日安排日期")
        verbose_name_plural = _("节假日安排日期")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()


class AllowedAddress(AuditedModel):
    """An address or range the server may fetch although the address policy refuses it (访问白名单).

    Only the superuser keeps this list: the demo market on loopback, a bureau's own test site on
    the intranet. Each entry says why; every change is in the change log.
    """

    network = models.CharField(
        _("地址或网段"), max_length=64, unique=True, help_text=_("如 127.0.0.1/32、10.20.0.0/16、::1/128")
    )
    reason = models.CharField(_("理由"), max_length=300)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("添加人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("允许访问的内部地址")
        verbose_name_plural = _("允许访问的内部地址")
        ordering = ["network"]

    def __str__(self) -> str:
        return f"{self.network}（{self.reason}）"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from wangjian.core.fetching.addresses import parse_networks

        try:
            (net,) = parse_networks(self.network)
        except ValueError as exc:
            raise ValidationError({"network": str(exc)}) from exc
        self.network = str(net)
        if not self.reason.strip():
            raise ValidationError({"reason": "请写明理由 / give the reason"})

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _policy_changed()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _policy_changed()
        return result


def _policy_changed() -> None:
    from wangjian.core.fetching.addresses import forget_policy

    forget_policy()
