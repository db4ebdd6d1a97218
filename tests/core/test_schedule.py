"""Without a broker, periodic jobs run in-process at their interval; a failing job does not stop the others."""

import pytest

from wangjian.core import schedule

CALLS: list[str] = []


def job_ok():
    CALLS.append("ok")


def job_broken():
    raise RuntimeError("boom")


@pytest.mark.django_db
def test_in_process_scheduler_runs_each_job_at_its_interval(monkeypatch):
    CALLS.clear()
    monkeypatch.setattr(
        schedule,
        "collect",
        lambda: {
            "ok": {"task": f"{__name__}.job_ok", "every": 60},
            "broken": {"task": f"{__name__}.job_broken", "every": 60},
        },
    )
    s = schedule.InProcessScheduler()
    assert s.run_due(now=1000.0) == ["ok"]  # the broken job is logged, not fatal
    assert s.run_due(now=1030.0) == []  # not yet due
    assert s.run_due(now=1061.0) == ["ok"]
    assert CALLS == ["ok", "ok"]


def test_beat_schedule_is_built_from_the_same_jobs(monkeypatch):
    monkeypatch.setattr(schedule, "collect", lambda: {"x": {"task": "a.b.c", "every": 300}})
    assert schedule.beat_schedule() == {"x": {"task": "a.b.c", "schedule": 300.0}}


def test_without_a_broker_celery_uses_an_in_memory_transport_and_warns_of_nothing(caplog):
    """The embedded default has no broker: kombu must neither look for one on the network nor warn about it."""
    from wangjian.celery import app

    assert app.conf.task_always_eager
    with app.connection_for_write() as connection:
        assert connection.transport_cls == "memory"
        connection.info()
    assert "No hostname" not in caplog.text
