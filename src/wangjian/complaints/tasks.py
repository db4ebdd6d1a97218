"""Thin task wrappers: the services decide."""

from celery import shared_task


@shared_task(name="wangjian.complaints.tasks.complaints_erase_expired")
def complaints_erase_expired() -> dict:
    from wangjian.complaints.services.retention import erase_expired

    return erase_expired()
