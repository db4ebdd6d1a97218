"""Demo evidence: a capture of the fictitious demo shop page, so the viewer and the package can be tried at once.

The demo shop (``evidence/data/demo_shop.html``, also served at ``/evidence/demo-shop/``) is
served for the capture by a throw-away server on 127.0.0.1; nothing leaves the machine.
"""

from __future__ import annotations

import http.server
import os
import threading
from pathlib import Path

DEMO_PURPOSE = "演示：网店价格标示与亮照检查"
SHOP = Path(__file__).parent / "data" / "demo_shop.html"


def shop_html() -> bytes:
    return SHOP.read_bytes()


class _ShopHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = shop_html()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def load(org, stdout) -> None:
    from wangjian.core.audit import acting
    from wangjian.evidence import services
    from wangjian.evidence.models import EvidenceCapture

    if EvidenceCapture.objects.filter(bureau=org.county, purpose=DEMO_PURPOSE).exists():
        return
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ShopHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    officer = org.users.get("ad_officer")
    mode = "browser" if os.path.exists("/usr/bin/chromium") else "http"
    try:
        with acting(officer, via="cli"):
            outcome = services.evidence_capture(
                url=f"http://127.0.0.1:{server.server_port}/shop/xuanzhi.html",
                operators=["钱科员（执法证 34182501）", "李主任（执法证 34182502）"],
                purpose=DEMO_PURPOSE,
                case_ref="旌市监线索〔演示〕1号",
                mode=mode,
                user=officer,
            )
        c = outcome.capture
        services.evidence_checkpoint(bureau=org.county)  # the bureau's key and a first signed checkpoint
        stdout.write(
            f"电子数据取证演示 / demo capture #{c.pk}: {c.get_status_display()} → /evidence/captures/{c.pk}/"
        )
    except Exception as exc:  # the demo goes on without its capture
        stdout.write(f"演示取证未完成 / demo capture skipped: {exc}")
    finally:
        server.shutdown()
        server.server_close()
