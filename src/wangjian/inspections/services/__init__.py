"""Writes and decisions of 双随机一公开: the item list and plans, draws (RFC 3797), online checks and results.

One module per concern (plans, pools, draws, checks, publication); the public names are re-exported here.
"""

from wangjian.inspections.services.checks import (
    check_note,
    check_outcome,
    check_pending,
    check_request,
    check_request_run,
    check_run,
    may_record,
    result_record,
)
from wangjian.inspections.services.draws import (
    Rerun,
    compute,
    draw_publish,
    draw_redo,
    draw_rerun,
    draw_value_confirm,
    draw_value_enter,
    may_plan_draw,
)
from wangjian.inspections.services.objections import (
    objection_decide,
    objection_file,
    settings_check,
    settings_for,
    settings_save,
)
from wangjian.inspections.services.plans import (
    DEFAULT_CLASS_RATIOS,
    DEFAULT_GRADE_RATIOS,
    DEFAULT_RATIO_SOURCE,
    item_save,
    may_plan,
    plan_publish,
    plan_save,
    relation_declare,
    relation_save,
    stratum_ratio,
)
from wangjian.inspections.services.province import draw_import
from wangjian.inspections.services.publication import (
    check_period_end,
    check_periods_end,
    results_csv,
    results_publish,
    results_xlsx,
)

__all__ = [
    "DEFAULT_CLASS_RATIOS",
    "DEFAULT_GRADE_RATIOS",
    "DEFAULT_RATIO_SOURCE",
    "Rerun",
    "check_note",
    "check_outcome",
    "check_pending",
    "check_period_end",
    "check_periods_end",
    "check_request",
    "check_request_run",
    "check_run",
    "may_record",
    "result_record",
    "results_csv",
    "results_publish",
    "results_xlsx",
    "compute",
    "draw_import",
    "draw_publish",
    "draw_redo",
    "draw_rerun",
    "draw_value_confirm",
    "draw_value_enter",
    "item_save",
    "objection_decide",
    "objection_file",
    "may_plan",
    "may_plan_draw",
    "plan_publish",
    "plan_save",
    "relation_declare",
    "relation_save",
    "settings_check",
    "settings_for",
    "settings_save",
    "stratum_ratio",
]
