"""Periodic credit jobs: the daily check of the listings' consequences (``services.abnormal``, ``services.serious``)."""

SCHEDULE = {
    "credit-daily-check": {
        "task": "wangjian.credit.tasks.credit_daily_check",
        "every": 86400,
    },
}
