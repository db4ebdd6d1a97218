"""Periodic exchange job: messages waiting for their next delivery attempt are posted again."""

SCHEDULE = {
    "exchange-deliver-due": {"task": "wangjian.exchange.tasks.exchange_deliver_due", "every": 60},
}
