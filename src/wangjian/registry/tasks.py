"""Celery tasks: thin wrappers named like the services they call (eager when no broker is configured)."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task

from wangjian.core.audit import acting
from wangjian.org.models import Bureau
from wangjian.registry import services
from wangjian.registry.models import ImportBatch, Platform


@shared_task(name="wangjian.registry.tasks.import_run")
def import_run(*, batch_id: int, upload: str, mapping: dict | None = None) -> int:
    """``services.import_run``: the queued import a page started (see ``services.import_start``)."""
    batch = ImportBatch.objects.select_related("bureau", "platform", "user").get(pk=batch_id)
    with acting(batch.user, via="task"):
        services.import_run(batch=batch, upload=upload, mapping=mapping)
    return batch_id


@shared_task(name="wangjian.registry.tasks.imports_housekeeping")
def imports_housekeeping() -> dict:
    with acting(None, via="task"):
        return services.imports_housekeeping()


@shared_task(name="wangjian.registry.tasks.sellers_match")
def sellers_match(*, bureau_id: int, platform_id: int | None = None) -> dict:
    platform = Platform.objects.get(pk=platform_id) if platform_id else None
    with acting(None, via="task"):
        return asdict(services.sellers_match(bureau=Bureau.objects.get(pk=bureau_id), platform=platform))


@shared_task(name="wangjian.registry.tasks.linkage_estimate")
def linkage_estimate(*, bureau_id: int, user_id: int | None = None) -> int:
    """``services.linkage_estimate`` for a page that started it."""
    from wangjian.org.models import User

    user = User.objects.filter(pk=user_id).first() if user_id else None
    with acting(user, via="task"):
        return services.linkage_estimate(bureau=Bureau.objects.get(pk=bureau_id), user=user).pk
