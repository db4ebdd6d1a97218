"""协查 and 内部协作 tests: the demo county once per module (旌德县, 绩溪县 beside it), moments in Beijing time.

Every service is given ``now``; nothing reads today. The clocks run over 国庆 2025 (1–8 October off, Sunday
28 September and Saturday 11 October worked), so a wrong calendar moves the deadlines the tests name.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.org import demo_once as shared

demo, demo_once, fast_password_hashing = shared.demo, shared.demo_once, shared.fast_password_hashing
BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=BEIJING)


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Evidence in this test's own folder."""
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    settings.WANGJIAN_EVIDENCE_KEY_DIR = str(tmp_path / "keys")


@pytest.fixture
def staff(demo):
    """The demo's staff by name, with 绩溪县's office, an officer of 旌德县's network unit, and a third county."""
    from wangjian.org import services as org_services
    from wangjian.org.choices import BureauLevel, Role
    from wangjian.org.choices import DepartmentKind as K
    from wangjian.org.models import Bureau, Department

    users = dict(demo.users)
    jingxian = Bureau.objects.create(
        name="泾县市场监督管理局", code="341823", level=BureauLevel.COUNTY, parent=demo.city
    )
    third_dept = Department.objects.create(bureau=jingxian, name="广告监管股", kind=K.ADVERTISING)
    for username, role, bureau, kind, dept in (
        ("jixi_office", Role.OFFICE_ADMIN, demo.other_county, K.ONLINE_TRADE, None),
        ("net_officer", Role.OFFICER, demo.county, K.ONLINE_TRADE, None),
        ("third_officer", Role.OFFICER, jingxian, None, third_dept),
    ):
        user, _ = org_services.user_create(
            username=username,
            name=username,
            role=role,
            bureau=bureau,
            department=dept or Department.objects.get(bureau=bureau, kind=kind),
            password=demo.password,
        )
        users[username] = user
    return users


@pytest.fixture
def sent(demo, staff):
    """``sent(now=…, **kw)`` → a request of 旌德县's advertising officer to 绩溪县, sent at ``now``."""
    from wangjian.assist import services

    def _sent(now=None, **kw):
        kw.setdefault("to_bureau", demo.other_county)
        kw.setdefault("question", "请协查该店铺的实际经营地和销售记录")
        kw.setdefault("values", {"entity_name": "绩溪县徽韵茶业有限公司", "shop_name": "徽韵茶业旗舰店"})
        return services.assistance_create(
            user=staff["ad_officer"], send=True, now=now or at("2025-09-26"), **kw
        )

    return _sent


@pytest.fixture
def jixi_capture(staff):
    """``jixi_capture()`` → a piece of evidence 绩溪县's officer collected (an upload: no network)."""
    from django.core.files.base import ContentFile

    from wangjian.evidence import services as evidence_services

    def _capture(name: str = "截图说明.txt"):
        return evidence_services.evidence_upload(
            files=[ContentFile("店铺详情页截图".encode(), name=name)],
            kind="screen",
            description="详情页截图",
            operators=["绩溪科员甲", "绩溪科员乙"],
            purpose="协查取证",
            user=staff["jixi_officer"],
        ).capture

    return _capture


@pytest.fixture
def shop_server():
    """A loopback web server with one shop page (``WANGJIAN_FETCH_ALLOW`` lets the tests reach 127.0.0.1)."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = "<html><head><title>绿源农业网店</title></head><body>食品经营许可证：未公示</body></html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
