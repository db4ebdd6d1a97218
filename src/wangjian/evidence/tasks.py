"""Celery tasks: thin wrappers named like the services they call (eager when no broker is configured)."""

from __future__ import annotations

from celery import shared_task
from django.apps import apps

from wangjian.core.audit import acting
from wangjian.evidence import services
from wangjian.org.models import Bureau, User


# Reads the web: the ``fetch`` queue, consumed by the workers of the internet zone (docs/deployment.md).
@shared_task(name="wangjian.evidence.tasks.evidence_capture", reads_the_web=True)
def evidence_capture(
    *,
    url: str,
    operators: list[str],
    purpose: str,
    bureau_id: int,
    case_ref: str = "",
    mode: str = "browser",
    user_id: int | None = None,
    link_model: str = "",
    link_id: int | str | None = None,
) -> int:
    """``services.evidence_capture`` for sweeps and other apps; returns the capture id (failed or not).

    ``link_model`` ("monitoring.Finding") and ``link_id`` link the capture to that object.
    """
    user = User.objects.filter(pk=user_id).first() if user_id else None
    link_to = (
        apps.get_model(link_model).objects.get(pk=link_id) if link_model and link_id is not None else None
    )
    with acting(user, via="task"):
        outcome = services.evidence_capture(
            url=url,
            operators=operators,
            purpose=purpose,
            case_ref=case_ref,
            mode=mode,
            user=user,
            bureau=Bureau.objects.get(pk=bureau_id),
            link_to=link_to,
        )
    return outcome.capture.pk


@shared_task(name="wangjian.evidence.tasks.evidence_checkpoint_all")
def evidence_checkpoint_all() -> list[int]:
    """Sign the head of every bureau's ledger (periodic checkpoints)."""
    done = []
    with acting(None, via="task"):
        for bureau in Bureau.objects.filter(evidence_ledger__isnull=False).distinct():
            cp = services.evidence_checkpoint(bureau=bureau)
            if cp is not None:
                done.append(cp.pk)
    return done


@shared_task(name="wangjian.evidence.tasks.evidence_purge_expired")
def evidence_purge_expired() -> dict:
    with acting(None, via="task"):
        return services.evidence_purge_expired()
