"""The demo 通报: last month's 网络市场监管工作通报 of 旌德县, drafted from the figures the other apps' demo data
give, with the office's highlights and the typical case, issued (numbered, Word and PDF, sent to the county's
departments and stations) where Chromium is installed to print it; one recipient has read it."""

from __future__ import annotations

import datetime as dt
import os

from django.utils import timezone

from wangjian.bulletins import demo_history
from wangjian.bulletins.models import Bulletin
from wangjian.bulletins.services import bulletins as services

HIGHLIGHTS = (
    "（一）开展“双十一”网络集中促销专项监测。领导小组办公室组织市场股、广告股、食品股对县域内网店集中开展"
    "监测，重点检查虚假宣传、刷单炒信和不公平格式条款。",
    "（二）落实线索交办和按期反馈。各办案机构按“一案一反馈”要求办理交办线索，对逾期未反馈的线索，"
    "领导小组办公室已督办。",
    "（三）下一步工作。各股室、各市场监管所要聚焦土特产网络销售和直播带货，加强线上线下一体化监管，"
    "按时报送涉网违法行为查处情况。",
)


def load(org, stdout) -> None:
    demo_history.load(org, stdout)  # the year behind the dashboards, read by the 通报 below as well
    county, office = org.county, org.users["office"]
    now = timezone.now()
    today = timezone.localtime(now).date()
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if Bulletin.objects.filter(bureau=county, month=month).exists():
        stdout.write("通报演示数据已存在 / demo bulletin exists\n")
        return
    bulletin = services.bulletin_draft(
        user=office, bureau=county, month=month, highlights="\n".join(HIGHLIGHTS), now=now
    )
    typical = list(services.typical_candidates(bulletin).values_list("pk", flat=True)[:3])
    services.bulletin_edit(
        bulletin=bulletin,
        user=office,
        typical_cases=typical,
        copy_to="县网络市场监管工作领导小组各成员单位",
    )
    if os.path.exists("/usr/bin/chromium"):
        services.bulletin_issue(bulletin=bulletin, user=office, now=now)
        services.bulletin_opened(bulletin=bulletin, user=org.users["leader"], now=now)
        stdout.write(f"通报 / bulletin: {bulletin.title} {bulletin.number}\n")
    else:
        stdout.write(f"通报 / bulletin: {bulletin.title}（草稿：未安装Chromium，未印发）\n")
