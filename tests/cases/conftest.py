"""Helpers for the case tests: the clue helpers (``at``, ``clock``, ``intake``) and a case at any step.

The story every helper tells, unless a test says otherwise (the 2025 calendar of 国务院办公厅 via
chinese_calendar; November 2025 has weekends only):

- an advertising clue (互联网广告 → 广告监管股) of 旌德县 is found on Monday 2025-11-03; its filing decision
  is due 15 working days later (程序规定 art. 18): 11-04 … 11-07 → 4, 11-10 … 11-14 → 9,
  11-17 … 11-21 → 14, Monday 11-24 → the 15th;
- 钱科员 (ad_officer) takes it and feeds back its check (属实) the same day;
- 钱科员 drafts the 立案审批表 and 赵股长 (ad_head, head of 广告监管股) designates 钱科员 (lead) and himself,
  that day too unless a test says otherwise; 王局长 (leader, the bureau's head) approves on Friday 2025-11-07;
- the decision is due 90 natural days after filing (art. 64; the day of filing not counted):
  11-07 + 23 = 11-30, + 31 = 12-31 (54), + 31 = 2026-01-31 (85), + 5 = Thursday 2026-02-05 (90).
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

# the clue tests' moments in Beijing time, stopped clock and intake, shared (pytest finds fixtures imported here)
from tests.clues.conftest import at, clock, intake  # noqa: F401

FOUND = "2025-11-03"
LESSONS = "网店上架前未核查广告用语：已约谈平台，开展绝对化用语专项排查"  # 举一反三, required to close
FILING_DUE = dt.date(2025, 11, 24)
OPENED = "2025-11-07"
DECISION_DUE = dt.date(2026, 2, 5)
# 国务院令第310号 art. 6: what a transfer of a suspected crime carries
MATERIALS = "涉嫌犯罪案件移送书\n涉嫌犯罪案件调查报告\n涉案物品清单"


@pytest.fixture
def officer(demo):
    """钱科员 of 广告监管股, holding a 行政执法证."""
    return demo.users["ad_officer"]


@pytest.fixture
def head(demo):
    """赵股长, head of 广告监管股 (the 办案机构's head), holding a 行政执法证."""
    return demo.users["ad_head"]


@pytest.fixture
def leader(demo):
    """王局长, the bureau's head (负责人, ``is_bureau_head``)."""
    assert demo.users["leader"].is_bureau_head
    return demo.users["leader"]


@pytest.fixture
def legal(demo):
    """郑审核, the legal reviewer (法制审核)."""
    return demo.users["legal"]


@pytest.fixture
def fed_back(intake, officer):  # noqa: F811  (the imported fixture)
    """``fed_back(found=..., **intake_kw)`` → an advertising clue of 旌德县 whose check 钱科员 has fed back."""
    from wangjian.clues import services as clue_services

    serial = itertools.count(1)

    def _fed_back(found: str = FOUND, **kw):
        day = dt.date.fromisoformat(found)
        n = next(serial)  # each clue its own shop: the intake would join a second report to an open clue
        kw.setdefault(
            "entity_name", "旌德县云乐茶叶有限公司" if n == 1 else f"旌德县云乐茶叶有限公司第{n}分店"
        )
        kw.setdefault("entity_uscc", f"91341825MA2CASE{n:02d}X")
        kw.setdefault("region_code", "341825")
        kw.setdefault("presence_label", f"云乐茶叶淘宝店{n}")
        kw.setdefault("found_on", day)
        clue = intake(now=at(found, "09:00"), **kw).clue
        clue_services.clue_accept(clue=clue, user=officer, now=at(found, "15:00"))
        clue_services.clue_feedback(
            clue=clue,
            user=officer,
            result="true",
            actions="线上检查属实，已固定网页证据",
            now=at(found, "16:00"),
        )
        clue.refresh_from_db()
        return clue

    return _fed_back


@pytest.fixture
def draft(fed_back, officer):
    """``draft(found=..., on=..., clue_kw={...}, **case_kw)`` → a 立案审批表 drafted by 钱科员 from a fed-back clue."""
    from wangjian.cases import services

    def _draft(found: str = FOUND, on: str | None = None, clue=None, clue_kw: dict | None = None, **kw):
        on = on or found
        clue = clue or fed_back(found, **(clue_kw or {}))
        return services.case_draft(user=officer, clue=clue, now=at(on, "09:00"), **kw)

    return _draft


@pytest.fixture
def pending(draft, officer, head):
    """``pending(on=..., **draft_kw)`` → the 审批表 with 钱科员 (lead) and 赵股长 designated by 赵股长."""
    from wangjian.cases import services

    def _pending(on: str | None = None, found: str = FOUND, **kw):
        on = on or found
        case = draft(on=on, found=found, **kw)
        return services.case_designate(
            case=case, user=head, officers=[officer, head], lead=officer, now=at(on, "11:00")
        )

    return _pending


@pytest.fixture
def filed(pending, leader):
    """``filed(opened=..., found=..., drafted=..., **draft_kw)`` → a case approved by 王局长 on ``opened``."""
    from wangjian.cases import services

    def _filed(opened: str = OPENED, found: str = FOUND, drafted: str | None = None, **kw):
        case = pending(on=drafted or found, found=found, **kw)
        return services.case_approve(case=case, user=leader, opinion="同意立案", now=at(opened, "10:00"))

    return _filed


@pytest.fixture
def act(demo):
    """``act(case, user, action, on, **values)`` → the step through the one entry point (page and API alike)."""
    from wangjian.cases import services

    def _act(case, user, action: str, on: str, time: str = "15:00", **values):
        message = services.case_act(case=case, user=user, action=action, values=values, now=at(on, time))
        case.refresh_from_db()
        return message

    return _act


@pytest.fixture
def direct(officer):
    """``direct(on=..., **case_kw)`` → a 立案审批表 drafted directly (no clue) by 钱科员: an advertiser of 旌德县,
    the matter found on Friday 2025-09-26, the form filled on Monday 2025-09-29."""
    from wangjian.cases import services

    def _direct(on: str = "2025-09-29", user=None, **kw):
        kw.setdefault("title", "网店首页使用“最佳”“第一”等绝对化用语")
        kw.setdefault("domain", "internet_advertising")
        kw.setdefault("party_name", "旌德县徽韵文化传媒有限公司")
        kw.setdefault("party_uscc", "91341825MA2DIRECTX")
        kw.setdefault("party_region", "341825")
        kw.setdefault("facts", "执法人员日常巡查发现网店首页使用绝对化用语")
        kw.setdefault("discovered_on", dt.date(2025, 9, 26))
        return services.case_draft(user=user or officer, now=at(on, "09:00"), **kw)

    return _direct


# The general procedure after filing, step by step, on the days the tests count from (November 2025
# has weekends only): each row is (who, action, day, values); ``advance`` takes a filed case along it.
def _path(users, major: bool):
    officer, head, leader, legal = users
    return [
        (officer, "end_investigation", "2025-11-20", {"report": "事实清楚，证据确凿，建议罚款"}),
        (officer, "submit_review", "2025-11-20", {}),
        (legal, "reviewed", "2025-11-24", {"opinion": "事实清楚，证据充分，定性准确，处罚适当"}),
        *([(legal, "legal_reviewed", "2025-11-24", {"opinion": "符合法定程序"})] if major else []),
        (officer, "notify", "2025-11-25", {"served_on": dt.date(2025, 11, 25), "fine_amount": "20000"}),
        *([(leader, "discuss", "2025-12-03", {"minutes": "同意罚款二万元"})] if major else []),
        (
            leader,
            "decide",
            "2025-12-03",
            {"penalised": True, "summary": "责令停止发布，罚款二万元", "fine_amount": "20000"},
        ),
        (officer, "serve", "2025-12-04", {"served_on": dt.date(2025, 12, 4)}),
        (officer, "execute", "2025-12-10", {"executed_on": dt.date(2025, 12, 10), "comment": "罚款已缴纳"}),
        (head, "close", "2025-12-11", {"comment": "执行完毕，结案", "lessons": LESSONS}),
    ]


@pytest.fixture
def advance(act, officer, head, leader, legal):
    """``advance(case, "notified")`` → the filed case taken along the general procedure up to that state.

    The days: investigation ended and review submitted Thursday 11-20, reviewed Monday 11-24, the
    告知书 served Tuesday 11-25 (¥20,000 proposed), decided Wednesday 12-03, served Thursday 12-04,
    executed Wednesday 12-10, closed Thursday 12-11.
    """

    def _advance(case, state: str):
        for user, action, day, values in _path((officer, head, leader, legal), case.major):
            if case.state == state:
                break
            act(case, user, action, day, **values)
        assert case.state == state
        return case

    return _advance
