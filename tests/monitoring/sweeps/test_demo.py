"""``wangjian demo``: the market is served locally and a first sweep leaves findings, evidence and licence verdicts."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_demo_serves_the_market_and_runs_a_first_sweep(demo):
    import io

    import httpx

    from wangjian.monitoring import demo as monitoring_demo
    from wangjian.monitoring.models import Finding, LicenceCheck, MonitoringTask, RuleLibrary, SweepRun

    out = io.StringIO()
    monitoring_demo.load(demo, out)
    # Every default library is published for the county.
    from wangjian.monitoring.engine import default_libraries

    published = RuleLibrary.objects.filter(bureau=demo.county, versions__status="published")
    assert set(published.values_list("name", flat=True)) == {lib.name for lib in default_libraries()}
    server = monitoring_demo.market_server()
    assert httpx.get(server.url_for("/platform/"), trust_env=False).status_code == 200
    task = MonitoringTask.objects.get(name=monitoring_demo.TASK_NAME)
    run = SweepRun.objects.get(task=task)
    assert run.status == "done" and run.presences_total == len(server.market.shops)
    assert Finding.objects.filter(task=task).count() > 20
    assert Finding.objects.filter(task=task).exclude(evidence=None).exists()
    verdicts = set(LicenceCheck.objects.filter(run=run).values_list("verdict", flat=True))
    assert {"shown_ok", "missing", "invalid_code", "mismatch", "unregistered", "exempt"} <= verdicts
    assert "首次监测" in out.getvalue()
    # 商品信息扫描 has a scan to show: new findings and ones the sweep found, an unregistered shop, a rejected row.
    from wangjian.monitoring.models import FeedScan

    scan = FeedScan.objects.get(task__name=monitoring_demo.FEED_TASK_NAME)
    assert scan.status == "done" and scan.findings_new > 0 and scan.findings_seen > 0
    assert scan.unknown_shops_count == 1 and scan.rejected_count == 1 and "商品信息扫描" in out.getvalue()
    # … and a review signal of the similarity model (wording like known violations, no rule's hit).
    signal = Finding.objects.get(first_run=scan.run, rule_code="SIM-medical_claim")
    assert (
        signal.severity == "review"
        and signal.rule is None
        and signal.matched == "吃了三个月，老伴的血压稳稳的"
    )
    # … and a listing the platform files as a drug (类目 药品) read as a drug's: its slogans are RX-008's.
    assert Finding.objects.filter(first_run=scan.run, rule_code="RX-008", matched="让爱更持久").exists()
    # Loading again (a second ``wangjian demo``) makes no second set of presences.
    from wangjian.registry.models import Presence

    count = Presence.objects.filter(bureau=demo.county).count()
    monitoring_demo.market_presences(bureau=demo.county, server=server)
    assert Presence.objects.filter(bureau=demo.county).count() == count
