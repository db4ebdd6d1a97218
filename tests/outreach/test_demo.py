"""The outreach demo tells its story on any day: a late or missing July report, one 约谈 item overdue, a takedown
answered, a data request open, a letter to 通信管理局 with its receipt."""

from __future__ import annotations

import io

from tests.outreach.conftest import at, d


def test_the_demo_platform_has_a_late_july_report_and_an_overdue_interview_item(demo, clock):
    from wangjian.outreach import demo as outreach_demo
    from wangjian.outreach import selectors
    from wangjian.outreach.models import AuthorityRequest, Guidance, PlatformRequest
    from wangjian.registry.models import Platform

    clock(at("2025-11-04"))
    out = io.StringIO()
    outreach_demo.load(demo, out)
    platform = Platform.objects.get(bureau=demo.county, name=outreach_demo.NAME)
    rows = {r.window.label: r for r in selectors.platform_reports(platform, today=d("2025-11-04"))}
    assert rows["2025年7月"].state == "late" and rows["2025年1月"].state == "on_time"
    assert selectors.platform_reverify(platform, today=d("2025-11-04")).overdue
    guidance = Guidance.objects.get(platform=platform)
    assert list(
        selectors.overdue_items(guidance.items.all(), d("2025-11-04")).values_list("text", flat=True)
    ) == ["督促未亮照店铺限期公示营业执照信息"]
    takedown, data = PlatformRequest.objects.filter(platform=platform).order_by("sent_on")
    assert takedown.answer == "done" and takedown.links_removed == 3 and data.answered_on is None
    letter = AuthorityRequest.objects.get(bureau=demo.county, kind="shutdown")
    assert letter.receipt_on and letter.state == "received" and letter.authority.kind == "telecom_admin"
    outreach_demo.load(demo, out)  # again: nothing twice
    assert Platform.objects.filter(name=outreach_demo.NAME).count() == 1
