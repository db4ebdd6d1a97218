"""The office reviews findings: confirm (it becomes a clue) or dismiss with a reason; rule precision follows."""

from __future__ import annotations

import pytest

from tests.monitoring.util import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def findings(county, site):
    from wangjian.monitoring.models import Finding
    from wangjian.monitoring.services import monitoring_task_run
    from wangjian.registry.models import Presence

    site.page("/a/", "<p>本店面霜效果全网最佳</p>".encode())
    site.page("/b/", "<p>全网最佳的茶叶</p>".encode())
    shops = [
        Presence.objects.create(bureau=county, kind="website", url=f"{site.url}{p}", shop_name=p)
        for p in ("/a/", "/b/")
    ]
    monitoring_task_run(task=make_task(county, shops, depth=0, evidence_threshold="none"))
    found = list(Finding.objects.filter(rule_code="ABS-001").order_by("pk"))
    assert len(found) == 2 and found[0].rule_id == found[1].rule_id is not None
    return found


def test_confirm_and_dismiss_update_the_rule_precision(demo, findings):
    from wangjian.monitoring.models import Rule
    from wangjian.monitoring.selectors import rule_precision
    from wangjian.monitoring.services import finding_confirm, finding_dismiss

    office = demo.users["office"]
    finding_confirm(finding=findings[0], user=office, reason="属实", to_clue=False)
    finding_dismiss(finding=findings[1], user=office, reason="茶叶评比原文引用，非本店宣传")
    rule = Rule.objects.get(pk=findings[0].rule_id)
    assert (rule.confirmed, rule.dismissed, rule.precision) == (1, 1, 0.5)
    row = next(r for r in rule_precision() if r["rule_code"] == "ABS-001")
    assert (row["confirmed"], row["dismissed"], row["precision"]) == (1, 1, 0.5)


def test_changing_a_decision_moves_the_count_rather_than_adding_one(demo, findings):
    from wangjian.monitoring.models import Rule
    from wangjian.monitoring.services import finding_confirm, finding_dismiss

    office = demo.users["office"]
    finding_dismiss(finding=findings[0], user=office, reason="误报")
    finding_confirm(finding=findings[0], user=office, reason="复核属实", to_clue=False)
    rule = Rule.objects.get(pk=findings[0].rule_id)
    assert (rule.confirmed, rule.dismissed) == (1, 0)


def test_a_finding_confirmed_before_its_rule_was_counted_is_dismissed_without_a_negative_count(
    demo, findings
):
    """A finding recorded as confirmed outside the review (an import, a restore) leaves the counter at zero."""
    from wangjian.monitoring.models import Finding, Rule
    from wangjian.monitoring.services import finding_dismiss

    Finding.objects.filter(pk=findings[0].pk).update(status="confirmed")
    findings[0].refresh_from_db()
    finding_dismiss(finding=findings[0], user=demo.users["office"], reason="复核为误报")
    rule = Rule.objects.get(pk=findings[0].rule_id)
    assert (rule.confirmed, rule.dismissed) == (0, 1)


def test_dismissing_needs_a_reason(demo, findings):
    from wangjian.core.errors import ValidationFailed
    from wangjian.monitoring.services import finding_dismiss

    with pytest.raises(ValidationFailed):
        finding_dismiss(finding=findings[0], user=demo.users["office"], reason="  ")
    findings[0].refresh_from_db()
    assert findings[0].status == "new"


def test_an_officer_of_another_bureau_cannot_review(demo, findings):
    from wangjian.core.errors import PermissionDeniedError
    from wangjian.monitoring.services import finding_confirm

    with pytest.raises(PermissionDeniedError):
        finding_confirm(finding=findings[0], user=demo.users["jixi_officer"])


def test_a_confirmed_finding_becomes_a_routed_clue_from_monitoring(demo, findings):
    from wangjian.clues.models import Clue
    from wangjian.monitoring.services import finding_confirm

    decision = finding_confirm(finding=findings[0], user=demo.users["office"], reason="属实")
    findings[0].refresh_from_db()
    clue = Clue.objects.get(number=findings[0].clue_number)
    assert decision.receipt.number == clue.number and decision.receipt.created
    assert clue.source_kind == "monitoring" and clue.domain == "internet_advertising"
    assert clue.presence_id == findings[0].presence_id
    assert "全网最佳" in clue.facts


def test_a_clue_that_failed_at_confirmation_is_made_from_the_finding_page(demo, findings, login, monkeypatch):
    from django.urls import reverse

    from wangjian.clues.models import Clue
    from wangjian.monitoring import services

    real = services.review.finding_to_clue

    def broken(**kwargs):
        raise RuntimeError("mail server down")

    monkeypatch.setattr(services.review, "finding_to_clue", broken)
    office = login(demo.users["office"])
    review = reverse("monitoring:finding_review", args=[findings[0].pk])
    page = office.post(review, {"decision": "confirm", "reason": "属实"}, follow=True).content.decode()
    findings[0].refresh_from_db()
    assert findings[0].status == "confirmed" and not findings[0].clue_number  # the confirmation stands
    assert "未能生成线索" in page and "mail server down" not in page  # no internals shown to the officer
    assert 'value="clue"' in page

    monkeypatch.setattr(services.review, "finding_to_clue", real)
    page = office.post(review, {"decision": "clue"}, follow=True).content.decode()
    findings[0].refresh_from_db()
    clue = Clue.objects.get(number=findings[0].clue_number)
    assert clue.number in page and 'value="clue"' not in page
    assert office.post(review, {"decision": "clue"}, follow=True).content.decode().count(clue.number) >= 1
    assert Clue.objects.count() == 1  # asked again, no second clue


def test_rule_statistics_page_shows_the_precision(demo, findings, login):
    from django.urls import reverse

    from wangjian.monitoring.services import finding_confirm, finding_dismiss

    office = demo.users["office"]
    finding_confirm(finding=findings[0], user=office, to_clue=False)
    finding_dismiss(finding=findings[1], user=office, reason="误报")
    html = login(office).get(reverse("monitoring:rule_list") + "?q=ABS-001").content.decode()
    assert "确认率" in html and "50%" in html
    html = login(office).get(reverse("monitoring:rule", args=[findings[0].rule_id])).content.decode()
    assert "确认率" in html and "50%" in html
