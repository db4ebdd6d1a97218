"""The pages and the API: they render, submit through the same services, and refuse in the same words."""

import datetime as dt
import io
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from tests.clues.conftest import at
from wangjian.campaigns.models import Media
from wangjian.campaigns.services import supervision, tables
from wangjian.org import permissions

D = dt.date


@pytest.fixture
def october(campaign, clock):
    clock(at("2025-10-29", "09:00"))
    return campaign.periods.get(kind="month", start=D(2025, 10, 1))


def test_the_pages_render_for_the_office(campaign, october, login, demo):
    web = login(demo.users["office"])
    page = web.get(reverse("campaigns:campaign", args=[campaign.pk])).content.decode()
    assert "集中联合检查" in page and 'id="period-grid"' in page and "逾期未报" in page
    assert campaign.title in web.get(reverse("campaigns:campaign_list")).content.decode()
    month = web.get(reverse("campaigns:period", args=[october.pk])).content.decode()
    assert 'id="late-units"' in month and "旌阳市场监管所" in month
    xlsx = web.get(reverse("campaigns:period", args=[october.pk]), {"file": "xlsx"})
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).active["A1"].value.startswith(campaign.title)
    summary = web.get(reverse("campaigns:summary", args=[campaign.pk])).content.decode()
    assert 'id="summary-totals"' in summary and "还差3个" in summary
    assert web.get(reverse("campaigns:summary", args=[campaign.pk]), {"file": "xlsx"}).status_code == 200


def test_a_unit_fills_and_submits_its_table_on_the_page(campaign, october, login, demo):
    unit = campaign.units.get(station__isnull=False)
    web = login(demo.users["station_officer"])
    opened = web.get(reverse("campaigns:report_open", args=[october.pk, unit.pk]))
    url = opened["Location"]
    report = tables.report_for(period=october, unit=unit)
    data = {f"v_{c.column.key}": "1" for c in tables.cells(report) if c.computed is None}
    data.update({"text": "辖区网店核查30家", "action": "submit"})
    web.post(url, data)
    report.refresh_from_db()
    assert report.state == "submitted" and report.late  # after the 28th
    assert "已报送" in web.get(url).content.decode()


def test_refusals_read_the_same_on_the_page_and_through_the_api(campaign, october, login, api, demo):
    report = tables.report_for(period=october, unit=campaign.units.get(station__isnull=False))
    # the auditor reads, but reports nothing: the permission table's sentence
    zh, en = permissions.get("campaigns.report.submit").refusal()
    page = login(demo.users["auditor"]).post(reverse("campaigns:report", args=[report.pk]), {"text": "x"})
    assert (
        page.status_code == 403
        and escape(zh) in page.content.decode()
        and escape(en) in page.content.decode()
    )
    answer = api(demo.users["auditor"]).post(
        f"/api/campaigns/tables/{report.pk}/submit/", {"text": "x"}, format="json"
    )
    assert answer.status_code == 403 and answer.json()["error"]["zh"] == zh
    # an officer of another unit: the service's sentence
    other = demo.users["ad_officer"]
    page = login(other).post(reverse("campaigns:report", args=[report.pk]), {"text": "x"})
    assert page.status_code == 403 and "只能填报本单位的统计表" in page.content.decode()
    answer = api(other).post(f"/api/campaigns/tables/{report.pk}/submit/", {"text": "x"}, format="json")
    assert answer.status_code == 403 and answer.json()["error"]["zh"] == "只能填报本单位的统计表"
    # managing is the office's
    zh, _en = permissions.get("campaigns.campaign.manage").refusal()
    page = login(other).post(
        reverse("campaigns:campaign_act", args=[campaign.pk, "key_period"]), {"name": "618"}
    )
    assert page.status_code == 403 and escape(zh) in page.content.decode()


