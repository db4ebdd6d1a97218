"""A draft 审批表 is filled again rather than duplicated; a form sent back by the head is corrected and resubmitted."""

from __future__ import annotations

import pytest

from tests.cases.conftest import at
from wangjian.cases import services
from wangjian.cases.models import Case
from wangjian.core.errors import ValidationFailed


def test_drafting_a_clue_twice_fills_the_same_form(fed_back, officer):
    clue = fed_back()
    first = services.case_draft(user=officer, clue=clue, now=at("2025-11-03"))
    again = services.case_draft(user=officer, clue=clue, title="改写的案由", now=at("2025-11-04"))
    assert again.pk == first.pk and Case.objects.filter(clue=clue).count() == 1
    assert again.title == "改写的案由" and again.events.filter(action="draft").count() == 2


def test_a_form_sent_back_is_corrected_and_designated_again(pending, officer, head, leader):
    case = pending()
    services.case_send_back(case=case, user=leader, reason="案由不准确", now=at("2025-11-04"))
    case.refresh_from_db()
    assert case.state == "draft"
    services.case_draft(user=officer, case=case, title="使用绝对化用语", now=at("2025-11-04", "14:00"))
    case = services.case_designate(
        case=case, user=head, officers=[officer, head], now=at("2025-11-04", "15:00")
    )
    assert case.state == "pending" and case.title == "使用绝对化用语"


def test_a_form_past_the_draft_is_not_filled_again(pending, officer):
    case = pending()
    with pytest.raises(ValidationFailed):
        services.case_draft(user=officer, clue=case.clue, now=at("2025-11-04"))


def test_the_clue_page_button_leads_to_the_existing_draft(fed_back, officer, login):
    clue = fed_back()
    case = services.case_draft(user=officer, clue=clue, now=at("2025-11-03"))
    response = login(officer).get(f"/cases/cases/add/?clue={clue.pk}")
    assert response.status_code == 302 and response["Location"] == f"/cases/cases/{case.pk}/edit/"
    page = login(officer).get(f"/cases/cases/{case.pk}/edit/")
    assert page.status_code == 200 and clue.number in page.content.decode()
