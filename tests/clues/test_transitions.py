"""The transition table, written out here from the rules, and the code's table compared with it.

The rules of the loop (旌德 mechanism, 旌市场办〔2022〕116号 二(三)、二(四); 常州 work rules 三(四)):
the leading group's office distributes the clue list to the departments (分发); the unit that
receives a check task checks it and feeds back within 7 working days (反馈核查情况), then
disposes and reports the result (报送处置结果); the office follows up and presses (督办), and the
leading group above it; a clue is dealt with by duty and by legal jurisdiction (职责分工及法定管辖),
so a clue of another bureau's territory is handed over (移交外局), and a unit hands back what is
not its duty, saying why (退回). The expected table is literal: a change to ``TRANSITIONS`` fails
here until this table, and the rule it rests on, says the same.
"""

import itertools

import pytest

from wangjian.clues import services
from wangjian.clues.choices import ClueState
from wangjian.clues.models import Clue
from wangjian.core.errors import PermissionDeniedError, WangjianError

from .conftest import at

# Who may act: the capacities of the mechanism (not the user's role field alone).
OFFICE = "office"  # 领导小组办公室
UNIT = "unit"  # 承办单位人员 (the department or station the clue is assigned to)
HEAD = "head"  # 承办科室负责人
GROUP = "leading_group"  # 领导小组
BUREAU_HEAD = "bureau_head"  # 局负责人 (程序规定 art. 18: decides whether to open a case)

STATES = (
    "pending",
    "assigned",
    "checking",
    "fed_back",
    "disposing",
    "closed",
    "returned",
    "transferred",
    "merged",
)
OPEN = ("pending", "assigned", "checking", "fed_back", "disposing", "returned")  # still waiting for someone
AT_WORK = ("assigned", "checking", "fed_back", "disposing")  # a unit is on it: what 督办 presses
FILING_OPEN = set(OPEN)  # the filing decision (程序规定 art. 18) is still to be taken

# action: (the states it is taken from, the state it leads to (None: unchanged), who may take it, reason required)
EXPECTED = {
    # 二(三) “及时向各部门分发监测发现的市场主体线索清单”: the office distributes, again after a return
    "assign": ({"pending", "returned"}, "assigned", {OFFICE}, False),
    # the office re-assigns a clue under check to another unit, and says why; the new unit's days start anew
    "override": ({"assigned", "checking"}, "assigned", {OFFICE}, True),
    # 二(四) “收到核查任务后”: the unit takes the task
    "accept": ({"assigned"}, "checking", {UNIT, HEAD}, False),
    # 二(四) “7个工作日内反馈核查情况”
    "feedback": ({"checking"}, "fed_back", {UNIT, HEAD}, False),
    # not the unit's duty (职责分工): handed back to the office with the reason
    "return": ({"assigned", "checking"}, "returned", {UNIT, HEAD}, True),
    # 二(三) “甄别、判定和处置问题线索”, after the feedback
    "start_disposal": ({"fed_back"}, "disposing", {UNIT, HEAD}, False),
    # 二(四) “处置完成后报送处置结果”
    "close": ({"fed_back", "disposing"}, "closed", {UNIT, HEAD}, False),
    # 二(四) “法定管辖”: another bureau's clue goes there, before the unit has fed back, with the reason
    "transfer": ({"pending", "assigned", "checking", "returned"}, "transferred", {OFFICE}, True),
    # 常州 三(四) “领导小组办公室负责督办”: the office presses a unit at work, with a note
    "escalate": (set(AT_WORK), None, {OFFICE}, True),
    # then the leading group (“指导、督促和检查各单位各部门”), raised by the office or the group itself
    "escalate_group": (set(AT_WORK), None, {OFFICE, GROUP}, True),
    # the pressed unit answers the 督办
    "answer": (set(AT_WORK), None, {UNIT, HEAD}, True),
    # one matter reported twice is one clue: the office merges or splits open clues
    "merge": (set(OPEN), "merged", {OFFICE}, False),
    "split": (set(OPEN), None, {OFFICE}, False),
    # the office or the unit's head shares an open clue with a colleague
    "share": (set(OPEN), None, {OFFICE, HEAD}, False),
    # 程序规定 art. 18: 15 working days from discovery to decide whether to open a case; testing,
    # appraisal and the rights holder's identification do not count (recorded by the unit or the office,
    # with what they are) ...
    "filing_stop": (FILING_OPEN, None, {OFFICE, UNIT, HEAD}, True),
    "filing_resume": (FILING_OPEN, None, {OFFICE, UNIT, HEAD}, False),
    # ... 15 more only with the approval of the bureau's head, for a stated special circumstance
    "filing_extend": (FILING_OPEN, None, {BUREAU_HEAD}, True),
    # the decision is the bureau's head's, on the unit's 立案审批表 / 不予立案审批表 after its check
    "file_case": ({"fed_back", "disposing"}, "closed", {BUREAU_HEAD}, False),
    "not_filed": ({"fed_back", "disposing"}, "closed", {BUREAU_HEAD}, True),
}

