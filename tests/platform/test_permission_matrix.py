"""Every cell of the permission table (``org.permissions``), on the page and through the API.

The table is found, not listed: every action the organisation and the apps registered is a row,
every role a column, and the superuser one more column that may do everything. For each cell the
role's demo user (``ROLES``) takes the action on the page and through the API, in their own
bureau, and the test asserts it went through exactly where the table says so. An action
registered without a probe here fails ``test_every_registered_action_has_a_probe_on_the_page_and_the_api``
until it has one (or ``NO_PAGE``/``NO_API`` says why it has no page or no endpoint).

A probe answers "did it go through?" by what it did (the row written, the password changed, the
number unmasked), or where the action's effect is heavy (a capture, a page's import wizard) by
whether the action's page opens and its endpoint reads the request instead of refusing it. The
clue's steps (``clues.clue.act``) are the transition table's as well: there the probe asks only
whether the permission table refused the step (its refusal names the row).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.assist import probes as assist_probes
from tests.campaigns import probes as campaign_probes
from tests.org import demo_once as shared
from tests.reporting import probes as reporting_probes
from wangjian.assist.permissions import ASSIST_ACT, ASSIST_READ, INTERNAL_ACT, INTERNAL_READ
from wangjian.campaigns.permissions import CAMPAIGN_MANAGE, CAMPAIGN_READ, CAMPAIGN_REPORT
from wangjian.cases.models import Case
from wangjian.cases.permissions import CASE_ACT, CASE_DRAFT, CASE_FIGURES, CASE_READ, PROVINCE_EXCHANGE
from wangjian.clues import services as clue_services
from wangjian.clues.models import Clue
from wangjian.clues.permissions import CLUE_ACT, CLUE_CREATE, CLUE_OVERVIEW
from wangjian.complaints.models import Complaint, ComplaintImport, ComplaintReport
from wangjian.complaints.permissions import (
    COMPLAINT_ACT,
    COMPLAINT_ANALYSIS,
    COMPLAINT_CREATE,
    COMPLAINT_IMPORT,
    COMPLAINT_READ,
    COMPLAINT_REPORT,
    COMPLAINT_RESULTS,
)
from wangjian.core.models import CalendarDay
from wangjian.credit.models import AbnormalListing
from wangjian.credit.permissions import CREDIT_ACT, CREDIT_IMPORT, CREDIT_READ
from wangjian.evidence.permissions import EVIDENCE_CAPTURE
from wangjian.exchange.permissions import MESSAGE_READ, MESSAGE_REVIEW, PARTNER_MANAGE
from wangjian.inspections.permissions import (
    INSPECTION_CHECK,
    INSPECTION_DRAW,
    INSPECTION_PLAN,
    INSPECTION_READ,
)
from wangjian.monitoring.choices import Category, FindingStatus, Severity
from wangjian.monitoring.models import (
    FeedScan,
    Finding,
    MonitoringTask,
    Rule,
    RuleLibrary,
    RuleLibraryVersion,
)
from wangjian.monitoring.permissions import FEED_SCAN, FINDINGS_REVIEW, LIBRARY_IMPORT
from wangjian.org import permissions
from wangjian.org import services as org_services
from wangjian.org.choices import DepartmentKind, Role
from wangjian.org.models import Department, Notice, User
from wangjian.outreach.permissions import OUTREACH_ACT, OUTREACH_READ, OUTREACH_SETTINGS
from wangjian.platform.permissions import LEADS_SUBMIT, STATS_READ, WORKITEMS_CREATE
from wangjian.platform.workitems.models import WorkItem
from wangjian.registry.choices import CorrectionStatus, ImportKind, ImportStatus, MatchOutcome, PresenceKind
from wangjian.registry.models import (
    CorrectionRequest,
    ImportBatch,
    MarketEntity,
    MatchResult,
    Platform,
    Presence,
    SellerReport,
)
from wangjian.registry.permissions import (
    CORRECTION_APPROVE,
    LINKAGE_TUNE,
    PERMIT_IMPORT,
    PERSONAL_DATA_READ,
    REGISTRY_IMPORT,
    REGISTRY_REVIEW,
)
from wangjian.registry.uscc import complete
from wangjian.reporting.permissions import (
    REPORTING_READ,
    REPORTING_REVIEW,
    REPORTING_SUBMIT,
    REPORTING_TEMPLATE,
)
from wangjian.risk.permissions import GRADE_READ, IMPORT_RUN, SETTINGS_MANAGE

# The demo organisation built once for the module (see tests/org/demo_once.py).
demo, demo_once, fast_password_hashing = shared.demo, shared.demo_once, shared.fast_password_hashing

DEMO_PASSWORD = shared.DEMO_PASSWORD
SUPERUSER = "superuser"
# Each role's demo user: 旌德县's staff, and the province office of 安徽省.
ROLES: dict[str, str] = {
    Role.LEADING_GROUP: "leader",
    Role.OFFICE_ADMIN: "office",
    Role.PROVINCE_OFFICE: "province_office",
    Role.DEPARTMENT_HEAD: "ad_head",
    Role.OFFICER: "ad_officer",
    Role.STATION_OFFICER: "station_officer",
    Role.LEGAL_REVIEWER: "legal",
    Role.AUDITOR: "auditor",
}
PHONE = "13912345678"


# ---------------------------------------------------------------------------------------------
# The cell: a user, logged in on the page and holding an API token, acting in their own bureau


@dataclass
class Cell:
    user: User
    web: Client
    api: APIClient
    n: itertools.count = field(default_factory=itertools.count)

    @property
    def bureau(self):
        return self.user.bureau

    def name(self, stem: str) -> str:
        return f"{stem}{next(self.n)}"

    def department(self) -> Department:
        """The user's department, else the bureau's office (a department head hands work to their own)."""
        return self.user.department or self.bureau.office()

    def staff(self, role: str = Role.OFFICER) -> User:
        user, _ = org_services.user_create(
            username=self.name("matrix"), bureau=self.bureau, role=role, password=DEMO_PASSWORD
        )
        return user

    def entity(self, **extra) -> MarketEntity:
        n = next(self.n)
        return MarketEntity.objects.create(
            bureau=self.bureau,
            uscc=complete(f"91341825MA2M{n:05d}"),
            name=f"矩阵测试第{n}商贸有限公司",
            legal_rep="张伟",
            region_code="341825100",
            **extra,
        )


def _results(response) -> list[dict]:
    data = response.json()
    return data["results"] if isinstance(data, dict) else data


def _refused_by_the_table(response, key: str) -> bool:
    """The API refused the request naming the row of the permission table."""
    if response.status_code != 403:
        return False
    detail = response.json().get("error", {}).get("detail") or {}
    return isinstance(detail, dict) and detail.get("permission") == key


# ---------------------------------------------------------------------------------------------
# The organisation's rows


def _org_read_page(cell: Cell) -> bool:
    dept = Department.objects.filter(bureau=cell.bureau).order_by("name").first()
    response = cell.web.get(reverse("org:department_list"), {"bureau": cell.bureau.pk})
    return response.status_code == 200 and dept.name in response.content.decode()


def _org_read_api(cell: Cell) -> bool:
    dept = Department.objects.filter(bureau=cell.bureau).first()
    response = cell.api.get("/api/org/departments/", {"bureau": cell.bureau.pk, "limit": 1000})
    return response.status_code == 200 and dept.pk in {row["id"] for row in _results(response)}


def _department_add_page(cell: Cell) -> bool:
    name = cell.name("矩阵专班")
    data = {"bureau": cell.bureau.pk, "name": name, "kind": DepartmentKind.ENFORCEMENT, "is_active": "on"}
    cell.web.post(reverse("org:department_add"), data)
    return Department.objects.filter(name=name).exists()


def _department_add_api(cell: Cell) -> bool:
    name = cell.name("矩阵专班")
    data = {"bureau": cell.bureau.pk, "name": name, "kind": DepartmentKind.ENFORCEMENT}
    cell.api.post("/api/org/departments/", data, format="json")
    return Department.objects.filter(name=name).exists()


def _password_reset(via: str) -> Callable[[Cell], bool]:
    def probe(cell: Cell) -> bool:
        officer = cell.staff()
        if via == "page":
            cell.web.post(reverse("org:user_reset_password", args=[officer.pk]))
        else:
            cell.api.post(f"/api/org/users/{officer.pk}/reset-password/")
        officer.refresh_from_db()
        return not officer.check_password(DEMO_PASSWORD)

    return probe


def _notice_draft_page(cell: Cell) -> bool:
    title = cell.name("矩阵通知")
    data = {"bureau": cell.bureau.pk, "kind": "notice", "title": title, "body": "请各单位按时报送。"}
    cell.web.post(reverse("org:notice_add"), data)
    return Notice.objects.filter(title=title).exists()


def _opens(url_name: str) -> Callable[[Cell], bool]:
    def probe(cell: Cell) -> bool:
        status = cell.web.get(reverse(url_name)).status_code
        assert status in (200, 403), f"{url_name} answered {status}"
        return status == 200

    return probe


CALENDAR_DAY = dt.date(2026, 12, 28)  # a Monday of a year the package covers


def _calendar_page(cell: Cell) -> bool:
    name = cell.name("矩阵")
    cell.web.post(
        reverse("platform:calendar_year", args=[CALENDAR_DAY.year]),
        {"date": CALENDAR_DAY.isoformat(), "kind": "holiday", "name": name},
    )
    return CalendarDay.objects.filter(date=CALENDAR_DAY, name=name).exists()


def _calendar_api(cell: Cell) -> bool:
    name = cell.name("矩阵")
    data = {"date": CALENDAR_DAY.isoformat(), "kind": "holiday", "name": name}
    cell.api.post("/api/calendar/days/", data, format="json")
    return CalendarDay.objects.filter(date=CALENDAR_DAY, name=name).exists()


# ---------------------------------------------------------------------------------------------
# The platform's rows


def _workitem(via: str) -> Callable[[Cell], bool]:
    def probe(cell: Cell) -> bool:
        title = cell.name("矩阵核查")
        data = {"kind": "task.check", "title": title, "department": cell.department().pk, "working_days": 5}
        if via == "page":
            cell.web.post(reverse("platform:workitem_add"), data)
        else:
            cell.api.post("/api/tasks/", data, format="json")
        return WorkItem.objects.filter(title=title).exists()

    return probe


def _lead_api(cell: Cell) -> bool:
    data = {
        "bureau": cell.bureau.code,
        "source_kind": "manual",
        "source_ref": cell.name("矩阵来源"),
        "domain": "online_price",
        "facts": cell.name("矩阵线索来源"),
    }
    response = cell.api.post("/api/leads/", data, format="json")
    return response.status_code in (200, 201)


# ---------------------------------------------------------------------------------------------
# The clue loop's rows


def _clue_create(via: str) -> Callable[[Cell], bool]:
    def probe(cell: Cell) -> bool:
        facts = cell.name("矩阵线索：商品页未标明价格")
        data = {"source_kind": "manual", "domain": "online_price", "facts": facts}
        if via == "page":
            cell.web.post(reverse("clues:clue_add"), data)
        else:
            cell.api.post("/api/clues/clues/", data, format="json")
        return Clue.objects.filter(facts=facts).exists()

    return probe


def _clue_of(cell: Cell) -> Clue:
    """A clue of the user's bureau, assigned to the user's unit (so that every role reads it)."""
    clue = clue_services.clue_intake(
        bureau=cell.bureau, source_kind="manual", domain="online_price", facts=cell.name("矩阵办理")
    ).clue
    if cell.user.station_id or cell.user.department_id:
        Clue.objects.filter(pk=clue.pk).update(department=cell.user.department, station=cell.user.station)
    return clue


def _clue_step_page(cell: Cell) -> bool:
    clue = _clue_of(cell)
    response = cell.web.post(f"/clues/clues/{clue.pk}/act/accept/", {}, follow=True)
    assert response.status_code == 200, response.status_code
    return permissions.get(CLUE_ACT).refusal()[0] not in response.content.decode()


def _clue_step_api(cell: Cell) -> bool:
    clue = _clue_of(cell)
    assert cell.api.get(f"/api/clues/clues/{clue.pk}/").status_code == 200
    response = cell.api.post(f"/api/clues/clues/{clue.pk}/transition/", {"action": "accept"}, format="json")
    return not _refused_by_the_table(response, CLUE_ACT)


# ---------------------------------------------------------------------------------------------
# The case app's rows


def _complaint_analysis_api(cell: Cell) -> bool:
    status = cell.api.get("/api/complaints/complaints/analysis/").status_code
    assert status in (200, 403), f"/api/complaints/complaints/analysis/ answered {status}"
    return status == 200


def _case_read_api(cell: Cell) -> bool:
    return cell.api.get("/api/cases/cases/").status_code == 200


def _case_draft(via: str) -> Callable[[Cell], bool]:
    def probe(cell: Cell) -> bool:
        title = cell.name("矩阵案件：绝对化用语")
        data = {
            "proposal": "file",
            "title": title,
            "domain": "internet_advertising",
            "source_kind": "inspection",
            "party_name": "矩阵测试商行",
            "party_kind": "organisation",
            "party_region": cell.bureau.code,
            "facts": "商品页使用“最佳”",
            "discovered_on": "2026-11-30",
            "department": cell.department().pk,
        }
        if via == "page":
            cell.web.post(reverse("cases:case_add"), data)
        else:
            cell.api.post("/api/cases/cases/", data, format="json")
        return Case.objects.filter(title=title).exists()

    return probe


def _case_of(cell: Cell) -> Case:
    """A draft 审批表 of the user's bureau and department (so that the user reads it)."""
    return Case.objects.create(
        bureau=cell.bureau,
        title=cell.name("矩阵办案"),
        domain="internet_advertising",
        source_kind="inspection",
        party_name="矩阵测试商行",
        facts="商品页使用“最佳”",
        discovered_on=dt.date(2026, 11, 30),
        department=cell.department(),
        drafted_by=cell.user,
    )


