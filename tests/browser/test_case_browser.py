"""A clue taken to a closed case through the pages only, each step by the officer whose step it is.

The clue (an advertising clue of 旌德县, checked and fed back by 钱科员) is made by the services in
setup; from the 立案审批表 on, everything is done in the browser: 钱科员 drafts, 赵股长 designates,
王局长 approves (the case is numbered), 钱科员 investigates, 郑审核 reviews, 钱科员 notifies,
王局长 decides (the party waived its statement period), 钱科员 serves and records the execution,
赵股长 closes with the 举一反三.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LESSONS = "网店上架前未核查广告用语：已约谈平台，开展绝对化用语专项排查"


def _fed_back_clue(demo):
    """An advertising clue of 旌德县 that 钱科员 has accepted and fed back (属实), today."""
    from wangjian.clues import services as clue_services

    officer = demo.users["ad_officer"]
    clue = clue_services.clue_intake(
        bureau=demo.county,
        source_kind="monitoring",
        domain="internet_advertising",
        facts="商品详情页使用“国家级”“最佳”等绝对化用语",
        entity_name="旌德县云乐茶叶有限公司",
        entity_uscc="91341825MA2CASE01X",
        region_code="341825",
        presence_label="云乐茶叶淘宝店",
        found_on=timezone.localdate(),
    ).clue
    clue_services.clue_accept(clue=clue, user=officer)
    clue_services.clue_feedback(
        clue=clue, user=officer, result="true", actions="线上检查属实，已固定网页证据"
    )
    clue.refresh_from_db()
    return clue


def _flash(page) -> None:
    """The page after a submit must say it succeeded; a refusal fails the test with its own words."""
    page.wait_for_selector(".alert-success, .alert-danger")
    refusal = page.locator(".alert-danger")
    if refusal.count():
        pytest.fail(f"refused: {refusal.first.inner_text()}")


def _step(page, action: str, fill=None) -> str:
    """Open ``details[data-action=action]``, let ``fill(form)`` fill it, submit; the new ``#case-state``."""
    before = page.inner_text("#case-state")
    details = page.locator(f'details[data-action="{action}"]')
    expect(details).to_have_count(1)
    details.locator("summary").click()
    form = details.locator("form")
    if fill is not None:
        fill(form)
    with page.expect_navigation():
        form.locator(f'button[name="submit-{action}"]').click()
    _flash(page)
    after = page.inner_text("#case-state")
    assert after != before, f"{action}: the state stayed {before}"
    return after


