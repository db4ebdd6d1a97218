"""A new app (say, the cases of [12 of 16]) gets clocks, numbers, work items, inbox entries, workbench and
domain-page sections and the intake port by registering into the platform — without importing the clue loop."""

from __future__ import annotations

import datetime as dt
import sys
from zoneinfo import ZoneInfo

import pytest

from wangjian.core.clocks import Unit
from wangjian.platform import workbench
from wangjian.platform.clocks import catalogue
from wangjian.platform.clocks.catalogue import ClockKind, Lock
from wangjian.platform.clocks.services import deadline_for
from wangjian.platform.inbox.models import Message
from wangjian.platform.inbox.services import notify
from wangjian.platform.intake import Lead, lead_submit
from wangjian.platform.numbering import kinds as number_kinds
from wangjian.platform.numbering.services import number_issue
from wangjian.platform.workitems import kinds as item_kinds
from wangjian.platform.workitems.services import workitem_create

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def registered(monkeypatch):
    """What the new app's AppConfig.ready would register."""
    monkeypatch.setitem(
        catalogue._KINDS,
        "inspection.rectify",
        ClockKind(
            "inspection.rectify",
            "抽查发现问题整改",
            10,
            Unit.WORKING_DAYS,
            "本局规定：{n}个工作日内整改",
            Lock.WORK_RULE,
            "下达",
        ),
    )
    monkeypatch.setitem(
        number_kinds._KINDS,
        "inspection_notice",
        number_kinds.NumberKind("inspection_notice", "抽查结果告知书", "{prefix}抽告〔{year}〕{seq}号"),
    )
    monkeypatch.setitem(
        item_kinds._KINDS,
        "inspection.rectify",
        item_kinds.WorkItemKind("inspection.rectify", "督促整改", "抽查", clock="inspection.rectify"),
    )
    monkeypatch.setattr(
        workbench,
        "_SECTIONS",
        [*workbench._SECTIONS, lambda user: {"title": "我的抽查", "items": [], "url": "/"}],
    )
    monkeypatch.setattr(
        workbench,
        "_DOMAIN_SECTIONS",
        [
            *workbench._DOMAIN_SECTIONS,
            lambda user, domain, bureau: {"title": f"抽查：{domain}", "items": [], "url": "/"},
        ],
    )


def test_a_new_app_uses_every_shared_piece_by_registering(demo, registered, login):
    now = dt.datetime(2025, 11, 3, 10, tzinfo=BEIJING)
    due = deadline_for(bureau=demo.county, clock="inspection.rectify", start=now.date())
    assert due.due == dt.date(2025, 11, 17) and due.basis_text("下达").startswith(
        "本局规定：10个工作日内整改"
    )
    number = number_issue(bureau=demo.county, kind="inspection_notice", now=now)
    assert number.number == "旌市监抽告〔2025〕1号"
    station = demo.county.stations.get(name="旌阳市场监管所")
    item = workitem_create(
        bureau=demo.county,
        kind="inspection.rectify",
        title="督促整改亮照问题",
        reference=number.number,
        station=station,
        now=now,
    )
    assert item.due == dt.date(2025, 11, 17)
    notify(
        key="inspection-1:result",
        users=[demo.users["station_officer"]],
        kind="task",
        title="抽查结果已公示",
        now=now,
    )
    assert Message.objects.filter(user=demo.users["station_officer"]).count() == 2  # the item, and this
    receipt = lead_submit(
        Lead(
            bureau="341825",
            source_kind="inspection",
            source_ref="抽查-2025-001",
            domain="licence_display",
            facts="未亮照",
        ),
        now=now,
    )
    assert receipt.created and receipt.number
    client = login(demo.users["office"])
    assert "我的抽查" in client.get("/").content.decode()
    assert "抽查：licence_display" in client.get("/org/domains/licence_display/").content.decode()


def test_the_platform_never_imports_the_clue_loop():
    platform_modules = [name for name in sys.modules if name.startswith("wangjian.platform")]
    assert platform_modules  # loaded by Django at start-up
    import grimp

    graph = grimp.build_graph("wangjian")
    for module in graph.find_descendants("wangjian.platform") | {"wangjian.platform"}:
        assert not [
            m for m in graph.find_modules_directly_imported_by(module) if m.startswith("wangjian.clues")
        ], module
