"""``wangjian worker``: a Celery worker; start any number, on any number of machines sharing the broker."""

from django.conf import settings

from wangjian.core.errors import WangjianError
from wangjian.core.management.base import WangjianCommand


class Command(WangjianCommand):
    help = "启动后台任务执行进程（Celery worker，需设置 WANGJIAN_BROKER_URL）"

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=None)
        parser.add_argument("--queues", default=None, help="逗号分隔的队列名")
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args, **o):
        if not settings.CELERY_BROKER_URL:
            raise WangjianError(
                "未设置 WANGJIAN_BROKER_URL：没有消息队列时任务在调用进程内直接执行，无需 worker。",
                "WANGJIAN_BROKER_URL is not set: without a broker tasks run in-process and need no worker.",
            )
        from wangjian.celery import app

        argv = ["worker", f"--loglevel={o['loglevel']}"]
        if o["concurrency"]:
            argv.append(f"--concurrency={o['concurrency']}")
        if o["queues"]:
            argv.append(f"--queues={o['queues']}")
        app.worker_main(argv)
