"""A monitoring task selects presences by their entity's risk grade (the sweep of 重点监控 entities)."""

from __future__ import annotations

from tests.risk.conftest import TODAY
from wangjian.monitoring.models import MonitoringTask
from wangjian.monitoring.selectors import task_presences
from wangjian.risk.services import settings as risk_settings
from wangjian.risk.services.store import grades_store


def test_a_task_over_key_entities_sweeps_their_presences_only(make):
    key, general = make.entity(), make.entity()
    make.credit(key, "D")
    make.finding(key)
    make.finding(key)  # its two confirmed findings bring two presences
    kept = make.presence(general)
    grades_store(bureau=make.county, today=TODAY)
    task = MonitoringTask.objects.create(bureau=make.county, name="重点", risk_grades=["key"])
    selected = list(task_presences(task=task).values_list("entity_id", flat=True))
    assert selected and set(selected) == {key.pk}
    task.risk_grades = ["key", "general"]
    assert kept.pk in set(task_presences(task=task).values_list("pk", flat=True))


def test_saving_the_settings_keeps_the_bureau_s_daily_sweep_of_key_entities(make, demo):
    saved = risk_settings.settings_save(
        user=demo.users["office"], bureau=make.county, values={"sweep_key_hours": "12"}
    )
    task = saved.sweep_task
    assert (task.risk_grades, task.interval_hours, task.enabled) == (["key"], 12, True)
    again = risk_settings.settings_save(
        user=demo.users["office"], bureau=make.county, values={"sweep_key_hours": "0"}
    )
    task.refresh_from_db()
    assert again.sweep_task_id == task.pk and not task.enabled
