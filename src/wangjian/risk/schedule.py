"""The nightly grading: every bureau's entities graded again (new findings, clues, cases, the month's classes)."""

SCHEDULE = {
    "risk-grade-all": {"task": "wangjian.risk.tasks.risk_grade_all", "every": 86400},
}
