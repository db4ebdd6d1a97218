"""Work items (待办) with deadlines, reminders, overdue marking and two-level 督办, for every app."""
