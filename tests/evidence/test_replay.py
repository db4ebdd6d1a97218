"""Replay in the viewer: the archived page shows with its archived styles and images, and asks nothing live."""

from __future__ import annotations

import pytest

from wangjian.evidence import services


@pytest.mark.browser
def test_replay_loads_only_from_the_archive(transactional_db, live_server, site, browser, client):
    from wangjian.org.choices import BureauLevel, Role
    from wangjian.org.models import Bureau, User

    bureau = Bureau.objects.create(name="旌德县市场监督管理局", code="341825", level=BureauLevel.COUNTY)
    officer = User.objects.create_user(username="officer", password="x", bureau=bureau, role=Role.OFFICER)
    capture = services.evidence_capture(
        url=site.url("/shop.html"), operators=["张三", "李四"], purpose="回放", user=officer, mode="browser"
    ).capture
    client.force_login(officer)
    context = browser.new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{live_server.url}/evidence/captures/{capture.pk}/replay/")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("h1") == "旌德县示范网店"
    assert (
        page.eval_on_selector(".price", "e => getComputedStyle(e).color") == "rgb(204, 0, 0)"
    )  # archived CSS
    assert page.eval_on_selector("img", "e => e.naturalWidth") == 40  # archived image
    assert requested and not [u for u in requested if u.startswith(site.base)]
    context.close()