# Demo users and the capacities they hold on an advertising clue of 旌德县 (assigned to 广告监管股).
PARTIES_OF = {
    "office": {OFFICE},
    "ad_officer": {UNIT},
    "ad_head": {UNIT, HEAD},
    "leader": {GROUP, BUREAU_HEAD},  # 王局长: the demo bureau's head
    "price_officer": set(),  # another department
    "auditor": set(),  # read-only
    "jixi_officer": set(),  # another bureau
}


@pytest.fixture
def ad_clue(intake):
    return intake().clue


def test_the_clue_has_the_states_of_the_loop():
    assert set(ClueState.values) == set(STATES)


def test_the_code_table_is_the_table_of_the_rules():
    actual = {
        action: (set(row.sources), row.target, set(row.parties), row.reason_required)
        for action, row in services.TRANSITIONS.items()
    }
    assert set(actual) == set(EXPECTED), "an action was added to or taken from the table"
    for action, expected in EXPECTED.items():
        assert actual[action] == expected, f"{action}: (from, to, who, reason) differs from the rules"


def test_who_holds_which_capacity_on_a_clue(demo, ad_clue):
    for username, expected in PARTIES_OF.items():
        assert services.clue_parties(user=demo.users[username], clue=ad_clue) == expected, username


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_every_state_and_party_is_allowed_or_refused_as_the_rules_say(demo, ad_clue, action):
    """For one action: every state × every party, allowed exactly where the rules' table says."""
    sources, _target, parties, _reason = EXPECTED[action]
    for state, username in itertools.product(STATES, PARTIES_OF):
        Clue.objects.filter(pk=ad_clue.pk).update(state=state)
        ad_clue.refresh_from_db()
        user = demo.users[username]
        case = f"{action} from {state} by {username}"
        if state in sources and parties & PARTIES_OF[username]:
            assert services.transition_check(user=user, clue=ad_clue, action=action).action == action, case
            assert action in services.allowed_actions(user=user, clue=ad_clue), case
        else:
            with pytest.raises(WangjianError) as exc:
                services.transition_check(user=user, clue=ad_clue, action=action)
            expected_code = "invalid_transition" if state not in sources else "permission_denied"
            assert exc.value.code == expected_code, case
            assert exc.value.zh and exc.value.en
            assert action not in services.allowed_actions(user=user, clue=ad_clue), case


def test_the_whole_loop_records_who_when_and_from_which_state(demo, ad_clue):
    officer, head = demo.users["ad_officer"], demo.users["ad_head"]
    services.clue_accept(clue=ad_clue, user=officer, now=at("2025-09-29"))
    services.clue_feedback(
        clue=ad_clue, user=officer, result="true", actions="现场检查属实", now=at("2025-10-09")
    )
    services.clue_start_disposal(clue=ad_clue, user=head, now=at("2025-10-10"))
    services.clue_filing_decided(
        clue=ad_clue,
        user=demo.users["leader"],
        filed=True,
        case_number="旌市监立〔2025〕12号",
        case_url="/cases/cases/1/",
        now=at("2025-10-20"),
    )
    ad_clue.refresh_from_db()
    assert ad_clue.state == ClueState.CLOSED and ad_clue.case_number == "旌市监立〔2025〕12号"
    assert ad_clue.disposal == "case" and ad_clue.case_url == "/cases/cases/1/"
    steps = [
        (e.action, e.from_state, e.to_state, e.actor_name)
        for e in ad_clue.events.exclude(action="add_source")
    ]
    assert steps == [
        ("route", "pending", "assigned", "系统"),
        ("accept", "assigned", "checking", "钱科员"),
        ("feedback", "checking", "fed_back", "钱科员"),
        ("start_disposal", "fed_back", "disposing", "赵股长"),
        ("file_case", "disposing", "closed", "王局长"),
    ]


