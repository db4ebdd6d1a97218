"""Which presences a task selects, the per-host plan, the feed scan, the schedule, and ``wangjian monitor``."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command

from tests.monitoring.util import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(county):
    from wangjian.registry.models import MarketEntity, Platform, Presence

    a = MarketEntity.objects.create(
        bureau=county, uscc="91341825MA2AAAAA1X", name="甲", region_code="341825100"
    )
    b = MarketEntity.objects.create(
        bureau=county, uscc="91341825MA2BBBBB1X", name="乙", region_code="341825200"
    )
    plat = Platform.objects.create(bureau=county, name="平台")
    rows = {
        "a1": Presence.objects.create(
            bureau=county, url="http://a.example.com/1/", entity=a, platform=plat, account_id="S1"
        ),
        "a2": Presence.objects.create(bureau=county, url="http://a.example.com/2/", entity=a),
        "b1": Presence.objects.create(bureau=county, url="https://shop.b.example.org/", entity=b),
        "nourl": Presence.objects.create(bureau=county, account_id="gh_1", kind="wechat_account"),
    }
    return {"a": a, "b": b, "platform": plat, **rows}


def selected(task):
    from wangjian.monitoring.selectors import task_presences

    return set(task_presences(task=task).values_list("pk", flat=True))


def test_task_selects_by_domain_region_platform_station_and_explicit_lists(county, registry, demo):
    r = registry
    assert selected(make_task(county, [])) == {r["a1"].pk, r["a2"].pk, r["b1"].pk}  # everything with a URL
    assert selected(make_task(county, [], hosts=["b.example.org"])) == {r["b1"].pk}
    assert selected(make_task(county, [], region_prefix="3418251")) == {r["a1"].pk, r["a2"].pk}
    task = make_task(county, [])
    task.platforms.set([r["platform"]])
    assert selected(task) == {r["a1"].pk}
    station = county.stations.first()
    station.territory = ["341825200"]
    station.save()
    assert selected(make_task(county, [], station=station)) == {r["b1"].pk}
    task = make_task(county, [])
    task.entities.set([r["b"]])
    assert selected(task) == {r["b1"].pk}
    # a filter and an explicit presence: the presence is added to what the filter selects
    assert selected(make_task(county, [r["b1"]], hosts=["a.example.com"])) == {
        r["a1"].pk,
        r["a2"].pk,
        r["b1"].pk,
    }


def test_plan_splits_presences_by_host(county, registry):
    from wangjian.monitoring.services import sweep_plan

    plans = sweep_plan(task=make_task(county, []))
    assert {p.host: len(p.presence_ids) for p in plans} == {"a.example.com": 2, "shop.b.example.org": 1}


def test_listing_feed_is_scanned_without_fetching_and_unknown_shops_are_reported(county, registry):
    from wangjian.monitoring.models import Finding
    from wangjian.monitoring.services import feed_scan

    feed = "\n".join(
        json.dumps(row, ensure_ascii=False)
        for row in [
            {
                "listing_id": "L1",
                "shop_id": "S1",
                "title": "全网最佳茶叶",
                "url": "http://a.example.com/1/L1",
            },
            {"listing_id": "L2", "shop_id": "S9", "title": "全网最佳茶叶"},
            {"shop_id": "S1", "title": "缺少商品ID"},
        ]
    )
    report = feed_scan(task=make_task(county, []), platform=registry["platform"], data=feed)
    assert report.listings == 2 and report.unknown_shops == ["S9"] and len(report.rejected) == 1
    finding = Finding.objects.get()
    assert finding.presence == registry["a1"] and finding.source == "feed_title"


def test_due_tasks_start_once_their_interval_has_passed(county, market_presences):
    from django.utils import timezone

    from wangjian.monitoring.services import monitoring_tasks_due

    task = make_task(county, market_presences[:1], interval_hours=24, depth=0)
    manual = make_task(county, market_presences[:1], name="手动", interval_hours=0, depth=0)
    now = timezone.now()
    assert len(monitoring_tasks_due(now=now)) == 1
    assert monitoring_tasks_due(now=now + dt.timedelta(hours=1)) == []
    assert len(monitoring_tasks_due(now=now + dt.timedelta(hours=25))) == 1
    assert not manual.runs.exists() and task.runs.count() == 2


def test_monitor_run_wait_prints_progress_and_findings_json_lists_them(county, market_presences, capsys):
    task = make_task(county, market_presences[:6], evidence_threshold="none")
    call_command("monitor", "run", str(task.pk), "--wait")
    out = capsys.readouterr().out
    assert "已开始" in out and "[已完成]" in out and "发现 新" in out
    call_command("monitor", "findings", "--json")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert lines and {"rule", "matched", "url", "first_seen", "last_seen", "seen_count", "status"} <= set(
        lines[0]
    )
    call_command("monitor", "tasks")
    assert task.name in capsys.readouterr().out


def test_monitor_run_of_an_unknown_task_fails_in_both_languages(db, capsys):
    with pytest.raises(SystemExit) as exc:
        call_command("monitor", "run", "999999")
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "没有编号为 999999 的监测任务" in err and "no monitoring task" in err


def test_monitor_feed_records_findings_for_a_task(county, market, market_presences, capsys, tmp_path):
    from wangjian.monitoring.models import Finding
    from wangjian.registry.models import Platform

    platform = Platform.objects.get(bureau=county, name=market.market.platform_name)
    task = make_task(county, [])
    path = tmp_path / "feed.jsonl"
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in market.market.feed_rows(market.url)), "utf-8"
    )
    call_command("monitor", "feed", str(path), "--task", str(task.pk), "--platform", str(platform.pk))
    summary = json.loads(capsys.readouterr().out)
    assert (
        summary["listings"] > 0 and summary["findings_new"] == Finding.objects.filter(task=task).count() > 0
    )
    call_command("monitor", "feed", str(path), "--task", str(task.pk), "--platform", str(platform.pk))
    again = json.loads(capsys.readouterr().out)
    assert again["findings_new"] == 0 and again["findings_seen"] == summary["findings_new"]
