"""Thin task wrappers: the services decide."""

from celery import shared_task


@shared_task(name="wangjian.credit.tasks.credit_daily_check")
def credit_daily_check() -> dict:
    """Flag listings for 吊销营业执照 (条例 art. 18 para. 1: two consecutive years not filed, unreachable); remove serious listings three years old."""
    from wangjian.credit.services import revocation_check, serious_expire

    return {"flagged": len(revocation_check()), "expired": len(serious_expire())}