def _case_step_page(cell: Cell) -> bool:
    case = _case_of(cell)
    response = cell.web.post(f"/cases/cases/{case.pk}/act/designate/", {}, follow=True)
    assert response.status_code == 200, response.status_code
    return permissions.get(CASE_ACT).refusal()[0] not in response.content.decode()


def _case_step_api(cell: Cell) -> bool:
    case = _case_of(cell)
    assert cell.api.get(f"/api/cases/cases/{case.pk}/").status_code == 200
    response = cell.api.post(
        f"/api/cases/cases/{case.pk}/transition/", {"action": "designate"}, format="json"
    )
    return not _refused_by_the_table(response, CASE_ACT)


def _province_export(cell: Cell) -> bool:
    """The export for the province's case-handling system (a person's name in full) downloads, or is refused."""
    response = cell.web.get(reverse("cases:province_export"), {"start": "2026-01-01", "end": "2026-12-31"})
    assert response.status_code in (200, 403), response.status_code
    return response.status_code == 200 and response.content.startswith(b"PK")


# ---------------------------------------------------------------------------------------------
# Complaints and reports (投诉举报)


def _complaint_read_api(cell: Cell) -> bool:
    status = cell.api.get("/api/complaints/complaints/").status_code
    assert status in (200, 403), status
    return status == 200


