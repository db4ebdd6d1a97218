"""Every registry has the same surface (the NetBox pattern), so its tests are generated, for every app.

What is tested is found, not listed: every URL whose view is one of the platform's generic views
(``platform.generic``: list, detail, add/edit, delete, change log) is grouped by its model, and
every endpoint of the API router by its serializer's model. A new app's registry is covered the
day its ``urls.py`` or ``api.py`` is mounted; ``test_every_generic_view_is_generated_or_excluded``
fails until its model has a row builder in ``BUILDERS`` (or the view is in ``EXCLUDED`` with a
reason).

For each model, as the county's office administrator (李主任) and against 旌德县's rows:
- the list renders and costs the same number of queries with 2 rows as with 6 (an N+1 query,
  one per row, fails); its CSV export lists the rows and costs the same too;
- the detail page (the generic one, or the page ``get_absolute_url`` names) and the change log render;
- the add and edit pages render, and where ``FORMS`` gives a valid form, saving it works;
- a delete view deletes a row and goes back to the list;
- nobody logged in is sent to log in; the neighbouring county's officer (绩溪县) sees none of
  the rows in the list and is refused every page of one; the county's auditor reads a row but is
  refused its add, edit and delete pages;
- the API list costs the same with more rows, shows the rows, and refuses an anonymous caller;
  the API detail answers for the office and not for the neighbouring county;
- the platform's own list pages (待办, 消息, 文号, 时限规则) are function views, so they are named in
  ``PAGES``; they are held to the same: the same cost with more rows, nothing of another county.

What the generator cannot cover is listed below with the reason (``EXCLUDED``, ``EXCLUDED_API``,
``NO_DETAIL_PAGE``, ``NATIONAL``); an N+1 it found and that is not fixed yet is a strict xfail
(``KNOWN_N_PLUS_ONE``). Counting queries is ``queries.flat`` (tests/conftest.py), as everywhere.
"""

from __future__ import annotations

import datetime as dt
import http.server
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from tests.assist.builders import ASSIST_BUILDERS
from tests.campaigns.builders import CAMPAIGN_BUILDERS
from tests.exchange.builders import EXCHANGE_BUILDERS
from tests.org import demo_once as shared
from tests.outreach.builders import OUTREACH_BUILDERS
from tests.reporting.builders import REPORTING_BUILDERS
from wangjian.clues import services as clue_services
from wangjian.core.models import AuditedModel, HolidayArrangement
from wangjian.evidence import services as evidence_services
from wangjian.monitoring.choices import Category, FindingStatus, PageOutcome, Severity
from wangjian.monitoring.licence import LicenceVerdict
from wangjian.monitoring.models import (
    FeedScan,
    Finding,
    LicenceCheck,
    MonitoringTask,
    PageSnapshot,
    Rule,
    RuleLibrary,
    RuleLibraryVersion,
    SweepRun,
)
from wangjian.org.choices import BureauLevel, DutyRole
from wangjian.org.choices import DepartmentKind as K
from wangjian.org.models import Bureau, Department, DutyRule, LeadingGroup, Notice, Station, User
from wangjian.platform import generic
from wangjian.platform.clocks.models import DeadlinePolicy
from wangjian.platform.inbox.models import Message, MessageKind
from wangjian.platform.numbering import kinds as number_kinds
from wangjian.platform.numbering.models import IssuedNumber, NumberFormat
from wangjian.platform.workitems.models import WorkItem
from wangjian.registry.choices import ImportKind, ImportStatus, MatchOutcome, PermitKind, PresenceKind
from wangjian.registry.models import (
    CorrectionRequest,
    ImportBatch,
    MarketEntity,
    MatchResult,
    Permit,
    Platform,
    Presence,
    SellerReport,
)
from wangjian.registry.uscc import complete
from wangjian.urls import router

# The demo organisation built once for the module (see tests/org/demo_once.py).
demo, demo_once, fast_password_hashing = shared.demo, shared.demo_once, shared.fast_password_hashing

VIEWER = "office"  # 李主任, the county's office administrator: sees and manages every registry of 旌德县
READER = "auditor"  # 冯审计, the county's auditor: reads every registry of 旌德县, changes none
OUTSIDER = "jixi_officer"  # an officer of 绩溪县 next door: sees none of 旌德县's rows
BEIJING = ZoneInfo("Asia/Shanghai")
# A fixed moment for rows that carry one (a Wednesday of a year the calendar covers): no row depends on today.
MOMENT = dt.datetime(2025, 11, 12, 10, 0, tzinfo=BEIJING)


# ---------------------------------------------------------------------------------------------
# Discovery: the generic views in the URL resolver, the viewsets in the API router

ACTIONS = {
    generic.ObjectListView: "list",
    generic.ObjectDetailView: "detail",
    generic.ObjectEditView: "edit",  # "add" when the pattern has no <pk>
    generic.ObjectDeleteView: "delete",
    generic.ObjectChangelogView: "changelog",
}


@dataclass
class Surface:
    """The generic pages of one model: action → URL name (``list``, ``add``, ``edit``, ``detail`` …)."""

    model: type[models.Model]
    urls: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


def _patterns(patterns, namespace: str | None = None):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p


def _action(view_class: type, pattern: URLPattern) -> str:
    for base, action in ACTIONS.items():
        if issubclass(view_class, base):
            if action == "edit" and "pk" not in pattern.pattern.converters:
                return "add"
            return action
    raise AssertionError(f"{view_class} is a generic view of no known kind")


def generic_views() -> dict[str, tuple[type, str]]:
    """URL name → (view class, action) for every URL served by a generic view."""
    found = {}
    for name, pattern in _patterns(get_resolver().url_patterns):
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is not None and issubclass(view_class, generic.ScopedMixin):
            found[name] = (view_class, _action(view_class, pattern))
    return found


def surfaces() -> dict[str, Surface]:
    out: dict[str, Surface] = {}
    for name, (view_class, action) in generic_views().items():
        if name in EXCLUDED:
            continue
        surface = out.setdefault(view_class.model._meta.label_lower, Surface(view_class.model))
        surface.urls[action] = name
    return out


@dataclass
class Endpoint:
    prefix: str  # /api/<prefix>/
    viewset: type
    model: type[models.Model]

    @property
    def lookup(self) -> str:
        """The field the detail URL names, as the serializer spells it (``pk`` is ``id``)."""
        field = getattr(self.viewset, "lookup_field", "pk")
        return "id" if field == "pk" else field

    def __str__(self) -> str:
        return self.prefix


