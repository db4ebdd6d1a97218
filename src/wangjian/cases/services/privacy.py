"""A natural person's name as a party (自然人当事人) is personal data: masked unless this user needs it, and logged when shown."""

from __future__ import annotations

from typing import Any

from wangjian.cases.choices import PartyKind
from wangjian.cases.models import Case
from wangjian.cases.selectors import may_see_party
from wangjian.core.errors import PermissionDeniedError
from wangjian.core.models import ChangeRecord


def party_reveal(*, case: Case, user: Any) -> str:
    """The party's full name for who handles or oversees the case; the view is logged (查看敏感信息)."""
    if case.party_kind != PartyKind.PERSON:
        return case.party_name
    if not may_see_party(user=user, case=case):
        raise PermissionDeniedError(
            "只有办案机构、办案人员、负责人、法制审核和办公室可以查看自然人当事人姓名",
            "Only those who handle or oversee the case see a person's name",
        )
    ChangeRecord.log_view(
        case, user=user, bureau_id=case.bureau_id, label=f"{case.number or case.pk} · 当事人"
    )
    return case.party_name
