"""Demo of the leading group's year for 旌德县: the year's plan with some tasks done, the yearly member meeting
with its 纪要 issued (one decision done, one running, one overdue and pressed by the office's 督办), a 联席会议
with the public security and the internet information office still in draft, the yearly summaries partly in
(one late when the due day has passed), the assessment with criteria fed by the statistics and one scored by
hand, and two training and publicity activities. Times are backdated from today as the other demos do.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wangjian.core import workdays
from wangjian.core.audit import acting
from wangjian.leadership import services
from wangjian.leadership.models import AnnualPlan, MeetingKind, Scoring
from wangjian.org.choices import DepartmentKind as K
from wangjian.org.models import Department, Station
from wangjian.platform.workitems.followup import followups_run
from wangjian.platform.workitems.models import WorkItem

BEIJING = dt.timezone(dt.timedelta(hours=8))


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=BEIJING)


def load(org, stdout) -> None:
    try:
        with acting(None, via="demo"):
            _load(org, stdout)
    except (
        workdays.UncoveredYearError
    ) as exc:  # the demo must not stop the others for want of a calendar year
        stdout.write(f"领导小组演示数据未载入 / demo leading group not loaded: {exc.zh}")


def _load(org, stdout) -> None:
    county, users = org.county, org.users
    today = timezone.localdate()
    year = today.year
    if AnnualPlan.objects.filter(bureau=county, year=year).exists():
        stdout.write("领导小组演示数据已存在 / demo leading group exists")
        return
    office = users["office"]
    dept = {k: Department.objects.get(bureau=county, kind=k) for k in (K.ADVERTISING, K.PRICE, K.FOOD)}
    station = Station.objects.filter(bureau=county).order_by("id").first()
    jan = dt.date(year, 1, 2)
    start = max(jan, today - dt.timedelta(days=90))
    end = dt.date(year, 12, 31)

    plan = services.plan_create(
        bureau=county,
        year=year,
        body="一、健全线上线下一体化监管机制；二、开展网络市场专项整治；三、落实线索闭环和督办；四、加强培训宣传。",
        user=office,
    )
    # the plan's tasks: two done, one running, one overdue
    tasks = [
        (
            "完善本单位涉网监管职责清单",
            dept[K.ADVERTISING],
            None,
            start + dt.timedelta(days=20),
            "已修订并报办公室备案",
        ),
        (
            "开展网络价格违法行为专项检查",
            dept[K.PRICE],
            None,
            start + dt.timedelta(days=30),
            "检查平台12家，立案2件",
        ),
        ("网络食品经营主体亮照亮标核查", dept[K.FOOD], None, min(end, today + dt.timedelta(days=25)), ""),
        (
            "辖区网店搜索建档",
            None,
            station,
            max(start + dt.timedelta(days=5), today - dt.timedelta(days=6)),
            "",
        ),
    ]
    for title, department, st, due, done in tasks:
        if due < start:
            due = start
        task = services.task_add(
            plan=plan, title=title, due=due, department=department, station=st, user=office, now=_at(start)
        )
        if done:
            services.item_complete(
                item=task.work_item,
                user=office,
                result=done,
                now=_at(min(today, due)),
            )

    # the yearly member meeting and its 纪要
    held = start + dt.timedelta(days=1)
    meeting = services.meeting_create(
        bureau=county,
        kind=MeetingKind.PLENARY,
        title=f"{year}年线上线下一体化监管工作领导小组全体成员会议",
        held_on=held,
        place="局三楼会议室",
        chair=users["leader"],
        attendees=[
            users[n] for n in ("leader", "office", "ad_head", "ad_officer", "price_officer", "food_officer")
        ],
        minutes="通报上年度工作情况，各成员单位交流经验，研究部署本年度工作。",
        summary="会议议定：一、广告股牵头开展互联网广告专项监测；二、价格股完成网络价格专项检查并报结果；"
        "三、食品股于期限内完成网络食品经营主体核查。",
        user=office,
    )
    decisions = [
        (
            "广告股牵头开展互联网广告专项监测，每月报送监测结果",
            dept[K.ADVERTISING],
            held + dt.timedelta(days=20),
        ),
        (
            "价格股完成网络价格专项检查并报送结果",
            dept[K.PRICE],
            min(end, max(held + dt.timedelta(days=10), today - dt.timedelta(days=8))),
        ),
        ("食品股完成网络食品经营主体核查", dept[K.FOOD], min(end, today + dt.timedelta(days=20))),
    ]
    for text, department, due in decisions:
        services.decision_add(
            meeting=meeting, text=text, due=max(due, held), department=department, user=office
        )
    meeting = services.minutes_issue(meeting=meeting, user=office, now=_at(held, 16))
    first = meeting.decisions.get(seq=1)
    services.item_complete(
        item=first.work_item,
        user=users["ad_officer"],
        result="已建立月度监测报送制度",
        now=_at(min(today, first.due)),
    )
    # the daily job finds the late ones: marked overdue, the office's 督办 raised
    followups_run(now=_at(today, 9), kinds_only=services.KINDS, deliver=False)

    joint = services.meeting_create(
        bureau=county,
        kind=MeetingKind.JOINT,
        title="网络市场监管部门联席会议",
        held_on=today - dt.timedelta(days=3),
        place="县政府第二会议室",
        chair=users["leader"],
        attendees=[users["leader"], users["office"]],
        outside_attendees="县公安局网安大队 张队长\n县委网信办 刘主任\n县邮政管理局 陈科长",
        minutes="通报网络交易违法案件移送和协查情况，研究寄递环节协作。",
        user=office,
    )
    services.decision_add(
        meeting=joint,
        text="网监股会同公安网安建立线索移送对接机制",
        due=min(end, today + dt.timedelta(days=30)),
        department=office.department,
        user=office,
    )

    # yearly summaries: partly in (one late once the due day has passed)
    due = plan.summary_due
    summaries = {s.unit_key: s for s in plan.summaries.all()}
    on_time = _at(min(today, due - dt.timedelta(days=3)), 15)
    services.summary_submit(
        summary=summaries[f"d{dept[K.ADVERTISING].pk}"],
        user=users["ad_officer"],
        text="全年开展互联网广告监测，发现涉嫌违法广告线索，均已按期反馈处置。",
        now=on_time,
    )
    if today > due + dt.timedelta(days=2):
        services.summary_submit(
            summary=summaries[f"d{dept[K.PRICE].pk}"],
            user=users["price_officer"],
            text="全年开展网络价格专项检查，查处价格违法案件。",
            now=_at(due + dt.timedelta(days=2), 11),
        )

    # the assessment
    services.criterion_add(
        plan=plan,
        name="线索按期反馈率",
        weight=40,
        scoring=Scoring.VALUE,
        figure="clues_fed_back_on_time",
        denominator="clues_fed_back",
        user=office,
    )
    services.criterion_add(
        plan=plan, name="立案数", weight=30, scoring=Scoring.RELATIVE, figure="cases_opened", user=office
    )
    manual = services.criterion_add(
        plan=plan, name="培训宣传和信息报送", weight=30, scoring=Scoring.MANUAL, user=office
    )
    services.assessment_compute(plan=plan, user=office, now=_at(today, 8))
    for score in manual.scores.all():
        services.score_set(
            score=score, value=80, reason="按时报送信息，参加培训", user=office, now=_at(today, 8)
        )

    services.activity_record(
        bureau=county,
        held_on=start + dt.timedelta(days=10),
        kind="training",
        title="网络交易监管业务培训班",
        participants=46,
        department=office.department,
        description="电子数据取证、线索闭环和平台规则解读。",
        user=office,
    )
    services.activity_record(
        bureau=county,
        held_on=max(start, today - dt.timedelta(days=15)),
        kind="publicity",
        title="“双十一”网络消费提示进社区",
        participants=120,
        station=station,
        user=office,
    )
    overdue = WorkItem.objects.filter(bureau=county, kind__in=services.KINDS, overdue=True).count()
    stdout.write(
        f"领导小组 / leading group: {year}年度计划 {plan.tasks.count()} 项任务，纪要 {meeting.summary_number}，"
        f"逾期事项 {overdue} 项，年度总结已报 {plan.summaries.exclude(submitted_at=None).count()}"
        f"/{plan.summaries.count()}"
    )
