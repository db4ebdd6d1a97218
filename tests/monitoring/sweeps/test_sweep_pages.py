"""The sweep pages and API: task, run button, live progress, findings, review, licence table, diff."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.monitoring.util import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def swept(county, market_presences, login, demo):
    """The office runs a task over a few shops from the task page."""
    task = make_task(county, market_presences[:8], evidence_threshold="high")
    client = login(demo.users["office"])
    response = client.post(reverse("monitoring:task_run", args=[task.pk]))
    assert response.status_code == 302
    return client, task


def test_run_button_leads_to_the_progress_page_which_polls_until_done(swept):
    from wangjian.monitoring.models import SweepRun

    client, task = swept
    run = SweepRun.objects.get(task=task)
    page = client.get(run.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200 and 'id="pages-done"' in html and "已完成" in html
    partial = client.get(run.get_absolute_url() + "?partial=1", HTTP_HX_REQUEST="true").content.decode()
    assert (
        partial.lstrip().startswith('<div id="run-progress"') and "every 2s" not in partial
    )  # finished: stop polling
    run.status = "running"
    run.save()
    partial = client.get(run.get_absolute_url() + "?partial=1", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in partial


def test_finding_page_highlights_the_text_shows_evidence_and_confirms(swept, demo):
    from wangjian.monitoring.models import Finding

    client, task = swept
    finding = Finding.objects.exclude(evidence=None).first()
    html = client.get(finding.get_absolute_url()).content.decode()
    assert f"<mark class='wj-hit'>{finding.matched}</mark>" in html
    assert finding.evidence.get_absolute_url() in html
    client.post(
        reverse("monitoring:finding_review", args=[finding.pk]), {"decision": "confirm", "reason": "属实"}
    )
    finding.refresh_from_db()
    assert (
        finding.status == "confirmed" and finding.reviewed_by == demo.users["office"] and finding.clue_number
    )


def test_dismiss_without_a_reason_is_refused_on_the_page(swept):
    from wangjian.monitoring.models import Finding

    client, _ = swept
    finding = Finding.objects.first()
    response = client.post(
        reverse("monitoring:finding_review", args=[finding.pk]), {"decision": "dismiss"}, follow=True
    )
    assert "须填写理由" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == "new"


def test_lists_licence_table_and_snapshot_pages_render(swept):
    from wangjian.monitoring.models import PageSnapshot

    client, task = swept
    for name in ("task_list", "run_list", "finding_list", "licence_list", "snapshot_list"):
        assert client.get(reverse(f"monitoring:{name}")).status_code == 200, name
    licences = client.get(reverse("monitoring:licence_list")).content.decode()
    assert "已亮照且与登记一致" in licences
    assert client.get(task.get_absolute_url()).status_code == 200
    assert client.get(reverse("monitoring:task_edit", args=[task.pk])).status_code == 200
    snap = PageSnapshot.objects.first()
    snap.previous_text, snap.text = "旧的一行", "新的一行"
    snap.save()
    html = client.get(snap.get_absolute_url()).content.decode()
    assert "- 旧的一行" in html and "+ 新的一行" in html
    assert client.get(reverse("monitoring:finding_list") + "?status=new&severity=high").status_code == 200


def test_another_county_sees_none_of_the_findings(swept, demo, client):
    client.force_login(demo.users["jixi_officer"])
    from wangjian.monitoring.models import Finding

    finding = Finding.objects.first()
    assert client.get(finding.get_absolute_url()).status_code == 404


def test_api_lists_findings_and_confirms_through_the_service(swept, api, demo):
    from wangjian.monitoring.models import Finding

    c = api(demo.users["office"])
    data = c.get("/api/monitoring/findings/").json()
    assert data["results"]
    pk = data["results"][0]["id"]
    r = c.post(f"/api/monitoring/findings/{pk}/dismiss/", {"reason": "误报"}, format="json")
    assert r.status_code == 200 and Finding.objects.get(pk=pk).status == "dismissed"
    r = c.post(f"/api/monitoring/findings/{pk}/dismiss/", {"reason": "再次"}, format="json")
    assert r.status_code == 400 and r.json()["error"]["zh"]
    runs = c.get("/api/monitoring/runs/").json()["results"]
    assert runs[0]["progress"]["percent"] == 100


def test_a_missing_licence_is_turned_into_a_clue_from_its_check_page_once(
    county, market_presences, login, demo
):
    from wangjian.clues.models import Clue
    from wangjian.monitoring.models import LicenceCheck
    from wangjian.monitoring.services import monitoring_task_run

    monitoring_task_run(task=make_task(county, market_presences, depth=0, evidence_threshold="none"))
    client = login(demo.users["office"])
    ok = LicenceCheck.objects.filter(verdict="shown_ok").first()
    assert 'id="licence-clue-button"' not in client.get(ok.get_absolute_url()).content.decode()
    missing = LicenceCheck.objects.filter(verdict="missing").first()
    assert 'id="licence-clue-button"' in client.get(missing.get_absolute_url()).content.decode()
    client.post(reverse("monitoring:licence_clue", args=[missing.pk]))
    client.post(reverse("monitoring:licence_clue", args=[missing.pk]))
    missing.refresh_from_db()
    clue = Clue.objects.get(number=missing.clue_number)
    assert clue.domain == "licence_display" and clue.presence_id == missing.presence_id
    assert Clue.objects.filter(source_ref=f"monitoring.licence:{missing.pk}").count() == 1


def test_api_runs_a_task_for_the_office_only(county, market_presences, api, demo):
    task = make_task(county, market_presences[:2], depth=0, evidence_threshold="none")
    r = api(demo.users["ad_officer"]).post(f"/api/monitoring/tasks/{task.pk}/run/")
    assert r.status_code == 403 and not task.runs.exists()
    r = api(demo.users["office"]).post(f"/api/monitoring/tasks/{task.pk}/run/")
    assert r.status_code == 201 and r.json()["status"] == "done" and r.json()["presences_total"] == 2
    assert api(demo.users["jixi_officer"]).get(f"/api/monitoring/tasks/{task.pk}/").status_code == 404


def test_a_review_body_that_is_not_an_object_or_whose_reason_is_not_text_is_a_400(swept, api, demo):
    """A JSON list reached ``request.data.get`` (a 500); the review's input is now read by a serializer."""
    from tests.platform.documented import assert_documented
    from wangjian.monitoring.models import Finding

    finding = Finding.objects.filter(status="new").first()
    c = api(demo.users["office"])
    for action in ("confirm", "dismiss"):
        url = f"/api/monitoring/findings/{finding.pk}/{action}/"
        assert c.post(url, "[1]", content_type="application/json").status_code == 400
        assert c.post(url, {"reason": ["误报"]}, format="json").status_code == 400
    finding.refresh_from_db()
    assert finding.status == "new"
    r = c.post(f"/api/monitoring/findings/{finding.pk}/dismiss/", {"reason": "误报"}, format="json")
    assert r.status_code == 200 and r.json()["decision"]
    assert_documented(c, r, "post", "/api/monitoring/findings/{id}/dismiss/")


def test_running_a_task_answers_the_run_and_its_reason_as_documented(county, market_presences, api, demo):
    from tests.platform.documented import assert_documented

    task = make_task(county, market_presences[:1], depth=0, evidence_threshold="none")
    c = api(demo.users["office"])
    r = c.post(f"/api/monitoring/tasks/{task.pk}/run/")
    assert r.status_code == 201 and "reason" in r.json()
    assert_documented(c, r, "post", "/api/monitoring/tasks/{id}/run/")
