"""The office's dashboard in a browser: the charts render (ECharts, SVG), a card and a chart lead to records;
the rankings (排名) draw their bars, and a bar and a row of their tables lead to that row's records.

李主任 (the office of 旌德县) logs in on 2025-04-15 and opens 统计分析: this year to date, with the
figures of ``tests/statistics/conftest.py``'s March 2025. The charts are drawn by the vendored
ECharts from the page's JSON (no inline script under the CSP); the card of clues received and the
trend chart's records link lead to the clue list (the clues app's records address is given here as
the app's ``figures.py`` gives it).

Then 宣城市's office sees its two counties side by side.

``WANGJIAN_DASHBOARD_PNG=/tmp/dashboard.png`` saves screenshots of both pages (``/tmp/dashboard.png``
and ``/tmp/dashboard-city.png``, for the closing note); without it nothing is written.
"""

import dataclasses
import datetime as dt
import os
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.clues.conftest import intake  # noqa: F401 (a fixture the data needs)
from tests.conftest import log_in
from tests.statistics.conftest import data  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = dt.datetime(2025, 4, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def clue_records():
    """``clues_received`` linked to the clue list, as the clues app's figures.py is to link it (by the
    discovery date, ``found_after``/``found_before``, the filters the list is to offer)."""
    from wangjian.platform import statistics

    figure = statistics.get("clues_received")
    statistics.unregister(figure.key)
    statistics.register(
        dataclasses.replace(
            figure,
            records_url=lambda s, a, b: statistics.list_url(
                "clues:clue_list", s, found_after=a, found_before=b
            ),
        )
    )
    yield
    statistics.unregister(figure.key)
    statistics.register(figure)


def test_the_offices_dashboard_draws_its_charts_and_leads_to_the_records(
    browser,
    live_server,
    data,  # noqa: F811
    clue_records,
    monkeypatch,
):
    monkeypatch.setattr("django.utils.timezone.now", lambda: TODAY)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
        page.on(
            "response", lambda r: errors.append(r.url) if r.status >= 400 and "/static/" in r.url else None
        )
        log_in(page, live_server, "office")
        # the workbench's own figures lead to the dashboard
        expect(page.locator("#my-figures")).to_be_visible()
        page.click("#my-figures-dashboard")
        page.wait_for_selector("#stats-cards")
        assert "/stats/" in page.url
        expect(page.locator("#stats-period")).to_have_text("2025-01-01 — 2025-04-15")

        # the rankings come in after the page (htmx), then every chart is drawn as SVG with marks in it
        expect(page.locator("#stats-rankings [data-dashboard-chart]")).to_have_count(2)
        expect(page.locator("#stats-rankings")).not_to_have_attribute("aria-busy", "true")
        charts = page.locator("[data-dashboard-chart]")
        assert charts.count() >= 6
        for n in range(charts.count()):
            chart = charts.nth(n)
            expect(chart).to_have_attribute("data-rendered", "1")
            assert chart.locator("svg path").count() > 3, chart.get_attribute("id")
        assert not errors, errors  # no script refused by the CSP, nothing thrown
        cards = page.locator("#stats-cards .wj-figure")
        assert cards.count() >= 20
        # the rankings: a bar a row, the first platform's (某电商平台: two findings a day on five days) on top
        for box in ("#ranking-platform", "#ranking-entity"):
            expect(page.locator(box)).to_have_attribute("data-rendered", "1")
            assert page.locator(f"{box} svg path").count() > 2, box
        expect(page.locator("#ranking-platform-table tbody tr").first).to_contain_text("某电商平台")
        expect(page.locator("#ranking-platform-table tbody tr").first.locator("td").nth(2)).to_have_text("10")
        assert "某电商平台" in page.locator("#ranking-platform svg text").all_text_contents()
        assert page.locator('#stats-cards [data-key="clues_received"] details').inner_text() != ""

        if os.environ.get("WANGJIAN_DASHBOARD_PNG"):
            page.screenshot(path=os.environ["WANGJIAN_DASHBOARD_PNG"], full_page=True)

        # printed: within the page width (A4 at 96 dpi is ~794 px less the margins)
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 720, "height": 1000})
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        widths = page.eval_on_selector_all(
            "[data-dashboard-chart] svg", "els => els.map(e => e.getBoundingClientRect().width)"
        )
        assert widths and max(widths) <= 720, widths
        expect(page.locator("#stats-filters")).to_be_hidden()
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": 1400, "height": 1000})

        # a card leads to the records it counts
        with page.expect_navigation():
            page.click('#stats-cards [data-key="clues_received"] a[data-records]')
        assert "/clues/clues/" in page.url and "found_after=2025-01-01" in page.url
        page.wait_for_selector("#table-container")

        # and a chart's link too
        page.go_back()
        page.wait_for_selector("#chart-trend-card")
        with page.expect_navigation():
            page.click("#chart-trend-card .card-header a[data-records]")
        assert "/clues/clues/" in page.url
        page.wait_for_selector("#table-container")

        # a click on the trend chart's point of March opens that month's records
        page.go_back()
        page.wait_for_selector("#chart-trend[data-rendered='1']")
        page.locator("#chart-trend").scroll_into_view_if_needed()
        box = page.locator("#chart-trend").bounding_box()
        with page.expect_navigation(timeout=5000):
            page.mouse.click(*_march(page, box))
        assert "found_after=2025-03-01" in page.url and "found_before=2025-03-31" in page.url

        # a row of the platforms' ranking leads to that platform's findings of the period: its ten
        page.go_back()
        page.wait_for_selector("#ranking-platform[data-rendered='1']")
        with page.expect_navigation():
            page.click("#ranking-platform-table tbody tr:first-child a[data-records]")
        assert "/monitoring/findings/" in page.url and "first_seen_after=2025-01-01" in page.url
        page.wait_for_selector("#table-container")
        expect(page.locator("#table-container tbody tr")).to_have_count(10)
        # and so does its bar
        page.go_back()
        page.wait_for_selector("#ranking-platform[data-rendered='1']")
        page.locator(
            "#ranking-platform"
        ).scroll_into_view_if_needed()  # the rankings, loaded last, may be below
        box = page.locator("#ranking-platform").bounding_box()
        with page.expect_navigation(timeout=5000):
            page.mouse.click(*_first_bar(page, box))
        assert "/monitoring/findings/" in page.url and "platform=" in page.url

        # the city's office: its two counties side by side
        city = context.new_page()
        context.clear_cookies()
        log_in(city, live_server, "city_office")
        city.goto(f"{live_server.url}/stats/")
        city.wait_for_selector("#chart-regions[data-rendered='1']")
        expect(city.locator("#stats-title")).to_contain_text("宣城市市场监督管理局（含下级局）")
        labels = city.locator("#chart-regions svg text").all_text_contents()
        assert {"旌德县市场监督管理局", "绩溪县市场监督管理局"} <= set(labels), labels
        if os.environ.get("WANGJIAN_DASHBOARD_PNG"):
            stem, ext = os.path.splitext(os.environ["WANGJIAN_DASHBOARD_PNG"])
            city.screenshot(path=f"{stem}-city{ext}", full_page=True)
    finally:
        context.close()


def _first_bar(page, box) -> tuple[float, float]:
    """The screen point halfway along the platforms' ranking's first (top) bar."""
    x, y = page.evaluate(
        "() => { const c = echarts.getInstanceByDom(document.getElementById('ranking-platform'));"
        " return c.convertToPixel({seriesIndex: 0}, [c.getOption().series[0].data[0] / 2, 0]); }"
    )
    return box["x"] + x, box["y"] + y


def _march(page, box) -> tuple[float, float]:
    """The screen point of the first series' March value on the trend chart."""
    x, y = page.evaluate(
        "() => { const c = echarts.getInstanceByDom(document.getElementById('chart-trend'));"
        " return c.convertToPixel({seriesIndex: 0}, [2, c.getOption().series[0].data[2]]); }"
    )
    return box["x"] + x, box["y"] + y
