"""A case sent to the police (行刑衔接) is the bureau's request to the police: one record, the receipt on both."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cases.conftest import (  # noqa: F401  (the case helpers, as fixtures)
    MATERIALS,
    act,
    draft,
    fed_back,
    filed,
    head,
    intake,
    leader,
    officer,
    pending,
)
from wangjian.core.errors import ValidationFailed


def _police_record(case):
    from wangjian.outreach.models import AuthorityRequest

    return AuthorityRequest.objects.get(bureau=case.bureau, kind="police_transfer", case_number=case.number)


def test_a_case_sent_to_the_police_is_an_authority_request_and_the_receipt_lands_on_both(
    filed,  # noqa: F811  (the imported fixtures)
    act,  # noqa: F811
    officer,  # noqa: F811
    leader,  # noqa: F811
    demo,
):
    from wangjian.outreach import services

    case = filed()
    act(case, officer, "crime_report", "2025-11-20", report="销售假冒注册商标的商品，金额逾五万元")
    act(
        case,
        leader,
        "transfer",
        "2025-11-21",
        target="旌德县公安局",
        police=True,
        reason="涉嫌犯罪",
        materials=MATERIALS,
    )
    record = _police_record(case)
    assert record.authority.name == "旌德县公安局" and record.authority.kind == "police"
    assert record.sent_on == dt.date(2025, 11, 21) and record.state == "sent"
    assert record.materials.splitlines()[0] == "涉嫌犯罪案件移送书" and record.from_case
    act(
        case,
        officer,
        "police_receipt",
        "2025-11-22",
        received_on=dt.date(2025, 11, 22),
        procuratorate_copy=True,
    )
    record.refresh_from_db()
    assert case.police_received_on == record.receipt_on == dt.date(2025, 11, 22)
    assert record.procuratorate_copy and record.state == "received"
    act(
        case,
        officer,
        "police_decision",
        "2025-11-25",
        decision="declined",
        decided_on=dt.date(2025, 11, 25),
        note="涉案金额未达追诉标准",
    )
    record.refresh_from_db()
    assert (
        record.outcome_on == dt.date(2025, 11, 25) and "不予立案" in record.outcome and record.state == "done"
    )
    # the record moves only with the case: its receipt is never recorded a second way
    with pytest.raises(ValidationFailed, match="请在案件中登记"):
        services.authority_receipt(request=record, user=None, values={"received_on": "2025-11-22"}, now=None)
    assert len(list(type(record).objects.filter(case_number=case.number))) == 1