def _complaint_create(via: str) -> Callable[[Cell], bool]:
    """A report (匿名举报: no complainant's data needed) registered in the user's bureau, or refused."""

    def probe(cell: Cell) -> bool:
        summary = cell.name("矩阵举报：网店销售过期食品")
        data = {
            "kind": "report",
            "channel": "phone",
            "respondent_name": "矩阵测试商行",
            "domain": "online_food",
            "summary": summary,
        }
        if via == "page":
            cell.web.post(reverse("complaints:complaint_add"), data)
        else:
            cell.api.post("/api/complaints/complaints/", data, format="json")
        return Complaint.objects.filter(summary=summary).exists()

    return probe


def _complaint_of(cell: Cell) -> Complaint:
    """A complaint of the user's bureau, handled by the user's unit (so that every role reads it)."""
    return Complaint.objects.create(
        bureau=cell.bureau,
        kind="complaint",
        received_on=dt.date(2026, 11, 30),
        person_name="张伟",
        person_phone=PHONE,
        respondent_name="矩阵测试商行",
        summary=cell.name("矩阵投诉：买到过期牛奶"),
        department=None if cell.user.station_id else cell.department(),
        station=cell.user.station,
    )


def _complaint_step_page(cell: Cell) -> bool:
    complaint = _complaint_of(cell)
    response = cell.web.post(f"/complaints/complaints/{complaint.pk}/act/accept/", {}, follow=True)
    assert response.status_code == 200, response.status_code
    return permissions.get(COMPLAINT_ACT).refusal()[0] not in response.content.decode()


def _complaint_step_api(cell: Cell) -> bool:
    complaint = _complaint_of(cell)
    assert cell.api.get(f"/api/complaints/complaints/{complaint.pk}/").status_code == 200
    response = cell.api.post(
        f"/api/complaints/complaints/{complaint.pk}/transition/", {"action": "accept"}, format="json"
    )
    return not _refused_by_the_table(response, COMPLAINT_ACT)


def _complaint_import_page(cell: Cell) -> bool:
    """A 12315 export uploaded on the import page: is the batch recorded (its rows refused or not)?"""
    name = f"{cell.name('12315导出')}.csv"
    content = "登记编号,类型,登记日期,被举报人名称,举报内容\n1234100000202611300001,举报,2026-11-30,矩阵测试商行,销售过期食品\n"
    response = cell.web.post(
        reverse("complaints:import_list"), {"file": SimpleUploadedFile(name, content.encode())}
    )
    assert response.status_code in (200, 302, 403), response.status_code
    return ComplaintImport.objects.filter(bureau=cell.bureau, file_name=name).exists()


def _complaint_results(via: str) -> Callable[[Cell], bool]:
    """The handling results for 12315, downloaded (200) or refused (403)."""

    def probe(cell: Cell) -> bool:
        query = {"since": "2025-11-01", "until": "2025-11-30", "file": "csv"}
        if via == "page":
            status = cell.web.get(reverse("complaints:import_results"), query).status_code
        else:
            status = cell.api.get("/api/complaints/complaints/results/", query).status_code
        assert status in (200, 403), status
        return status == 200

    return probe


def _complaint_report(via: str) -> Callable[[Cell], bool]:
    """An analysis report of an ended month drafted for the user's bureau, or refused."""

    def probe(cell: Cell) -> bool:
        start = "2025-09-01" if via == "page" else "2025-08-01"
        if via == "page":
            response = cell.web.post(reverse("complaints:report_add"), {"period": f"month:{start}"})
            assert response.status_code in (200, 302, 403), response.status_code
        else:
            response = cell.api.post(
                "/api/complaints/reports/", {"period_kind": "month", "period_start": start}, format="json"
            )
            assert response.status_code in (201, 403), response.status_code
        return ComplaintReport.objects.filter(bureau=cell.bureau, period_start=start).exists()

    return probe


def _bulletin_read_api(cell: Cell) -> bool:
    status = cell.api.get("/api/bulletins/").status_code
    assert status in (200, 403), f"/api/bulletins/ answered {status}"
    return status == 200


def _bulletin_draft(via: str) -> Callable[[Cell], bool]:
    """A 通报 of an ended month drafted for the user's bureau, or refused."""

    def probe(cell: Cell) -> bool:
        month = "2025-09-01" if via == "page" else "2025-08-01"
        if via == "page":
            response = cell.web.post(reverse("bulletins:add"), {"month": month, "highlights": "亮点"})
            assert response.status_code in (200, 302, 403), response.status_code
        else:
            response = cell.api.post("/api/bulletins/", {"month": month, "highlights": "亮点"}, format="json")
            assert response.status_code in (201, 403), response.status_code
        from wangjian.bulletins.models import Bulletin

        return Bulletin.objects.filter(bureau=cell.bureau, month=month).exists()

    return probe


def _inspection_read_api(cell: Cell) -> bool:
    status = cell.api.get("/api/inspections/plans/").status_code
    assert status in (200, 403), status
    return status == 200


def _inspection_item(via: str) -> Callable[[Cell], bool]:
    """An item of the user's department with its legal basis: added or refused."""

    def probe(cell: Cell) -> bool:
        from wangjian.inspections.models import InspectionItem

        name = cell.name("矩阵抽查事项")
        data = {
            "bureau": cell.bureau.pk,
            "department": cell.department().pk,
            "name": name,
            "legal_basis": "《中华人民共和国广告法》第九条",
            "method": "online",
        }
        if via == "page":
            cell.web.post(reverse("inspections:item_add"), {**data, "active": "on"})
        else:
            cell.api.post("/api/inspections/items/", data, format="json")
        return InspectionItem.objects.filter(name=name).exists()

    return probe


