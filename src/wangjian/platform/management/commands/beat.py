"""``wangjian beat``: the Celery scheduler (run exactly one per installation)."""

from django.conf import settings

from wangjian.core.errors import WangjianError
from wangjian.core.management.base import WangjianCommand


class Command(WangjianCommand):
    help = "启动定时任务调度（Celery beat，全系统只运行一个）"

    def add_arguments(self, parser):
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args, **o):
        if not settings.CELERY_BROKER_URL:
            raise WangjianError(
                "未设置 WANGJIAN_BROKER_URL：没有消息队列时由 `wangjian serve` 进程内的调度器执行定时任务。",
                "WANGJIAN_BROKER_URL is not set: without a broker the in-process scheduler runs schedules.",
            )
        from wangjian.celery import app
        from wangjian.core.schedule import beat_schedule

        app.conf.beat_schedule = beat_schedule()
        schedule = settings.HOME / "celerybeat-schedule"
        app.Beat(loglevel=o["loglevel"], schedule=str(schedule)).run()