def endpoints() -> list[Endpoint]:
    out = []
    for prefix, viewset, _basename in router.registry:
        if prefix in EXCLUDED_API:
            continue
        out.append(Endpoint(prefix, viewset, viewset.serializer_class.Meta.model))
    return out


# Views and endpoints the generator cannot cover, and why.
EXCLUDED: dict[str, str] = {
    # read by the office and department heads only (exchange.message.read): the generated outsider, an
    # officer, is refused the page; tests/exchange/test_pages_and_api.py checks another bureau's office sees none
    "exchange:message_list": "the office's list of messages with partner instances",
    "exchange:partner_list": "the office's list of partner bureaus on other instances",
}
EXCLUDED_API: dict[str, str] = {
    "clocks": "the catalogue of legal clocks, not rows of a model: tests/platform/test_clocks.py",
    r"cases/cases/(?P<case_pk>\d+)/documents": "a case's documents, nested under the case (visible as the case "
    "is): tests/cases/test_documents_api.py",
}
# Models whose list is not scoped to a bureau (everyone reads every row), with the reason.
NATIONAL = {
    "core.holidayarrangement": "the State Council's holiday arrangement is national: every user reads it",
}
# The platform's own list pages are plain function views (not ``platform.generic``), so the resolver
# cannot tell them from any other page: they are named here, with the rows they list and the query.
PAGES: dict[str, tuple[str, dict, Callable[[Any], str]]] = {  # URL name: rows, query, what shows a row
    "platform:workitem_list": ("platform.workitem", {}, lambda item: item.title),
    "platform:inbox": ("platform.message", {}, lambda message: message.title),
    "platform:number_kinds": ("platform.numberformat", {}, lambda f: f.prefix),
    "platform:number_register": (
        "platform.issuednumber",
        {"kind": "clue", "year": "2025"},
        lambda i: i.number,
    ),
    "platform:clock_list": ("platform.deadlinepolicy", {}, lambda policy: policy.basis),
}
# N+1 queries the generator found and that are not fixed yet: the case fails (strict xfail) once it is.
KNOWN_N_PLUS_ONE = {
    "monitoring/runs": "SweepRunSerializer computes each run's progress (selectors.run_progress): "
    "one or two queries per run",
}
# Models with no page of their own: ``get_absolute_url`` names another page (tested there).
NO_DETAIL_PAGE = {
    "inspections.drawnobject": "a drawn object is read on its draw's page: tests/inspections/test_draws.py",
    "inspections.inspectionresult": "a result is read, recorded and corrected on its draw's page: "
    "tests/inspections/test_checks.py",
    "registry.matchresult": "a match result is read on the list (its URL filters the list to the seller); "
    "decisions on the review page: tests/registry/test_web.py",
}


# ---------------------------------------------------------------------------------------------
# Rows: one builder per model, each row in 旌德县 and visible to its office


class Rows:
    """Builds rows for a test; numbers are unique within the test (each test is rolled back)."""

    def __init__(self, demo, shop_url: str):
        self.demo, self.shop_url = demo, shop_url
        self.county = demo.county
        self._n = itertools.count()

    def make(self, label: str, count: int = 1) -> list[models.Model]:
        return [BUILDERS[label](self, next(self._n)) for _ in range(count)]

    def one(self, label: str) -> models.Model:
        return self.make(label)[0]

    def dept(self, kind=K.ADVERTISING) -> Department:
        return Department.objects.get(bureau=self.county, kind=kind)

    def user(self, username: str = VIEWER) -> User:
        return self.demo.users[username]


def _bureau(rows: Rows, n: int) -> Bureau:
    return Bureau.objects.create(
        name=f"旌德县第{n}开发区分局", code=str(341900 + n), level=BureauLevel.COUNTY, parent=rows.county
    )


def _leading_group(rows: Rows, n: int) -> LeadingGroup:
    """The county's own group first (one per bureau, the office manages it), then those of bureaus below."""
    if n == 0:
        return LeadingGroup.objects.get(bureau=rows.county)
    return LeadingGroup.objects.create(bureau=_bureau(rows, n), document=f"旌开发〔2025〕{n}号")


def _user(rows: Rows, n: int) -> User:
    station = Station.objects.filter(bureau=rows.county).first() if n % 2 else None
    return User.objects.create(
        username=f"staff{n}", name=f"科员{n}", bureau=rows.county, department=rows.dept(), station=station
    )


def _entity(rows: Rows, n: int) -> MarketEntity:
    return MarketEntity.objects.create(
        bureau=rows.county,
        uscc=complete(f"91341825MA2G{n:05d}"),
        name=f"旌德县第{n}商贸有限公司",
        legal_rep="张伟",
        region_code="341825100",
    )


def _platform(rows: Rows, n: int) -> Platform:
    return Platform.objects.create(
        bureau=rows.county, name=f"皖南第{n}商城", url=f"https://mall{n}.example/", operator=_entity(rows, n)
    )


def _presence(rows: Rows, n: int) -> Presence:
    return Presence.objects.create(
        bureau=rows.county,
        kind=PresenceKind.PLATFORM_SHOP,
        platform=_platform(rows, n),
        account_id=f"shop{n}",
        shop_name=f"第{n}号茶叶店",
        url=f"https://mall{n}.example/shop{n}",
        entity=_entity(rows, n + 500),
    )


def _import_batch(rows: Rows, n: int, platform: Platform | None = None) -> ImportBatch:
    return ImportBatch.objects.create(
        bureau=rows.county,
        kind=ImportKind.SELLERS if platform else ImportKind.REGISTRY,
        platform=platform,
        file_name=f"第{n}批.csv",
        status=ImportStatus.DONE,
        user=rows.user(),
    )


def _permit(rows: Rows, n: int) -> Permit:
    return Permit.objects.create(
        bureau=rows.county,
        kind=PermitKind.FOOD_LICENCE,
        number=f"JY1341825{n:07d}",
        holder_name=f"旌德县第{n}食品店",
        valid_to=dt.date(2027, 1, 1),
    )


def _linkage_estimate(rows: Rows, n: int):
    from wangjian.registry import linkage
    from wangjian.registry.linkage_models import LinkageEstimate

    return LinkageEstimate.objects.create(
        bureau=rows.county, params=linkage.Model.starting().to_dict(), entities=100 + n, sellers=n
    )


def _match_result(rows: Rows, n: int) -> MatchResult:
    platform = _platform(rows, n)
    seller = SellerReport.objects.create(
        bureau=rows.county,
        platform=platform,
        batch=_import_batch(rows, n, platform),
        seller_id=f"S{n}",
        shop_name=f"第{n}号店",
        claimed_name=f"旌德县第{n}商贸有限公司",
    )
    return MatchResult.objects.create(
        bureau=rows.county, seller=seller, entity=platform.operator, confidence=0.9, outcome=MatchOutcome.AUTO
    )


