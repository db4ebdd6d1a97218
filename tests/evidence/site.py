"""A small web site on 127.0.0.1 for the capture tests: static, JavaScript, redirects, GBK, slow, failing."""

from __future__ import annotations

import http.server
import json
import ssl
import threading
import time
from urllib.parse import parse_qs, unquote, urlsplit

SHOP = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>旌德县示范网店</title>
<link rel="stylesheet" href="/style.css"></head><body>
<h1>旌德县示范网店</h1><p class="price">宣纸礼盒 特价 199 元</p>
<p>全网最低价，假一赔十</p><img src="/logo.svg" alt="logo"></body></html>"""

JS_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>脚本渲染页</title></head>
<body><div id="x">加载中</div><script>
document.getElementById('x').textContent = '脚本渲染的价格：88元';
fetch('/api/price.json').then(r => r.json()).then(d => {
  const p = document.createElement('p'); p.id = 'api'; p.textContent = '接口价格：' + d.price; document.body.append(p);
});
</script></body></html>"""

# Prices that arrive in steps after ``load``: a script asks for the list, then for each price.
CHAIN_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>分步加载</title></head>
<body><div id="list">加载中</div><script>
window.addEventListener('load', () => {
  fetch('/api/slow.json?ms=150&v=step1').then(r => r.json())
    .then(d => fetch('/api/slow.json?ms=150&v=' + d.v + '-step2')).then(r => r.json())
    .then(d => { document.getElementById('list').textContent = '第二步价格：' + d.v; });
});
</script></body></html>"""

# The same chain on a page whose script works for 400 ms (longer than the quiet time) between the first answer and
# the second request, as on a busy machine: the network is quiet while the script has not yet asked again.
CHAIN_BUSY_SCRIPT_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>分步加载</title></head>
<body><div id="list">加载中</div><script>
window.addEventListener('load', () => {
  fetch('/api/slow.json?ms=50&v=step1').then(r => r.json())
    .then(d => { const t = Date.now(); while (Date.now() - t < 400) {} return d; })
    .then(d => fetch('/api/slow.json?ms=800&v=' + d.v + '-step2')).then(r => r.json())
    .then(d => { document.getElementById('list').textContent = '第二步价格：' + d.v; });
});
</script></body></html>"""

# A page that never stops asking the server (a live price ticker): three staggered chains of slow
# requests, each starting the next when the last answers, so one is always in flight however busy
# the machine is (a timer-driven ticker can fall silent for a moment on a loaded machine).
BUSY_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>实时价格</title></head>
<body><p>实时价格</p><div id="n">0</div><script>
let n = 0;
function chain() { fetch('/api/slow.json?ms=300&v=' + (n++)).then(() => {
  document.getElementById('n').textContent = String(n); chain(); }); }
chain(); setTimeout(chain, 100); setTimeout(chain, 200);
</script></body></html>"""

GBK_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>国标编码店铺</title></head><body><p>本店销售黄山毛峰，欢迎选购</p></body></html>"""

LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
    '<rect width="40" height="40" fill="#c00"/></svg>'
)


def cjk_page(text: str) -> str:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>字形</title>'
        "<style>body{margin:0;background:#fff}p{font-size:64px;margin:20px;"
        'font-family:"Noto Sans CJK SC",sans-serif}</style></head>'
        f"<body><p>{text}</p></body></html>"
    )


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep test output quiet
        pass

    def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8", **headers):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        if path == "/shop.html":
            return self.send(200, SHOP.encode(), X_Shop="demo")
        if path == "/style.css":
            return self.send(200, b"body{font-family:sans-serif}.price{color:#c00}", "text/css")
        if path == "/logo.svg":
            return self.send(200, LOGO.encode(), "image/svg+xml")
        if path == "/js.html":
            return self.send(200, JS_PAGE.encode())
        if path == "/api/price.json":
            return self.send(200, b'{"price": 66}', "application/json")
        if path == "/api/slow.json":
            time.sleep(int(query.get("ms", ["100"])[0]) / 1000)
            v = query.get("v", [""])[0]
            return self.send(200, json.dumps({"v": v}).encode(), "application/json")
        if path == "/chain.html":
            return self.send(200, CHAIN_PAGE.encode())
        if path == "/chain-busy-script.html":
            return self.send(200, CHAIN_BUSY_SCRIPT_PAGE.encode())
        if path == "/busy.html":
            return self.send(200, BUSY_PAGE.encode())
        if path == "/redirect":
            return self.send(302, b"", Location="/shop.html")
        if path == "/redirect2":
            return self.send(301, b"", Location="/redirect")
        if path == "/gbk.html":
            return self.send(200, GBK_PAGE.encode("gbk"), "text/html; charset=gbk")
        if path == "/slow.html":
            time.sleep(float(query.get("s", ["5"])[0]))
            return self.send(200, b"<html><body>slow</body></html>")
        if path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[1])
            return self.send(code, f"<html><body>error {code}</body></html>".encode())
        if path == "/big.html":
            return self.send(200, b"<html><body>" + b"x" * 2_000_000 + b"</body></html>")
        if path == "/cjk.html":
            return self.send(200, cjk_page(unquote(query.get("t", [""])[0])).encode())
        return self.send(404, b"<html><body>not found</body></html>")


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # a client that gave up (timeout tests) is expected
        pass


class Site:
    def __init__(self):
        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def self_signed_context(tmp_dir) -> ssl.SSLContext:
    """A server TLS context with a fresh self-signed certificate for 127.0.0.1 (no browser trusts it)."""
    import datetime as dt
    import ipaddress
    from pathlib import Path

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = Path(tmp_dir) / "cert.pem", Path(tmp_dir) / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context


class TLSSite(Site):
    """The same site over HTTPS with an untrusted certificate."""

    def __init__(self, tmp_dir):
        super().__init__()
        context = self_signed_context(tmp_dir)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.server.server_port}"