def _inspection_draw(via: str) -> Callable[[Cell], bool]:
    """A draw's inputs published for a published plan of the user's department over one shop: recorded or refused."""

    def probe(cell: Cell) -> bool:
        from django.utils import timezone

        from wangjian.inspections.models import Draw, InspectionItem, Plan, PlanItem
        from wangjian.inspections.services import plan_publish

        dept = cell.department()
        for _ in range(2):  # two certificate holders: the plan's inspectors
            staff = cell.staff()
            staff.department, staff.enforcement_certificate = dept, cell.name("皖矩阵")
            staff.save()
        entity = cell.entity()
        Presence.objects.create(
            bureau=cell.bureau,
            kind=PresenceKind.WEBSITE,
            url=f"https://shop{entity.pk}.example/",
            shop_name=cell.name("矩阵网店"),
            entity=entity,
        )
        item = InspectionItem.objects.create(
            bureau=cell.bureau,
            department=dept,
            name=cell.name("矩阵事项"),
            legal_basis="《中华人民共和国广告法》第九条",
        )
        plan = Plan.objects.create(
            bureau=cell.bureau,
            title=cell.name("矩阵抽查计划"),
            year=2026,
            department=dept,
            check_start=dt.date(2026, 12, 1),
            check_end=dt.date(2026, 12, 31),
        )
        PlanItem.objects.create(plan=plan, item=item)
        plan_publish(plan=plan, user=None)
        data = {
            "source_name": "中国福利彩票双色球第2026140期开奖号码",
            "source_date": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
        }
        if via == "page":
            cell.web.post(reverse("inspections:draw_publish", args=[plan.pk]), data)
        else:
            cell.api.post(f"/api/inspections/plans/{plan.pk}/draw/", data, format="json")
        return Draw.objects.filter(plan=plan).exists()

    return probe


def _inspection_check(via: str) -> Callable[[Cell], bool]:
    """A result recorded for an object of a made draw on which the user is a drawn inspector: recorded or refused."""

    def probe(cell: Cell) -> bool:
        from django.utils import timezone

        from wangjian.inspections.models import (
            Draw,
            DrawnInspector,
            DrawnObject,
            InspectionItem,
            InspectionResult,
            Plan,
            PlanItem,
        )

        dept = cell.department()
        entity = cell.entity()
        Presence.objects.create(
            bureau=cell.bureau,
            kind=PresenceKind.WEBSITE,
            url=f"https://shop{entity.pk}.example/",
            shop_name=cell.name("矩阵网店"),
            entity=entity,
        )
        item = InspectionItem.objects.create(
            bureau=cell.bureau, department=dept, name=cell.name("矩阵事项"), legal_basis="《广告法》第九条"
        )
        plan = Plan.objects.create(
            bureau=cell.bureau,
            title=cell.name("矩阵抽查计划"),
            year=2026,
            department=dept,
            state="published",
            check_start=dt.date(2026, 12, 1),
            check_end=dt.date(2026, 12, 31),
        )
        PlanItem.objects.create(plan=plan, item=item)
        draw = Draw.objects.create(
            bureau=cell.bureau,
            plan=plan,
            state="drawn",
            algorithm="matrix",
            algorithm_version=1,
            pool_sha256="0" * 64,
            inputs_sha256="0" * 64,
            source_name="矩阵随机源",
            source_date=dt.date(2026, 12, 1),
            published_at=timezone.now(),
            seed="0" * 64,
        )
        drawn = DrawnObject.objects.create(draw=draw, entity=entity, stratum="-|-", rank=1)
        DrawnInspector.objects.create(drawn=drawn, user=cell.user, rank=1)  # the user is drawn for it
        data = {"item": item.pk, "category": "corrected", "note": "矩阵：已责令改正"}
        if via == "page":
            cell.web.post(reverse("inspections:drawn_result", args=[drawn.pk]), data)
        else:
            cell.api.post(
                f"/api/inspections/draws/{draw.pk}/result/", {**data, "drawn": drawn.pk}, format="json"
            )
        return InspectionResult.objects.filter(drawn=drawn, item=item).exists()

    return probe


def _risk_grades_api(cell: Cell) -> bool:
    status = cell.api.get("/api/risk/grades/").status_code
    assert status in (200, 403), status
    return status == 200


def _risk_settings(via: str) -> Callable[[Cell], bool]:
    """New grading rules for the user's bureau (a 重点监控 threshold of its own): saved, or refused."""

    def probe(cell: Cell) -> bool:
        from wangjian.risk.models import RiskSettings

        threshold = 61 + next(cell.n)
        if via == "page":
            response = cell.web.post(
                reverse("risk:settings"),
                {"action": "save", "key_threshold": threshold, "warning_threshold": 30},
            )
            assert response.status_code in (302, 403), response.status_code
        else:
            response = cell.api.post(
                "/api/risk/grades/settings/", {"key_threshold": threshold}, format="json"
            )
            assert response.status_code in (200, 403), response.content
        return RiskSettings.objects.filter(bureau=cell.bureau, key_threshold=threshold).exists()

    return probe


def _risk_import(via: str) -> Callable[[Cell], bool]:
    """A file of credit-risk classes imported into the user's bureau (its row refused or not): is the batch kept?"""

    def probe(cell: Cell) -> bool:
        from wangjian.risk.models import CreditImport

        name = f"{cell.name('信用风险分类')}.csv"
        content = f"统一社会信用代码,名称,风险类别,月份\n{complete('91341825MA2M99992')},矩阵商贸,D,2026-11\n".encode()
        if via == "page":
            response = cell.web.post(reverse("risk:import_list"), {"file": SimpleUploadedFile(name, content)})
            assert response.status_code in (302, 403), response.status_code
        else:
            response = cell.api.post(
                "/api/risk/imports/", {"file": SimpleUploadedFile(name, content)}, format="multipart"
            )
            assert response.status_code in (201, 403), response.content
        return CreditImport.objects.filter(bureau=cell.bureau, file_name=name).exists()

    return probe


# ---------------------------------------------------------------------------------------------
# The registry's rows


def _import_api(cell: Cell) -> bool:
    content = f"统一社会信用代码,企业名称\n{complete('91341825MA2M99991')},矩阵导入商贸有限公司\n".encode()
    response = cell.api.post(
        "/api/registry/import-batches/",
        {"kind": ImportKind.REGISTRY, "file": SimpleUploadedFile("登记.csv", content)},
        format="multipart",
    )
    assert response.status_code in (202, 403), response.content
    return response.status_code == 202 and ImportBatch.objects.filter(bureau=cell.bureau).exists()