def test_the_api_reads_campaigns_periods_and_tables_and_submits_one(campaign, october, api, demo):
    client = api(demo.users["station_officer"])
    listed = client.get("/api/campaigns/campaigns/").json()["results"]
    assert [c["title"] for c in listed] == [campaign.title] and len(listed[0]["phases"]) == 4
    assert len(client.get(f"/api/campaigns/periods/?campaign={campaign.pk}").json()["results"]) == 4
    report = tables.report_for(period=october, unit=campaign.units.get(station__isnull=False))
    detail = client.get(f"/api/campaigns/tables/{report.pk}/").json()
    clue_cell = next(c for c in detail["cells"] if c["column"] == "clues")
    assert clue_cell["computed"] is not None and clue_cell["figure"] == "clues_received"
    entered = {c["column"]: "2" for c in detail["cells"] if c["computed"] is None}
    refused = client.post(
        f"/api/campaigns/tables/{report.pk}/submit/",
        {"values": {**entered, "clues": "99"}, "text": "x"},
        format="json",
    )
    assert refused.status_code == 400 and "须填写修改理由" in refused.json()["error"]["zh"]
    done = client.post(
        f"/api/campaigns/tables/{report.pk}/submit/",
        {"values": {**entered, "clues": "99"}, "reasons": {"clues": "含上级交办"}, "text": "已完成"},
        format="json",
    )
    assert done.status_code == 200 and done.json()["state"] == "submitted"
    assert next(c for c in done.json()["cells"] if c["column"] == "clues")["reason"] == "含上级交办"
    assert api(demo.users["jixi_officer"]).get(f"/api/campaigns/tables/{report.pk}/").status_code == 404


def test_media_is_hashed_and_scores_and_key_periods_raise_the_sweep(
    campaign, demo, settings, tmp_path, monkeypatch
):
    import hashlib

    from wangjian.monitoring.models import MonitoringTask

    settings.WANGJIAN_STORAGE = str(tmp_path)
    office = demo.users["office"]
    from wangjian.campaigns.services import summary

    body = b"\x89PNG fake photo bytes"
    media = summary.media_add(
        user=office,
        campaign=campaign,
        file=SimpleUploadedFile("检查现场.png", body, content_type="image/png"),
        description="联合检查现场",
    )
    assert (
        media.sha256 == hashlib.sha256(body).hexdigest() and media.size == len(body) and media.kind == "photo"
    )
    assert Media.objects.get(pk=media.pk).file.read() == body
    settings.WANGJIAN_EVIDENCE_UPLOAD_MAX_BYTES = 4
    from wangjian.core.uploads import UploadTooLarge

    with pytest.raises(UploadTooLarge):
        summary.media_add(
            user=office, campaign=campaign, file=SimpleUploadedFile("v.mp4", body), description="x"
        )

    group = supervision.group_create(user=office, campaign=campaign, name="第一督查组", leader="王局长")
    unit = campaign.units.first()
    assert (
        supervision.score_set(user=office, group=group, unit=unit, score="88.5", comment="良好").score == 88.5
    )
    task = MonitoringTask.objects.create(bureau=campaign.bureau, name="网店日常监测", interval_hours=24)
    key = supervision.key_period_add(
        user=office, campaign=campaign, name="双十一", start=D(2025, 11, 1), end=D(2025, 11, 12)
    )
    supervision.boost_set(user=office, key_period=key, task=task, interval_hours=4)
    assert supervision.effective_interval(task, D(2025, 11, 11)) == 4
    assert supervision.effective_interval(task, D(2025, 11, 13)) == 24
    # the sweep scheduler takes the raised interval while the key period lasts, and its own after
    from wangjian.monitoring.services import sweeps

    assert sweeps.raised_intervals(D(2025, 11, 11)) == {task.pk: 4}
    assert sweeps.raised_intervals(D(2025, 11, 13)) == {}
    started = []
    monkeypatch.setattr(
        sweeps, "monitoring_task_run", lambda task, now: started.append(task.pk) or SimpleNamespace(run=task)
    )
    ran_at = dt.datetime(2025, 11, 11, 2, 0, tzinfo=dt.UTC)
    MonitoringTask.objects.filter(pk=task.pk).update(last_run_at=ran_at)
    sweeps.monitoring_tasks_due(now=ran_at + dt.timedelta(hours=5))  # 13:00 in Beijing on 11 November
    assert started == [task.pk]
    started.clear()
    later = ran_at + dt.timedelta(days=2)
    MonitoringTask.objects.filter(pk=task.pk).update(last_run_at=later)
    sweeps.monitoring_tasks_due(now=later + dt.timedelta(hours=5))  # 13 November: every 24 hours again
    assert started == []
    with pytest.raises(Exception, match="提高频次"):
        supervision.boost_set(user=office, key_period=key, task=task, interval_hours=48)
