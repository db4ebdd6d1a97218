"""Celery tasks of the platform: thin wrappers named like the services they call."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task

from wangjian.core.audit import acting
from wangjian.platform.inbox.services import deliveries_send as send_waiting
from wangjian.platform.workitems.followup import followups_run as run_followups


@shared_task(name="wangjian.platform.tasks.followups_run", acks_late=True)
def followups_run() -> dict:
    """Reminders, overdue marking and automatic 督办 of every app's work items, then the waiting pushes."""
    with acting(None, via="task"):
        report = run_followups()
    out = {k: v for k, v in asdict(report).items() if k != "deliveries"}
    out.update(asdict(report.deliveries) if report.deliveries else {})
    return out


@shared_task(name="wangjian.platform.tasks.deliveries_send")
def deliveries_send() -> dict:
    return asdict(send_waiting())
