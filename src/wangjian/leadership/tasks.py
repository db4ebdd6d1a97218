"""Thin task wrappers: the services decide."""

from celery import shared_task


@shared_task(name="wangjian.leadership.tasks.leadership_daily")
def leadership_daily() -> dict:
    from wangjian.leadership.services import leadership_daily as run

    report = run()
    followups = report.followups
    return {
        "summary_reminded": report.reminded,
        "overdue": followups.overdue if followups else [],
        "escalated": (followups.escalated_office + followups.escalated) if followups else [],
    }
