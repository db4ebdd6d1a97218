"""Reads of campaigns: who sees which campaign, who acts for which unit, each unit's scope of figures."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from wangjian.campaigns.models import Campaign, CampaignUnit
from wangjian.campaigns.permissions import CAMPAIGN_MANAGE, CAMPAIGN_READ, CAMPAIGN_REPORT
from wangjian.org import permissions
from wangjian.org.models import User
from wangjian.org.permissions import OFFICE
from wangjian.org.selectors import visible_bureau_ids
from wangjian.platform.statistics import Scope


def campaigns_visible(user: User) -> QuerySet:
    """The campaigns of the bureaus the user reads, and those of a bureau above that give the user's bureau a task."""
    qs = Campaign.objects.select_related("bureau", "lead_department")
    if not getattr(user, "is_authenticated", False) or not permissions.may(user, CAMPAIGN_READ):
        return qs.none()
    if user.is_superuser:
        return qs
    ids = visible_bureau_ids(user) or set()
    return qs.filter(Q(bureau_id__in=ids) | Q(units__bureau_id=user.bureau_id)).distinct()


def may_manage(user: User | None, campaign: Campaign) -> bool:
    """The office of the campaign's bureau (or the system itself)."""
    if user is None:
        return True
    if not permissions.may(user, CAMPAIGN_MANAGE):
        return False
    return user.is_superuser or user.bureau_id == campaign.bureau_id


def may_report(user: User | None, unit: CampaignUnit) -> bool:
    """The unit's own staff fill its table; a bureau below reports through its office; the campaign's office may too."""
    if user is None:
        return True
    if not permissions.may(user, CAMPAIGN_REPORT):
        return False
    if user.is_superuser or may_manage(user, unit.campaign):
        return True
    if unit.station_id:
        return user.station_id == unit.station_id
    if unit.department_id:
        return user.department_id == unit.department_id and not user.station_id
    return user.bureau_id == unit.bureau_id and user.role in OFFICE


def unit_scope(unit: CampaignUnit, bureau_ids: frozenset[int] | None = None) -> Scope:
    """The figures' scope of a unit: its department or station in the campaign's bureau, or a bureau below
    and the bureaus below that."""
    if unit.station_id:
        return Scope(bureau_ids=frozenset({unit.campaign.bureau_id}), station_id=unit.station_id)
    if unit.department_id:
        return Scope(bureau_ids=frozenset({unit.campaign.bureau_id}), department_id=unit.department_id)
    return Scope(bureau_ids=bureau_ids or frozenset(unit.bureau.descendant_ids()))


def unit_users(unit: CampaignUnit) -> QuerySet:
    """Who is told of the unit's table: its staff who report, or the office of the bureau below."""
    qs = User.objects.filter(is_active=True)
    if unit.station_id:
        return qs.filter(station_id=unit.station_id)
    if unit.department_id:
        return qs.filter(department_id=unit.department_id, station__isnull=True)
    return qs.filter(bureau_id=unit.bureau_id, role__in=OFFICE)


def office_users(campaign: Campaign) -> QuerySet:
    return User.objects.filter(is_active=True, bureau_id=campaign.bureau_id, role__in=OFFICE)