def _correction(rows: Rows, n: int) -> CorrectionRequest:
    return CorrectionRequest.objects.create(
        bureau=rows.county,
        entity=_entity(rows, n),
        field="phone",
        proposed_value="0563-8021234",
        evidence_note="电话核实",
        requested_by=rows.user("ad_officer"),
    )


def _library(rows: Rows, n: int) -> RuleLibrary:
    return RuleLibrary.objects.create(
        bureau=rows.county, name=f"lib{n}", title=f"第{n}号关键词库", department_kind=K.ADVERTISING
    )


def _version(rows: Rows, n: int) -> RuleLibraryVersion:
    return RuleLibraryVersion.objects.create(
        library=_library(rows, n), number=1, source="测试", created_by=rows.user()
    )


def _rule(rows: Rows, n: int) -> Rule:
    return Rule.objects.create(
        version=_version(rows, n),
        code=f"AD{n:03d}",
        name="绝对化用语",
        category=Category.ABSOLUTE_TERMS,
        terms=["最佳"],
    )


def _task(rows: Rows, n: int) -> MonitoringTask:
    station = Station.objects.filter(bureau=rows.county).first()
    return MonitoringTask.objects.create(bureau=rows.county, name=f"第{n}号监测任务", station=station)


def _run(rows: Rows, n: int) -> SweepRun:
    return SweepRun.objects.create(task=_task(rows, n), bureau=rows.county, started_by=rows.user())


def _finding(rows: Rows, n: int) -> Finding:
    rule = _rule(rows, n)
    return Finding.objects.create(
        bureau=rows.county,
        presence=_presence(rows, n),
        task=_task(rows, n),
        page_url=f"https://mall{n}.example/item",
        rule=rule,
        rule_code=rule.code,
        rule_name=rule.name,
        library_version=rule.version,
        matched="最佳",
        matched_key="最佳",
        context="本店茶叶品质最佳",
        context_start=6,
        end=2,
        category=Category.ABSOLUTE_TERMS,
        severity=Severity.HIGH,
        first_seen=MOMENT,
        last_seen=MOMENT,
        status=FindingStatus.CONFIRMED,
        reviewed_by=rows.user(),
    )


def _licence_check(rows: Rows, n: int) -> LicenceCheck:
    return LicenceCheck.objects.create(
        presence=_presence(rows, n),
        bureau=rows.county,
        run=_run(rows, n),
        url=f"https://mall{n}.example/shop{n}",
        verdict=LicenceVerdict.MISSING,
        reason="入口页未见营业执照信息",
        checked_at=MOMENT,
    )


def _snapshot(rows: Rows, n: int) -> PageSnapshot:
    return PageSnapshot.objects.create(
        presence=_presence(rows, n),
        bureau=rows.county,
        url=f"https://mall{n}.example/shop{n}",
        outcome=PageOutcome.OK,
        text="本店茶叶品质最佳",
        previous_text="本店茶叶",
        checked_at=MOMENT,
        last_run=_run(rows, n),
    )


def _feed_scan(rows: Rows, n: int) -> FeedScan:
    run = _run(rows, n)
    return FeedScan.objects.create(
        bureau=rows.county,
        task=run.task,
        platform=_platform(rows, n),
        started_by=rows.user(),
        source="upload",
        file_name=f"第{n}批商品信息.jsonl",
        fmt="jsonl",
        status="done",
        listings_total=3,
        listings_done=3,
        findings_new=1,
        rejected_count=1,
        rejected_rows=[{"row": 4, "reason": "缺少商品ID或标题 / listing_id or title missing"}],
        unknown_shops_count=1,
        unknown_listings=1,
        unknown_shops=[{"shop_id": f"S{n}", "listings": 1}],
        run=run,
        started_at=MOMENT,
        finished_at=MOMENT,
    )


def _clue(rows: Rows, n: int):
    """Food goes to the township's station, price to a department: both kinds of unit in the list."""
    return clue_services.clue_intake(
        bureau=rows.county,
        source_kind="monitoring",
        domain="online_food" if n % 2 else "online_price",
        facts=f"第{n}号店铺商品页未标明价格",
        entity_uscc=f"91341825MA2C{n:05d}",
        region_code="341825100",
        now=MOMENT,
    ).clue


def _service_station(rows: Rows, n: int):
    from wangjian.complaints.models import ServiceStation

    return ServiceStation.objects.create(
        bureau=rows.county,
        name=f"第{n}号消费维权服务站",
        business_name=f"旌德县第{n}号超市",
        address="旌阳镇",
    )


def _odr_contact(rows: Rows, n: int):
    from wangjian.complaints.models import OdrContact

    return OdrContact.objects.create(
        bureau=rows.county, platform_name=f"第{n}号电商平台", channel="在线纠纷解决系统"
    )


def _benchmark(rows: Rows, n: int):
    """A row of the county's 裁量基准."""
    from wangjian.cases.models import DiscretionBenchmark

    return DiscretionBenchmark.objects.create(
        bureau=rows.county,
        code=f"GG-{n}",
        violation=f"第{n}类广告违法行为",
        domain="internet_advertising",
        provision="《广告法》第五十七条",
        circumstance="ordinary",
        penalty="二十万元以上一百万元以下罚款",
        fine_min=200000,
        fine_max=1000000,
    )


def _case(rows: Rows, n: int):
    """A filed case of the advertising department, half of them past their decision deadline."""
    from wangjian.cases.models import Case, CaseOfficer

    case = Case.objects.create(
        bureau=rows.county,
        number=f"旌市监立〔2025〕{n + 1}号",
        title=f"第{n}号网店绝对化用语",
        domain="internet_advertising",
        state="investigating",
        source_kind="monitoring",
        party_name=f"旌德县第{n}号商行",
        party_uscc=f"91341825MA2K{n:05d}",
        facts="商品页使用“最佳”",
        discovered_on=dt.date(2025, 9, 1),
        department=Department.objects.get(bureau=rows.county, kind=K.ADVERTISING),
        opened_on=dt.date(2025, 9, 10),
        decision_due=dt.date(2025, 12, 9) if n % 2 else dt.date(2025, 10, 9),
    )
    CaseOfficer.objects.create(case=case, user=rows.user("ad_officer"), lead=True, certificate="皖0001")
    return case


