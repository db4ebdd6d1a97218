"""The plan corrected in one piece, as the API's ``PATCH`` sends it: the fields and columns, the phases, the
units and the 重点时段, each list replacing what is there. Every item goes through the step the campaign's
page takes for it (``plan.campaign_update``, ``plan.unit_add`` / ``unit_remove``,
``supervision.key_period_set`` / ``key_period_remove``), so a refusal reads the same on the page and through
the API; one refusal leaves the whole plan as it was.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from wangjian.campaigns.models import Campaign, CampaignUnit, KeyPeriod
from wangjian.campaigns.services import plan, supervision
from wangjian.core.errors import ValidationFailed, WangjianError
from wangjian.org.models import Bureau, Department, Station, User

UNIT_MODELS = {"department": Department, "station": Station, "bureau": Bureau}


def campaign_revise(
    *,
    user: User | None,
    campaign: Campaign,
    values: dict[str, Any],
    phases: list[dict] | None = None,
    units: list[dict] | None = None,
    key_periods: list[dict] | None = None,
) -> Campaign:
    """``values``: the plan's fields; ``phases`` and ``key_periods``: ``[{id?, name, start, end}]``; ``units``:
    ``[{department|station|bureau: id}]``. A list left out (``None``) stays as it is."""
    plan.require_manage(user, campaign)
    try:
        with transaction.atomic():
            plan.campaign_update(user=user, campaign=campaign, phases=phases, **values)
            if units is not None:
                _units_replace(user, campaign, units)
            if key_periods is not None:
                _key_periods_replace(user, campaign, key_periods)
    except WangjianError:
        campaign.refresh_from_db()
        campaign._audit_before = campaign.audit_snapshot()
        raise
    return campaign


def _units_replace(user: User | None, campaign: Campaign, specs: list[dict]) -> None:
    wanted: set[tuple[str, int]] = set()
    for spec in specs:
        given = [(field, spec[field]) for field in UNIT_MODELS if spec.get(field)]
        if len(given) != 1:
            raise ValidationFailed(
                "请选择一个科室、基层所或下级局", "Choose one department, station or bureau below"
            )
        field, pk = given[0]
        obj = UNIT_MODELS[field].objects.filter(pk=pk).first()
        if obj is None:
            raise ValidationFailed(f"没有该单位：{pk}", f"No such unit: {pk}")
        plan.unit_add(user=user, campaign=campaign, **{field: obj})
        wanted.add((field, obj.pk))
    for unit in CampaignUnit.objects.filter(campaign=campaign).select_related(
        "department", "station", "bureau"
    ):
        if (unit.kind, unit.department_id or unit.station_id or unit.bureau_id) not in wanted:
            plan.unit_remove(user=user, unit=unit)


def _key_periods_replace(user: User | None, campaign: Campaign, specs: list[dict]) -> None:
    current = {k.pk: k for k in KeyPeriod.objects.filter(campaign=campaign)}
    kept = set()
    for spec in specs:
        key_period = None
        if spec.get("id"):
            key_period = current.get(spec["id"])
            if key_period is None:
                raise ValidationFailed(f"没有该重点时段：{spec['id']}", f"No such key period: {spec['id']}")
        key_period = supervision.key_period_set(
            user=user,
            campaign=campaign,
            name=spec.get("name", ""),
            start=spec.get("start"),
            end=spec.get("end"),
            key_period=key_period,
        )
        kept.add(key_period.pk)
    for pk, key_period in current.items():
        if pk not in kept:
            supervision.key_period_remove(user=user, key_period=key_period)
