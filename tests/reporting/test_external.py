"""Between instances: payloads of natural keys only, received once per message id."""

from __future__ import annotations

import copy

import pytest

from tests.reporting.conftest import FAKE, at
from wangjian.core.errors import ValidationFailed
from wangjian.reporting import services
from wangjian.reporting.choices import ReportState
from wangjian.reporting.models import Report, ReportTemplate, Revision


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_the_report_payload_holds_natural_keys_and_no_database_ids(demo, staff, october):
    report = october[demo.county.code]
    services.report_submit(report=report, user=staff["office"], notes={FAKE: "说明"}, now=at("2025-11-05"))
    payload = services.report_payload(report)
    assert not {k for k in _keys(payload) if k in ("id", "pk") or k.endswith("_id")}
    assert payload["bureau"]["code"] == demo.county.code and payload["superior"]["code"] == demo.city.code
    assert payload["template"]["key"] == "monthly-online" and payload["period"]["label"] == "2025-10"
    assert payload["submitted_at"].startswith("2025-11-05T10:00")
    figure = next(f for f in payload["figures"] if f["key"] == FAKE)
    assert (figure["value"], figure["note"]) == ("20", "说明") and figure["basis_zh"].startswith("测试口径")


def test_a_report_from_a_bureau_on_another_instance_is_received_once_per_message(demo, staff, october):
    report = october[demo.county.code]
    services.report_submit(report=report, user=staff["office"], now=at("2025-11-05"))
    payload = copy.deepcopy(services.report_payload(report))
    payload["bureau"] = {"code": "341823", "name": "泾县市场监督管理局"}
    received = services.report_receive_external(
        payload, sender_code="341823", sender_name="泾县市场监督管理局", message_id="msg-1"
    )
    again = services.report_receive_external(
        payload, sender_code="341823", sender_name="泾县市场监督管理局", message_id="msg-1"
    )
    assert received.pk == again.pk and received.bureau is None
    assert (received.external_bureau_code, received.state) == ("341823", ReportState.SUBMITTED)
    assert Revision.objects.filter(report=received).count() == 1
    with pytest.raises(ValidationFailed):  # a sender reporting for another bureau
        services.report_receive_external(payload, sender_code="341822", sender_name="x", message_id="msg-2")
    # the superior reviews it as any other; the answer goes back down as natural keys
    services.report_review(
        report=received,
        user=staff["city_office"],
        decision=services.RETURN,
        reason="请补充说明",
        now=at("2025-11-06"),
    )
    answer = services.review_payload(received)
    assert answer["outcome"] == "returned" and answer["bureau"]["code"] == "341823"
    assert answer["correction_due"] == "2025-11-11"
    assert not {k for k in _keys(answer) if k in ("id", "pk") or k.endswith("_id")}


def test_the_superiors_answer_from_another_instance_is_applied_once(demo, staff):
    from wangjian.reporting import periods

    template = ReportTemplate.objects.create(
        external_bureau_code="340000",
        external_bureau_name="外省局",
        key="monthly",
        name="月报",
        figures=[FAKE],
        period_kind="month",
        due_days=5,
        starts_on=periods.parse("2025-10").start,
    )
    template.subordinates.set([demo.city])
    report, _ = services.report_open(
        template=template, bureau=demo.city, period=periods.parse("2025-10"), now=at("2025-11-03")
    )
    services.report_submit(report=report, user=staff["city_office"], now=at("2025-11-05"))
    payload = {
        "kind": "reporting.review",
        "superior": {"code": "340000", "name": "外省局"},
        "bureau": {"code": demo.city.code, "name": demo.city.name},
        "template": {"key": "monthly", "name": "月报"},
        "period": {"kind": "month", "label": "2025-10", "start": "2025-10-01", "end": "2025-10-31"},
        "revision": 1,
        "outcome": "returned",
        "reason": "数据有误",
        "correction_due": "2025-11-11",
        "reviewed_at": "2025-11-06T15:00:00+08:00",
    }
    for _ in range(2):
        services.review_receive_external(
            payload,
            sender_code="340000",
            sender_name="外省局",
            message_id="rev-1",
            now=at("2025-11-06", "16:00"),
        )
    report = Report.objects.get(pk=report.pk)
    assert (report.state, str(report.due)) == (ReportState.RETURNED, "2025-11-11")
    revision = report.revisions.get()
    assert (revision.outcome, revision.review_comment, revision.review_ref) == (
        "returned",
        "数据有误",
        "rev-1",
    )
