"""Correcting a campaign's plan after it was made, on its page and through the API: the fields, the dates with the
reporting periods following them (a submitted month is never lost), the phases, units, columns and 重点时段 —
each change logged, each refusal in the same words on both; and the final summary's messages speak of the
summary (工作总结) and its day, not of a monthly table."""

import datetime as dt
import html

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.clues.conftest import at
from wangjian.campaigns import columns as column_defs
from wangjian.campaigns.models import Campaign, CampaignUnit, KeyPeriod, Period, Phase, Reminder, UnitReport
from wangjian.campaigns.permissions import CAMPAIGN_MANAGE
from wangjian.campaigns.services import periods, plan, supervision, tables
from wangjian.core.models import ChangeRecord
from wangjian.org import permissions
from wangjian.platform.inbox.models import Message

D = dt.date


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def _changes(campaign) -> list[ChangeRecord]:
    ct = ContentType.objects.get_for_model(Campaign)
    return list(ChangeRecord.objects.filter(content_type=ct, object_id=str(campaign.pk), action="update"))


def _months(campaign) -> list[tuple]:
    return [(p.pk, p.start, p.end, p.due) for p in campaign.periods.filter(kind="month").order_by("start")]


def _submit(period, unit, user, when: str):
    report = tables.report_for(period=period, unit=unit)
    values = {c.column.key: "1" for c in tables.cells(report) if c.computed is None}
    tables.report_save(report=report, user=user, values=values, text="已开展检查")
    tables.report_submit(report=report, user=user, now=at(when, "15:00"))
    return report


def _form(campaign, **changes) -> dict:
    """The edit page's fields as recorded, with ``changes``."""
    data = {
        "title": campaign.title,
        "year": campaign.year,
        "document_number": campaign.document_number,
        "start": campaign.start.isoformat(),
        "end": campaign.end.isoformat(),
        "summary_due": campaign.summary_due.isoformat() if campaign.summary_due else "",
        "lead_department": "",
        "basis": campaign.basis,
        "description": campaign.description,
        "due_day": campaign.due_day,
        "reminder_days": campaign.reminder_days,
    }
    return {**data, **changes}


@pytest.fixture
def station(campaign):
    return campaign.units.get(station__isnull=False)


@pytest.fixture
def september(campaign):
    return campaign.periods.get(kind="month", start=D(2025, 9, 1))


def test_the_office_edits_the_plan_on_its_page_and_the_periods_follow_the_new_end(
    campaign, demo, login, clock
):
    clock(at("2025-09-10"))
    web = login(demo.users["office"])
    assert 'id="campaign-edit-link"' in _page(web.get(campaign.get_absolute_url()))
    form = _page(web.get(reverse("campaigns:campaign_edit", args=[campaign.pk])))
    assert (
        f'value="{campaign.title}"' in form and 'value="2025-11-30"' in form and "旌市场〔2025〕18号" in form
    )
    before = _months(campaign)
    changes = {"title": "2025年网络市场监管“清朗”专项行动", "end": "2025-12-31", "summary_due": "2026-01-09"}
    _page(
        web.post(
            reverse("campaigns:campaign_edit", args=[campaign.pk]), _form(campaign, **changes), follow=True
        )
    )
    campaign.refresh_from_db()
    assert campaign.title == "2025年网络市场监管“清朗”专项行动" and campaign.end == D(2025, 12, 31)
    after = _months(campaign)
    assert after[:3] == before  # September to November: the same periods, days and due days
    assert after[3][1:] == (D(2025, 12, 1), D(2025, 12, 31), D(2025, 12, 26))  # the 28th a Sunday
    final = campaign.periods.get(kind="final")
    assert (final.end, final.due) == (D(2025, 12, 31), D(2026, 1, 9))
    [record] = [r for r in _changes(campaign) if "title" in r.after]  # the units added are logged too
    assert record.via == "web" and record.user == demo.users["office"]
    assert record.before["end"] == "2025-11-30" and record.after["end"] == "2025-12-31"


