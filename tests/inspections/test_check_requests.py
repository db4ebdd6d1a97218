"""Online checks run in the background; the inspector's record is edited until publication; the end of the
check period is marked by the daily job; the entity page shows the checks; the office sets the objection periods.

A check is *requested* on the page or by the API: who may check, whether the draw is open and whether a check of
the object is pending are decided at once; the fetching is a task (``core.background.dispatch``). In these
tests no broker is configured and each test runs in a transaction, so ``dispatch`` runs the task at once, as
the request's own thread — except where a test holds the task back to see the queued state.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from rest_framework.test import APIClient

from tests.inspections.conftest import BEIJING
from tests.inspections.test_checks import (
    CHECKED,
    VIOLATING,
    _drawn_at,
    _inspector,
    _not_drawn_inspector,
    _text,
)
from wangjian.core.background import task
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.core.models import ChangeRecord
from wangjian.core.schedule import collect
from wangjian.inspections import tasks
from wangjian.inspections.choices import CheckState, ResultCategory
from wangjian.inspections.models import DrawnObject, InspectionSettings, OnlineCheck
from wangjian.inspections.services import (
    check_note,
    check_periods_end,
    check_request,
    result_record,
    results_publish,
    settings_for,
    settings_save,
)
from wangjian.inspections.services.objections import objection_deadline
from wangjian.inspections.services.publication import check_periods_due, publication_item


def _text_of(raw: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", raw))


BUSY = "该主体的线上检查正在进行中，请待其完成后再检查"


@pytest.fixture
def held(monkeypatch):
    """The check's task held back, as when a worker has not taken it up yet: ``held`` lists what was sent."""
    sent: list[dict] = []
    monkeypatch.setattr(
        "wangjian.inspections.services.checks.dispatch",
        lambda name, *, thread_name, **kw: sent.append({"name": name, **kw}),
    )
    return sent


@pytest.fixture
def fast(monkeypatch):
    monkeypatch.setattr("wangjian.inspections.services.checks.CHECK_DELAY", 0)  # loopback needs no pause


# ------------------------------------------------------------------------ the check runs in the background


def test_a_requested_check_is_queued_shown_in_progress_refused_twice_and_the_row_refreshes_until_done(
    round_, site, demo, login, held, fast, clock
):
    site.page("/shop", VIOLATING.encode())
    draw = round_(site, ["/shop"])
    drawn = _drawn_at(draw, site, "/shop")
    clock(CHECKED)
    inspector = login(_inspector(drawn))
    inspector.post(reverse("inspections:drawn_check", args=[drawn.pk]), {"record": "页面检查"})
    drawn.refresh_from_db()
    assert drawn.check_state == CheckState.QUEUED and drawn.check_record == "页面检查"
    assert held == [{"name": "wangjian.inspections.tasks.check_request_run", "drawn_id": drawn.pk}]
    assert not drawn.checks.exists()  # nothing fetched in the request
    page = inspector.get(draw.get_absolute_url()).content.decode()
    row = reverse("inspections:drawn_row", args=[drawn.pk])
    assert "检查进行中" in page and f'hx-get="{row}"' in page and 'hx-trigger="every 2s"' in page
    assert "check-run" not in page  # no second request offered while one is pending

    # a second request while the first is pending is refused, in the same words on the page and the API
    again = inspector.post(reverse("inspections:drawn_check", args=[drawn.pk]), follow=True)
    assert BUSY in _text(again)
    api = APIClient()
    api.force_authenticate(_inspector(drawn))
    answer = api.post(f"/api/inspections/draws/{draw.pk}/check/", {"drawn": drawn.pk}, format="json")
    assert answer.status_code == 400 and answer.json()["error"]["zh"] == BUSY
    assert len(held) == 1

    # the worker takes it up: the check is recorded, the row stops polling and shows what it came to
    tasks.check_request_run.run(drawn_id=drawn.pk)
    drawn.refresh_from_db()
    assert drawn.check_state == CheckState.DONE and drawn.check_finished_at is not None
    check = drawn.checks.get()
    assert check.violation and check.record == "页面检查" and check.checked_by == _inspector(drawn)
    fragment = inspector.get(row).content.decode()
    assert fragment.lstrip().startswith("<tr") and "hx-get" not in fragment and "检查进行中" not in fragment
    assert "发现违法行为（已转线索）" in fragment and check.clue_number in fragment
    # a second delivery of the same task does nothing
    assert tasks.check_request_run.run(drawn_id=drawn.pk)["checks"] == []
    assert drawn.checks.count() == 1


