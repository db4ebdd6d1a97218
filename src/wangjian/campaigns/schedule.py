"""Periodic campaign jobs: the daily reminders before the due days and the late units after them."""

SCHEDULE = {
    "campaigns-daily": {
        "task": "wangjian.campaigns.tasks.campaigns_daily",
        "every": 86400,
    },
}
