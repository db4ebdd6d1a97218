"""The item list, plans and their publication (issue 19 point 2)."""

from __future__ import annotations

import pytest

from tests.inspections.conftest import PUBLISHED
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.inspections.choices import PlanState
from wangjian.inspections.models import InspectionItem
from wangjian.inspections.services import (
    DEFAULT_RATIO_SOURCE,
    item_save,
    plan_publish,
    plan_save,
    relation_declare,
)
from wangjian.org.choices import DepartmentKind as K
from wangjian.org.models import Department


def test_an_item_takes_its_legal_basis_from_its_duty_list_row(item):
    assert item.legal_basis == item.duty_rule.legal_basis and item.legal_basis
    assert item.domain == "internet_advertising"


def test_an_item_without_a_duty_list_row_or_a_written_basis_is_refused(demo):
    with pytest.raises(ValidationFailed):
        item_save(
            item=InspectionItem(
                bureau=demo.county,
                department=Department.objects.get(bureau=demo.county, kind=K.PRICE),
                name="x",
            ),
            user=demo.users["office"],
        )


def test_a_department_head_makes_items_of_their_own_department_only(demo):
    other = InspectionItem(
        bureau=demo.county,
        department=Department.objects.get(bureau=demo.county, kind=K.PRICE),
        name="明码标价检查",
        legal_basis="《价格法》第十三条",
    )
    with pytest.raises(PermissionDeniedError):
        item_save(item=other, user=demo.users["ad_head"])


def test_an_officer_may_not_make_a_plan(draft, demo):
    plan = draft()
    with pytest.raises(PermissionDeniedError):
        plan_save(plan=plan, user=demo.users["ad_officer"])


def test_a_new_plan_takes_the_default_ratios_and_says_where_they_come_from(draft):
    plan = draft()
    assert plan.class_ratios["A"] == "0.03" and plan.class_ratios["D"] == "0.80"
    assert plan.ratio_source == DEFAULT_RATIO_SOURCE and "须由办公室" in plan.ratio_source
    assert "盐城" in plan.ratio_source and "2022" in plan.ratio_source


def test_a_general_plan_refuses_checking_every_object_and_a_key_item_lifts_it(draft, item, demo):
    assert draft(class_ratios={"D": "0.8"}).class_ratios["D"] == "0.8"
    with pytest.raises(ValidationFailed) as refused:
        draft(class_ratios={"D": "1"})
    assert any("重点检查事项不设上限" in p for p in refused.value.detail)
    item.is_key = True
    item_save(item=item, user=demo.users["office"])
    assert draft(class_ratios={"D": "1"}).class_ratios["D"] == "1"


def test_fewer_than_two_inspectors_per_object_is_refused(draft):
    with pytest.raises(ValidationFailed) as refused:
        draft(inspectors_per_object=1)
    assert "每户检查人员不少于2名" in refused.value.detail


def test_publication_records_the_plan_and_its_item_list_and_freezes_both(published, item, demo):
    plan = published()
    assert plan.state == PlanState.PUBLISHED and plan.published_at == PUBLISHED
    assert plan.publication["items"][0]["legal_basis"] == item.legal_basis
    plan.title = "改过的标题"
    with pytest.raises(ValidationFailed):
        plan_save(plan=plan, user=demo.users["office"])
    item.refresh_from_db()
    item.name = "改过的事项"
    with pytest.raises(ValidationFailed):
        item_save(item=item, user=demo.users["office"])


def test_a_plan_without_check_dates_is_not_published(draft, demo):
    plan = draft(check_start=None, check_end=None)
    with pytest.raises(ValidationFailed):
        plan_publish(plan=plan, user=demo.users["office"], now=PUBLISHED)


def test_an_inspector_declares_their_own_relation_and_an_officer_not_anothers(demo, shops):
    entity = shops(1)[0]
    relation = relation_declare(
        user=demo.users["ad_officer"],
        inspector=demo.users["ad_officer"],
        entity=entity,
        reason="配偶任该公司监事",
    )
    assert relation.bureau_id == demo.county.pk
    with pytest.raises(PermissionDeniedError):
        relation_declare(
            user=demo.users["ad_officer"], inspector=demo.users["ad_head"], entity=entity, reason="x"
        )
