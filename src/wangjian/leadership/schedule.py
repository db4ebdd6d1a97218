"""Periodic jobs of the leading group: the daily summary reminders and the follow-up of its tasks and decisions."""

SCHEDULE = {
    "leadership-daily": {"task": "wangjian.leadership.tasks.leadership_daily", "every": 86400},
}
