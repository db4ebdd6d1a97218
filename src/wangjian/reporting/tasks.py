"""Thin task wrappers: the services decide."""

from celery import shared_task


@shared_task(name="wangjian.reporting.tasks.reporting_daily")
def reporting_daily() -> dict:
    from wangjian.reporting.services import reporting_daily as run

    return run()
