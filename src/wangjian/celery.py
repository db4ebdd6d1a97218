"""The Celery application: the scale-out engine for sweeps, reminders and captures.

With ``WANGJIAN_BROKER_URL`` unset, tasks run eagerly in the calling process, so the
embedded default needs no server; set it to a Redis or RabbitMQ URL and start
``wangjian worker`` on any number of machines and one ``wangjian beat``.
"""

import os

from celery import Celery

from wangjian import config

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangjian.settings")

app = Celery("wangjian")
app.config_from_object("django.conf:settings", namespace="CELERY")
if not config.broker_url():
    # Eager mode: an in-memory transport keeps kombu from looking for a broker on localhost.
    app.conf.broker_url = "memory://localhost/"  # a host named, or kombu warns once per use
app.autodiscover_tasks()


@app.on_after_configure.connect
def _schedule(sender, **kwargs):
    from wangjian.core.schedule import beat_schedule

    sender.conf.beat_schedule = beat_schedule()
