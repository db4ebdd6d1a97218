"""The sweeps' metrics at ``/metrics``: pages read in the last hour by outcome, runs going, chunks failed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wangjian.monitoring import metrics


def test_sweep_rates_count_the_pages_read_in_the_last_hour_by_outcome(market_presences, county):
    from wangjian.monitoring.models import PageSnapshot

    now = timezone.now()
    shop_a, shop_b = market_presences[:2]
    for presence, path, outcome, when in (
        (shop_a, "/", "ok", now - dt.timedelta(minutes=5)),
        (shop_a, "/item/1", "ok", now - dt.timedelta(minutes=50)),
        (shop_a, "/item/2", "unchanged", now - dt.timedelta(minutes=10)),
        (shop_b, "/", "failed", now - dt.timedelta(minutes=1)),
        (shop_b, "/old", "ok", now - dt.timedelta(hours=2)),  # read before the hour: not counted
    ):
        PageSnapshot.objects.create(
            presence=presence, bureau=county, url=presence.url + path, outcome=outcome, checked_at=when
        )
    assert dict((labels["outcome"], n) for labels, n in metrics.pages_last_hour()) == {
        "ok": 2,
        "unchanged": 1,
        "failed": 1,
    }


def test_sweep_metrics_show_at_the_metrics_address(client, settings, market_presences, county):
    from wangjian.monitoring.demo import demo_task
    from wangjian.monitoring.models import SweepChunk, SweepRun

    settings.WANGJIAN_METRICS_TOKEN = "t" * 32
    task = demo_task(bureau=county, presences=market_presences[:2])
    run = SweepRun.objects.create(task=task, bureau=county, status="running", started_at=timezone.now())
    SweepChunk.objects.create(run=run, host="127.0.0.1", status="failed", finished_at=timezone.now())
    text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer " + "t" * 32).content.decode()
    assert "wangjian_sweep_runs_running 1.0" in text
    assert "wangjian_sweep_chunks_failed_last_hour 1.0" in text
    assert 'wangjian_sweep_pages_last_hour{outcome="failed"} 0.0' in text
