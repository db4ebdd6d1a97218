"""Periodic jobs of the platform: the follow-up of every app's work items and the waiting pushes."""

SCHEDULE = {"followups-run": {"task": "wangjian.platform.tasks.followups_run", "every": 300}}
