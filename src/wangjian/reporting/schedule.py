"""Periodic jobs of upward reporting: each day, the reports of the period that ended are opened."""

SCHEDULE = {
    "reporting-daily": {"task": "wangjian.reporting.tasks.reporting_daily", "every": 86400},
}