def _permit_import_api(cell: Cell) -> bool:
    """The licensing departments' permit data sent for import (kind ``permits``): queued, or refused."""
    content = "许可类型,许可证编号,经营者名称\n食品经营许可证,JY13418250000127,矩阵食品店\n".encode()
    response = cell.api.post(
        "/api/registry/import-batches/",
        {"kind": ImportKind.PERMITS, "file": SimpleUploadedFile("许可.csv", content)},
        format="multipart",
    )
    assert response.status_code in (202, 403), response.content
    return (
        response.status_code == 202
        and ImportBatch.objects.filter(bureau=cell.bureau, kind="permits").exists()
    )


def _match_for_review(cell: Cell) -> MatchResult:
    entity = cell.entity()
    platform = Platform.objects.create(bureau=cell.bureau, name=cell.name("矩阵商城"), operator=entity)
    batch = ImportBatch.objects.create(
        bureau=cell.bureau, kind=ImportKind.SELLERS, platform=platform, status=ImportStatus.DONE
    )
    seller = SellerReport.objects.create(
        bureau=cell.bureau, platform=platform, batch=batch, seller_id=cell.name("S"), claimed_name=entity.name
    )
    return MatchResult.objects.create(
        bureau=cell.bureau, seller=seller, entity=entity, confidence=0.8, outcome=MatchOutcome.REVIEW
    )


def _match_review(via: str) -> Callable[[Cell], bool]:
    def probe(cell: Cell) -> bool:
        result = _match_for_review(cell)
        if via == "page":
            cell.web.post(reverse("registry:match_decide", args=[result.pk]), {"decision": "accept"})
        else:
            cell.api.post(
                f"/api/registry/match-results/{result.pk}/decide/", {"decision": "accept"}, format="json"
            )
        result.refresh_from_db()
        return result.decided

    return probe


def _personal_page(cell: Cell) -> bool:
    """查看完整个人信息 on the entity's page: a reason given, the phone shown unmasked (or refused)."""
    entity = cell.entity(phone=PHONE)
    response = cell.web.post(entity.get_absolute_url(), {"reason": "现场核查"}, follow=True)
    assert response.status_code == 200
    return PHONE in response.content.decode()


def _personal_api(cell: Cell) -> bool:
    entity = cell.entity(phone=PHONE)
    assert (
        PHONE not in cell.api.get(f"/api/registry/entities/{entity.pk}/").content.decode()
    )  # masked for all
    response = cell.api.post(
        f"/api/registry/entities/{entity.pk}/personal/", {"reason": "现场核查"}, format="json"
    )
    assert response.status_code in (200, 403), response.content
    return response.status_code == 200 and response.json()["phone"] == PHONE


def _correction_approve_page(cell: Cell) -> bool:
    correction = CorrectionRequest.objects.create(
        bureau=cell.bureau,
        entity=cell.entity(),
        field="phone",
        proposed_value="0563-8021234",
        evidence_note="电话核实",
        requested_by=cell.staff(),
    )
    cell.web.post(
        reverse("registry:correction_decide", args=[correction.pk]), {"approve": "1", "note": "属实"}
    )
    correction.refresh_from_db()
    return correction.status == CorrectionStatus.APPLIED


# ---------------------------------------------------------------------------------------------
# Monitoring's and evidence's rows


def _finding_of(cell: Cell) -> Finding:
    library = RuleLibrary.objects.create(
        bureau=cell.bureau,
        name=cell.name("matrix"),
        title="矩阵关键词库",
        department_kind=DepartmentKind.ADVERTISING,
    )
    version = RuleLibraryVersion.objects.create(library=library, number=1, source="测试")
    rule = Rule.objects.create(
        version=version, code="AD001", name="绝对化用语", category=Category.ABSOLUTE_TERMS, terms=["最佳"]
    )
    presence = Presence.objects.create(
        bureau=cell.bureau, kind=PresenceKind.WEBSITE, url=f"https://matrix{next(cell.n)}.example/"
    )
    moment = dt.datetime(2025, 11, 12, 10, 0, tzinfo=dt.UTC)
    return Finding.objects.create(
        bureau=cell.bureau,
        presence=presence,
        page_url=presence.url,
        rule=rule,
        rule_code=rule.code,
        rule_name=rule.name,
        library_version=version,
        matched="最佳",
        matched_key="最佳",
        context="本店茶叶品质最佳",
        context_start=6,
        end=2,
        category=Category.ABSOLUTE_TERMS,
        severity=Severity.HIGH,
        first_seen=moment,
        last_seen=moment,
        status=FindingStatus.NEW,
    )


def _finding_dismiss(via: str) -> Callable[[Cell], bool]:
    def probe(cell: Cell) -> bool:
        finding = _finding_of(cell)
        if via == "page":
            cell.web.post(
                reverse("monitoring:finding_review", args=[finding.pk]),
                {"decision": "dismiss", "reason": "误报"},
            )
        else:
            cell.api.post(
                f"/api/monitoring/findings/{finding.pk}/dismiss/", {"reason": "误报"}, format="json"
            )
        finding.refresh_from_db()
        return finding.status == FindingStatus.DISMISSED

    return probe


def _feed_scan(via: str) -> Callable[[Cell], bool]:
    """A listing feed uploaded for a task and a platform of the user's bureau: is the scan recorded?"""

    def probe(cell: Cell) -> bool:
        task = MonitoringTask.objects.create(bureau=cell.bureau, name=cell.name("矩阵商品信息扫描"))
        platform = Platform.objects.create(bureau=cell.bureau, name=cell.name("矩阵报送平台"))
        feed = SimpleUploadedFile(
            "feed.jsonl", '{"listing_id": "M1", "shop_id": "X", "title": "最佳"}\n'.encode()
        )
        data = {"task": task.pk, "platform": platform.pk, "file": feed}
        if via == "page":
            cell.web.post(reverse("monitoring:feedscan_start"), data)
        else:
            response = cell.api.post("/api/monitoring/feed-scans/", data, format="multipart")
            assert response.status_code in (202, 403), response.content
        return FeedScan.objects.filter(task=task).exists()

    return probe


def _linkage_tune(via: str) -> Callable[[Cell], bool]:
    """New thresholds for an estimate of the user's bureau: are they saved?"""

    def probe(cell: Cell) -> bool:
        from wangjian.registry import linkage
        from wangjian.registry.linkage_models import LinkageEstimate

        est = LinkageEstimate.objects.create(
            bureau=cell.bureau,
            params=linkage.Model.starting().to_dict(),
            expected={"histogram": {"0.9990": 5}},
        )
        data = {"target_precision": "0.99", "review_precision": "0.8"}
        if via == "page":
            status = cell.web.post(reverse("registry:linkage", args=[est.pk]), data).status_code
            assert status in (302, 403), status
        else:
            response = cell.api.post(
                f"/api/registry/linkage-estimates/{est.pk}/thresholds/", data, format="json"
            )
            assert response.status_code in (200, 403, 404), response.content
        est.refresh_from_db()
        return est.target_precision == 0.99

    return probe


