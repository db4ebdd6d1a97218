"""Credit services: the rules that move a listing, a serious listing, a repair or a mismatch (see each module)."""

from wangjian.credit.services.abnormal import abnormal_act, listing_propose, revocation_check, revocation_rule
from wangjian.credit.services.annual import annual_import, declarations_compare, mismatch_act
from wangjian.credit.services.repair import repair_apply, repair_decide
from wangjian.credit.services.serious import serious_act, serious_expire, serious_propose

__all__ = [
    "abnormal_act",
    "annual_import",
    "declarations_compare",
    "listing_propose",
    "mismatch_act",
    "repair_apply",
    "repair_decide",
    "revocation_check",
    "revocation_rule",
    "serious_act",
    "serious_expire",
    "serious_propose",
]
