"""The figures (统计指标) of 协查 reconcile with the rows, and their lists show the rows they count."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.assist.conftest import at
from wangjian.assist import services
from wangjian.platform import statistics
from wangjian.platform.statistics import Scope
from wangjian.platform.workitems.followup import followups_run

pytestmark = pytest.mark.django_db
OCTOBER = (dt.date(2025, 10, 1), dt.date(2025, 10, 31))


def test_sent_received_answered_on_time_and_overdue_reconcile_with_the_rows(demo, staff, sent, client):
    on_time = sent(now=at("2025-10-09"))
    late = sent(now=at("2025-10-10"))
    open_ = sent(now=at("2025-10-13"))
    sent(now=at("2025-09-30"))  # September: sent and received then
    for request in (on_time, late, open_):
        services.assistance_accept(
            request=request, user=staff["jixi_office"], assignee=staff["jixi_officer"], now=at("2025-10-14")
        )
    services.assistance_answer(
        request=on_time, user=staff["jixi_officer"], answer="已查", now=at("2025-10-20")
    )
    services.assistance_answer(request=late, user=staff["jixi_officer"], answer="已查", now=at("2025-11-04"))
    followups_run(now=at("2025-11-05"), deliver=False)
    county, other = Scope(frozenset({demo.county.pk})), Scope(frozenset({demo.other_county.pk}))
    november = (dt.date(2025, 11, 1), dt.date(2025, 11, 30))
    assert statistics.value("assist_sent", county, *OCTOBER) == 3
    assert statistics.value("assist_sent", other, *OCTOBER) == 0
    assert statistics.value("assist_received", other, *OCTOBER) == 3
    assert statistics.value("assist_answered_on_time", other, *OCTOBER) == 1
    assert statistics.value("assist_answered_on_time", other, *november) == 0  # the late answer of November
    # at the end of 31 October: September's (due 28 October, never answered) and ``late`` (due 30 October,
    # answered 4 November); ``open_`` is due 3 November. At the end of November: September's and ``open_``.
    assert statistics.value("assist_overdue", other, *OCTOBER) == 2
    assert statistics.value("assist_overdue", other, *november) == 2
    assert statistics.value("assist_overdue", county, *november) == 0
    client.force_login(staff["jixi_office"])
    for key, period in (
        ("assist_received", OCTOBER),
        ("assist_answered_on_time", OCTOBER),
        ("assist_overdue", OCTOBER),
        ("assist_overdue", november),
    ):
        url = statistics.get(key).records_url(other, *period)
        shown = client.get(url).context["table"].rows
        assert len(list(shown)) == statistics.value(key, other, *period), (key, url)
    client.force_login(staff["ad_officer"])
    url = statistics.get("assist_sent").records_url(county, *OCTOBER)
    assert len(list(client.get(url).context["table"].rows)) == 3
