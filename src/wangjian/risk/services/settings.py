"""The office's grading rules (``RiskSettings``): the defaults, reading them, and saving new ones.

The defaults, and why (旌德 mechanism 二(七): the credit class *combined with* the online indicators):

- **Credit class** A 0, B 5, C 20, D 40 points. The general class weighs an enterprise's offline record;
  D alone (40) reaches 预警监控 (30) but not 重点监控 (60): 重点 needs an online signal besides, as the
  seeds combine the two. C alone stays 一般 unless something online adds 10 points.
- **Findings confirmed** (``monitoring.findings_confirmed``) 15 points per finding (a high finding counts 1,
  a medium 0.5), capped at 45: two confirmed violations (30) are a 预警 by themselves, two with a D class
  are 重点. **Findings awaiting review** 5 each, capped at 15: nobody has looked at them yet.
- **Licence or permit check failed** 10 per presence and kind, capped at 30 — a duty of 电子商务法 art. 15
  that is easy to mend; three failures make a 预警.
- **Cancelled, revoked or moved out and still trading** 30 per presence, capped at 60: unlicensed trading
  (电子商务法 art. 10) is a 预警 at once and a 重点 from two shops.
- **Sellers reported under the entity's code, unconfirmed** 5 each, capped at 15; **permits lapsed** 10
  each, capped at 20.
- **Clues in 12 months** 5 each, capped at 20; **repeated complaints** (the office's own threshold,
  3 in 90 days) 3 per complaint, capped at 20; **penalty decisions in 3 years** 20 each, capped at 40.
- **Thresholds** 重点监控 from 60 points, 预警监控 from 30.
- An indicator that an app registers later and the office has not weighted counts 0 (shown, not scored).

A change to 重点监控 hands the station whose territory covers the entity (else the unit the duty list names
for ``task_domain``) a check task of 10 working days, and the bureau's sweep of 重点监控 entities runs
every 24 hours (``sweep_key_hours``; 0 leaves sweeping to the office's own tasks).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.monitoring.models import MonitoringTask
from wangjian.org import permissions
from wangjian.org.choices import Domain
from wangjian.org.models import Bureau
from wangjian.org.selectors import can_manage
from wangjian.platform import indicators
from wangjian.registry.choices import RiskGrade
from wangjian.risk.choices import CreditClass
from wangjian.risk.models import RiskSettings
from wangjian.risk.permissions import SETTINGS_MANAGE

DEFAULT_CLASS_POINTS: dict[str, float] = {"A": 0, "B": 5, "C": 20, "D": 40}
DEFAULT_WEIGHTS: dict[str, float] = {
    "monitoring.findings_confirmed": 15,
    "monitoring.findings_open": 5,
    "monitoring.licence_failed": 10,
    "registry.unlicensed_trading": 30,
    "registry.sellers_unmatched": 5,
    "registry.permits_lapsed": 10,
    "clues.clues_12m": 5,
    "complaints.repeated": 3,
    "cases.penalties_3y": 20,
}
DEFAULT_CAPS: dict[str, float] = {
    "monitoring.findings_confirmed": 45,
    "monitoring.findings_open": 15,
    "monitoring.licence_failed": 30,
    "registry.unlicensed_trading": 60,
    "registry.sellers_unmatched": 15,
    "registry.permits_lapsed": 20,
    "clues.clues_12m": 20,
    "complaints.repeated": 20,
    "cases.penalties_3y": 40,
}
SWEEP_TASK_NAME = "风险分级：重点监控主体巡查"
MAX_POINTS = 1000.0


def settings_for(bureau: Bureau | int) -> RiskSettings:
    """The bureau's settings, or the defaults (unsaved) when the office has set none."""
    bureau_id = getattr(bureau, "pk", bureau)
    found = RiskSettings.objects.filter(bureau_id=bureau_id).first()
    return found or RiskSettings(bureau_id=bureau_id)


def weight_of(settings: RiskSettings, key: str) -> float:
    return float((settings.weights or {}).get(key, DEFAULT_WEIGHTS.get(key, 0)))


def cap_of(settings: RiskSettings, key: str) -> float:
    return float((settings.caps or {}).get(key, DEFAULT_CAPS.get(key, MAX_POINTS)))


def class_points_of(settings: RiskSettings, risk_class: str) -> float:
    return float((settings.class_points or {}).get(risk_class, DEFAULT_CLASS_POINTS.get(risk_class, 0)))


def grade_for(settings: RiskSettings, score: float) -> str:
    if score >= settings.key_threshold:
        return RiskGrade.KEY.value
    if score >= settings.warning_threshold:
        return RiskGrade.WARNING.value
    return RiskGrade.GENERAL.value


def _number(value: Any, name: str, label: str, low: float = 0, high: float = MAX_POINTS) -> float:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationFailed(f"{label}应为数字：{value}", f"{name} must be a number: {value}") from None
    if not low <= number <= high:
        raise ValidationFailed(
            f"{label}应在 {low:g} 至 {high:g} 之间", f"{name} is between {low:g} and {high:g}"
        )
    return number