def _complaint(rows: Rows, n: int):
    """A complaint of the county received on a Monday, alternately with 旌阳所 and the consumer-rights department."""
    from wangjian.complaints.models import Complaint

    station = Station.objects.filter(bureau=rows.county).order_by("id").first()
    return Complaint.objects.create(
        bureau=rows.county,
        number=f"旌市监诉〔2025〕{n + 1}号",
        kind="complaint",
        channel="12315",
        source_number=f"1234100000202511{n:05d}",
        received_on=dt.date(2025, 11, 3),
        person_name=f"张{n}丰",
        person_phone="13912345678",
        respondent_name=f"旌德县第{n}号超市",
        respondent_region="341825100",
        summary="买到过期牛奶",
        station=station if n % 2 else None,
        department=None if n % 2 else Department.objects.get(bureau=rows.county, kind=K.CONSUMER),
        accept_due=dt.date(2025, 11, 12),
        accept_basis="《市场监督管理投诉举报处理暂行办法》第十四条：七个工作日内作出受理或者不予受理的决定",
    )


def _complaint_report(rows: Rows, n: int):
    """A draft analysis report of the county, one month of 2024 onwards each (the figures are the service's test)."""
    from wangjian.complaints.models import ComplaintReport

    start = dt.date(2024 + n // 12, n % 12 + 1, 1)
    end = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1) - dt.timedelta(days=1)
    return ComplaintReport.objects.create(
        bureau=rows.county,
        period_kind="month",
        period_start=start,
        period_end=end,
        title=f"旌德县市场监督管理局{start.year}年{start.month}月投诉举报分析报告",
        drafted_by=rows.user(),
        drafted_at=MOMENT,
    )


def _abnormal(rows: Rows, n: int):
    """A listing of the county: proposed after an ordered period, every other one listed."""
    from wangjian.credit.models import AbnormalListing

    listed = n % 2 == 1
    return AbnormalListing.objects.create(
        bureau=rows.county,
        entity=_entity(rows, n + 700),
        entity_kind="enterprise",
        ground="ordered",
        state="listed" if listed else "proposed",
        period_end=dt.date(2025, 9, 30),
        listing_due=dt.date(2025, 10, 21),
        listing_basis="《企业经营异常名录管理办法》（2025）：期限届满之日起十个工作日内作出列入决定",
        decided_on=dt.date(2025, 10, 20) if listed else None,
        decision_number=f"旌市监异列〔2025〕{n + 1}号" if listed else "",
        listed_on=dt.date(2025, 10, 20) if listed else None,
    )


def _serious(rows: Rows, n: int):
    from wangjian.credit.models import SeriousListing

    return SeriousListing.objects.create(
        bureau=rows.county,
        entity=_entity(rows, n + 800),
        ground=f"第{n}号：年报弄虚作假，情节严重",
        proposed_on=dt.date(2025, 11, 3),
    )


def _repair(rows: Rows, n: int):
    from wangjian.credit.models import CreditRepair

    listing = _abnormal(rows, 2 * n + 1)  # a listed one
    return CreditRepair.objects.create(
        bureau=rows.county,
        entity=listing.entity,
        target="abnormal",
        abnormal=listing,
        applied_on=dt.date(2025, 11, 3),
        earliest_on=listing.listed_on,
        earliest_basis="《市场监督管理信用修复管理办法》第五条",
        conditions=[
            {"key": "obligation", "label": "已经履行即时信息公示义务", "checked_by": "entity", "met": True}
        ],
        decision_due=dt.date(2025, 11, 24),
    )


def _mismatch(rows: Rows, n: int):
    from wangjian.credit.models import DeclarationMismatch

    presence = _presence(rows, n + 900)
    return DeclarationMismatch.objects.create(
        bureau=rows.county,
        entity=presence.entity,
        year=2024,
        kind="undeclared",
        presence=presence,
        key=f"presence:{presence.pk}",
        detail=f"登记在案的平台网店“{presence}”未在2024年度报告中申报",
    )


def _annual_import(rows: Rows, n: int):
    from wangjian.credit.models import AnnualReportImport

    return AnnualReportImport.objects.create(
        bureau=rows.county,
        file_name=f"2024年度报告第{n}批.csv",
        imported_at=MOMENT,
        user=rows.user(),
        total_rows=3,
    )


def _entity_grade(rows: Rows, n: int):
    """A stored grade of a new entity of the county: 重点, 预警 and 一般 监控 in turn, with its reasons."""
    from wangjian.risk.models import EntityGrade

    grade, score = [("key", 70.0), ("warning", 40.0), ("general", 5.0)][n % 3]
    return EntityGrade.objects.create(
        bureau=rows.county,
        entity=_entity(rows, 700 + n),
        grade=grade,
        score=score,
        credit_class="D",
        credit_month=dt.date(2026, 11, 1),
        contributions=[
            {
                "indicator": "credit.class",
                "label": "企业信用风险分类",
                "value": "D",
                "weight": 40,
                "points": 40,
                "text": "信用风险分类D类（2026年11月）",
            }
        ],
        words=f"信用风险分类D类（2026年11月）+40；合计{score:g}分",
        graded_on=dt.date(2026, 12, 7),
        since=dt.date(2026, 12, 7),
    )


def _credit_import(rows: Rows, n: int):
    """An import of credit-risk classes of the county with one refused row."""
    from wangjian.risk.models import CreditImport, CreditRejectedRow

    batch = CreditImport.objects.create(
        bureau=rows.county,
        file_name=f"企业信用风险分类{n}.csv",
        total_rows=2,
        created_count=1,
        rejected_count=1,
    )
    CreditRejectedRow.objects.create(
        batch=batch,
        row_number=3,
        column="统一社会信用代码",
        value="9134",
        reason="统一社会信用代码应为18位，实为4位",
    )
    return batch


def _inspection_item(rows: Rows, n: int):
    from wangjian.inspections.models import InspectionItem

    return InspectionItem.objects.create(
        bureau=rows.county,
        department=rows.dept(),
        name=f"第{n}项互联网广告检查",
        legal_basis="《中华人民共和国广告法》第九条",
    )


def _inspector_relation(rows: Rows, n: int):
    from wangjian.inspections.models import InspectorRelation

    return InspectorRelation.objects.create(
        bureau=rows.county,
        user=rows.user("ad_officer"),
        entity=_entity(rows, n + 700),
        reason=f"亲属持股（第{n}号）",
    )


