"""Writes of the registry: imports, matching sellers to entities, review decisions and data corrections.

Each function returns what it decided; rejected rows are kept with their reasons, never
dropped; every change of an entity, presence or decision is in the change log.

One module per concern: batches, imports, permits, queue, sellers, matches, linkage, unlicensed, corrections. The names are re-exported here, so callers write
``from wangjian.registry import services`` and use ``services.<name>`` as before.
"""

from wangjian.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.registry.services.batches import (
    ANALYZE_AFTER,
    CHUNK,
    IMPORT_CHUNK,
    Progress,
    rejected_rows_csv,
    rejected_value,
)
from wangjian.registry.services.corrections import (
    ENTITY_CORRECTABLE,
    PRESENCE_CORRECTABLE,
    correction_decide,
    correction_request,
)
from wangjian.registry.services.imports import ENTITY_UPDATABLE, name_grams_rebuild, registry_import
from wangjian.registry.services.linkage import (
    linkage_check_data,
    linkage_check_rights,
    linkage_estimate,
    linkage_model,
    linkage_thresholds_preview,
    linkage_thresholds_save,
)
from wangjian.registry.services.matches import MatchSummary, match_results_csv, match_review, sellers_match
from wangjian.registry.services.permits import PERMIT_UPDATABLE, clean_permit_row, permits_import
from wangjian.registry.services.queue import (
    STALE_AFTER,
    UPLOAD_KEEP,
    UPLOADS,
    import_run,
    import_start,
    imports_housekeeping,
    upload_delete,
    upload_exists,
    upload_keep,
    upload_name,
    upload_receive,
    upload_sample,
    uploads,
)
from wangjian.registry.services.sellers import SELLER_FIELDS, platform_get_or_create, sellers_import
from wangjian.registry.services.unlicensed import MAX_CLUES_AT_ONCE, seller_to_clue, sellers_to_clues

__all__ = [
    "ANALYZE_AFTER",
    "CHUNK",
    "ENTITY_CORRECTABLE",
    "ENTITY_UPDATABLE",
    "IMPORT_CHUNK",
    "MAX_CLUES_AT_ONCE",
    "MatchSummary",
    "NotFoundError",
    "PERMIT_UPDATABLE",
    "PRESENCE_CORRECTABLE",
    "PermissionDeniedError",
    "Progress",
    "SELLER_FIELDS",
    "STALE_AFTER",
    "UPLOADS",
    "UPLOAD_KEEP",
    "ValidationFailed",
    "WangjianError",
    "clean_permit_row",
    "correction_decide",
    "correction_request",
    "import_run",
    "import_start",
    "linkage_check_data",
    "linkage_check_rights",
    "linkage_estimate",
    "linkage_model",
    "linkage_thresholds_preview",
    "linkage_thresholds_save",
    "imports_housekeeping",
    "match_results_csv",
    "match_review",
    "name_grams_rebuild",
    "permits_import",
    "platform_get_or_create",
    "registry_import",
    "rejected_rows_csv",
    "rejected_value",
    "seller_to_clue",
    "sellers_import",
    "sellers_match",
    "sellers_to_clues",
    "upload_delete",
    "upload_exists",
    "upload_keep",
    "upload_name",
    "upload_receive",
    "upload_sample",
    "uploads",
]
