"""Writes and decisions on rule libraries: import a version, publish it, count decisions on rules.

The office (领导小组办公室) publishes a department's library (旌德 mechanism 二(三)); a
published version is the one monitoring runs and every finding records. A version is
published only when its regression set passes, so a change that silences a known
violation, or starts flagging a known lawful text, never reaches the officers unseen.

One module per concern: libraries, sweeps, chunks, crawl, findings, review, feeds. The names are re-exported here, so callers write
``from wangjian.monitoring import services`` and use ``services.<name>`` as before.
"""

from wangjian.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.monitoring.services.chunks import sweep_chunk_run
from wangjian.monitoring.services.feeds import (
    FEED_SCAN_TASK,
    FeedReport,
    can_scan_feeds,
    feed_scan,
    feed_scan_run,
    feed_scan_start,
    feed_scans_housekeeping,
)
from wangjian.monitoring.services.findings import finding_evidence_auto, finding_evidence_set, finding_upsert
from wangjian.monitoring.services.libraries import (
    PublishDecision,
    can_import_library,
    can_publish,
    libraries_load_defaults,
    libraries_update_defaults,
    library_import,
    regression_line_add,
    regression_lines_for,
    rule_stats_record,
    version_create,
    version_publish,
)
from wangjian.monitoring.services.review import (
    LICENCE_CLUE_DOMAIN,
    PERMIT_CLUE_DOMAIN,
    PERMIT_CLUE_VERDICTS,
    ReviewDecision,
    can_review,
    finding_confirm,
    finding_dismiss,
    finding_make_clue,
    finding_to_clue,
    licence_check_to_clue,
    licence_clue_domain,
)
from wangjian.monitoring.services.sweeps import (
    BATCH_PRESENCES,
    CHUNK_PRESENCES,
    SWEEP_CHUNK_TASK,
    ChunkPlan,
    RunStarted,
    monitoring_task_run,
    monitoring_task_save,
    monitoring_tasks_due,
    sweep_plan,
    sweep_run_finish,
)

__all__ = [
    "BATCH_PRESENCES",
    "CHUNK_PRESENCES",
    "ChunkPlan",
    "FEED_SCAN_TASK",
    "FeedReport",
    "LICENCE_CLUE_DOMAIN",
    "PERMIT_CLUE_DOMAIN",
    "PERMIT_CLUE_VERDICTS",
    "NotFoundError",
    "PermissionDeniedError",
    "PublishDecision",
    "ReviewDecision",
    "RunStarted",
    "SWEEP_CHUNK_TASK",
    "ValidationFailed",
    "WangjianError",
    "can_import_library",
    "can_publish",
    "can_review",
    "can_scan_feeds",
    "feed_scan",
    "feed_scan_run",
    "feed_scan_start",
    "feed_scans_housekeeping",
    "finding_confirm",
    "finding_dismiss",
    "finding_evidence_auto",
    "finding_evidence_set",
    "finding_make_clue",
    "finding_to_clue",
    "finding_upsert",
    "libraries_load_defaults",
    "libraries_update_defaults",
    "library_import",
    "licence_check_to_clue",
    "licence_clue_domain",
    "monitoring_task_run",
    "monitoring_task_save",
    "monitoring_tasks_due",
    "regression_line_add",
    "regression_lines_for",
    "rule_stats_record",
    "sweep_chunk_run",
    "sweep_plan",
    "sweep_run_finish",
    "version_create",
    "version_publish",
]
