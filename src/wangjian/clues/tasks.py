"""Thin Celery wrappers around ``clues.services``; retries are safe because the services are idempotent."""

from __future__ import annotations

from celery import shared_task

from wangjian.clues import services


@shared_task(name="wangjian.clues.tasks.clues_remind", acks_late=True)
def clues_remind() -> dict:
    report = services.clues_remind()
    return {
        "reminded": report.reminded,
        "overdue": report.overdue,
        "escalated": report.escalated,
        "errors": report.errors,
        "sent": report.deliveries.sent if report.deliveries else 0,
        "deferred": report.deliveries.deferred if report.deliveries else 0,
        "failed": report.deliveries.failed if report.deliveries else 0,
    }


@shared_task(name="wangjian.clues.tasks.deliveries_send")
def deliveries_send() -> dict:
    report = services.deliveries_send()
    return {"sent": report.sent, "deferred": report.deferred, "failed": report.failed}