def _inspection_plan(rows: Rows, n: int):
    from wangjian.inspections.models import InspectionItem, Plan, PlanItem

    plan = Plan.objects.create(
        bureau=rows.county,
        title=f"第{n}号双随机抽查计划",
        year=2025,
        department=rows.dept(),
        check_start=dt.date(2025, 11, 17),
        check_end=dt.date(2025, 12, 31),
    )
    item = InspectionItem.objects.create(
        bureau=rows.county,
        department=rows.dept(),
        name=f"计划{n}抽查事项",
        legal_basis="《中华人民共和国广告法》第九条",
    )
    PlanItem.objects.create(plan=plan, item=item)
    return plan


def _inspection_draw(rows: Rows, n: int):
    """A published draw (inputs and source; value not yet entered) of a published plan over the county's shops."""
    from wangjian.inspections.services import draw_publish, plan_publish

    plan = _inspection_plan(rows, n + 100)
    _presence(rows, n + 900)
    plan_publish(plan=plan, user=None, now=MOMENT)
    return draw_publish(
        plan=plan,
        user=None,
        source_name=f"中国福利彩票双色球第2025{n:03d}期开奖号码",
        source_date=dt.date(2025, 11, 20),
        now=MOMENT,
    )


def _inspection_drawn(rows: Rows, n: int):
    """An object of a draw of the county (drawn there: the results across draws list it)."""
    from wangjian.inspections.models import Draw, DrawnObject

    draw = _inspection_draw(rows, n)
    Draw.objects.filter(pk=draw.pk).update(state="drawn", drawn_at=MOMENT, objects_count=1)
    return DrawnObject.objects.create(draw=draw, entity=_entity(rows, n + 1300), stratum="A", rank=1)


def _inspection_result(rows: Rows, n: int):
    """A result of a drawn object on its plan's item, checked and published."""
    from wangjian.inspections.models import InspectionResult

    drawn = _inspection_drawn(rows, n)
    return InspectionResult.objects.create(
        bureau=rows.county,
        drawn=drawn,
        item=drawn.draw.plan.items.get(),
        category="no_problem",
        checked_on=dt.date(2025, 11, 20),
        published_at=MOMENT,
    )


def _capture(rows: Rows, n: int):
    return evidence_services.evidence_capture(
        url=f"{rows.shop_url}/shop{n}.html",
        operators=["钱科员", "李主任"],
        purpose="价格检查",
        case_ref=f"XS-{n}",
        user=rows.user("ad_officer"),
        mode="http",
    ).capture


