"""Thin task wrappers: the services decide."""

from celery import shared_task


@shared_task(name="wangjian.risk.tasks.risk_grade_all")
def risk_grade_all() -> list[dict]:
    from wangjian.risk.services.store import grades_store_all

    return grades_store_all()
