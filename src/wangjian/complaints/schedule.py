"""Periodic complaint jobs: the daily erasure of personal data past its retention period."""

SCHEDULE = {
    "complaints-erase-expired": {
        "task": "wangjian.complaints.tasks.complaints_erase_expired",
        "every": 86400,
    },
}
