"""``/metrics``: Prometheus text, behind a bearer token, filled by each app's registrations."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from wangjian.platform import metrics

TOKEN = "8a0c1f0e6b2d4c8e9f7a6b5c4d3e2f1a"


@pytest.fixture
def token(settings):
    settings.WANGJIAN_METRICS_TOKEN = TOKEN
    return TOKEN


def scrape(client, token: str | None = TOKEN):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get("/metrics", **headers)


def sample(text: str, name: str, **labels) -> float | None:
    """The value of ``name{labels}`` in an exposition, or None."""
    label_text = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))  # the exposition sorts them
    pattern = "^" + re.escape(name) + (r"\{" + re.escape(label_text) + r"\}" if labels else "") + r" (\S+)$"
    found = re.search(pattern, text, re.M)
    return float(found.group(1)) if found else None


@pytest.fixture
def overdue_clue(demo):
    """A clue of the county assigned, whose 7 working days of feedback ended ten days ago."""
    from wangjian.clues import services
    from wangjian.clues.models import Clue

    clue = services.clue_intake(
        bureau=demo.county,
        source_kind="monitoring",
        domain="internet_advertising",
        facts="绝对化用语“最佳”",
        entity_uscc="91341825MA2METRIC1",
    ).clue
    Clue.objects.filter(pk=clue.pk).update(
        state="assigned",
        feedback_due=timezone.localdate() - dt.timedelta(days=10),
        feedback_provisional=False,
    )
    return clue


@pytest.mark.django_db
def test_metrics_are_not_found_while_no_token_is_set(client, settings):
    settings.WANGJIAN_METRICS_TOKEN = ""
    assert scrape(client).status_code == 404
    assert scrape(client, None).status_code == 404


def test_metrics_need_the_token_and_expose_overdue_clues(client, token, overdue_clue):
    assert scrape(client, None).status_code == 401
    assert scrape(client, "not-the-token").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Token {TOKEN}").status_code == 401  # the API's scheme
    response = scrape(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    text = response.content.decode()
    assert sample(text, "wangjian_clues_overdue", bureau=overdue_clue.bureau.code, deadline="feedback") == 1
    # Counts and codes only: nothing of the clue itself.
    assert overdue_clue.number not in text and "91341825MA2METRIC1" not in text and "绝对化" not in text


def test_a_provisional_deadline_is_never_counted_overdue(client, token, overdue_clue):
    from wangjian.clues.models import Clue

    Clue.objects.filter(pk=overdue_clue.pk).update(feedback_provisional=True)
    assert (
        sample(
            scrape(client).content.decode(), "wangjian_clues_overdue", bureau="341825", deadline="feedback"
        )
        is None
    )


def test_overdue_work_items_are_counted_per_kind_and_bureau(client, token, overdue_clue):
    from wangjian.platform.workitems.models import WorkItem

    item = WorkItem.objects.filter(subject_id=str(overdue_clue.pk), state="open").first()
    assert item is not None
    WorkItem.objects.filter(pk=item.pk).update(
        due=timezone.localdate() - dt.timedelta(days=3), due_provisional=False
    )
    text = scrape(client).content.decode()
    assert sample(text, "wangjian_workitems_overdue", kind=item.kind, bureau=overdue_clue.bureau.code) == 1


@pytest.mark.django_db
def test_queues_are_empty_and_the_broker_up_without_a_broker(client, token):
    text = scrape(client).content.decode()
    assert sample(text, "wangjian_queue_length", queue="default") == 0
    assert sample(text, "wangjian_queue_length", queue="fetch") == 0
    assert sample(text, "wangjian_broker_up") == 1


@pytest.mark.django_db
def test_an_unreachable_broker_is_reported_and_its_queues_left_out(client, token, monkeypatch, closed_port):
    from celery import current_app

    from wangjian.platform import broker
    from wangjian.platform.metrics import gauges

    monkeypatch.setattr(gauges, "broker_configured", lambda: True)
    monkeypatch.setattr(broker, "broker_configured", lambda: True)
    monkeypatch.setattr(current_app.conf, "broker_url", f"redis://127.0.0.1:{closed_port}/0")
    text = scrape(client).content.decode()
    assert sample(text, "wangjian_broker_up") == 0
    assert "wangjian_queue_length{" not in text
    assert (
        sample(text, "wangjian_metric_errors", metric="wangjian_queue_length") is None
    )  # reported, not an error


@pytest.mark.django_db
def test_a_task_failing_on_a_worker_is_counted_per_task(client, token):
    from wangjian.core.background import task

    name = "wangjian.monitoring.tasks.monitoring_task_run"
    for _ in range(2):  # as on a worker: the error is the task's result, not raised to a caller
        assert task(name).apply(args=[987654321], throw=False).failed()  # no such monitoring task
    text = scrape(client).content.decode()
    assert sample(text, "wangjian_task_failures_total", task=name) == 2
    assert re.search(r"^# TYPE wangjian_task_failures(_total)? counter$", text, re.M)


@pytest.mark.django_db
def test_a_metric_that_fails_is_named_and_the_others_still_show(client, token, monkeypatch):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setitem(
        metrics._metrics, "wangjian_test_broken", metrics.Metric("wangjian_test_broken", "x", broken)
    )
    text = scrape(client).content.decode()
    assert sample(text, "wangjian_metric_errors", metric="wangjian_test_broken") == 1
    assert sample(text, "wangjian_broker_up") == 1


def test_a_metric_name_belongs_to_one_collector():
    from wangjian.clues.metrics import clues_overdue

    metrics.register_metric("wangjian_clues_overdue", "again", clues_overdue, labels=("bureau", "deadline"))
    with pytest.raises(ValueError, match="registered already"):
        metrics.register_metric("wangjian_clues_overdue", "another", lambda: 1)
    with pytest.raises(ValueError, match="wangjian_"):
        metrics.register_metric("clues_overdue", "unprefixed", lambda: 1)
    with pytest.raises(ValueError, match="_total"):
        metrics.register_metric("wangjian_things", "a counter", lambda: 1, kind="counter")


def test_every_app_registers_its_own_metrics():
    names = {m.name: m.collect.__module__ for m in metrics.registered()}
    assert names["wangjian_clues_overdue"] == "wangjian.clues.metrics"
    assert names["wangjian_sweep_pages_last_hour"] == "wangjian.monitoring.metrics"
    assert names["wangjian_queue_length"] == "wangjian.platform.metrics.gauges"
    assert names["wangjian_task_failures_total"] == "wangjian.platform.metrics.failures"