def test_services_refuse_a_step_from_the_wrong_state(demo, ad_clue):
    officer = demo.users["ad_officer"]
    with pytest.raises(WangjianError) as exc:
        services.clue_feedback(clue=ad_clue, user=officer, result="true", actions="x")  # not accepted yet
    assert exc.value.code == "invalid_transition"
    with pytest.raises(WangjianError):
        services.clue_close(clue=ad_clue, user=officer, disposal="rectify")


def test_a_unit_cannot_act_on_another_units_clue(demo, ad_clue):
    with pytest.raises(PermissionDeniedError):
        services.clue_accept(clue=ad_clue, user=demo.users["price_officer"])


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"disposal": "case"}, "立案审批"),
        ({"disposal": "refer", "refer_target": "旌德县公安局"}, "移送对象类别"),
        ({"disposal": "refer", "refer_kind": "police"}, "接收机关"),
        ({"disposal": "no_action"}, "理由"),
        ({"disposal": "fine"}, "处置结果"),
    ],
)
def test_closing_needs_what_the_disposal_requires(demo, ad_clue, kwargs, message):
    officer = demo.users["ad_officer"]
    services.clue_accept(clue=ad_clue, user=officer)
    services.clue_feedback(clue=ad_clue, user=officer, result="true", actions="属实")
    with pytest.raises(WangjianError) as exc:
        services.clue_close(clue=ad_clue, user=officer, **kwargs)
    assert message in exc.value.zh


def test_referral_to_police_records_the_receiving_authority(demo, ad_clue):
    officer = demo.users["ad_officer"]
    services.clue_accept(clue=ad_clue, user=officer)
    services.clue_feedback(clue=ad_clue, user=officer, result="true", actions="涉嫌虚假广告犯罪")
    services.clue_close(
        clue=ad_clue, user=officer, disposal="refer", refer_kind="police", refer_target="旌德县公安局"
    )
    ad_clue.refresh_from_db()
    assert (ad_clue.refer_kind, ad_clue.refer_target) == ("police", "旌德县公安局")


def test_an_untrue_clue_can_only_be_closed_without_action(demo, ad_clue):
    officer = demo.users["ad_officer"]
    services.clue_accept(clue=ad_clue, user=officer)
    services.clue_feedback(clue=ad_clue, user=officer, result="false", actions="页面无此用语")
    with pytest.raises(WangjianError):
        services.clue_close(clue=ad_clue, user=officer, disposal="rectify")
    services.clue_close(clue=ad_clue, user=officer, disposal="no_action", note="核查不属实")


def test_return_needs_a_reason_goes_to_the_office_and_stops_the_clock(demo, ad_clue):
    officer, office = demo.users["ad_officer"], demo.users["office"]
    with pytest.raises(WangjianError):
        services.clue_return(clue=ad_clue, user=officer, reason="")
    services.clue_return(clue=ad_clue, user=officer, reason="属价格问题，非广告", now=at("2025-09-29"))
    ad_clue.refresh_from_db()
    assert ad_clue.state == ClueState.RETURNED and ad_clue.feedback_due is None
    assert office.inbox.about(ad_clue).filter(kind="returned").exists()
    price = demo.county.departments.get(kind="price")
    services.clue_assign(clue=ad_clue, user=office, department=price, now=at("2025-09-30"))
    ad_clue.refresh_from_db()
    assert ad_clue.state == ClueState.ASSIGNED and ad_clue.department == price
