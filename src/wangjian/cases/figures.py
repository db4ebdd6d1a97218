"""The case app's figures (``platform.statistics``): opened by source, decided, closed, fines and confiscations,
and the rectifications ordered by clues and cases together.

Counted as the monthly case table counts (``selectors.monthly_figures``): 立案 is a general-procedure
case with its 立案日期; a decision (simple procedure included) by its 决定日期; fines and confiscations
(没收违法所得) are those of penalty decisions. Cases do not move between bureaus: a case referred to another
authority or to the police (移送) stays counted by the bureau that opened it; the unit is the case's 办案机构.
责令整改 is ordered by a clue's disposal as well as by a decision: that figure adds the two (the clue loop's
rule from ``clues.figures``), which is why it lives here — cases read clues, never the other way round.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from wangjian.cases.choices import Procedure
from wangjian.cases.models import Case
from wangjian.clues import figures as clue_figures
from wangjian.clues.choices import Disposal
from wangjian.platform.intake.choices import SourceKind
from wangjian.platform.statistics import (
    DEPARTMENT,
    DOMAIN,
    PLATFORM,
    Breakdown,
    Figure,
    Scope,
    counted_by,
    list_url,
    register,
)

FILTERS = frozenset({DEPARTMENT, DOMAIN, PLATFORM})
STAYS = "移送其他机关或公安机关的案件仍计入立案的局；单位为案件的办案机构。"
STAYS_EN = "A case referred elsewhere stays with the bureau that opened it; the unit is its 办案机构."


def _cases(scope: Scope):
    return scope.units(Case.objects.all())


def _opened(scope: Scope, start: dt.date, end: dt.date):
    return _cases(scope).filter(procedure=Procedure.GENERAL, opened_on__range=(start, end))


def opened(scope: Scope, start: dt.date, end: dt.date) -> int:
    return _opened(scope, start, end).count()


def opened_by_source(scope: Scope, start: dt.date, end: dt.date) -> dict[str, int]:
    return counted_by(_opened(scope, start, end), "source_kind")


def opened_monthly(scope: Scope, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = (
        _opened(scope, start, end)
        .annotate(month=TruncMonth("opened_on"))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {f"{month:%Y-%m}": n for month, n in rows}


def _decided(scope: Scope, start: dt.date, end: dt.date):
    return _cases(scope).filter(decided_on__range=(start, end))


def decided(scope: Scope, start: dt.date, end: dt.date) -> int:
    return _decided(scope, start, end).count()


def fines(scope: Scope, start: dt.date, end: dt.date) -> Decimal:
    total = _decided(scope, start, end).filter(penalised=True).aggregate(n=Sum("fine_amount"))["n"]
    return total or Decimal("0")


def closed(scope: Scope, start: dt.date, end: dt.date) -> int:
    return _cases(scope).filter(closed_on__range=(start, end)).count()


def confiscations(scope: Scope, start: dt.date, end: dt.date) -> Decimal:
    total = _decided(scope, start, end).filter(penalised=True).aggregate(n=Sum("confiscated_amount"))["n"]
    return total or Decimal("0")


def fines_and_confiscations(scope: Scope, start: dt.date, end: dt.date) -> Decimal:
    """罚没款: ``fines`` and ``confiscations`` of the same decisions, in one query."""
    totals = (
        _decided(scope, start, end)
        .filter(penalised=True)
        .aggregate(fines=Sum("fine_amount"), confiscated=Sum("confiscated_amount"))
    )
    return (totals["fines"] or Decimal("0")) + (totals["confiscated"] or Decimal("0"))


def _rectification_ordered(scope: Scope, start: dt.date, end: dt.date):
    return _decided(scope, start, end).exclude(rectification_order="")


def rectifications_by_source(scope: Scope, start: dt.date, end: dt.date) -> dict[str, int]:
    found = {
        "clue": clue_figures.rectify(scope, start, end),
        "case": _rectification_ordered(scope, start, end).count(),
    }
    return {source: n for source, n in found.items() if n}


def rectifications(scope: Scope, start: dt.date, end: dt.date) -> int:
    return sum(rectifications_by_source(scope, start, end).values())


def _list(scope: Scope, start: dt.date, end: dt.date, **more) -> str:
    """The case list showing a figure's rows (the list has no station filter: no case figure honours one)."""
    return list_url("cases:case_list", scope, station=None, **more)


def _decided_list(scope: Scope, start: dt.date, end: dt.date, **more) -> str:
    """The case list showing the cases decided in the period (``decided_after``/``decided_before``)."""
    return _list(scope, start, end, decided_after=start, decided_before=end, **more)


def _rectification_list(scope: Scope, start: dt.date, end: dt.date, source: str) -> str:
    """The records of one source of ``rectifications``: the clue list's or the case list's."""
    if source == "clue":
        return clue_figures.closed_records_url(scope, start, end, disposal=Disposal.RECTIFY.value)
    return _decided_list(scope, start, end, rectification="true")


