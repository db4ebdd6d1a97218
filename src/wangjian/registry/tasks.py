"""Celery tasks: thin wrappers named like the services they call (eager when no broker is configured)."""

from __future__ import annotations

from celery import shared_task

from wangjian.core.audit import acting


@shared_task
def import_file(
    *,
    kind: str,
    bureau_id: int,
    path: str,
    file_name: str,
    user_id: int | None,
    mapping: dict | None = None,
    platform_id: int | None = None,
) -> int:
    """``services.registry_import`` or ``services.sellers_import``; returns the batch id."""
    from wangjian.org.models import Bureau, User
    from wangjian.registry import services
    from wangjian.registry.choices import ImportKind
    from wangjian.registry.models import Platform

    bureau = Bureau.objects.get(pk=bureau_id)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    with acting(user, via="task"):
        if kind == ImportKind.REGISTRY:
            batch = services.registry_import(
                bureau=bureau, path=path, file_name=file_name, user=user, mapping=mapping
            )
        else:
            batch = services.sellers_import(
                bureau=bureau,
                platform=Platform.objects.get(pk=platform_id),
                path=path,
                file_name=file_name,
                user=user,
                mapping=mapping,
            )
    return batch.pk


@shared_task
def sellers_match(*, bureau_id: int, platform_id: int | None = None) -> dict:
    from dataclasses import asdict

    from wangjian.org.models import Bureau
    from wangjian.registry import services
    from wangjian.registry.models import Platform

    platform = Platform.objects.get(pk=platform_id) if platform_id else None
    with acting(None, via="task"):
        return asdict(services.sellers_match(bureau=Bureau.objects.get(pk=bureau_id), platform=platform))