def test_without_a_worker_the_check_still_runs_and_the_api_answers_202_with_the_state(
    round_, site, demo, fast, clock
):
    """In a transaction (a test) ``dispatch`` runs the task here: the answer already says ``done``."""
    site.page("/shop", VIOLATING.encode())
    draw = round_(site, ["/shop"])
    drawn = _drawn_at(draw, site, "/shop")
    clock(CHECKED)
    api = APIClient()
    api.force_authenticate(_inspector(drawn))
    answer = api.post(f"/api/inspections/draws/{draw.pk}/check/", {"drawn": drawn.pk}, format="json")
    assert answer.status_code == 202, answer.content
    body = answer.json()
    assert body["drawn"] == drawn.pk and body["state"] == "done" and body["pending"] is False
    assert [c["outcome"] for c in body["checks"]] == ["violation"]
    polled = api.get(f"/api/inspections/draws/{draw.pk}/check-state/", {"drawn": drawn.pk}).json()
    assert polled["state"] == "done" and polled["checks"][0]["id"] == body["checks"][0]["id"]
    assert api.get(f"/api/inspections/draws/{draw.pk}/check-state/").status_code == 400


def test_a_check_that_fails_in_the_background_is_recorded_failed_with_its_reason_never_clean(
    round_, site, demo, login, held, monkeypatch, clock
):
    draw = round_(site, ["/shop"])
    drawn = draw.objects_drawn.get()
    clock(CHECKED)
    check_request(drawn=drawn, user=_inspector(drawn))

    def broken(*args, **kwargs):
        raise RuntimeError("crawler exploded")

    monkeypatch.setattr("wangjian.inspections.services.checks._read_presence", broken)
    tasks.check_request_run.run(drawn_id=drawn.pk)
    drawn.refresh_from_db()
    assert drawn.check_state == CheckState.FAILED and "内部错误" in drawn.check_error
    assert not drawn.checks.exists()  # nothing recorded as checked, let alone clean
    raw = login(_inspector(drawn)).get(draw.get_absolute_url()).content.decode()
    assert "线上检查失败" in _text_of(raw) and "内部错误" in _text_of(raw) and "check-clean" not in raw
    # a failed check may be requested again
    assert check_request(drawn=drawn, user=_inspector(drawn)).check_state == CheckState.QUEUED


def test_a_refusal_that_arises_between_the_request_and_the_run_fails_the_check_in_the_services_words(
    round_, site, demo, held, clock
):
    draw = round_(site, ["/shop"])
    drawn = draw.objects_drawn.get()
    clock(CHECKED)
    check_request(drawn=drawn, user=_inspector(drawn))
    drawn.inspectors.all().delete()  # the inspector is no longer drawn for the object
    tasks.check_request_run.run(drawn_id=drawn.pk)
    drawn.refresh_from_db()
    assert drawn.check_state == CheckState.FAILED and "检查人员" in drawn.check_error
    assert not drawn.checks.exists()


def test_refusals_come_at_request_time_and_queue_nothing(round_, site, demo, login, held):
    draw = round_(site, ["/shop"])
    drawn = draw.objects_drawn.get()
    other = _not_drawn_inspector(drawn, demo)
    with pytest.raises(PermissionDeniedError):
        check_request(drawn=drawn, user=other)
    login(other).post(reverse("inspections:drawn_check", args=[drawn.pk]))
    drawn.entity.presences.all().delete()
    with pytest.raises(ValidationFailed, match="没有登记网络经营场所"):
        check_request(drawn=drawn, user=_inspector(drawn))
    drawn.refresh_from_db()
    assert drawn.check_state == "" and held == []


def test_a_check_pending_for_more_than_an_hour_is_failed_and_may_be_requested_again(round_, site, demo, held):
    draw = round_(site, ["/shop"])
    drawn = draw.objects_drawn.get()
    check_request(drawn=drawn, user=_inspector(drawn), now=CHECKED)
    with pytest.raises(ValidationFailed, match=BUSY):
        check_request(drawn=drawn, user=_inspector(drawn), now=CHECKED + dt.timedelta(minutes=59))
    later = CHECKED + dt.timedelta(hours=2)
    drawn = check_request(drawn=drawn, user=_inspector(drawn), now=later)
    assert drawn.check_state == CheckState.QUEUED and drawn.check_requested_at == later and len(held) == 2


# ------------------------------------------------------------------------ the record, after the check


def _checked(round_, site, demo):
    site.page("/shop", VIOLATING.encode())
    draw = round_(site, ["/shop"])
    drawn = _drawn_at(draw, site, "/shop")
    check_request(drawn=drawn, user=_inspector(drawn), background=False)
    return draw, drawn, drawn.checks.get()


