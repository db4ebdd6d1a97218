"""Periodic evidence jobs: hourly signed checkpoints of every ledger, a daily retention sweep."""

SCHEDULE = {
    "evidence-checkpoint": {"task": "wangjian.evidence.tasks.evidence_checkpoint_all", "every": 3600},
    "evidence-purge-expired": {"task": "wangjian.evidence.tasks.evidence_purge_expired", "every": 86400},
}