def settings_build(*, bureau: Bureau, values: dict[str, Any]) -> RiskSettings:
    """New settings from ``values`` (the page's or the API's), checked but not saved: what a preview grades with.

    ``values`` may hold ``weights``/``caps`` (indicator key → number), ``class_points`` (A–D → number),
    ``key_threshold``, ``warning_threshold``, ``task_on_key``, ``task_working_days``, ``task_domain``,
    ``sweep_key_hours``; what is missing keeps the bureau's current value.
    """
    out = settings_for(bureau)  # read afresh: changed here, saved only by ``settings_save``
    out.bureau = bureau
    out.weights, out.caps = dict(out.weights or {}), dict(out.caps or {})
    out.class_points = dict(out.class_points or {})
    known = {i.key: i for i in indicators.all()}
    for field, table in (("weights", out.weights), ("caps", out.caps)):
        given = values.get(field) or {}
        if not isinstance(given, dict):
            raise ValidationFailed(f"{field} 应为“指标: 分值”", f"{field} maps indicator keys to numbers")
        for key, value in given.items():
            if key not in known:
                raise ValidationFailed(f"未知的风险指标：{key}", f"Unknown risk indicator: {key}")
            table[key] = _number(
                value,
                f"{field}.{key}",
                f"{known[key].label_zh}的{'权重' if field == 'weights' else '封顶分'}",
            )
    given = values.get("class_points") or {}
    if not isinstance(given, dict):
        raise ValidationFailed("class_points 应为“类别: 分值”", "class_points maps A–D to numbers")
    for key, value in given.items():
        if key not in CreditClass.values:
            raise ValidationFailed(f"未知的信用风险分类：{key}", f"Unknown credit-risk class: {key}")
        out.class_points[key] = _number(value, f"class_points.{key}", f"{key}类分值")
    if "key_threshold" in values:
        out.key_threshold = _number(values["key_threshold"], "key_threshold", "重点监控分数线", 0.01)
    if "warning_threshold" in values:
        out.warning_threshold = _number(
            values["warning_threshold"], "warning_threshold", "预警监控分数线", 0.01
        )
    if out.warning_threshold >= out.key_threshold:
        raise ValidationFailed(
            "预警监控分数线应低于重点监控分数线", "The warning threshold is below the key threshold"
        )
    if "task_on_key" in values:
        out.task_on_key = _flag(values["task_on_key"])
    if "task_working_days" in values:
        out.task_working_days = int(
            _number(values["task_working_days"], "task_working_days", "核查任务期限", 1, 60)
        )
    if "task_domain" in values:
        domain = str(values["task_domain"] or "")
        if domain not in Domain.values:
            raise ValidationFailed(f"未知的监管领域：{domain}", f"Unknown domain: {domain}")
        out.task_domain = domain
    if "sweep_key_hours" in values:
        out.sweep_key_hours = int(
            _number(values["sweep_key_hours"], "sweep_key_hours", "监测周期", 0, 24 * 31)
        )
    return out


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off", ""):
        return False
    raise ValidationFailed(f"应为是或否：{value}", f"true or false: {value}")


def settings_check(*, user: Any, bureau: Bureau) -> None:
    """Who may set the rules: the office (the table's row), of its own bureau or one below it."""
    permissions.require(user, SETTINGS_MANAGE)
    if user is not None and not can_manage(user, bureau):
        raise PermissionDeniedError(
            "只能设置本局（及下级局）的风险分级规则",
            "Only your own bureau's (or a lower one's) grading rules",
        )


def settings_save(*, user: Any, bureau: Bureau, values: dict[str, Any]) -> RiskSettings:
    """Save the office's new rules (checked as ``settings_build``) and keep the sweep of 重点监控 entities in step.

    The grades themselves change at the next grading (the daily job, or the page's 立即重新评定); the page
    shows beforehand how many would change (``grading.grades_preview``).
    """
    settings_check(user=user, bureau=bureau)
    new = settings_build(bureau=bureau, values=values)
    new.sweep_task = sweep_task_ensure(bureau=bureau, settings=new)
    new.save()
    return new


def sweep_task_ensure(*, bureau: Bureau, settings: RiskSettings) -> MonitoringTask | None:
    """The bureau's monitoring task over the presences of its 重点监控 entities, every ``sweep_key_hours``.

    The stricter treatment of 重点监控 (旌德 二(七), 四(四)): a sweep selecting by the entities' grade
    (``MonitoringTask.risk_grades``), so that an entity graded 重点 today is swept from the next run on.
    ``sweep_key_hours`` 0 disables the task (it stays, with its runs and findings, for the record).
    """
    task = (
        MonitoringTask.objects.filter(pk=settings.sweep_task_id, bureau=bureau).first()
        if settings.sweep_task_id
        else None
    )
    if task is None and settings.sweep_key_hours == 0:
        return None
    if task is None:
        task = MonitoringTask(bureau=bureau, name=SWEEP_TASK_NAME, risk_grades=[RiskGrade.KEY])
    task.interval_hours = settings.sweep_key_hours
    task.enabled = settings.sweep_key_hours > 0
    task.risk_grades = [RiskGrade.KEY]
    task.save()
    return task


def check_defaults() -> None:
    """Every default names a registered indicator (a renamed key would silently weigh 0)."""
    unknown = (set(DEFAULT_WEIGHTS) | set(DEFAULT_CAPS)) - {i.key for i in indicators.all()}
    if unknown:
        raise ImproperlyConfigured(f"risk defaults name unknown indicators: {sorted(unknown)}")
