"""网络交易监督管理办法 arts. 25, 24: seller-identity reports each January and July, re-verified every six months."""

from __future__ import annotations

from tests.outreach.conftest import at, d
from wangjian.outreach.windows import Arrival, report_schedule, reverify_state, windows


def test_the_windows_are_the_months_of_january_and_july_of_each_year():
    found = [(w.start, w.end) for w in windows(d("2024-03-15"), d("2025-08-01"))]
    # January 2024 was over by 2024-03-15: the first window owed is July's
    assert found == [
        (d("2024-07-01"), d("2024-07-31")),
        (d("2025-01-01"), d("2025-01-31")),
        (d("2025-07-01"), d("2025-07-31")),
    ]
    assert windows(d("2025-01-31"), d("2025-06-30"))[0].label == "2025年1月"
    assert windows(d("2025-02-01"), d("2025-07-01"))[0].label == "2025年7月"


def _arrival(day: str) -> Arrival:
    return Arrival(d(day), "import", day)


def test_a_report_in_the_month_is_on_time_after_it_late_and_none_missing_once_the_month_is_over():
    rows = report_schedule(
        [_arrival("2025-01-20"), _arrival("2025-08-12")], first=d("2025-01-01"), today=d("2026-02-10")
    )
    assert [(r.window.label, r.state, r.days_late) for r in rows] == [
        ("2025年1月", "on_time", 0),
        ("2025年7月", "late", 12),
        ("2026年1月", "missing", 10),
    ]


def test_the_month_still_running_is_open_not_missing():
    [row] = report_schedule([], first=d("2025-07-01"), today=d("2025-07-31"))
    assert row.state == "open" and not row.overdue


def test_a_report_counts_once_for_the_window_whose_span_holds_it():
    rows = report_schedule(
        [_arrival("2025-01-03"), _arrival("2025-01-25")], first=d("2025-01-01"), today=d("2025-12-01")
    )
    assert rows[0].arrival.on == d("2025-01-03") and rows[1].state == "missing"


def test_reverification_is_flagged_more_than_six_months_after_the_last():
    assert not reverify_state(d("2025-01-31"), today=d("2025-07-31")).overdue
    late = reverify_state(d("2025-01-31"), today=d("2025-08-01"))
    assert late.overdue and "2025-07-31" in late.text
    assert reverify_state(None, today=d("2025-08-01")).overdue


def test_the_schedule_reads_the_registry_seller_imports_and_recorded_reports(
    demo, staff, platform, seller_import
):
    from wangjian.outreach import selectors, services
    from wangjian.outreach.models import SellerReportRecord
    from wangjian.registry.choices import ImportStatus

    seller_import(platform, "2025-01-10")
    seller_import(platform, "2025-07-05", status=ImportStatus.FAILED)  # a failed import is no report
    seller_import(platform, "2025-08-20")
    services.report_record(
        record=SellerReportRecord(
            bureau=demo.county,
            platform=platform,
            window=d("2026-01-01"),
            received_on=d("2026-01-30"),
            note="光盘",
        ),
        user=staff["net_officer"],
        now=at("2026-02-02"),
    )
    rows = selectors.platform_reports(platform, today=d("2026-02-02"))
    assert [(r.window.label, r.state) for r in rows] == [
        ("2025年1月", "on_time"),
        ("2025年7月", "late"),
        ("2026年1月", "on_time"),
    ]
    assert rows[1].arrival.on == d("2025-08-20") and rows[2].arrival.via == "recorded"
    listed = {
        r["platform"].pk: r for r in selectors.platforms_overdue(staff["office"], today=d("2026-02-02"))
    }
    assert (
        listed[platform.pk]["late"] == 1 and not listed[platform.pk]["overdue"]
    )  # the last one came on time
    later = {r["platform"].pk: r for r in selectors.platforms_overdue(staff["office"], today=d("2026-08-01"))}
    assert later[platform.pk]["overdue"] and later[platform.pk]["last"].window.label == "2026年7月"
