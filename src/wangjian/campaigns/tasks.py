"""Thin task wrappers: the services decide."""

from celery import shared_task


@shared_task(name="wangjian.campaigns.tasks.campaigns_daily")
def campaigns_daily() -> dict:
    from wangjian.campaigns.services.periods import daily

    return daily()
