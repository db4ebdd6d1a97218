"""约谈 and its follow-up items on deadlines; requests to a platform answered on time or late; the figures."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.outreach.conftest import at, d
from wangjian.core.errors import ValidationFailed


def _interview(demo, platform, user, items, held="2025-11-03"):
    from wangjian.outreach import services
    from wangjian.outreach.models import Guidance

    return services.guidance_record(
        guidance=Guidance(
            bureau=demo.county,
            platform=platform,
            kind="interview",
            held_on=d(held),
            platform_attendees="合规负责人",
            bureau_attendees="李主任",
            matters="未按期报送经营者身份信息",
        ),
        items=items,
        user=user,
        now=at(held),
    )


def test_an_interview_is_numbered_and_each_item_has_a_deadline_and_a_work_item(demo, staff, platform):
    from wangjian.outreach import selectors

    guidance = _interview(
        demo, platform, staff["net_officer"], [("补报7月数据", d("2025-11-10")), ("整改亮照", None)]
    )
    assert "网指〔2025〕" in guidance.number
    given, ruled = guidance.items.order_by("id")
    assert given.due == d("2025-11-10")
    # the bureau's work rule: 15 working days from Monday 2025-11-03 → Monday 2025-11-24
    assert ruled.due == d("2025-11-24") and "本局工作规则" in ruled.due_basis
    [work] = selectors.items_of(ruled)
    assert work.due == ruled.due and work.kind == "outreach.rectification"
    # on 2025-11-11 the given item is overdue, the other not yet
    assert list(selectors.overdue_items(guidance.items.all(), d("2025-11-11"))) == [given]


def test_an_item_done_after_its_deadline_is_marked_late_and_its_work_item_closed(demo, staff, platform):
    from wangjian.outreach import selectors, services

    guidance = _interview(demo, platform, staff["office"], [("补报7月数据", d("2025-11-10"))])
    item = guidance.items.get()
    message = services.outreach_act(
        record="guidance",
        obj=guidance,
        user=staff["office"],
        action="item_done",
        values={"item": item.pk, "done_on": "2025-11-12", "note": "已补报"},
        now=at("2025-11-12"),
    )
    assert "逾期" in message
    assert selectors.items_of(item).get().state == "done"


def test_without_the_platforms_report_the_assessment_can_only_be_not_done(demo, staff, platform):
    from wangjian.outreach import services

    guidance = _interview(demo, platform, staff["office"], [("整改亮照", None)])
    act = dict(record="guidance", obj=guidance, user=staff["office"], action="assess", now=at("2025-11-20"))
    with pytest.raises(ValidationFailed, match="未收到整改报告"):
        services.outreach_act(values={"assessment": "done", "note": "好"}, **act)
    services.outreach_act(values={"assessment": "not_done", "note": "未整改，移交立案"}, **act)
    guidance.refresh_from_db()
    assert guidance.state == "closed"
    assert guidance.items.get().done_on is None  # not done; its work item cancelled with the closing


def _takedown(demo, platform, user, sent="2025-11-03", urls=3):
    from wangjian.outreach import services
    from wangjian.outreach.models import PlatformRequest

    return services.request_send(
        request=PlatformRequest(
            bureau=demo.county,
            platform=platform,
            kind="takedown",
            sent_on=d(sent),
            basis="电子商务法第二十九条",
            urls="\n".join(f"https://shop.example.cn/item/{i}" for i in range(urls)),
        ),
        user=user,
        now=at(sent),
    )


def test_a_takedown_answered_after_its_deadline_is_flagged_late(demo, staff, platform):
    from wangjian.outreach import services

    request = _takedown(demo, platform, staff["net_officer"])
    # the bureau's work rule: 3 working days from Monday 2025-11-03 → Thursday 2025-11-06
    assert request.due == d("2025-11-06") and request.link_count == 3 and "本局工作规则" in request.due_basis
    message = services.outreach_act(
        record="request",
        obj=request,
        user=staff["net_officer"],
        action="answer",
        values={"answered_on": "2025-11-07", "answer": "partly", "reason": "1条已失效", "links_removed": 2},
        now=at("2025-11-07"),
    )
    request.refresh_from_db()
    assert request.answered_late and "逾期答复" in message and request.links_removed == 2


def test_a_refused_or_partial_answer_needs_the_platforms_reason(demo, staff, platform):
    from wangjian.outreach import services

    request = _takedown(demo, platform, staff["office"])
    with pytest.raises(ValidationFailed, match="理由"):
        services.outreach_act(
            record="request",
            obj=request,
            user=staff["office"],
            action="answer",
            values={"answered_on": "2025-11-04", "answer": "refused"},
            now=at("2025-11-04"),
        )


def test_the_figures_reconcile_with_the_rows(demo, staff, platform):
    from wangjian.outreach import services
    from wangjian.outreach.models import PlatformRequest
    from wangjian.platform.statistics import Scope, registry

    on_time, late, unanswered = (_takedown(demo, platform, staff["office"], urls=n) for n in (3, 2, 4))
    for request, day, answer in ((on_time, "2025-11-05", "done"), (late, "2025-11-10", "done")):
        services.outreach_act(
            record="request",
            obj=request,
            user=staff["office"],
            action="answer",
            values={"answered_on": day, "answer": answer},
            now=at(day),
        )
    _interview(demo, platform, staff["office"], [])
    scope = Scope(frozenset({demo.county.pk}))
    period = (d("2025-11-01"), d("2025-11-30"))
    rows = PlatformRequest.objects.filter(bureau=demo.county, answered_on__range=period)
    assert (
        registry.get("outreach_links_removed").compute(scope, *period)
        == sum(r.links_removed for r in rows)
        == 5
    )
    assert registry.get("outreach_takedown_requests").compute(scope, *period) == 3
    assert registry.get("outreach_answered_on_time").compute(scope, *period) == 1
    assert registry.get("outreach_interviews").compute(scope, *period) == 1
    other = Scope(frozenset({demo.county.pk}), platform_id=platform.pk + 1000)
    assert registry.get("outreach_links_removed").compute(other, *period) == 0
    assert unanswered.answered_on is None
    assert registry.get("outreach_links_removed").compute(scope, d("2025-12-01"), d("2025-12-31")) == 0
    assert dt.date(2025, 11, 10) > late.due