def test_the_inspector_edits_the_record_on_the_page_and_the_change_log_keeps_both_versions(
    round_, site, demo, login, fast
):
    draw, drawn, check = _checked(round_, site, demo)
    inspector = login(_inspector(drawn))
    page = inspector.get(draw.get_absolute_url()).content.decode()
    assert f'id="check-record-{check.pk}"' in page
    inspector.post(
        reverse("inspections:check_record", args=[check.pk]), {"record": "首页宣传用语违法，已截图"}
    )
    check.refresh_from_db()
    assert check.record == "首页宣传用语违法，已截图"
    change = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(OnlineCheck), object_id=str(check.pk), action="update"
    ).latest("id")
    assert change.before["record"] == "" and change.after["record"] == "首页宣传用语违法，已截图"
    assert change.user == _inspector(drawn) and change.via == "web"
    # not offered to whom the service would refuse
    other = _not_drawn_inspector(drawn, demo)
    assert f'id="check-record-{check.pk}"' not in login(other).get(draw.get_absolute_url()).content.decode()


def test_the_record_is_refused_in_the_same_words_on_the_page_and_the_api_and_closed_after_publication(
    round_, site, demo, login, fast
):
    draw, drawn, check = _checked(round_, site, demo)
    other = _not_drawn_inspector(drawn, demo)
    with pytest.raises(PermissionDeniedError) as refused:
        check_note(check=check, user=other, record="x")
    page = login(other).post(
        reverse("inspections:check_record", args=[check.pk]), {"record": "x"}, follow=True
    )
    assert refused.value.zh in _text(page)
    api = APIClient()
    api.force_authenticate(other)
    answer = api.post(
        f"/api/inspections/draws/{draw.pk}/record/", {"check": check.pk, "record": "x"}, format="json"
    )
    assert answer.status_code == 403 and answer.json()["error"]["zh"] == refused.value.zh

    api.force_authenticate(_inspector(drawn))
    answer = api.post(
        f"/api/inspections/draws/{draw.pk}/record/", {"check": check.pk, "record": "经API补记"}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["record"] == "经API补记"

    result_record(
        drawn=drawn, item=draw.plan.items.get(), category=ResultCategory.PENDING, user=demo.users["office"]
    )
    results_publish(plan=draw, user=demo.users["office"])
    answer = api.post(
        f"/api/inspections/draws/{draw.pk}/record/", {"check": check.pk, "record": "改"}, format="json"
    )
    assert answer.status_code == 400 and answer.json()["error"]["zh"] == "抽查结果已公示，不能再修改"
    page = login(_inspector(drawn))
    assert f'id="check-record-{check.pk}"' not in page.get(draw.get_absolute_url()).content.decode()
    said = page.post(reverse("inspections:check_record", args=[check.pk]), {"record": "改"}, follow=True)
    assert "抽查结果已公示，不能再修改" in _text(said)
    check.refresh_from_db()
    assert check.record == "经API补记"


# ------------------------------------------------------------------------ the end of the check period


def test_the_daily_job_marks_the_end_of_the_check_period_once_the_end_date_has_passed(round_, site, demo):
    draw = round_(site, ["/shop"])  # check_end 2025-09-30
    plan = draw.plan
    assert check_periods_due(today=dt.date(2025, 9, 30)) == []  # the last day is still in the period
    assert check_periods_end(today=dt.date(2025, 9, 30)) == []
    [item] = check_periods_end(today=dt.date(2025, 10, 9))
    plan.refresh_from_db()
    assert plan.ended_on == dt.date(2025, 9, 30)  # the plan's end date, not the day the job ran
    assert item.due == dt.date(2025, 11, 4) and publication_item(plan) == item  # 20 working days after 国庆
    assert check_periods_end(today=dt.date(2025, 10, 10)) == []  # once
    assert check_periods_due(today=dt.date(2025, 10, 10)) == []


def test_the_daily_job_leaves_plans_without_a_made_draw_or_already_ended(draft, published, demo):
    plan = published(check_end=dt.date(2026, 12, 31))  # published, no draw made
    assert check_periods_due(today=dt.date(2027, 1, 5)) == []
    draft_plan = draft(check_end=dt.date(2026, 12, 31))  # a draft
    assert draft_plan not in check_periods_due(today=dt.date(2027, 1, 5)) and plan.pk


def test_the_job_is_a_registered_task_scheduled_daily():
    job = collect()["inspections-check-periods-end"]
    assert job == {"task": "wangjian.inspections.tasks.check_periods_end", "every": 86400}
    assert task(job["task"]).name == tasks.check_periods_end.name
    assert getattr(task("wangjian.inspections.tasks.check_request_run"), "reads_the_web", False)


def test_the_task_runs_the_service(round_, site, demo, clock):
    draw = round_(site, ["/shop"])
    clock(dt.datetime(2025, 10, 9, 6, 0, tzinfo=BEIJING))
    [pk] = tasks.check_periods_end.run()
    assert publication_item(draw.plan).pk == pk


# ------------------------------------------------------------------------ the entity page


def test_the_entity_panel_shows_the_checks_with_date_outcome_and_fetch_and_not_to_another_county(
    round_, site, demo, login, fast, clock
):
    draw = round_(site, ["/gone"])  # the site answers 404
    drawn = draw.objects_drawn.get()
    clock(CHECKED)
    check_request(drawn=drawn, user=_inspector(drawn), background=False)
    url = reverse("inspections:entity_inspections", args=[drawn.entity_id])
    panel = _text(login(demo.users["auditor"]).get(url))
    assert draw.plan.title in panel and "2025-09-10 10:00" in panel
    assert "未能读取页面，未作检查结论" in panel and "未能读取入口页面" in panel
    other = _text(login(demo.users["jixi_officer"]).get(url))
    assert draw.plan.title not in other and "未能读取" not in other


def test_the_entity_panel_says_a_check_is_in_progress(round_, site, demo, login, held):
    draw = round_(site, ["/shop"])
    drawn = draw.objects_drawn.get()
    check_request(drawn=drawn, user=_inspector(drawn))
    url = reverse("inspections:entity_inspections", args=[drawn.entity_id])
    assert "检查进行中" in _text(login(demo.users["auditor"]).get(url))


# ------------------------------------------------------------------------ the objection periods


def test_the_office_sets_the_objection_periods_on_its_page_and_the_change_is_logged(demo, login):
    office = login(demo.users["office"])
    url = reverse("inspections:settings")
    page = office.get(url).content.decode()
    assert 'id="inspection-settings"' in page and 'value="30"' in page
    office.post(url, {"objection_days": "15", "objection_decision_days": "10"})
    saved = InspectionSettings.objects.get(bureau=demo.county)
    assert (saved.objection_days, saved.objection_decision_days) == (15, 10)
    change = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(InspectionSettings), object_id=str(saved.pk)
    ).latest("id")
    assert change.user == demo.users["office"] and change.after["objection_days"] == 15
    office.post(url, {"objection_days": "20", "objection_decision_days": "10"})
    change = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(InspectionSettings), object_id=str(saved.pk)
    ).latest("id")
    assert change.action == "update" and change.before["objection_days"] == 15
    assert "15 → 20" in _text(office.get(url))
    bad = office.post(url, {"objection_days": "0", "objection_decision_days": "10"})
    assert "异议期限（日）应在 1 至 365 之间" in _text(bad)
    assert settings_for(demo.county).objection_days == 20