def _capture_api(cell: Cell) -> bool:
    """The endpoint reads the request (400: nothing to capture) instead of refusing the caller (403)."""
    status = cell.api.post("/api/evidence/captures/", {}, format="json").status_code
    assert status in (400, 403), status
    return status == 400


# ---------------------------------------------------------------------------------------------
# The probes: one per row of the table


# ---------------------------------------------------------------------------------------------
# Exchange between instances (跨实例协同)


def _exchange_read_api(cell: Cell) -> bool:
    status = cell.api.get("/api/exchange/messages/").status_code
    assert status in (200, 403), status
    return status == 200


def _partner_add_page(cell: Cell) -> bool:
    """A partner with a bad key: the service's refusal (the row allowed it) or the table's (403)."""
    response = cell.web.post(
        reverse("exchange:partner_add"),
        {"code": "330599", "name": "矩阵", "public_key_pem": "x", "active": "on"},
    )
    assert response.status_code in (200, 403), response.status_code
    return response.status_code == 200 and "签名公钥不是有效的" in response.content.decode()


def _held_message(cell: Cell):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from wangjian.evidence import keys
    from wangjian.exchange.models import Agreement, Partner
    from wangjian.exchange.services import message_send

    public = Ed25519PrivateKey.generate().public_key()
    partner = Partner.objects.create(
        bureau=cell.bureau,
        code=cell.name("33059"),
        name="矩阵协作单位",
        public_key_pem=keys.public_pem(public),
        fingerprint=keys.fingerprint(public),
    )
    Agreement.objects.create(
        partner=partner, reference="矩阵", categories=["enforcement"], valid_from=dt.date(2020, 1, 1)
    )
    body = {"number": "X-1", "title": "矩阵", "domain": "internet_advertising", "facts": "矩阵"}
    return message_send(bureau=cell.bureau, partner=partner, kind="clue", body=body, user=None, deliver=False)


def _review(via: str) -> Callable[[Cell], bool]:
    def probe(cell: Cell) -> bool:
        message = _held_message(cell)
        if via == "page":
            status = cell.web.post(
                reverse("exchange:message_review", args=[message.pk]), {"approve": "1"}
            ).status_code
            assert status in (302, 403, 404), status
        else:
            response = cell.api.post(
                f"/api/exchange/messages/{message.pk}/review/", {"approve": True}, format="json"
            )
            assert response.status_code in (200, 403), response.content
        message.refresh_from_db()
        return message.state == "queued"

    return probe


# ---------------------------------------------------------------------------------------------
# Platforms' duties and other authorities (平台责任、外部门协作)


def _outreach_read_api(cell: Cell) -> bool:
    status = cell.api.get("/api/outreach/requests/").status_code
    assert status in (200, 403), status
    return status == 200


def _outreach_act_page(cell: Cell) -> bool:
    """An authority registered: the table's refusal, or not (an officer outside the network unit meets the rule
    after the row, which is the service's, not the table's)."""
    response = cell.web.post(
        reverse("outreach:authority_add"), {"name": cell.name("矩阵公安局"), "kind": "police"}, follow=True
    )
    return permissions.get(OUTREACH_ACT).refusal()[0] not in response.content.decode()


def _outreach_act_api(cell: Cell) -> bool:
    response = cell.api.post(
        "/api/outreach/authorities/", {"name": cell.name("矩阵公安局"), "kind": "police"}, format="json"
    )
    return not _refused_by_the_table(response, OUTREACH_ACT)


def _outreach_settings_page(cell: Cell) -> bool:
    from wangjian.platform.clocks.services import setting_for

    cell.web.post(reverse("outreach:settings"), {"clock": "outreach.takedown", "length": "9"})
    return setting_for(bureau=cell.bureau, clock="outreach.takedown").length == 9


# ---------------------------------------------------------------------------------------------
# Credit (信用监管)


def _credit_read_api(cell: Cell) -> bool:
    status = cell.api.get("/api/credit/abnormal-listings/").status_code
    assert status in (200, 403), status
    return status == 200


def _listing_of(cell: Cell) -> AbnormalListing:
    """A proposed listing of the user's bureau (the step's own rule — the transition table — comes after the row)."""
    return AbnormalListing.objects.create(
        bureau=cell.bureau, entity=cell.entity(), ground="ordered", period_end=dt.date(2026, 10, 30)
    )


def _credit_step_page(cell: Cell) -> bool:
    listing = _listing_of(cell)
    response = cell.web.post(f"/credit/abnormal/{listing.pk}/act/list/", {}, follow=True)
    assert response.status_code == 200, response.status_code
    return permissions.get(CREDIT_ACT).refusal()[0] not in response.content.decode()


def _credit_step_api(cell: Cell) -> bool:
    listing = _listing_of(cell)
    assert cell.api.get(f"/api/credit/abnormal-listings/{listing.pk}/").status_code == 200
    response = cell.api.post(
        f"/api/credit/abnormal-listings/{listing.pk}/transition/", {"action": "list"}, format="json"
    )
    return not _refused_by_the_table(response, CREDIT_ACT)


def _credit_import_page(cell: Cell) -> bool:
    """An annual-report file uploaded: read by the import (the table let it through) or refused (403)."""
    content = f"统一社会信用代码,年度\n{cell.entity().uscc},2025\n"
    response = cell.web.post(
        reverse("credit:import_list"),
        {"file": SimpleUploadedFile(f"{cell.name('年报')}.csv", content.encode())},
    )
    assert response.status_code in (200, 302, 403), response.status_code
    return response.status_code != 403


def _stats_api(cell: Cell) -> bool:
    """The figures of the user's own bureau: answered (200) or refused by the table (403)."""
    response = cell.api.get("/api/stats/figures/", {"bureau": cell.bureau.pk, "keys": "clues_received"})
    assert response.status_code in (200, 403), response.status_code
    return response.status_code == 200


# ---------------------------------------------------------------------------------------------
# The leading group's year (领导小组)


def _leadership_read_api(cell: Cell) -> bool:
    status = cell.api.get("/api/leadership/meetings/").status_code
    assert status in (200, 403), status
    return status == 200


def _leadership_meeting(via: str) -> Callable[[Cell], bool]:
    """A 调度会 registered for the user's bureau, or refused."""

    def probe(cell: Cell) -> bool:
        from wangjian.leadership.models import Meeting

        title = cell.name("矩阵调度会")
        data = {"kind": "dispatch", "title": title, "held_on": "2026-11-30"}
        if via == "page":
            response = cell.web.post(reverse("leadership:meeting_add"), data)
            assert response.status_code in (200, 302, 403), response.status_code
        else:
            response = cell.api.post("/api/leadership/meetings/", data, format="json")
            assert response.status_code in (201, 403), response.status_code
        return Meeting.objects.filter(title=title).exists()

    return probe


