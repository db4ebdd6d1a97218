"""The demo: a request sent to 绩溪县 and answered with a capture, one received and overdue with its 督办, one
internal request done with a capture and one open — and loading it twice changes nothing."""

from __future__ import annotations

import io

import pytest

from tests.assist.conftest import at
from wangjian.assist import demo as assist_demo
from wangjian.assist.models import AssistanceRequest, InternalRequest
from wangjian.evidence.models import EvidenceLink
from wangjian.platform.workitems.models import Escalation

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_each_kind_of_request(demo, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: at("2025-11-12"))
    out = io.StringIO()
    assist_demo.load(demo, out)
    sent = AssistanceRequest.objects.get(from_bureau=demo.county)
    assert sent.state == "closed" and sent.to_bureau == demo.other_county and sent.answered_on_time
    linked = EvidenceLink.objects.filter(content_type__model="assistancerequest", object_id=str(sent.pk))
    assert linked.get().capture.bureau == demo.other_county
    received = AssistanceRequest.objects.get(to_bureau=demo.county)
    assert received.events.filter(action="overdue").exists()
    assert Escalation.objects.filter(item__subject_id=str(received.pk), item__kind="assist.reply").exists()
    assert sorted(InternalRequest.objects.values_list("state", flat=True)) == ["done", "open"]
    assist_demo.load(demo, out)
    assert AssistanceRequest.objects.count() == 2 and "已存在" in out.getvalue()
