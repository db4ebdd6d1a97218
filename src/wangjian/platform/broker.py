"""The Celery broker as operations see it: is it reachable, how many messages wait in each queue.

Both answers come within a few seconds: a broker that does not answer is reported as such
(``/readyz``, ``wangjian_broker_up``), never waited for.
"""

from __future__ import annotations

from kombu import Connection

from wangjian.celery import QUEUES
from wangjian.core.background import broker_configured

TIMEOUT = 3  # seconds


def connection() -> Connection:
    from celery import current_app

    return Connection(
        current_app.conf.broker_url,
        connect_timeout=TIMEOUT,
        transport_options={"socket_connect_timeout": TIMEOUT, "socket_timeout": TIMEOUT, "max_retries": 0},
    )


def broker_ping() -> None:
    """Raise when the broker does not answer (Redis: PING; RabbitMQ: the AMQP handshake)."""
    with connection() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=TIMEOUT)
        client = getattr(conn.default_channel, "client", None)
        if client is not None and hasattr(client, "ping"):
            client.ping()


def queue_lengths() -> dict[str, int]:
    """Messages waiting in each of the Celery queues (``celery.QUEUES``); all 0 without a broker."""
    if not broker_configured():
        return dict.fromkeys(QUEUES, 0)
    lengths = {}
    with connection() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=TIMEOUT)
        for name in QUEUES:
            # A channel per queue: RabbitMQ closes the channel that asks about a missing queue.
            channel = conn.channel()
            try:
                lengths[name] = channel.queue_declare(queue=name, passive=True).message_count
            except conn.channel_errors:
                lengths[name] = 0  # not declared yet (no worker ever consumed it), or Redis's empty list
            finally:
                try:
                    channel.close()
                except Exception:  # a channel the broker closed already
                    pass
    return lengths
