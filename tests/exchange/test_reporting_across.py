"""Upward reporting across instances: the superior's template comes down as a message, each submitted revision goes
up, and the superior's return for correction comes back in reply and reopens the report with its new due date."""

from __future__ import annotations

import pytest

from wangjian.exchange.models import Direction, Message
from wangjian.exchange.services import message_receive
from wangjian.reporting import periods
from wangjian.reporting.choices import ReportState
from wangjian.reporting.models import ReportTemplate
from wangjian.reporting.services.reports import report_open, report_submit

from .conftest import at

pytestmark = pytest.mark.django_db

TEMPLATE = {
    "title": "报送事项：网络市场监管月报",
    "key": "wangjian-monthly",
    "name": "网络市场监管月报（长三角协作）",
    "instructions": "每月报送线索办理情况",
    "figures": ["clues_received"],
    "records": [],
    "period_kind": "month",
    "due_days": 5,
    "starts_on": "2026-01-01",
    "active": True,
}


def test_a_template_from_a_superior_elsewhere_is_reported_up_and_its_return_comes_back(
    demo, remote, clock_at
):
    clock_at(at("2026-03-02", "10:30"))
    got = message_receive(remote.message(kind="report.template", body=TEMPLATE))
    assert got.accepted, got.receipt
    template = ReportTemplate.objects.get(external_bureau_code="330523", key="wangjian-monthly")
    assert list(template.subordinates.all()) == [demo.county]

    report, _made = report_open(
        template=template, bureau=demo.county, period=periods.parse("2026-02"), now=at("2026-03-02", "10:30")
    )
    report_submit(report=report, user=demo.users["office"], now=at("2026-03-02", "11:00"))
    up = Message.objects.get(direction=Direction.OUT, kind="report.submission")
    assert up.body["bureau"]["code"] == "341825" and up.body["period"]["label"] == report.period_label
    assert up.body["figures"][0]["key"] == "clues_received"

    review = {
        "title": "审核",
        "kind": "reporting.review",
        "version": 1,
        "superior": {"code": "330523", "name": "安吉县市场监督管理局"},
        "bureau": {"code": "341825", "name": demo.county.name},
        "template": {"key": "wangjian-monthly", "name": template.name},
        "period": up.body["period"],
        "revision": 1,
        "outcome": "returned",
        "reason": "线索数与系统台账不一致，请核对",
        "correction_due": "2026-03-06",
        "reviewed_at": "2026-03-02T10:00:00+08:00",
        "reviewed_by": "办公室",
    }
    back = message_receive(remote.message(kind="report.review", body=review))

    assert back.accepted, back.receipt
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED and report.due.isoformat() == "2026-03-06"
    assert report.revisions.get().review_comment.startswith("线索数")
