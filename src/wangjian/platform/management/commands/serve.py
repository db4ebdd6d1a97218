"""``wangjian serve``: the production WSGI server (waitress), static files served by the application itself."""

from django.conf import settings

from wangjian.core import uploads
from wangjian.core.management.base import WangjianCommand


class Command(WangjianCommand):
    help = "启动 Web 服务（waitress，静态文件本地提供，不依赖外网）"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, **opts):
        from django.core.wsgi import get_wsgi_application
        from waitress import serve

        application = get_wsgi_application()

        host, port = opts["host"], opts["port"]
        if host not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS.append(host)
        if not settings.CELERY_BROKER_URL:
            from wangjian.core.schedule import InProcessScheduler

            InProcessScheduler().start()  # no broker: periodic jobs run in this process
        self.stdout.write(f"wangjian 正在运行 / serving at http://{host}:{port}/", ending="\n")
        self.stdout.flush()
        serve(
            application,
            host=host,
            port=port,
            threads=opts["threads"],
            ident="wangjian",
            # A body larger than the largest upload cap is refused before it is read (waitress's own
            # default is 1 GB, below the evidence cap); each page's own cap is the middleware's.
            max_request_body_size=uploads.largest_cap() + uploads.FORM_ALLOWANCE,
        )
