"""The demo campaign: 旌德县's 网络市场监管专项行动 in its third month, with two units late.

Dates are relative to the demo's today (``timezone.localdate()``, as the other loaders take it): the
campaign began on the first day of the month two months back; the first month's tables were all
submitted on time, the second month's by all units but two (蔡家桥所 and 食品经营监管股, marked late and
the office told); this month's are being filled in. Tasks are in the units' inboxes, monitoring tasks,
clues, cases and complaints are linked, a typical case is picked, a 督查组 has scored two units and
双十一 raises the daily sweep to every six hours.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from decimal import Decimal

from django.utils import timezone

from wangjian.campaigns.models import Campaign, PeriodKind
from wangjian.campaigns.services import periods, plan, summary, supervision, tables
from wangjian.core import workdays
from wangjian.org.models import Department, Station

TITLE = "网络市场监管专项行动（演示）"
LATE_UNITS = ("蔡家桥市场监管所", "食品经营监管股")


def _month_start(day: dt.date, back: int) -> dt.date:
    total = day.year * 12 + day.month - 1 - back
    return dt.date(total // 12, total % 12 + 1, 1)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def load(org, stdout) -> None:
    try:
        _load(org, stdout)
    except (
        workdays.UncoveredYearError
    ) as exc:  # the demo must not stop the others for want of a calendar year
        stdout.write(f"专项行动演示数据未载入 / demo campaign not loaded: {exc.zh}")


def _load(org, stdout) -> None:
    county, users = org.county, org.users
    if Campaign.objects.filter(bureau=county, title=TITLE).exists():
        stdout.write("专项行动演示数据已存在 / demo campaign exists")
        return
    office = users["office"]
    now = timezone.now()
    today = timezone.localdate()
    start = _month_start(today, 2)
    end_month = _month_start(today, -5)
    end = dt.date(
        end_month.year, end_month.month, month_calendar.monthrange(end_month.year, end_month.month)[1]
    )
    campaign = plan.campaign_create(
        user=office,
        bureau=county,
        title=TITLE,
        year=start.year,
        start=start,
        end=end,
        lead_department=county.office(),
        document_number=f"旌市场〔{start.year}〕18号",
        basis="《网络交易监督管理办法》；市局关于开展网络市场监管专项行动的通知",
        description="聚焦网络食品、直播带货、虚假宣传和不正当竞争，开展集中联合检查，每月28日前报送统计表和文字说明。",
        summary_due=end + dt.timedelta(days=1),  # the 1st after the last month, as 天津's 1 December
    )
    depts = {d.name: d for d in Department.objects.filter(bureau=county)}
    stations = {s.name: s for s in Station.objects.filter(bureau=county)}
    units = [
        plan.unit_add(user=office, campaign=campaign, department=depts["广告监管股"]),
        plan.unit_add(user=office, campaign=campaign, department=depts["价格监督检查股"]),
        plan.unit_add(user=office, campaign=campaign, department=depts["食品经营监管股"]),
        plan.unit_add(user=office, campaign=campaign, station=stations["旌阳市场监管所"]),
        plan.unit_add(user=office, campaign=campaign, station=stations["蔡家桥市场监管所"]),
    ]
    phases = {p.name: p for p in campaign.phases.all()}
    for unit, title in zip(
        units,
        (
            "排查直播带货虚假宣传、绝对化用语",
            "检查网络交易价格标示和价格欺诈",
            "检查网络食品经营者亮证亮照和入网许可",
            "辖区网店主体信息核查",
            "辖区外卖平台入网餐饮单位检查",
        ),
        strict=True,
    ):
        plan.task_assign(
            user=office,
            unit=unit,
            title=title,
            due=today + dt.timedelta(days=20),
            phase=phases.get("集中联合检查"),
            now=now,
        )
    _links(campaign, office)
    _tables(campaign, units, users, today)
    periods.late_mark(today=today, now=now)
    _typical_and_groups(campaign, units, office, today)
    stdout.write(
        f"专项行动 / campaign: {campaign.title}，{campaign.units.count()}个单位，"
        f"逾期{campaign.periods.filter(reports__late=True).values('reports__unit').distinct().count()}个"
    )


def _links(campaign: Campaign, office) -> None:
    from wangjian.cases.models import Case
    from wangjian.clues.models import Clue
    from wangjian.complaints.models import Complaint
    from wangjian.monitoring.models import MonitoringTask

    for model in (MonitoringTask, Clue, Case, Complaint):
        for obj in model.objects.filter(bureau=campaign.bureau).order_by("pk")[:2]:
            plan.link_add(user=office, campaign=campaign, obj=obj)


def _reporter(unit, users, office):
    for user in users.values():
        if unit.station_id and user.station_id == unit.station_id:
            return user
        if unit.department_id and user.department_id == unit.department_id and not user.station_id:
            return user
    return office


def _tables(campaign: Campaign, units, users, today: dt.date) -> None:
    office = users["office"]
    months = list(campaign.periods.filter(kind=PeriodKind.MONTH).order_by("start"))
    for index, period in enumerate(months[:3]):
        for n, unit in enumerate(units):
            late_one = str(unit) in LATE_UNITS
            if index >= 1 and late_one:
                if index == 2 or today > period.due:
                    continue  # no table: late once the due day has passed
            report = tables.report_for(period=period, unit=unit)
            user = _reporter(unit, users, office)
            cells = tables.cells(report)
            values = {c.column.key: str(3 + n + index) for c in cells if c.computed is None}
            reasons = {}
            if index == 0 and n == 0:
                clue_cell = next(c for c in cells if c.column.key == "clues")
                if clue_cell.computed is not None:
                    values["clues"] = str(clue_cell.computed + 1)
                    reasons["clues"] = "含市局交办、尚未在系统登记的线索1件"
            text = f"{unit}{period.label}：开展网络交易检查，核查网店{8 + n}家，发现问题{n + index}处，已督促整改。"
            submit_day = min(period.due - dt.timedelta(days=2 + n), today)
            if index == 2 and today <= period.due and (n % 2 or today < period.start + dt.timedelta(days=3)):
                tables.report_save(report=report, user=user, values=values, reasons=reasons, text=text)
                continue  # this month's: still being filled in
            tables.report_save(
                report=report, user=user, values=values, reasons=reasons, text=text, now=_at(submit_day)
            )
            tables.report_submit(report=report, user=user, now=_at(submit_day, 16))


def _typical_and_groups(campaign: Campaign, units, office, today: dt.date) -> None:
    from wangjian.monitoring.models import MonitoringTask

    for case in summary.typical_candidates(campaign)[:3]:
        summary.typical_add(
            user=office, campaign=campaign, case=case, note="网络交易违法典型案例，已依法作出行政处罚。"
        )
    group = supervision.group_create(
        user=office,
        campaign=campaign,
        name="第一督查组",
        leader="王局长",
        members=[office],
        other_members="市局网监科",
    )
    supervision.score_set(
        user=office,
        group=group,
        unit=units[0],
        score=Decimal("92"),
        comment="台账完整，线索核查及时",
        day=today,
    )
    supervision.score_set(
        user=office, group=group, unit=units[4], score=Decimal("78"), comment="统计表报送不及时", day=today
    )
    y = today.year if today <= dt.date(today.year, 11, 11) else today.year + 1
    key = supervision.key_period_add(
        user=office, campaign=campaign, name="双十一", start=dt.date(y, 11, 1), end=dt.date(y, 11, 12)
    )
    for task in MonitoringTask.objects.filter(bureau=campaign.bureau, interval_hours__gt=6)[:1]:
        supervision.boost_set(user=office, key_period=key, task=task, interval_hours=6)
