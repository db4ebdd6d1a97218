"""The demo complaints: two 12315 exports imported by the office, then a record at every step.

The demo backdates its stories from today (up to 42 days), so the test stops the clock on a Wednesday of a
published year with no holiday in the six weeks before it.
"""

import io

import pytest

from tests.clues.conftest import at
from wangjian.complaints.models import Complaint, ComplaintImport, Mediation
from wangjian.platform.workitems import selectors as workitem_selectors

TODAY = "2025-12-10"


@pytest.fixture
def loaded(demo, clock):
    from wangjian.complaints import demo as complaint_demo

    clock(at(TODAY, "15:00"))
    out = io.StringIO()
    complaint_demo.load(demo, out)
    return out.getvalue()


def test_the_demo_has_a_record_at_every_step(demo, loaded):
    records = Complaint.objects.filter(bureau=demo.county)
    states = set(records.values_list("state", flat=True))
    assert {
        "received",
        "accepted",
        "odr",
        "resolved",
        "ended",
        "refused",
        "withdrawn",
        "transferred",
        "verifying",
        "clue",
        "closed",
    } <= states
    assert "投诉举报 / complaints:" in loaded
    assert Mediation.objects.filter(complaint__state="accepted").exists()
    resolved = records.get(state="resolved")
    assert resolved.agreement and resolved.recovered == 480 and resolved.advance_compensation
    ended = records.get(state="ended")
    assert ended.notify_due > ended.ended_on and ended.notified_on is None  # the notice still due
    assert records.get(state="clue").clue is not None
    assert records.get(state="transferred").transfer_target == "绩溪县市场监督管理局"
    assert records.get(kind="report", state="verifying").anonymous


def test_one_received_complaint_is_past_its_acceptance_clock_and_marked_overdue(demo, loaded):
    waiting = Complaint.objects.filter(bureau=demo.county, state="received")
    overdue = [c for c in waiting if str(c.accept_due) < TODAY]
    assert len(overdue) == 1 and len(waiting) == 2
    item = workitem_selectors.items_of(overdue[0]).get(kind="complaint.acceptance")
    assert item.overdue


def test_the_demo_imports_a_newer_export_that_updates_and_refuses_rows(demo, loaded):
    first, second = ComplaintImport.objects.filter(bureau=demo.county).order_by("id")
    assert first.user == demo.users["office"]
    assert (first.rejected_count, second.rejected_count) == (2, 1)
    # the changed old complaint and the line repeated in the new export; the other old one unchanged
    assert (second.updated_count, second.unchanged_count) == (2, 1)
    changed = Complaint.objects.get(source_number="1234100250001")
    assert changed.demand == "退货退款并赔偿误工损失" and changed.state == "accepted"
    assert str(Complaint.objects.get(source_number="1234100250011").amount) == "580.00"
    reasons = " ".join(second.rejected_rows.values_list("reason", flat=True))
    assert "第九条" in reasons


def test_loading_the_demo_again_adds_nothing(demo, loaded):
    from wangjian.complaints import demo as complaint_demo

    count = Complaint.objects.count()
    out = io.StringIO()
    complaint_demo.load(demo, out)
    assert Complaint.objects.count() == count and ComplaintImport.objects.count() == 2
    assert "投诉举报演示数据已存在" in out.getvalue()
