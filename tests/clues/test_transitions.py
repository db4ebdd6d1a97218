"""The transition table: every (action, state, party) it allows is allowed, every other one refused."""

import itertools

import pytest

from wangjian.clues import services
from wangjian.clues.choices import Action, ClueState, Party
from wangjian.clues.models import Clue
from wangjian.core.errors import PermissionDeniedError, WangjianError

from .conftest import at

# Demo users and the capacities they hold on an advertising clue of 旌德县 (assigned to 广告监管股).
PARTIES_OF = {
    "office": {Party.OFFICE},
    "ad_officer": {Party.UNIT},
    "ad_head": {Party.UNIT, Party.HEAD},
    "leader": {Party.LEADING_GROUP},
    "price_officer": set(),  # another department
    "auditor": set(),  # read-only
    "jixi_officer": set(),  # another bureau
}


@pytest.fixture
def ad_clue(intake):
    return intake().clue


def test_who_holds_which_capacity_on_a_clue(demo, ad_clue):
    for username, expected in PARTIES_OF.items():
        assert services.clue_parties(user=demo.users[username], clue=ad_clue) == expected, username


@pytest.mark.parametrize("action", list(services.TRANSITIONS))
def test_transition_table(demo, ad_clue, action):
    """For one action: every state × every party, allowed exactly where the table says."""
    row = services.TRANSITIONS[action]
    for state, username in itertools.product(ClueState.values, PARTIES_OF):
        Clue.objects.filter(pk=ad_clue.pk).update(state=state)
        ad_clue.refresh_from_db()
        user = demo.users[username]
        case = f"{action} from {state} by {username}"
        allowed = state in row.sources and bool(row.parties & PARTIES_OF[username])
        if allowed:
            assert services.transition_check(user=user, clue=ad_clue, action=action) is row, case
            assert action in services.allowed_actions(user=user, clue=ad_clue), case
        else:
            with pytest.raises(WangjianError) as exc:
                services.transition_check(user=user, clue=ad_clue, action=action)
            expected_code = "invalid_transition" if state not in row.sources else "permission_denied"
            assert exc.value.code == expected_code, case
            assert exc.value.zh and exc.value.en
            assert action not in services.allowed_actions(user=user, clue=ad_clue), case


def test_the_table_covers_the_loop_of_the_seeds():
    t = services.TRANSITIONS
    assert (t[Action.ASSIGN].target, t[Action.ACCEPT].target, t[Action.FEEDBACK].target) == (
        "assigned",
        "checking",
        "fed_back",
    )
    assert (t[Action.START_DISPOSAL].target, t[Action.CLOSE].target, t[Action.RETURN].target) == (
        "disposing",
        "closed",
        "returned",
    )
    assert t[Action.ESCALATE].parties == {Party.OFFICE}
    assert Party.LEADING_GROUP in t[Action.ESCALATE_GROUP].parties


def test_the_whole_loop_records_who_when_and_from_which_state(demo, ad_clue):
    officer, head = demo.users["ad_officer"], demo.users["ad_head"]
    services.clue_accept(clue=ad_clue, user=officer, now=at("2025-09-29"))
    services.clue_feedback(
        clue=ad_clue, user=officer, result="true", actions="现场检查属实", now=at("2025-10-09")
    )
    services.clue_start_disposal(clue=ad_clue, user=head, now=at("2025-10-10"))
    services.clue_close(
        clue=ad_clue, user=head, disposal="case", case_number="旌市监立〔2025〕12号", now=at("2025-10-20")
    )
    ad_clue.refresh_from_db()
    assert ad_clue.state == ClueState.CLOSED and ad_clue.case_number == "旌市监立〔2025〕12号"
    steps = [
        (e.action, e.from_state, e.to_state, e.actor_name)
        for e in ad_clue.events.exclude(action="add_source")
    ]
    assert steps == [
        (Action.ROUTE, "pending", "assigned", "系统"),
        (Action.ACCEPT, "assigned", "checking", "钱科员"),
        (Action.FEEDBACK, "checking", "fed_back", "钱科员"),
        (Action.START_DISPOSAL, "fed_back", "disposing", "赵股长"),
        (Action.CLOSE, "disposing", "closed", "赵股长"),
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
        ({"disposal": "case"}, "立案文号"),
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
