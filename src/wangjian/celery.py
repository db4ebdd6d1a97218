"""The Celery application: the scale-out engine for sweeps, reminders and captures.

With ``WANGJIAN_BROKER_URL`` unset, tasks run eagerly in the calling process, so the
embedded default needs no server; set it to a Redis or RabbitMQ URL and start
``wangjian worker`` on any number of machines and one ``wangjian beat``.

Two queues, so that the machines that read the internet can sit in another network zone than
the web and the database (山东规范 (十二): 内外网隔离; docs/deployment.md):

* ``fetch`` — the tasks that read the web: sweep chunks, evidence captures and 双随机 online checks. A task says so
  itself (``@shared_task(..., reads_the_web=True)``); their workers run in the internet zone.
* ``default`` — everything else (reminders, follow-ups, imports, matching, checkpoints, pushes).

A worker started without ``--queues`` consumes both (one machine doing everything).
"""

import os

from celery import Celery
from celery.signals import after_setup_logger
from kombu import Exchange, Queue

from wangjian import config

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangjian.settings")

DEFAULT_QUEUE = "default"
FETCH_QUEUE = "fetch"
QUEUES = (DEFAULT_QUEUE, FETCH_QUEUE)

app = Celery("wangjian")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_default_queue = DEFAULT_QUEUE
app.conf.task_queues = tuple(Queue(name, Exchange(name), routing_key=name) for name in QUEUES)


def route_by_what_the_task_reads(name, args, kwargs, options, task=None, **kw):
    """``fetch`` for a task declared with ``reads_the_web=True``; the default queue for every other."""
    task = task if task is not None else app.tasks.get(name)
    return {"queue": FETCH_QUEUE} if getattr(task, "reads_the_web", False) else None


app.conf.task_routes = (route_by_what_the_task_reads,)
if not config.broker_url():
    # Eager mode: an in-memory transport keeps kombu from looking for a broker on localhost.
    app.conf.broker_url = "memory://localhost/"  # a host named, or kombu warns once per use
app.autodiscover_tasks()


@app.on_after_configure.connect
def _schedule(sender, **kwargs):
    from wangjian.core.schedule import beat_schedule

    sender.conf.beat_schedule = beat_schedule()


@after_setup_logger.connect
def _keep_the_log_files(logger=None, **kwargs):
    """Workers and beat write the application log too (kept six months, 网络安全法 art. 21).

    Celery replaces the root logger's handlers with its own console handler when a worker
    starts; the log files of ``settings.LOGGING`` are put back beside it.
    """
    from wangjian.core.logs import root_file_handlers

    for handler in root_file_handlers():
        if handler not in logger.handlers:
            logger.addHandler(handler)
