"""Thin task wrappers: the services decide (``services.checks``)."""

from __future__ import annotations

from celery import shared_task

from wangjian.core.audit import acting
from wangjian.inspections.models import DrawnObject


# Reads the web (the drawn object's presences): the ``fetch`` queue, like the sweeps.
@shared_task(name="wangjian.inspections.tasks.check_request_run", reads_the_web=True)
def check_request_run(*, drawn_id: int) -> dict:
    """``services.checks.check_request_run``: the online check a page or the API requested."""
    from wangjian.inspections.services.checks import check_request_run as run

    drawn = DrawnObject.objects.select_related("check_requested_by").filter(pk=drawn_id).first()
    if drawn is None:
        return {"skipped": "抽中主体不存在 / no such drawn object"}
    with acting(drawn.check_requested_by, via="task"):
        checks = run(drawn=drawn)
    drawn.refresh_from_db(fields=["check_state", "check_error"])
    return {"state": drawn.check_state, "checks": [c.pk for c in checks], "error": drawn.check_error}


@shared_task(name="wangjian.inspections.tasks.check_periods_end")
def check_periods_end() -> list[int]:
    """Daily: the check period of every plan whose ``check_end`` has passed is marked ended."""
    from wangjian.inspections.services.publication import check_periods_end as mark

    with acting(None, via="task"):
        return [item.pk for item in mark()]
