"""Periodic jobs of the clue loop: reminders, overdue marking, automatic 督办, deferred pushes."""

SCHEDULE = {"clues-remind": {"task": "wangjian.clues.tasks.clues_remind", "every": 300}}
