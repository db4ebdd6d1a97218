"""Periodic sweeps: every five minutes, start the monitoring tasks whose interval has passed."""

SCHEDULE = {
    "monitoring-tasks-due": {"task": "wangjian.monitoring.tasks.monitoring_tasks_due", "every": 300},
}