def test_only_the_office_of_the_bureau_sets_the_periods_in_the_same_words_on_the_page_and_the_api(
    demo, login
):
    with pytest.raises(PermissionDeniedError) as refused:
        settings_save(user=demo.users["ad_head"], bureau=demo.county, objection_days=10)
    words = refused.value.zh
    assert login(demo.users["ad_head"]).get(reverse("inspections:settings")).status_code == 403
    api = APIClient()
    api.force_authenticate(demo.users["ad_head"])
    assert api.get("/api/inspections/plans/settings/").json()["objection_days"] == 30  # readers read
    answer = api.post("/api/inspections/plans/settings/", {"objection_days": 10}, format="json")
    assert answer.status_code == 403 and answer.json()["error"]["zh"] == words
    # an office of another bureau (the city's) does not set the county's
    city = login(demo.users["city_office"]).get(f"{reverse('inspections:settings')}?bureau={demo.county.pk}")
    assert city.status_code == 403
    # the table's own refusal for who may not manage plans at all
    api.force_authenticate(demo.users["ad_officer"])
    answer = api.post("/api/inspections/plans/settings/", {"objection_days": 10}, format="json")
    assert answer.status_code == 403
    api.force_authenticate(demo.users["office"])
    answer = api.post("/api/inspections/plans/settings/", {"objection_decision_days": 5}, format="json")
    assert answer.status_code == 200 and answer.json() == {
        "bureau": demo.county.pk,
        "objection_days": 30,
        "objection_decision_days": 5,
    }
    assert InspectionSettings.objects.get(bureau=demo.county).objection_decision_days == 5


def test_the_new_objection_period_counts_from_publication(round_, site, demo, fast):
    draw, drawn, _check = _checked(round_, site, demo)
    result = result_record(
        drawn=drawn, item=draw.plan.items.get(), category=ResultCategory.PENDING, user=demo.users["office"]
    )
    results_publish(plan=draw, user=demo.users["office"], now=dt.datetime(2025, 10, 20, 9, 0, tzinfo=BEIJING))
    result.refresh_from_db()
    assert objection_deadline(result) == dt.date(2025, 11, 19)
    settings_save(user=demo.users["office"], bureau=demo.county, objection_days=10)
    assert objection_deadline(result) == dt.date(2025, 10, 30)


def test_a_drawn_object_starts_with_no_check_requested(round_, site, demo):
    draw = round_(site, ["/shop"])
    assert set(DrawnObject.objects.filter(draw=draw).values_list("check_state", flat=True)) == {""}