def test_a_clue_becomes_a_closed_case_through_the_pages(browser, live_server, demo):
    clue = _fed_back_clue(demo)
    today = timezone.localdate().isoformat()
    clue_url = f"{live_server.url}/clues/clues/{clue.pk}/"
    contexts = {}

    def page_of(username: str):
        """One browser context (one session) per person, logged in through the form on first use."""
        if username not in contexts:
            context = browser.new_context()
            contexts[username] = context.new_page()
            log_in(contexts[username], live_server, username)
        return contexts[username]

    try:
        # 钱科员 drafts the 立案审批表 from the clue page
        officer = page_of("ad_officer")
        officer.goto(clue_url)
        officer.click("#draft-filing")
        officer.wait_for_selector("#case-form")
        form = officer.locator("#case-form")
        assert form.locator("#id_proposal").input_value() == "file"
        if not form.locator("#id_title").input_value():
            form.locator("#id_title").fill("网店商品详情页使用绝对化用语")
        assert form.locator("#id_party_name").input_value() == "旌德县云乐茶叶有限公司"
        form.locator("#id_party_kind").select_option("organisation")
        if not form.locator("#id_facts").input_value():
            form.locator("#id_facts").fill("商品详情页使用“国家级”“最佳”等绝对化用语")
        form.locator("#id_provisions").fill("《中华人民共和国广告法》第九条第（三）项")
        with officer.expect_navigation():
            form.locator("button[type=submit]").click()
        if officer.locator("#case-form").count():
            errors = officer.locator("#form-errors, #case-form .text-danger").all_inner_texts()
            pytest.fail(f"the 审批表 was refused: {errors}")
        _flash(officer)
        expect(officer.locator("#case-state")).to_have_text("拟立案（审批表待提交）")
        case_url = officer.url

        # 赵股长 designates 钱科员 (lead) and himself, which submits the form for approval
        head = page_of("ad_head")
        head.goto(case_url)

        def designate(f):
            f.locator("label", has_text="钱科员").locator("input[type=checkbox]").check()
            f.locator("label", has_text="赵股长").locator("input[type=checkbox]").check()
            if f.locator("#id_designate-lead").count():
                f.locator("#id_designate-lead").select_option(str(demo.users["ad_officer"].pk))

        assert _step(head, "designate", designate) == "待负责人审批"
        assert "钱科员" in head.inner_text("#case-officers")
        assert "赵股长" in head.inner_text("#case-officers")

        # 王局长 approves: the case is numbered and the clue points at it
        leader = page_of("leader")
        leader.goto(case_url)
        assert (
            _step(leader, "approve", lambda f: f.locator("#id_approve-opinion").fill("同意立案"))
            == "调查取证"
        )
        year = timezone.localdate().year
        number = re.search(rf"旌市监立〔{year}〕\d+号", leader.inner_text("h5"))
        assert number, leader.inner_text("h5")
        leader.goto(clue_url)
        link = leader.locator("#clue-case")
        expect(link).to_have_text(number.group(0))
        assert link.get_attribute("href") in case_url

        # the general procedure, each step by its officer
        officer.goto(case_url)
        assert (
            _step(
                officer,
                "end_investigation",
                lambda f: f.locator("#id_end_investigation-report").fill(
                    "事实清楚，证据确凿，建议罚款三千元"
                ),
            )
            == "调查终结"
        )
        assert _step(officer, "submit_review") == "核审"

        legal = page_of("legal")
        legal.goto(case_url)
        state = _step(
            legal,
            "reviewed",
            lambda f: f.locator("#id_reviewed-opinion").fill("事实清楚，证据充分，定性准确，处罚适当"),
        )
        assert state == "审核完毕（待告知或决定）"

        officer.goto(case_url)

        def notify(f):
            f.locator("#id_notify-served_on").fill(today)
            f.locator("#id_notify-fine_amount").fill("3000")

        assert _step(officer, "notify", notify) == "已告知（陈述申辩期）"

        leader.goto(case_url)

        def decide(f):
            f.locator("#id_decide-penalised").check()
            f.locator("label", has_text="罚款").locator("input[type=checkbox]").first.check()
            f.locator("#id_decide-summary").fill("责令停止发布违法广告，罚款三千元")
            f.locator("#id_decide-fine_amount").fill("3000")
            f.locator("#id_decide-waived").check()

        assert _step(leader, "decide", decide) == "已作出决定"
        assert "3000" in leader.inner_text("#case-decision")

        officer.goto(case_url)
        assert (
            _step(officer, "serve", lambda f: f.locator("#id_serve-served_on").fill(today))
            == "已送达（执行中）"
        )

        def execute(f):
            f.locator("#id_execute-executed_on").fill(today)
            f.locator("#id_execute-comment").fill("罚款已缴纳")

        assert _step(officer, "execute", execute) == "执行完毕"

        head.goto(case_url)

        def close(f):
            f.locator("#id_close-lessons").fill(LESSONS)
            f.locator("#id_close-comment").fill("执行完毕，结案")

        assert _step(head, "close", close) == "已结案"
        expect(head.locator("#case-state")).to_have_text("已结案")
        expect(head.locator("#case-lessons")).to_have_text(LESSONS)
    finally:
        for page in contexts.values():
            page.context.close()