def test_a_later_start_in_the_same_month_keeps_its_period_and_the_submitted_table(
    campaign, demo, station, september, api, clock
):
    report = _submit(september, station, demo.users["station_officer"], "2025-09-20")
    clock(at("2025-09-25"))
    answer = api(demo.users["office"]).patch(
        f"/api/campaigns/campaigns/{campaign.pk}/",
        {"start": "2025-09-05", "phases": [{"name": "集中整治", "start": "2025-09-05", "end": "2025-11-30"}]},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert [p["name"] for p in answer.json()["phases"]] == ["集中整治"]
    september.refresh_from_db()
    assert (september.start, september.end) == (D(2025, 9, 5), D(2025, 9, 30))
    report.refresh_from_db()
    assert report.period == september and report.state == "submitted"
    assert campaign.periods.get(kind="final").start == D(2025, 9, 5)
    phases = next(r for r in _changes(campaign) if "phases" in (r.after or {}))
    assert phases.after["phases"] == ["集中整治 2025-09-05—2025-11-30"] and phases.via == "api"


def test_a_change_dropping_a_month_with_a_submitted_table_is_refused_alike_on_the_page_and_the_api(
    campaign, demo, station, september, login, api, clock
):
    _submit(september, station, demo.users["station_officer"], "2025-09-26")
    clock(at("2025-10-08"))
    months = _months(campaign)
    phases = [{"name": "集中整治", "start": "2025-10-01", "end": "2025-11-30"}]
    answer = api(demo.users["office"]).patch(
        f"/api/campaigns/campaigns/{campaign.pk}/", {"start": "2025-10-01", "phases": phases}, format="json"
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["zh"].startswith("2025年9月已有单位报送") and "2025年9月" in error["en"]
    web = login(demo.users["office"])
    page = _page(
        web.post(
            reverse("campaigns:campaign_edit", args=[campaign.pk]),
            _form(campaign, start="2025-10-01"),
            follow=True,
        )
    )
    assert error["zh"] in page and error["en"] in page
    campaign.refresh_from_db()
    assert campaign.start == D(2025, 9, 1) and _months(campaign) == months
    assert [p.name for p in campaign.phases.all()] == ["动员部署", "集中联合检查", "督查", "总结"]
    # the final summary too: its day is not taken away once a unit submitted it
    final = campaign.periods.get(kind="final")
    _submit(final, station, demo.users["station_officer"], "2025-10-08")
    answer = api(demo.users["office"]).patch(
        f"/api/campaigns/campaigns/{campaign.pk}/", {"summary_due": None}, format="json"
    )
    assert answer.status_code == 400 and answer.json()["error"]["zh"].startswith("总结已有单位报送")
    assert Campaign.objects.get(pk=campaign.pk).summary_due == D(2025, 12, 1)


def test_a_month_without_submitted_tables_goes_with_its_drafts_once_the_phases_fit(
    campaign, demo, station, api, clock
):
    november = campaign.periods.get(kind="month", start=D(2025, 11, 1))
    draft = tables.report_for(period=november, unit=station)
    clock(at("2025-10-08"))
    client = api(demo.users["office"])
    answer = client.patch(f"/api/campaigns/campaigns/{campaign.pk}/", {"end": "2025-10-31"}, format="json")
    assert answer.status_code == 400
    assert answer.json()["error"]["zh"].startswith("阶段“督查、总结”不在行动期间（2025-09-01至2025-10-31）内")
    assert Period.objects.filter(pk=november.pk).exists()
    phases = [
        {
            "id": p.pk,
            "name": p.name,
            "start": p.start.isoformat(),
            "end": min(p.end, D(2025, 10, 31)).isoformat(),
        }
        for p in campaign.phases.filter(start__lte=D(2025, 10, 31))
    ]
    answer = client.patch(
        f"/api/campaigns/campaigns/{campaign.pk}/", {"end": "2025-10-31", "phases": phases}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    assert [p.start.month for p in campaign.periods.filter(kind="month").order_by("start")] == [9, 10]
    assert (
        not Period.objects.filter(pk=november.pk).exists()
        and not UnitReport.objects.filter(pk=draft.pk).exists()
    )
    assert campaign.periods.get(kind="final").end == D(2025, 10, 31)


def test_a_new_due_day_moves_the_months_not_yet_judged_and_reminds_again(campaign, demo, api, clock):
    periods.late_mark(today=D(2025, 10, 29), now=at("2025-10-29", "01:00"))  # September and October judged
    november = campaign.periods.get(kind="month", start=D(2025, 11, 1))
    assert periods.reminders_send(today=D(2025, 11, 25), now=at("2025-11-25", "08:00")) == 2
    clock(at("2025-11-03"))
    answer = api(demo.users["office"]).patch(
        f"/api/campaigns/campaigns/{campaign.pk}/", {"due_day": 20}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    assert [d for _pk, _s, _e, d in _months(campaign)] == [D(2025, 9, 28), D(2025, 10, 28), D(2025, 11, 20)]
    assert not Reminder.objects.filter(period=november).exists()  # counted again before the new day
    assert periods.reminders_send(today=D(2025, 11, 17), now=at("2025-11-17", "08:00")) == 2


def test_the_summary_day_stays_once_its_late_units_were_marked(campaign, demo, login, api, clock):
    periods.late_mark(today=D(2025, 12, 2), now=at("2025-12-02", "01:00"))
    clock(at("2025-12-03"))
    answer = api(demo.users["office"]).patch(
        f"/api/campaigns/campaigns/{campaign.pk}/", {"summary_due": "2025-12-15"}, format="json"
    )
    page = _page(
        login(demo.users["office"]).post(
            reverse("campaigns:campaign_edit", args=[campaign.pk]),
            _form(campaign, summary_due="2025-12-15"),
            follow=True,
        )
    )
    assert answer.status_code == 400 and answer.json()["error"]["zh"] in page
    assert answer.json()["error"]["zh"].startswith("工作总结已过报送日（2025-12-01）并已标记逾期单位")
    assert Campaign.objects.get(pk=campaign.pk).summary_due == D(2025, 12, 1)


def test_the_final_summarys_reminders_and_late_notices_speak_of_the_summary_and_its_day(campaign, demo):
    station_officer, office = demo.users["station_officer"], demo.users["office"]
    periods.reminders_send(today=D(2025, 11, 26), now=at("2025-11-26", "08:00"))
    reminded = Message.objects.get(user=station_officer, title__contains="工作总结")
    assert reminded.title == f"{campaign.title}：工作总结请于 2025-12-01 前报送（还有3个工作日）"
    month = Message.objects.get(user=station_officer, title__contains="2025年11月")
    assert month.title == f"{campaign.title}：2025年11月统计表请于 2025-11-28 前报送（还有2个工作日）"
    periods.late_mark(today=D(2025, 12, 2), now=at("2025-12-02", "01:00"))
    late = Message.objects.get(user=station_officer, kind="overdue", title__contains="工作总结")
    assert late.title == f"{campaign.title}：工作总结逾期未报送（总结报送日 2025-12-01）"
    told = Message.objects.get(user=office, kind="overdue", title__contains="工作总结")
    assert told.title == f"{campaign.title}：工作总结有2个单位逾期未报送（总结报送日 2025-12-01）"
    summary_titles = Message.objects.filter(title__contains="工作总结").values_list("title", flat=True)
    assert not any("统计表" in t for t in summary_titles)


def test_a_column_with_submitted_values_is_not_removed_on_the_page_nor_through_the_api(
    campaign, demo, station, september, login, api
):
    _submit(september, station, demo.users["station_officer"], "2025-09-20")
    kept = [c for c in column_defs.default_columns() if c["key"] != "takedowns"]
    answer = api(demo.users["office"]).patch(
        f"/api/campaigns/campaigns/{campaign.pk}/", {"columns": kept}, format="json"
    )
    page = _page(
        login(demo.users["office"]).post(
            reverse("campaigns:campaign_act", args=[campaign.pk, "columns"]),
            {"columns": column_defs.as_text(kept)},
            follow=True,
        )
    )
    assert (
        answer.status_code == 400
        and answer.json()["error"]["zh"] == "栏目“下架商品（信息）”已有单位报送数值，不能删除"
    )
    assert answer.json()["error"]["zh"] in page
    assert len(Campaign.objects.get(pk=campaign.pk).columns) == len(column_defs.default_columns())
    renamed = [
        {**c, "label": "下架商品"} if c["key"] == "takedowns" else c for c in column_defs.default_columns()
    ]
    answer = api(demo.users["office"]).patch(
        f"/api/campaigns/campaigns/{campaign.pk}/", {"columns": renamed}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["columns"][-1]["label"] == "下架商品"


def test_phases_units_and_key_periods_are_edited_on_the_page_and_logged(campaign, demo, login):
    web = login(demo.users["office"])
    act = lambda action, data: _page(  # noqa: E731
        web.post(reverse("campaigns:campaign_act", args=[campaign.pk, action]), data, follow=True)
    )
    review = campaign.phases.get(name="督查")
    page = act("phase_remove", {"phase": review.pk})
    assert "已删除阶段：督查" in page and not Phase.objects.filter(pk=review.pk).exists()
    key = supervision.key_period_add(
        user=demo.users["office"], campaign=campaign, name="双十一", start=D(2025, 11, 1), end=D(2025, 11, 11)
    )
    act("key_period", {"key_period": key.pk, "name": "双十一", "start": "2025-10-20", "end": "2025-11-12"})
    key.refresh_from_db()
    assert (key.start, key.end) == (D(2025, 10, 20), D(2025, 11, 12))
    act("key_period_remove", {"key_period": key.pk})
    assert not KeyPeriod.objects.filter(pk=key.pk).exists()
    ad = campaign.units.get(department__isnull=False)
    act("unit_remove", {"unit": ad.pk})
    assert not CampaignUnit.objects.filter(pk=ad.pk).exists()
    logged = {name for r in _changes(campaign) for name in r.after}
    assert logged == {"phases", "key_periods", "units"}
    unit_log = next(r for r in _changes(campaign) if "units" in r.after)
    assert unit_log.before["units"] == ["广告监管股", "旌阳市场监管所"] and unit_log.after["units"] == [
        "旌阳市场监管所"
    ]


def test_a_unit_that_submitted_a_table_stays_in_the_same_words_on_the_page_and_the_api(
    campaign, demo, station, september, login, api
):
    _submit(september, station, demo.users["station_officer"], "2025-09-20")
    ad = campaign.units.get(department__isnull=False)
    answer = api(demo.users["office"]).patch(
        f"/api/campaigns/campaigns/{campaign.pk}/",
        {"units": [{"department": ad.department_id}]},
        format="json",
    )
    page = _page(
        login(demo.users["office"]).post(
            reverse("campaigns:campaign_act", args=[campaign.pk, "unit_remove"]),
            {"unit": station.pk},
            follow=True,
        )
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["zh"] == "旌阳市场监管所已有报送的统计表，不能移出参加单位"
    assert answer.json()["error"]["zh"] in page
    assert CampaignUnit.objects.filter(pk=station.pk).exists()


def test_the_auditor_is_refused_editing_the_plan_in_the_tables_words(campaign, demo, login, api):
    zh, en = permissions.get(CAMPAIGN_MANAGE).refusal()
    web = login(demo.users["auditor"])
    assert 'id="campaign-edit-link"' not in _page(web.get(campaign.get_absolute_url()))
    page = web.get(reverse("campaigns:campaign_edit", args=[campaign.pk]))
    assert page.status_code == 403 and zh in html.unescape(page.content.decode())
    page = web.post(reverse("campaigns:campaign_edit", args=[campaign.pk]), _form(campaign, title="审计改"))
    assert page.status_code == 403 and en in html.unescape(page.content.decode())
    answer = api(demo.users["auditor"]).patch(
        f"/api/campaigns/campaigns/{campaign.pk}/", {"title": "审计改"}, format="json"
    )
    assert answer.status_code == 403 and answer.json()["error"]["zh"] == zh
    assert Campaign.objects.get(pk=campaign.pk).title == "2025年网络市场监管专项行动"


def test_a_campaign_runs_two_years_at_most(campaign, demo, api):
    answer = api(demo.users["office"]).patch(
        f"/api/campaigns/campaigns/{campaign.pk}/", {"end": "2028-12-31"}, format="json"
    )
    assert answer.status_code == 400 and answer.json()["error"]["zh"].startswith("专项行动期间不能超过两年")
    with pytest.raises(Exception, match="两年"):
        plan.campaign_create(
            user=demo.users["office"],
            bureau=demo.county,
            title="长期行动",
            year=2025,
            start=D(2025, 1, 1),
            end=D(9999, 12, 31),
        )