def _opened_list(scope: Scope, start: dt.date, end: dt.date, **more) -> str:
    """The case list showing the cases opened in the period (general procedure)."""
    return list_url(
        "cases:case_list",
        scope,
        station=None,
        procedure="general",
        opened_after=start,
        opened_before=end,
        **more,
    )


OPENED = Figure(
    "cases_opened",
    "立案",
    "cases opened",
    "立案日期（opened_on）在统计期间内的普通程序案件，按案件来源分列（当场处罚不立案，不计）。" + STAYS,
    "General-procedure cases opened (opened_on) within the period, by source (on-the-spot penalties are not "
    "opened and not counted). " + STAYS_EN,
    "件",
    "cases",
    opened,
    filters=FILTERS,
    breakdown=Breakdown(
        "source",
        "案件来源",
        "source",
        tuple(SourceKind.choices),
        opened_by_source,
        records_url=lambda s, a, b, v: _opened_list(s, a, b, source_kind=v),
    ),
    monthly=opened_monthly,
    records_url=lambda s, a, b: _opened_list(s, a, b),
)
DECIDED = Figure(
    "cases_decided",
    "作出决定的案件",
    "cases decided",
    "决定日期（decided_on）在统计期间内的案件（含当场处罚和不予处罚的决定）。" + STAYS,
    "Cases decided (decided_on) within the period, on-the-spot penalties and decisions not to penalise "
    "included. " + STAYS_EN,
    "件",
    "cases",
    decided,
    filters=FILTERS,
    records_url=_decided_list,
)
FINES = Figure(
    "cases_fines",
    "罚款金额",
    "fines",
    "决定日期在统计期间内、给予行政处罚的案件的罚款金额合计（元；不含没收违法所得）。" + STAYS,
    "The total of the fines of penalty decisions made within the period (yuan; confiscations not included). "
    + STAYS_EN,
    "元",
    "cases",
    fines,
    filters=FILTERS,
    records_url=lambda s, a, b: _decided_list(s, a, b, penalised="true"),
)
CLOSED = Figure(
    "cases_closed",
    "结案",
    "cases closed",
    "结案日期（closed_on）在统计期间内的案件。" + STAYS,
    "Cases closed (closed_on) within the period. " + STAYS_EN,
    "件",
    "cases",
    closed,
    filters=FILTERS,
    records_url=lambda s, a, b: _list(s, a, b, closed_after=a, closed_before=b),
)
CONFISCATIONS = Figure(
    "cases_confiscations",
    "没收违法所得金额",
    "confiscations",
    "决定日期在统计期间内、给予行政处罚的案件的没收违法所得金额合计（元；不含罚款）。" + STAYS,
    "The total of the illegal gains confiscated (没收违法所得) by penalty decisions made within the period "
    "(yuan; fines not included). " + STAYS_EN,
    "元",
    "cases",
    confiscations,
    filters=FILTERS,
    # the penalty decisions of the period, as for the fines: the list shows each one's confiscation
    records_url=lambda s, a, b: _decided_list(s, a, b, penalised="true"),
)
FINES_AND_CONFISCATIONS = Figure(
    "cases_fines_and_confiscations",
    "罚没款金额",
    "fines and confiscations",
    "决定日期在统计期间内、给予行政处罚的案件的罚款与没收违法所得金额合计（元），即罚款金额与没收违法所得金额之和"
    "（专项行动统计表的“罚没款”）。" + STAYS,
    "The total of the fines and of the illegal gains confiscated by penalty decisions made within the period "
    "(yuan): the fines plus the confiscations (the campaign table's 罚没款). " + STAYS_EN,
    "元",
    "cases",
    fines_and_confiscations,
    filters=FILTERS,
    records_url=lambda s, a, b: _decided_list(s, a, b, penalised="true"),
)
RECTIFICATIONS = Figure(
    "rectifications",
    "责令整改",
    "rectifications ordered",
    "统计期间内责令整改（改正）的件数：办结时间（closed_at）在统计期间内、处置结果为“责令整改”的线索，加上决定日期"
    "（decided_on）在统计期间内、决定写明责令改正内容的案件（含不予行政处罚但责令改正的），按来源分列；线索和案件各计一件。"
    "移交外局的线索计入期末承办该线索的局和单位；" + STAYS,
    "Rectifications ordered within the period: the clues closed (closed_at) within it with the disposal 责令整改, "
    "plus the cases decided (decided_on) within it whose decision orders a rectification (decisions not to "
    "penalise included), by source; each clue and each case counts once. A clue transferred to another bureau "
    "counts for the bureau and unit handling it at the period's end; " + STAYS_EN,
    "件",
    "cases",
    rectifications,
    filters=FILTERS,
    breakdown=Breakdown(
        "source",
        "来源",
        "source",
        (("clue", "线索处置责令整改"), ("case", "案件决定责令改正")),
        rectifications_by_source,
        records_url=lambda s, a, b, v: _rectification_list(s, a, b, v),
    ),
    # records_url None: the rows are clues and cases, two lists; each source of the breakdown links its own
)


def register_all() -> None:
    register(OPENED, DECIDED, FINES, CLOSED, CONFISCATIONS, FINES_AND_CONFISCATIONS, RECTIFICATIONS)