def _policy(rows: Rows, n: int) -> DeadlinePolicy:
    """Work-rule clocks only (a statutory clock has no bureau setting), each case of the clock once."""
    variants = ["", "monitoring", "complaint", "inspection", "superior", "transfer", "media", "manual"]
    return DeadlinePolicy.objects.create(
        bureau=rows.county,
        clock=("clue.feedback", "clue.disposal")[n // len(variants) % 2],
        variant=variants[n % len(variants)],
        length=5,
        basis=f"局务会议决定（第{n}次）",
    )


def _message(rows: Rows, n: int) -> Message:
    return Message.objects.create(
        key=f"generated-{n}",
        user=rows.user(),
        kind=MessageKind.REMIND,
        title=f"线索{n}将于明日到期",
        subject_type="clues.clue",
        subject_id=str(n),
        created_at=MOMENT,
    )


def _work_item(rows: Rows, n: int) -> WorkItem:
    return WorkItem.objects.create(
        bureau=rows.county,
        kind="task.check",
        title=f"第{n}项检查",
        department=rows.dept(),
        station=Station.objects.filter(bureau=rows.county).first() if n % 2 else None,
        assignee=rows.user("ad_officer"),
        created_by=rows.user(),
        due=dt.date(2025, 11, 21),
    )


def _issued_number(rows: Rows, n: int) -> IssuedNumber:
    return IssuedNumber.objects.create(
        bureau=rows.county,
        kind="clue",
        year=2025,
        seq=n + 1,
        number=f"旌市监线〔2025〕{n + 1:04d}",
        issued_at=MOMENT,
        issued_by=rows.user(),
    )


def _number_format(rows: Rows, n: int) -> NumberFormat:
    """One format per kind and bureau: the county's kinds first, then a bureau below."""
    keys = [k.key for k in number_kinds.kinds()]
    bureau = rows.county if n < len(keys) else _bureau(rows, n)
    return NumberFormat.objects.create(
        bureau=bureau, kind=keys[n % len(keys)], prefix=f"旌市监{n}", pattern="{prefix}〔{year}〕{seq}号"
    )


def _holidays(rows: Rows, n: int) -> HolidayArrangement:
    return HolidayArrangement.objects.create(year=2040 + n, notice=f"国办发明电〔{2039 + n}〕号")


def _bulletin(rows: Rows, n: int):
    """A draft 通报 of the county, one month of 2024 onwards each (the figures are the service's test)."""
    from wangjian.bulletins.models import Bulletin

    month = dt.date(2024 + n // 12, n % 12 + 1, 1)
    return Bulletin.objects.create(
        bureau=rows.county,
        month=month,
        title=f"关于{month.year}年{month.month}月网络市场监管工作情况的通报",
        addressee="各股室、各市场监管所",
        drafted_by=rows.user(),
        drafted_at=MOMENT,
    )


def _leadership_plan(rows: Rows, n: int):
    """A plan of the county for a year of its own (one per bureau and year)."""
    from wangjian.leadership.models import AnnualPlan

    return AnnualPlan.objects.create(
        bureau=rows.county,
        year=2030 + n,
        title=f"旌德县{2030 + n}年线上线下一体化监管工作计划",
        summary_due=dt.date(2030 + n, 11, 30),
    )


def _leadership_meeting(rows: Rows, n: int):
    from wangjian.leadership.models import Meeting

    return Meeting.objects.create(
        bureau=rows.county, kind="dispatch", title=f"第{n}次调度会", held_on=dt.date(2025, 9, 1 + n % 28)
    )


def _leadership_decision(rows: Rows, n: int):
    """A decision of an issued 纪要, handed to the advertising unit as a work item."""
    from wangjian.leadership.models import Decision

    meeting = _leadership_meeting(rows, n)
    item = WorkItem.objects.create(
        bureau=rows.county,
        kind="leadership.decision",
        title=f"议定事项{n}",
        department=rows.dept(),
        due=dt.date(2025, 10, 31),
    )
    return Decision.objects.create(
        meeting=meeting,
        seq=1,
        text=f"议定事项{n}",
        due=dt.date(2025, 10, 31),
        department=rows.dept(),
        work_item=item,
    )


def _leadership_summary(rows: Rows, n: int):
    from wangjian.leadership.models import YearSummary

    return YearSummary.objects.create(plan=_leadership_plan(rows, n), department=rows.dept(), text=f"总结{n}")


BUILDERS: dict[str, Callable[[Rows, int], models.Model]] = {
    "org.bureau": _bureau,
    "org.department": lambda rows, n: Department.objects.create(
        bureau=rows.county, name=f"专班{n}", kind=K.ENFORCEMENT
    ),
    "org.station": lambda rows, n: Station.objects.create(
        bureau=rows.county, name=f"监管点{n}", territory=[f"341825{300 + n}"], territory_names=f"第{n}片区"
    ),
    "org.user": _user,
    "org.dutyrule": lambda rows, n: DutyRule.objects.create(
        bureau=rows.county, domain="mlm", department_kind=K.ENFORCEMENT, role=DutyRole.ASSIST
    ),
    "org.leadinggroup": _leading_group,
    "org.notice": lambda rows, n: Notice.objects.create(
        bureau=rows.county, title=f"草稿通知{n}", body="请各股室按时报送。", author=rows.user()
    ),
    "registry.marketentity": _entity,
    "registry.platform": _platform,
    "registry.presence": _presence,
    "registry.importbatch": _import_batch,
    "registry.matchresult": _match_result,
    "registry.permit": _permit,
    "registry.linkageestimate": _linkage_estimate,
    "registry.correctionrequest": _correction,
    "monitoring.rulelibrary": _library,
    "monitoring.rulelibraryversion": _version,
    "monitoring.rule": _rule,
    "monitoring.monitoringtask": _task,
    "monitoring.sweeprun": _run,
    "monitoring.finding": _finding,
    "monitoring.licencecheck": _licence_check,
    "monitoring.pagesnapshot": _snapshot,
    "monitoring.feedscan": _feed_scan,
    "clues.clue": _clue,
    "cases.case": _case,
    "cases.discretionbenchmark": _benchmark,
    "complaints.servicestation": _service_station,
    "complaints.odrcontact": _odr_contact,
    "complaints.complaint": _complaint,
    "complaints.complaintreport": _complaint_report,
    "credit.abnormallisting": _abnormal,
    "credit.seriouslisting": _serious,
    "credit.creditrepair": _repair,
    "credit.declarationmismatch": _mismatch,
    "credit.annualreportimport": _annual_import,
    "risk.entitygrade": _entity_grade,
    "risk.creditimport": _credit_import,
    "bulletins.bulletin": _bulletin,
    **CAMPAIGN_BUILDERS,
    **ASSIST_BUILDERS,
    **EXCHANGE_BUILDERS,
    **OUTREACH_BUILDERS,
    **REPORTING_BUILDERS,
    "leadership.annualplan": _leadership_plan,
    "leadership.meeting": _leadership_meeting,
    "leadership.decision": _leadership_decision,
    "leadership.yearsummary": _leadership_summary,
    "inspections.inspectionitem": _inspection_item,
    "inspections.inspectorrelation": _inspector_relation,
    "inspections.plan": _inspection_plan,
    "inspections.draw": _inspection_draw,
    "inspections.drawnobject": _inspection_drawn,
    "inspections.inspectionresult": _inspection_result,
    "evidence.evidencecapture": _capture,
    "platform.deadlinepolicy": _policy,
    "platform.message": _message,
    "platform.workitem": _work_item,
    "platform.issuednumber": _issued_number,
    "platform.numberformat": _number_format,
    "core.holidayarrangement": _holidays,
}


# ---------------------------------------------------------------------------------------------
# Valid add and edit forms, where a registry's form is worth filling in


@dataclass
class Form:
    add: Callable[[Rows], dict]  # a valid add form
    added: dict  # lookup proving the add worked
    edit: Callable[[Rows, Any], dict]  # a valid edit form for a row
    edited: Callable[[Any], bool]  # proves the edit worked


FORMS: dict[str, Form] = {
    "org.bureau": Form(
        add=lambda rows: {
            "name": "旌德县开发区分局",
            "code": "341899",
            "level": "county",
            "parent": rows.county.pk,
        },
        added={"code": "341899"},
        edit=lambda rows, obj: {
            "name": "旌德县经济开发区分局",
            "code": obj.code,
            "level": obj.level,
            "parent": obj.parent_id,
        },
        edited=lambda obj: obj.name == "旌德县经济开发区分局",
    ),
    "org.department": Form(
        add=lambda rows: {
            "bureau": rows.county.pk,
            "name": "信息中心",
            "kind": K.INFORMATION,
            "is_active": "on",
        },
        added={"name": "信息中心"},
        edit=lambda rows, obj: {
            "bureau": obj.bureau_id,
            "name": obj.name,
            "kind": obj.kind,
            "phone": "0563-8021234",
            "is_active": "on",
        },
        edited=lambda obj: obj.phone == "0563-8021234",
    ),
    "org.station": Form(
        add=lambda rows: {
            "bureau": rows.county.pk,
            "name": "白地市场监管所",
            "territory": "341825104\n341825105",
            "territory_names": "白地镇、孙村镇",
            "is_active": "on",
        },
        added={"name": "白地市场监管所", "territory": ["341825104", "341825105"]},
        edit=lambda rows, obj: {
            "bureau": obj.bureau_id,
            "name": obj.name,
            "territory": "341825102",
            "territory_names": "三溪镇",
            "is_active": "on",
        },
        edited=lambda obj: obj.territory == ["341825102"],
    ),
    "org.user": Form(
        add=lambda rows: {
            "username": "newcomer",
            "name": "新同事",
            "bureau": rows.county.pk,
            "department": rows.dept().pk,
            "role": "officer",
            "is_active": "on",
        },
        added={"username": "newcomer", "must_change_password": True},
        edit=lambda rows, obj: {
            "username": obj.username,
            "name": "钱科员（已调岗）",
            "bureau": obj.bureau_id,
            "department": rows.dept(K.PRICE).pk,
            "role": "officer",
            "is_active": "on",
        },
        edited=lambda obj: obj.department.kind == K.PRICE,
    ),
    "org.dutyrule": Form(
        add=lambda rows: {
            "bureau": rows.county.pk,
            "domain": "mlm",
            "department_kind": K.ENFORCEMENT,
            "role": "assist",
            "territory_rule": "none",
        },
        added={"domain": "mlm", "department_kind": K.ENFORCEMENT},
        edit=lambda rows, obj: {
            "bureau": obj.bureau_id,
            "domain": obj.domain,
            "department_kind": obj.department_kind,
            "role": obj.role,
            "territory_rule": "none",
            "legal_basis_law": "《禁止传销条例》",
            "legal_basis_article": "第七条、第二十四条",
        },
        edited=lambda obj: obj.legal_basis_article == "第七条、第二十四条",
    ),
    "org.notice": Form(
        add=lambda rows: {
            "bureau": rows.county.pk,
            "kind": "notice",
            "title": "关于开展网络集中交易市场检查的通知",
            "body": "各股室、各所：……",
            "target_departments": [rows.dept().pk],
        },
        added={"title": "关于开展网络集中交易市场检查的通知"},
        edit=lambda rows, obj: {
            "bureau": obj.bureau_id,
            "kind": "bulletin",
            "title": obj.title,
            "body": obj.body,
            "target_stations": [Station.objects.filter(bureau=rows.county).first().pk],
        },
        edited=lambda obj: obj.kind == "bulletin" and obj.target_stations.count() == 1,
    ),
}


# ---------------------------------------------------------------------------------------------
# Fixtures


class _Shop(http.server.BaseHTTPRequestHandler):
    """A shop page on 127.0.0.1 for the evidence captures (nothing leaves the machine)."""

    def do_GET(self):  # noqa: N802
        body = (
            "<html><head><title>宣纸礼盒</title></head><body>宣纸礼盒 ￥199 假一赔十</body></html>".encode()
        )
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def shop_url():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Shop)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Evidence, attachments and uploads in this test's own folder; captures wait at most 10 s."""
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    settings.WANGJIAN_EVIDENCE_KEY_DIR = str(tmp_path / "keys")
    settings.WANGJIAN_EVIDENCE_TIMEOUT = 10


@pytest.fixture
def rows(demo, shop_url) -> Rows:
    return Rows(demo, shop_url)


@pytest.fixture
def viewer(demo, login):
    return login(demo.users[VIEWER])


def _cases(action: str) -> list:
    return [pytest.param(s, id=label) for label, s in sorted(SURFACES.items()) if action in s.urls]


SURFACES = surfaces()
ENDPOINTS = endpoints()


def _ids(objs) -> set:
    return {o.pk for o in objs}


def _refused(response) -> bool:
    return response.status_code in (403, 404)


def _detail_url(surface: Surface, obj) -> str | None:
    if "detail" in surface.urls:
        return reverse(surface.urls["detail"], args=[obj.pk])
    if surface.label in NO_DETAIL_PAGE:
        return None
    return obj.get_absolute_url()


# ---------------------------------------------------------------------------------------------
# Completeness: nothing mounted escapes the generator


def test_every_generic_view_is_generated_or_excluded():
    missing = {
        f"{name} ({view_class.model._meta.label_lower})"
        for name, (view_class, _action) in generic_views().items()
        if name not in EXCLUDED and view_class.model._meta.label_lower not in BUILDERS
    }
    assert not missing, f"add a row builder to BUILDERS (or the view to EXCLUDED with a reason): {missing}"
    assert set(EXCLUDED) <= set(generic_views()), "EXCLUDED names a view that no longer exists"


def test_every_api_endpoint_is_generated_or_excluded():
    prefixes = {prefix for prefix, _viewset, _basename in router.registry}
    assert set(EXCLUDED_API) <= prefixes, "EXCLUDED_API names an endpoint that no longer exists"
    missing = {
        f"{e.prefix} ({e.model._meta.label_lower})"
        for e in ENDPOINTS
        if e.model._meta.label_lower not in BUILDERS
    }
    assert not missing, f"add a row builder to BUILDERS (or the endpoint to EXCLUDED_API): {missing}"


def test_the_generator_finds_every_apps_registries():
    """Discovery itself is checked: the registries every app mounts are among the surfaces."""
    apps = {label.split(".")[0] for label in SURFACES}
    assert apps >= {"org", "registry", "monitoring", "clues", "evidence"}
    assert {"platform.workitem", "platform.message", "platform.numberformat", "platform.deadlinepolicy"} <= {
        e.model._meta.label_lower for e in ENDPOINTS
    }


# ---------------------------------------------------------------------------------------------
# Lists


@pytest.mark.parametrize("surface", _cases("list"))
def test_list_renders_and_costs_the_same_with_more_rows(rows, viewer, queries, surface):
    url = reverse(surface.urls["list"])
    mine = rows.make(surface.label, 2)
    queries.flat(lambda: viewer.get(url), lambda: mine.extend(rows.make(surface.label, 4)))
    response = viewer.get(url)
    assert _ids(mine) <= _ids(response.context["object_list"])
    if "add" in surface.urls:
        assert 'id="add-button"' in response.content.decode()


@pytest.mark.parametrize("surface", _cases("list"))
def test_list_exports_its_rows_as_csv_at_the_same_cost(rows, viewer, queries, surface):
    url = reverse(surface.urls["list"])

    def export():
        response = viewer.get(url, {"export": "csv"})
        assert response["Content-Type"].startswith("text/csv")
        return response

    rows.make(surface.label, 2)
    before = export().content.decode("utf-8-sig").count("\n")
    queries.flat(export, lambda: rows.make(surface.label, 4))
    assert export().content.decode("utf-8-sig").count("\n") == before + 4


@pytest.mark.parametrize("surface", _cases("list"))
def test_list_sends_whoever_is_not_logged_in_to_log_in(client, surface):
    response = client.get(reverse(surface.urls["list"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("surface", _cases("list"))
def test_list_shows_another_county_none_of_the_rows(rows, demo, login, surface):
    obj = rows.one(surface.label)
    response = login(demo.users[OUTSIDER]).get(reverse(surface.urls["list"]))
    assert response.status_code == 200
    assert obj.pk not in _ids(response.context["object_list"])


# ---------------------------------------------------------------------------------------------
# One row: detail, change log, and who is refused


def _row_cases(action: str) -> list:
    return [
        pytest.param(s, id=label)
        for label, s in sorted(SURFACES.items())
        if action in s.urls or (action == "detail" and "list" in s.urls and label not in NO_DETAIL_PAGE)
    ]


@pytest.mark.parametrize("surface", _row_cases("detail"))
def test_detail_renders(rows, viewer, surface):
    obj = rows.one(surface.label)
    response = viewer.get(_detail_url(surface, obj))
    assert response.status_code == 200
    assert response.context["object"] == obj


@pytest.mark.parametrize("surface", _row_cases("changelog"))
def test_changelog_lists_the_rows_history(rows, viewer, surface):
    obj = rows.one(surface.label)
    response = viewer.get(reverse(surface.urls["changelog"], args=[obj.pk]))
    assert response.status_code == 200
    if issubclass(surface.model, AuditedModel):
        assert response.context["records"], "creating the row was recorded"


@pytest.mark.parametrize("surface", _row_cases("detail"))
def test_every_page_of_a_row_refuses_another_county_and_whoever_is_not_logged_in(rows, demo, client, surface):
    obj = rows.one(surface.label)
    pages = [_detail_url(surface, obj)] + [
        reverse(surface.urls[a], args=[obj.pk]) for a in ("changelog", "edit", "delete") if a in surface.urls
    ]
    client.force_login(demo.users[OUTSIDER])
    for url in pages:
        response = client.get(url)
        assert _refused(response), f"{url} answered {response.status_code} to 绩溪县"
    client.logout()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


# ---------------------------------------------------------------------------------------------
# Add, edit, delete


@pytest.mark.parametrize("surface", _cases("add"))
def test_add_page_renders(viewer, surface):
    response = viewer.get(reverse(surface.urls["add"]))
    assert response.status_code == 200 and response.context["form"] is not None


@pytest.mark.parametrize("surface", _cases("edit"))
def test_edit_page_renders(rows, viewer, surface):
    obj = rows.one(surface.label)
    response = viewer.get(reverse(surface.urls["edit"], args=[obj.pk]))
    assert response.status_code == 200 and response.context["form"].instance == obj


def _form_cases(action: str) -> list:
    return [
        pytest.param(SURFACES[label], FORMS[label], id=label)
        for label in sorted(FORMS)
        if action in SURFACES[label].urls
    ]


@pytest.mark.parametrize("surface,form", _form_cases("add"))
def test_add_saves_a_valid_form(rows, viewer, surface, form):
    response = viewer.post(reverse(surface.urls["add"]), form.add(rows))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert surface.model.objects.filter(**form.added).exists()


@pytest.mark.parametrize("surface,form", _form_cases("edit"))
def test_edit_saves_a_valid_form(rows, viewer, surface, form):
    obj = rows.one(surface.label)
    response = viewer.post(reverse(surface.urls["edit"], args=[obj.pk]), form.edit(rows, obj))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert form.edited(surface.model.objects.get(pk=obj.pk))


@pytest.mark.parametrize("surface", _cases("delete"))
def test_delete_asks_then_deletes_and_returns_to_the_list(rows, viewer, surface):
    obj = rows.one(surface.label)
    url = reverse(surface.urls["delete"], args=[obj.pk])
    assert viewer.get(url).status_code == 200
    response = viewer.post(url)
    assert response.status_code == 302 and response["Location"] == reverse(surface.urls["list"])
    assert not surface.model.objects.filter(pk=obj.pk).exists()


def _change_cases() -> list:
    return [
        pytest.param(s, id=label)
        for label, s in sorted(SURFACES.items())
        if {"add", "edit", "delete"} & set(s.urls)
    ]


@pytest.mark.parametrize("surface", _change_cases())
def test_the_auditor_reads_the_row_but_may_not_add_change_or_delete(rows, demo, login, surface):
    """冯审计 reads the county's records and changes none of them (审计只读)."""
    obj = rows.one(surface.label)
    client = login(demo.users[READER])
    if "detail" in surface.urls:
        assert client.get(_detail_url(surface, obj)).status_code == 200
    if "add" in surface.urls:
        assert client.get(reverse(surface.urls["add"])).status_code == 403
    for action in ("edit", "delete"):
        if action in surface.urls:
            url = reverse(surface.urls[action], args=[obj.pk])
            assert client.get(url).status_code == 403, url
            assert client.post(url).status_code == 403, url
    assert surface.model.objects.filter(pk=obj.pk).exists()


# ---------------------------------------------------------------------------------------------
# The platform's own list pages


def _page_url(name: str, params: dict) -> str:
    kwargs = {"kind": params["kind"]} if "kind" in params else {}
    query = {k: v for k, v in params.items() if k != "kind"}
    return reverse(name, kwargs=kwargs) + (
        "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    )


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_renders_and_costs_the_same_with_more_rows(rows, viewer, queries, name):
    label, params, shows = PAGES[name]
    url = _page_url(name, params)
    mine = rows.make(label, 2)
    queries.flat(lambda: viewer.get(url), lambda: mine.extend(rows.make(label, 4)))
    page = viewer.get(url).content.decode()
    assert all(shows(obj) in page for obj in mine)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_shows_another_county_none_of_the_rows(rows, demo, login, name):
    label, params, shows = PAGES[name]
    obj = rows.one(label)
    response = login(demo.users[OUTSIDER]).get(_page_url(name, params))
    assert response.status_code == 200 and shows(obj) not in response.content.decode()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_sends_whoever_is_not_logged_in_to_log_in(client, name):
    response = client.get(_page_url(name, PAGES[name][1]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# ---------------------------------------------------------------------------------------------
# The API


def _api_results(response) -> list[dict]:
    data = response.json()
    return data["results"] if isinstance(data, dict) else data


def _api_list_cases() -> list:
    return [
        pytest.param(
            e,
            id=e.prefix,
            marks=[pytest.mark.xfail(reason=KNOWN_N_PLUS_ONE[e.prefix], strict=True)]
            if e.prefix in KNOWN_N_PLUS_ONE
            else [],
        )
        for e in ENDPOINTS
    ]


@pytest.mark.parametrize("endpoint", _api_list_cases())
def test_api_list_costs_the_same_with_more_rows(rows, demo, api, queries, endpoint):
    client = api(demo.users[VIEWER])
    url = f"/api/{endpoint.prefix}/"
    label = endpoint.model._meta.label_lower
    mine = rows.make(label, 2)
    queries.flat(lambda: client.get(url, {"limit": 100}), lambda: mine.extend(rows.make(label, 4)))
    listed = {row[endpoint.lookup] for row in _api_results(client.get(url, {"limit": 100}))}
    assert {getattr(o, endpoint.lookup) for o in mine} <= listed


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_api_refuses_an_anonymous_caller(db, endpoint):
    assert APIClient().get(f"/api/{endpoint.prefix}/").status_code in (401, 403)


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if hasattr(e.viewset, "retrieve")], ids=str)
def test_api_detail_answers_the_office_and_not_another_county(rows, demo, api, endpoint):
    obj = rows.one(endpoint.model._meta.label_lower)
    url = f"/api/{endpoint.prefix}/{getattr(obj, endpoint.lookup)}/"
    assert api(demo.users[VIEWER]).get(url).status_code == 200
    if endpoint.model._meta.label_lower not in NATIONAL:
        assert api(demo.users[OUTSIDER]).get(url).status_code == 404