def _leadership_summary(via: str) -> Callable[[Cell], bool]:
    """The yearly summary of the user's own unit (made for the test if the unit is no member), submitted or refused."""

    def probe(cell: Cell) -> bool:
        from wangjian.leadership import services as leadership_services
        from wangjian.leadership.models import AnnualPlan, YearSummary

        plan = AnnualPlan.objects.filter(bureau=cell.bureau, year=2026).first()
        if plan is None:
            plan = leadership_services.plan_create(bureau=cell.bureau, year=2026, user=None)
        unit = {"station": cell.user.station} if cell.user.station_id else {"department": cell.department()}
        summary, _ = YearSummary.objects.get_or_create(plan=plan, **unit)
        text = cell.name("矩阵年度总结")
        if via == "page":
            cell.web.post(
                reverse("leadership:summaries", args=[plan.pk]), {"summary": summary.pk, "text": text}
            )
        else:
            cell.api.post(f"/api/leadership/summaries/{summary.pk}/submit/", {"text": text}, format="json")
        summary.refresh_from_db()
        return summary.text == text

    return probe


@dataclass(frozen=True)
class Probe:
    page: Callable[[Cell], bool] | None
    api: Callable[[Cell], bool] | None


PROBES: dict[str, Probe] = {
    permissions.ORG_READ: Probe(_org_read_page, _org_read_api),
    permissions.ORG_MANAGE: Probe(_department_add_page, _department_add_api),
    permissions.USERS_MANAGE: Probe(_password_reset("page"), _password_reset("api")),
    permissions.NOTICES_DRAFT: Probe(_notice_draft_page, None),
    permissions.ATTENDANCE_READ: Probe(_opens("org:attendance"), None),
    permissions.CHANGELOG_READ: Probe(_opens("platform:changelog"), None),
    permissions.CALENDAR_EDIT: Probe(_calendar_page, _calendar_api),
    WORKITEMS_CREATE: Probe(_workitem("page"), _workitem("api")),
    LEADS_SUBMIT: Probe(None, _lead_api),
    STATS_READ: Probe(_opens("platform:stats_dashboard"), _stats_api),
    CLUE_CREATE: Probe(_clue_create("page"), _clue_create("api")),
    CLUE_ACT: Probe(_clue_step_page, _clue_step_api),
    CLUE_OVERVIEW: Probe(_opens("clues:overview"), None),
    COMPLAINT_READ: Probe(_opens("complaints:complaint_list"), _complaint_read_api),
    COMPLAINT_CREATE: Probe(_complaint_create("page"), _complaint_create("api")),
    COMPLAINT_ACT: Probe(_complaint_step_page, _complaint_step_api),
    COMPLAINT_IMPORT: Probe(_complaint_import_page, None),
    COMPLAINT_ANALYSIS: Probe(_opens("complaints:analysis"), _complaint_analysis_api),
    COMPLAINT_RESULTS: Probe(_complaint_results("page"), _complaint_results("api")),
    COMPLAINT_REPORT: Probe(_complaint_report("page"), _complaint_report("api")),
    "bulletins.read": Probe(_opens("bulletins:list"), _bulletin_read_api),
    "bulletins.issue": Probe(_bulletin_draft("page"), _bulletin_draft("api")),
    CAMPAIGN_READ: Probe(_opens("campaigns:campaign_list"), campaign_probes.read_api),
    CAMPAIGN_MANAGE: Probe(campaign_probes.manage_page, campaign_probes.manage_api),
    CAMPAIGN_REPORT: Probe(campaign_probes.report_page, campaign_probes.report_api),
    "leadership.read": Probe(_opens("leadership:overview"), _leadership_read_api),
    "leadership.manage": Probe(_leadership_meeting("page"), _leadership_meeting("api")),
    "leadership.report": Probe(_leadership_summary("page"), _leadership_summary("api")),
    INSPECTION_READ: Probe(_opens("inspections:plan_list"), _inspection_read_api),
    INSPECTION_PLAN: Probe(_inspection_item("page"), _inspection_item("api")),
    INSPECTION_DRAW: Probe(_inspection_draw("page"), _inspection_draw("api")),
    INSPECTION_CHECK: Probe(_inspection_check("page"), _inspection_check("api")),
    GRADE_READ: Probe(_opens("risk:grade_list"), _risk_grades_api),
    SETTINGS_MANAGE: Probe(_risk_settings("page"), _risk_settings("api")),
    IMPORT_RUN: Probe(_risk_import("page"), _risk_import("api")),
    CREDIT_READ: Probe(_opens("credit:abnormal_list"), _credit_read_api),
    MESSAGE_READ: Probe(_opens("exchange:message_list"), _exchange_read_api),
    OUTREACH_READ: Probe(_opens("outreach:guidance_list"), _outreach_read_api),
    OUTREACH_ACT: Probe(_outreach_act_page, _outreach_act_api),
    OUTREACH_SETTINGS: Probe(_outreach_settings_page, None),
    REPORTING_READ: Probe(_opens("reporting:report_list"), reporting_probes.read_api),
    REPORTING_SUBMIT: Probe(reporting_probes.submit("page"), reporting_probes.submit("api")),
    REPORTING_REVIEW: Probe(reporting_probes.review("page"), reporting_probes.review("api")),
    REPORTING_TEMPLATE: Probe(reporting_probes.define("page"), reporting_probes.define("api")),
    ASSIST_READ: Probe(_opens("assist:request_list"), assist_probes.read_api),
    ASSIST_ACT: Probe(assist_probes.act_page, assist_probes.act_api),
    INTERNAL_READ: Probe(_opens("assist:internal_list"), assist_probes.internal_read_api),
    INTERNAL_ACT: Probe(assist_probes.internal_act_page, assist_probes.internal_act_api),
    PARTNER_MANAGE: Probe(_partner_add_page, None),
    MESSAGE_REVIEW: Probe(_review("page"), _review("api")),
    CREDIT_ACT: Probe(_credit_step_page, _credit_step_api),
    CREDIT_IMPORT: Probe(_credit_import_page, None),
    CASE_READ: Probe(_opens("cases:case_list"), _case_read_api),
    CASE_DRAFT: Probe(_case_draft("page"), _case_draft("api")),
    CASE_ACT: Probe(_case_step_page, _case_step_api),
    CASE_FIGURES: Probe(_opens("cases:figures"), None),
    PROVINCE_EXCHANGE: Probe(_province_export, None),
    REGISTRY_IMPORT: Probe(_opens("registry:import_upload"), _import_api),
    PERMIT_IMPORT: Probe(_opens("registry:permit_import"), _permit_import_api),
    LINKAGE_TUNE: Probe(_linkage_tune("page"), _linkage_tune("api")),
    REGISTRY_REVIEW: Probe(_match_review("page"), _match_review("api")),
    PERSONAL_DATA_READ: Probe(_personal_page, _personal_api),
    CORRECTION_APPROVE: Probe(_correction_approve_page, None),
    FINDINGS_REVIEW: Probe(_finding_dismiss("page"), _finding_dismiss("api")),
    LIBRARY_IMPORT: Probe(_opens("monitoring:library_import"), None),
    FEED_SCAN: Probe(_feed_scan("page"), _feed_scan("api")),
    EVIDENCE_CAPTURE: Probe(_opens("evidence:capture_add"), _capture_api),
}
# Rows with no page or no endpoint, and why.
NO_PAGE = {LEADS_SUBMIT: "the intake port is for other systems: POST /api/leads/ only"}
NO_API = {
    CREDIT_IMPORT: "annual reports are imported on the page (or by `wangjian credit import-annual`); the "
    "imports are at GET /api/credit/annual-imports/",
    permissions.NOTICES_DRAFT: "notices are drafted and published on the page; the API serves the inbox",
    permissions.ATTENDANCE_READ: "the daily log-in check is a page",
    permissions.CHANGELOG_READ: "the change log is read on its pages",
    CLUE_OVERVIEW: "the overview and its monthly Excel are pages",
    CASE_FIGURES: "the monthly case figures and their Excel are a page (and `wangjian cases figures`)",
    PROVINCE_EXCHANGE: "the exchange with the province's case-handling system is files: the export and the "
    "difference report are a page (the case data is also at GET /api/cases/cases/)",
    CORRECTION_APPROVE: "corrections are requested and decided on the pages",
    COMPLAINT_IMPORT: "a 12315 export is imported on the page (or by `wangjian complaints import`); "
    "the records are at GET /api/complaints/complaints/",
    LIBRARY_IMPORT: "a rule library file is imported on the page (or by `wangjian rules`)",
    OUTREACH_SETTINGS: "the outreach work rules are set on /outreach/settings/ (the API's clock policies are the "
    "office's, org.manage)",
    PARTNER_MANAGE: "partners and agreements are kept on the pages (or by `wangjian exchange partner-add` and "
    "`agreement`); they are read at GET /api/exchange/partners/",
}


