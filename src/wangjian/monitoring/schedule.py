"""Periodic sweeps: every five minutes, start the monitoring tasks whose interval has passed; every ten,
record as failed the feed scans that will never end."""

SCHEDULE = {
    "monitoring-tasks-due": {"task": "wangjian.monitoring.tasks.monitoring_tasks_due", "every": 300},
    # Feed scans that will never end (their process stopped) are recorded failed, with the reason.
    "monitoring-feed-scans-housekeeping": {
        "task": "wangjian.monitoring.tasks.feed_scans_housekeeping",
        "every": 600,
    },
}
