"""The reporting demo (after clues, cases, complaints and inspections): 宣城市's office asks its counties for a
monthly 网络市场监管数据 report — 旌德县's report of last month was accepted, 绩溪县's returned for correction
with the reason, and this month's reports are open. 绩溪县 gets an office administrator (``jixi_office``) to
correct and submit again. Times are backdated from today, as the other demos do."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wangjian.core import workdays
from wangjian.core.audit import acting
from wangjian.org import services as org_services
from wangjian.org.choices import DepartmentKind, Role
from wangjian.org.models import User
from wangjian.platform import statistics
from wangjian.reporting import periods, services
from wangjian.reporting.choices import PeriodKind
from wangjian.reporting.models import ReportTemplate

FIGURES = ("clues_received", "clues_closed", "cases_opened", "complaints_received", "findings")
RETURN_REASON = "受理线索数与12315平台台账不一致，请核对后更正并说明原因"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def load(org, stdout) -> None:  # noqa: ANN001
    try:
        with acting(None, via="demo"):
            _load(org, stdout)
    except (
        workdays.UncoveredYearError
    ) as exc:  # the demo must not stop the others for want of a calendar year
        stdout.write(f"向上报送演示数据未载入 / demo reporting not loaded: {exc.zh}")


def _jixi_office(org, password: str) -> User:  # noqa: ANN001
    user = User.objects.filter(username="jixi_office").first()
    if user is None:
        user, _ = org_services.user_create(
            username="jixi_office",
            name="绩溪办公室",
            role=Role.OFFICE_ADMIN,
            bureau=org.other_county,
            department=org.other_county.departments.filter(kind=DepartmentKind.ONLINE_TRADE).first(),
            password=password,
        )
        user.must_change_password = False
        user.save()
    return user


def _load(org, stdout) -> None:  # noqa: ANN001
    city = org.city
    if ReportTemplate.objects.filter(bureau=city).exists():
        stdout.write("向上报送演示数据已存在 / demo reporting exists")
        return
    now = timezone.now()
    today = timezone.localdate()
    last = periods.last_complete(PeriodKind.MONTH, today)
    current = periods.containing(PeriodKind.MONTH, today)
    city_office = org.users["city_office"]
    jixi_office = _jixi_office(org, org.password or org_services.generate_password())
    template = services.template_save(
        bureau=city,
        user=city_office,
        name="网络市场监管月度数据报送",
        key="monthly-online",
        figures=[k for k in FIGURES if k in statistics.keys()],
        records=["clues_received"] if "clues_received" in statistics.keys() else [],
        period_kind=PeriodKind.MONTH,
        due_days=5,
        instructions="各县局于每月结束后5个工作日内报送上月网络市场监管数据；与系统统计值不一致的须说明理由。",
        starts_on=last.start,
        today=today,
    )
    opened_at = min(_at(last.end + dt.timedelta(days=1), 9), now - dt.timedelta(hours=3))
    submitted_at = max(opened_at, min(_at(last.end + dt.timedelta(days=2), 10), now - dt.timedelta(hours=2)))
    reviewed_at = max(
        submitted_at, min(_at(last.end + dt.timedelta(days=3), 15), now - dt.timedelta(hours=1))
    )
    reports = {r.bureau_id: r for r in services.reports_open(template=template, period=last, now=opened_at)}
    jingde, jixi = reports[org.county.pk], reports[org.other_county.pk]
    services.report_submit(
        report=jingde,
        user=org.users["office"],
        notes={"clues_received": "含12315平台转来线索"},
        note="本月数据已核对。",
        now=submitted_at,
    )
    services.report_review(report=jingde, user=city_office, decision=services.ACCEPT, now=reviewed_at)
    services.report_submit(report=jixi, user=jixi_office, now=submitted_at)
    services.report_review(
        report=jixi, user=city_office, decision=services.RETURN, reason=RETURN_REASON, now=reviewed_at
    )
    services.reports_open(template=template, period=current, now=now)
    stdout.write(
        f"向上报送：宣城市“{template.name}”，{last.label} 旌德县已审核通过、绩溪县退回更正，{current.label} 待报送 / "
        "demo reporting loaded"
    )