def _cells() -> list:
    cells = []
    for action in permissions.actions():
        probe = PROBES.get(action.key)
        if probe is None:
            continue
        for role in [*ROLES, SUPERUSER]:
            for surface in ("page", "api"):
                if getattr(probe, surface) is not None:
                    cells.append(pytest.param(action.key, role, surface, id=f"{action.key}-{role}-{surface}"))
    return cells


# ---------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Uploads and evidence in this test's own folder."""
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    settings.WANGJIAN_EVIDENCE_KEY_DIR = str(tmp_path / "keys")


@pytest.fixture
def cell_for(demo):
    """``cell_for(role)`` → the role's demo user (or a superuser of 旌德县, as ``wangjian init`` makes one)."""

    def _cell(role: str) -> Cell:
        if role == SUPERUSER:
            user, _ = org_services.user_create(
                username="root",
                bureau=demo.county,
                role=Role.OFFICE_ADMIN,
                department=Department.objects.get(bureau=demo.county, kind=DepartmentKind.ONLINE_TRADE),
                password=DEMO_PASSWORD,
                is_superuser=True,
            )
        else:
            user = demo.users[ROLES[role]]
        web = Client()
        web.force_login(user)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user)[1]}")
        return Cell(user=user, web=web, api=api)

    return _cell


# ---------------------------------------------------------------------------------------------
# The table's shape


def test_every_registered_action_has_a_probe_on_the_page_and_the_api():
    keys = {a.key for a in permissions.actions()}
    assert keys == set(PROBES), (
        f"rows without a probe: {keys - set(PROBES)}; probes of no row: {set(PROBES) - keys}"
    )
    for key, probe in PROBES.items():
        assert (probe.page is None) == (key in NO_PAGE), f"{key}: a page probe, or a reason in NO_PAGE"
        assert (probe.api is None) == (key in NO_API), f"{key}: an API probe, or a reason in NO_API"
    assert set(ROLES) == set(Role.values), "every role is a column of the table"


def test_the_auditor_is_read_only_in_every_row_and_the_table_refuses_a_row_that_breaks_it():
    for action in permissions.actions():
        if Role.AUDITOR in action.roles:
            assert action.reads, f"{action.key} lets the auditor write"
    with pytest.raises(ImproperlyConfigured, match="read-only"):
        permissions.register(permissions.Action("matrix.write", "写入", "write", frozenset({Role.AUDITOR})))
    assert "matrix.write" not in {a.key for a in permissions.actions()}


README_COLUMNS = [
    Role.PROVINCE_OFFICE,
    Role.OFFICE_ADMIN,
    Role.LEADING_GROUP,
    Role.DEPARTMENT_HEAD,
    Role.OFFICER,
    Role.STATION_OFFICER,
    Role.LEGAL_REVIEWER,
    Role.AUDITOR,
]


def test_the_readme_shows_the_table_the_code_holds():
    lines = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8").splitlines()
    for action, cells in permissions.matrix():
        line = next((line for line in lines if f"(`{action.key}`)" in line), None)
        assert line is not None, f"README's permission table lacks the row {action.key}"
        ticks = [cell.strip() == "✓" for cell in line.strip().strip("|").split("|")[1:]]
        assert ticks == [cells[role] for role in README_COLUMNS], (
            f"README's row {action.key} differs from the code"
        )


def test_a_check_naming_a_row_nobody_registered_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="not in the table"):
        permissions.may(None, "no.such.row")


def test_the_refusal_names_the_row_and_who_may():
    zh, en = permissions.get(CLUE_CREATE).refusal()
    assert "登记线索" in zh and "只读审计" not in zh and "clues.clue.create" in zh
    assert "the superuser" in en and "auditor" not in en


@pytest.mark.parametrize("key,role,surface", _cells())
def test_every_cell_of_the_permission_matrix(cell_for, key, role, surface):
    """The role's user takes the action on the page (or through the API) exactly where the table allows it."""
    allowed = role == SUPERUSER or permissions.role_may(role, key)
    cell = cell_for(role)
    went_through = getattr(PROBES[key], surface)(cell)
    assert went_through == allowed, (
        f"{role} {'took' if went_through else 'was refused'} “{permissions.get(key).zh}” on the {surface}; "
        f"the table says {'allowed' if allowed else 'refused'}"
    )


def test_the_auditor_cannot_create_a_clue_on_the_page_or_the_api(demo, login, api):
    auditor = demo.users["auditor"]
    assert login(auditor).get(reverse("clues:clue_add")).status_code == 403
    page = login(auditor).post(
        reverse("clues:clue_add"), {"source_kind": "manual", "domain": "online_price", "facts": "审计登记"}
    )
    assert page.status_code == 403
    response = api(auditor).post(
        "/api/clues/clues/",
        {"source_kind": "manual", "domain": "online_price", "facts": "审计登记"},
        format="json",
    )
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["zh"] == permissions.get(CLUE_CREATE).refusal()[0] and error["en"]
    lead = {
        "bureau": demo.county.code,
        "source_kind": "manual",
        "source_ref": "x",
        "domain": "mlm",
        "facts": "审计",
    }
    assert api(auditor).post("/api/leads/", lead, format="json").status_code == 403
    assert not Clue.objects.filter(facts__startswith="审计").exists()
