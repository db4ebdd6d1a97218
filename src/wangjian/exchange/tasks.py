"""Celery tasks: thin wrappers of the exchange's services (eager when no broker is configured)."""

from __future__ import annotations

from celery import shared_task

from wangjian.exchange import services


# Posts to partner instances over the e-government network (政务外网), not the internet: the ``default`` queue's
# intranet workers, which need a route to the partners' endpoints (docs/deployment.md).
@shared_task(name="wangjian.exchange.tasks.exchange_deliver")
def exchange_deliver(*, message_id: int) -> str:
    """One delivery attempt of a message (``services.message_deliver``); returns its state."""
    return services.message_deliver(message_id).state


@shared_task(name="wangjian.exchange.tasks.exchange_deliver_due")
def exchange_deliver_due() -> int:
    """Every queued or retrying message whose time has come (``services.deliver_due``)."""
    return services.deliver_due()
