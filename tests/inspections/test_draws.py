"""Draws in the manner of RFC 3797 (issue 19 point 3): inputs published first, a future public source, its
value entered and confirmed by two different people, a re-run anyone can make, a re-draw that deletes nothing."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from tests.inspections.conftest import DRAWN, PUBLISHED, SOURCE, SOURCE_DAY, VALUE
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.inspections import algorithm
from wangjian.inspections.choices import DrawState
from wangjian.inspections.models import Draw, DrawInputs, DrawnInspector, DrawnObject
from wangjian.inspections.services import (
    draw_publish,
    draw_redo,
    draw_rerun,
    draw_value_confirm,
    draw_value_enter,
    relation_declare,
)
from wangjian.org import services as org_services
from wangjian.org.choices import DepartmentKind as K
from wangjian.org.choices import Role
from wangjian.org.models import Department


@pytest.fixture
def inspectors(demo):
    """Four more certificate holders of the advertising department (with 赵股长 and 钱科员: six, and 吴所员)."""
    dept = Department.objects.get(bureau=demo.county, kind=K.ADVERTISING)
    out = []
    for n in range(4):
        user, _ = org_services.user_create(
            username=f"ad_inspector{n}",
            bureau=demo.county,
            department=dept,
            role=Role.OFFICER,
            password="Demo2025pass",
        )
        user.enforcement_certificate = f"皖3418259{n:04d}"
        user.save()
        out.append(user)
    return out


def publish(plan, demo, **kw):
    kw.setdefault("source_name", SOURCE)
    kw.setdefault("source_date", SOURCE_DAY)
    return draw_publish(plan=plan, user=demo.users["office"], now=PUBLISHED, **kw)


def make(draw, demo, value=VALUE):
    draw_value_enter(draw=draw, user=demo.users["office"], value=value, now=DRAWN)
    return draw_value_confirm(draw=draw, user=demo.users["ad_head"], value=value, now=DRAWN)


def test_a_draw_publishes_the_numbered_pool_its_hash_the_strata_and_the_future_source(published, shops, demo):
    entities = shops(40)
    draw = publish(published(), demo)
    inputs = draw.inputs
    assert draw.state == DrawState.PUBLISHED and not draw.seed
    assert draw.pool_size == 40 and draw.pool_sha256 == algorithm.sha256_hex(inputs.pool_listing)
    first = inputs.pool_listing.splitlines()[0].split("\t")
    assert first == ["1", str(entities[0].pk), entities[0].uscc, "-|-"]
    assert '"source":{"date":"2026-12-08","name":"中国福利彩票双色球第2026140期开奖号码"}' in inputs.canonical
    assert f'"algorithm":"{algorithm.ALGORITHM}"' in inputs.canonical
    assert (
        '"graded":false' in inputs.canonical
    )  # the risk app is not there: every entity ungraded, and it says so


def test_a_draft_plan_is_not_drawn(draft, shops, demo):
    shops(5)
    with pytest.raises(ValidationFailed):
        publish(draft(), demo)


def test_the_source_must_produce_its_value_after_publication(published, shops, demo):
    shops(5)
    with pytest.raises(ValidationFailed):
        publish(published(), demo, source_date=dt.date(2026, 11, 30))


def test_the_value_is_not_entered_before_the_source_has_produced_it(published, shops, demo):
    shops(5)
    draw = publish(published(), demo)
    with pytest.raises(ValidationFailed):
        draw_value_enter(
            draw=draw, user=demo.users["office"], value=VALUE, now=PUBLISHED + dt.timedelta(days=3)
        )


def test_the_value_is_confirmed_by_a_different_person_who_types_it_again(published, shops, demo):
    shops(10)
    draw = publish(published(), demo)
    draw_value_enter(draw=draw, user=demo.users["office"], value=VALUE, now=DRAWN)
    with pytest.raises(PermissionDeniedError):
        draw_value_confirm(draw=draw, user=demo.users["office"], value=VALUE, now=DRAWN)
    with pytest.raises(ValidationFailed):
        draw_value_confirm(
            draw=draw, user=demo.users["ad_head"], value="红球 03 08 15 21 27 34 蓝球 09", now=DRAWN
        )
    assert not DrawnObject.objects.filter(draw=draw).exists()
    draw = draw_value_confirm(draw=draw, user=demo.users["ad_head"], value=VALUE, now=DRAWN)
    assert draw.state == DrawState.DRAWN and draw.value_confirmed_by == demo.users["ad_head"]


def test_an_officer_may_not_draw(published, shops, demo):
    shops(3)
    with pytest.raises(PermissionDeniedError):
        draw_publish(
            plan=published(),
            user=demo.users["ad_officer"],
            source_name=SOURCE,
            source_date=SOURCE_DAY,
            now=PUBLISHED,
        )


def test_the_seed_is_the_hash_of_the_published_inputs_and_the_value_and_the_rerun_agrees(
    published, shops, demo, inspectors
):
    shops(60)
    draw = make(publish(published(), demo), demo)
    assert draw.seed == algorithm.seed_of(draw.inputs.canonical, VALUE).hex()
    assert draw.objects_count == math.ceil(0.05 * 60) == DrawnObject.objects.filter(draw=draw).count()
    rerun = draw_rerun(draw)
    assert rerun.ok and rerun.differences == []


def test_every_drawn_object_has_at_least_two_inspectors(published, shops, demo, inspectors):
    shops(100)
    draw = make(publish(published(class_ratios={"-": "0.3"}), demo), demo)
    for drawn in DrawnObject.objects.filter(draw=draw):
        assert drawn.inspectors.count() >= 2


def test_a_changed_pool_fails_the_rerun(published, shops, demo, inspectors):
    shops(60)
    draw = make(publish(published(), demo), demo)
    inputs = draw.inputs
    lines = inputs.pool_listing.splitlines(keepends=True)
    DrawInputs.objects.filter(pk=inputs.pk).update(pool_listing="".join(lines[:-1]))
    draw = Draw.objects.get(pk=draw.pk)
    rerun = draw_rerun(draw)
    assert not rerun.ok and not rerun.pool_hash_ok


def test_a_changed_value_gives_another_seed_and_fails_the_rerun(published, shops, demo, inspectors):
    shops(60)
    draw = make(publish(published(), demo), demo)
    Draw.objects.filter(pk=draw.pk).update(value="红球 01 02 03 04 05 06 蓝球 07")
    rerun = draw_rerun(Draw.objects.get(pk=draw.pk))
    assert not rerun.ok and not rerun.seed_ok and rerun.seed != draw.seed


def test_a_changed_recorded_inspector_fails_the_rerun(published, shops, demo, inspectors):
    shops(60)
    draw = make(publish(published(), demo), demo)
    row = DrawnInspector.objects.filter(drawn__draw=draw).first()
    others = [u for u in inspectors if not DrawnInspector.objects.filter(drawn=row.drawn, user=u).exists()]
    DrawnInspector.objects.filter(pk=row.pk).update(user=others[0])
    rerun = draw_rerun(draw)
    assert not rerun.ok and rerun.objects_ok and not rerun.inspectors_ok


def test_ratios_follow_the_strata_of_credit_class_and_grade(published, shops, demo, graded, inspectors):
    a, d, key = shops(100), shops(20), shops(10)
    graded(
        {
            **{e.pk: ("general", "A") for e in a},
            **{e.pk: ("", "D") for e in d},
            **{e.pk: ("key", "B") for e in key},
        }
    )
    draw = make(publish(published(), demo), demo)
    strata = {
        s: DrawnObject.objects.filter(draw=draw, stratum=s).count() for s in ("A|general", "D|-", "B|key")
    }
    assert strata == {
        "A|general": 3,
        "D|-": 16,
        "B|key": 3,
    }  # the defaults: 3 % of 100, 80 % of 20, the key grade's 30 % of 10 (higher than B's 10 %)


def test_a_declared_relation_is_never_drawn(published, shops, demo, inspectors):
    entities = shops(30)
    for e in entities:
        relation_declare(
            user=demo.users["office"], inspector=demo.users["ad_officer"], entity=e, reason="亲属持股"
        )
    draw = make(publish(published(class_ratios={"-": "0.3"}), demo), demo)
    assert not DrawnInspector.objects.filter(drawn__draw=draw, user=demo.users["ad_officer"]).exists()
    assert '"exclusion_reasons"' in draw.inputs.canonical


def test_the_station_rule_never_sends_a_station_officer_into_their_own_territory(
    published, shops, demo, inspectors
):
    home = shops(30, region="341825100")  # 旌阳镇: 吴所员's 旌阳市场监管所
    shops(30, region="341825102")
    draw = make(publish(published(class_ratios={"-": "0.3"}, station_recusal=True), demo), demo)
    rows = DrawnInspector.objects.filter(drawn__draw=draw, user=demo.users["station_officer"])
    assert not rows.filter(drawn__entity__in=home).exists()


def test_too_few_inspectors_after_recusal_refuses_publication(published, shops, demo):
    entity = shops(1)[0]
    relation_declare(
        user=demo.users["office"], inspector=demo.users["ad_officer"], entity=entity, reason="亲属"
    )
    relation_declare(user=demo.users["office"], inspector=demo.users["ad_head"], entity=entity, reason="亲属")
    with pytest.raises(ValidationFailed) as refused:
        publish(published(), demo)
    assert str(entity.pk) in refused.value.detail[0]


def test_a_redraw_adds_a_draw_with_its_reason_and_keeps_the_earlier_one(published, shops, demo, inspectors):
    shops(40)
    first = make(publish(published(), demo), demo)
    with pytest.raises(ValidationFailed):
        draw_redo(
            draw=first, user=demo.users["office"], reason=" ", source_name=SOURCE, source_date=SOURCE_DAY
        )
    second = draw_redo(
        draw=first,
        user=demo.users["office"],
        reason="抽中主体已注销，按计划重新抽取",
        source_name="中国福利彩票双色球第2026141期开奖号码",
        source_date=dt.date(2026, 12, 10),
        now=dt.datetime.fromisoformat("2026-12-09T09:00+08:00"),
    )
    assert second.replaces == first and second.reason.startswith("抽中主体已注销")
    assert Draw.objects.filter(pk=first.pk, state=DrawState.DRAWN).exists()
    assert first.objects_drawn.count() == first.objects_count
