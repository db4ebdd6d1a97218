"""The platform's part of the demo county: a published 通报 with its 文号 and table, work items the office
handed out (one overdue and escalated, one due soon), and a run of the follow-up job.

Registered after the apps (``PlatformConfig.ready``), so the inbox shows their messages beside these.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from wangjian.core import workdays
from wangjian.core.audit import acting
from wangjian.org.models import Department, Notice, NoticeAttachment, Station
from wangjian.org.services import notice_attachment_add
from wangjian.platform.inbox.services import notice_publish
from wangjian.platform.workitems.followup import followups_run
from wangjian.platform.workitems.models import WorkItem
from wangjian.platform.workitems.services import workitem_create

TITLE = "关于10月份全县涉网案件办理情况的通报"


def load(org, stdout) -> None:
    county, office = org.county, org.users["office"]
    if Notice.objects.filter(bureau=county, title=TITLE).exists():
        stdout.write("平台演示数据已存在 / platform demo exists")
        return
    calendar = workdays.current()
    today = timezone.localdate()
    with acting(office, via="demo"):
        notice = Notice.objects.create(
            bureau=county,
            kind=Notice.Kind.BULLETIN,
            title=TITLE,
            body="各股室、各所：现将10月份涉网案件办理情况通报如下，详见附表。请于每月28日前报送本月统计表。",
            author=office,
        )
        notice.target_bureaus.set([county])
        table = "单位,立案,结案,罚没款（元）\n广告监管股,3,2,45000\n价格监督检查股,1,1,8000\n旌阳市场监管所,2,1,3000\n"
        notice_attachment_add(
            notice=notice,
            file=ContentFile(table.encode("utf-8-sig"), name="10月涉网案件统计表.csv"),
            user=office,
        )
        notice_publish(notice=notice, user=office)
        station = Station.objects.filter(bureau=county, name="旌阳市场监管所").first()
        price = Department.objects.filter(bureau=county, kind="price").first()
        handed = timezone.make_aware(
            dt.datetime.combine(calendar.add_working_days(today, -9), dt.time(9, 30))
        )
        workitem_create(
            bureau=county,
            kind="task.check",
            title="现场核查“旌阳好茶”网店实际经营地址与亮照信息是否一致",
            station=station,
            working_days=5,
            domain="licence_display",
            created_by=office,
            now=handed,
        )
        workitem_create(
            bureau=county,
            kind="task.rectification",
            title="复查“德丰超市”网店价格标示整改情况",
            department=price,
            working_days=3,
            domain="online_price",
            created_by=office,
        )
        workitem_create(
            bureau=county,
            kind="task.decision",
            title="落实联席会议纪要：建立直播带货主播备案台账",
            department=county.office(),
            working_days=15,
            domain="platform_duty",
            created_by=office,
        )
    report = followups_run(send=lambda *a: (True, "demo: not sent"))
    attachment = NoticeAttachment.objects.filter(notice=notice).count()
    stdout.write(
        f"通报 / bulletin {notice.number}（附件 {attachment}）；待办事项 / work items "
        f"{WorkItem.objects.filter(bureau=county, kind__startswith='task.').count()} 件"
        f"（逾期 {len(report.overdue)}，自动督办 {len(report.escalated_office)}）"
    )
