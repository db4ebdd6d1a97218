"""Reads of the risk grades: for the pages and the API (scoped to the user's bureaus), and for the apps above.

``grades_of`` is what the inspections app reads to stratify a 双随机 draw by grade and credit class
(旌德 二(二), 二(七)): one query for the grades, one for the classes, whatever the number of entities.
"""

from __future__ import annotations

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

from wangjian.org import permissions
from wangjian.org.models import User
from wangjian.org.selectors import scope
from wangjian.registry.models import MarketEntity
from wangjian.risk.models import CreditImport, CreditRiskClass, EntityGrade, GradeChange
from wangjian.risk.permissions import GRADE_READ

CHUNK = 5000


def grades_of(entity_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Entity id → (grade key "key"/"warning"/"general" or "" when not graded, latest credit class "A"–"D" or "").

    Every id asked for is in the answer. The grade is the stored current one; the class is the entity's latest
    imported month (whatever its age: the draw's strata name the class the province last gave).
    """
    ids = list(dict.fromkeys(int(i) for i in entity_ids))
    out = dict.fromkeys(ids, ("", ""))
    grades: dict[int, str] = {}
    classes: dict[int, str] = {}
    for i in range(0, len(ids), CHUNK):
        part = ids[i : i + CHUNK]
        grades.update(MarketEntity.objects.filter(pk__in=part).values_list("id", "risk_grade"))
        classes.update(
            CreditRiskClass.objects.filter(entity_id__in=part)
            .annotate(rn=Window(RowNumber(), partition_by=[F("entity_id")], order_by=F("month").desc()))
            .filter(rn=1)
            .values_list("entity_id", "risk_class")
        )
    for entity_id in ids:
        out[entity_id] = (grades.get(entity_id, "") or "", classes.get(entity_id, ""))
    return out


def may_read(user: User) -> bool:
    return permissions.may(user, GRADE_READ)


def grades_visible(user: User) -> QuerySet[EntityGrade]:
    """The grades of the bureaus ``user`` sees (the table's row checked by the caller)."""
    return scope(EntityGrade.objects.select_related("entity", "bureau"), user)


def changes_of(*, entity_id: int) -> QuerySet[GradeChange]:
    return GradeChange.objects.filter(entity_id=entity_id).select_related("work_item").order_by("-on", "-id")


def classes_of(*, entity_id: int) -> QuerySet[CreditRiskClass]:
    return CreditRiskClass.objects.filter(entity_id=entity_id).order_by("-month")


def imports_visible(user: User) -> QuerySet[CreditImport]:
    return scope(CreditImport.objects.select_related("bureau", "user"), user)
