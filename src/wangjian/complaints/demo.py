"""Demo complaints and reports for 旌德县: two 12315 exports imported by the office, then one record at every step.

The national 12315 platform is the record of what it received, so the demo starts from its exports: one
imported some six weeks ago (with a row without a number and one with a date that cannot be read), and a
newer one today that repeats two of the old rows — one changed on the platform, one not — and brings new
ones (an anonymous 投诉, refused by art. 9, and a line repeated with a changed amount). The office (李主任) and
旌阳市场监管所 (吴所员, who handles the consumer complaints of 旌阳镇) then take them along: received (one
past its 7 working days), accepted and mediated, handed to the platform's ODR, resolved with an agreement and
money recovered, mediation ended without agreement and the notice still due, refused, withdrawn, transferred
to 绩溪县; a report turned into a clue and one closed. Times are backdated from today as the cases demo does.
"""

from __future__ import annotations

import datetime as dt
import io
import os

import openpyxl
from django.utils import timezone

from wangjian.complaints.choices import Action, MediationEnd, MediationMethod, RefusalGround, ReportPeriod
from wangjian.complaints.models import Complaint, ComplaintImport
from wangjian.complaints.services import clocks, reports
from wangjian.complaints.services.imports import complaints_import
from wangjian.complaints.services.steps import complaint_act
from wangjian.core import workdays
from wangjian.platform.workitems.followup import followups_run

HEADERS = [
    "登记编号",
    "类型",
    "登记日期",
    "投诉人/举报人姓名",
    "联系电话",
    "地址",
    "被投诉人/被举报人名称",
    "统一社会信用代码",
    "所在地区划",
    "电商平台名称",
    "网店名称/网址",
    "商品/服务类别",
    "投诉内容",
    "诉求",
    "涉及金额",
]
JINGYANG = "安徽省宣城市旌德县旌阳镇"

# story → (12315 number, kind, days ago received, name, phone, respondent, region, platform, shop, category,
#          facts, demand, amount)
OLD = {
    "mediating": (
        "1234100250001",
        "投诉",
        42,
        "汪立新",
        "13905631201",
        "旌德县云乐茶叶店",
        JINGYANG,
        "淘宝",
        "云乐茶叶淘宝店",
        "茶叶",
        "网购黄山毛峰500克，收到后发现受潮结块，商家拒绝退货",
        "退货退款",
        "268",
    ),
    "odr": (
        "1234100250002",
        "投诉",
        42,
        "程晓燕",
        "13905631202",
        "旌德县优选电器有限公司",
        JINGYANG,
        "京东",
        "优选电器京东店",
        "家用电器",
        "购买的电饭煲使用一周后无法加热，商家以“人为损坏”为由拒绝维修",
        "更换新品",
        "399",
    ),
    "resolved": (
        "1234100250003",
        "投诉",
        41,
        "方志刚",
        "13905631203",
        "旌德县徽味食品有限公司",
        JINGYANG,
        "拼多多",
        "徽味食品拼多多店",
        "食品",
        "购买的笋干有霉变，与页面描述“当季新货”不符",
        "退一赔三",
        "120",
    ),
    "ended": (
        "1234100250004",
        "投诉",
        41,
        "江文华",
        "13905631204",
        "旌德县福瑞医疗器械有限公司",
        JINGYANG,
        "抖音",
        "福瑞医疗抖音小店",
        "医疗器械",
        "直播间购买的理疗仪与宣传功效不符，要求退款被拒",
        "退货退款并赔偿",
        "1280",
    ),
    "refused": (
        "1234100250005",
        "投诉",
        41,
        "胡海涛",
        "13905631205",
        "旌德县春晖文具店",
        JINGYANG,
        "拼多多",
        "春晖文具拼多多店",
        "文具",
        "为所经营的文具店进货200套文具，部分有瑕疵",
        "赔偿损失",
        "3600",
    ),
    "withdrawn": (
        "1234100250006",
        "投诉",
        42,
        "朱丽",
        "13905631206",
        "旌德县山泉饮品有限公司",
        JINGYANG,
        "微信小程序",
        "山泉饮品微信小程序",
        "饮料",
        "订购的桶装水迟迟未送达",
        "退款",
        "60",
    ),
    "transferred": (
        "1234100250007",
        "投诉",
        42,
        "曹建国",
        "13905631207",
        "绩溪县徽州古韵工艺品店",
        "安徽省宣城市绩溪县华阳镇",
        "淘宝",
        "徽州古韵淘宝店",
        "工艺品",
        "购买的歙砚与描述材质不符",
        "退货退款",
        "860",
    ),
    "clue": (
        "1234100250008",
        "举报",
        41,
        "",
        "",
        "旌德县康源保健品有限公司",
        JINGYANG,
        "抖音",
        "康源保健品抖音直播间",
        "保健食品",
        "直播间宣称保健食品能“降血糖、治疗糖尿病”",
        "",
        "",
    ),
    "closed": (
        "1234100250009",
        "举报",
        40,
        "周平",
        "13905631209",
        "旌德县乐游网络科技有限公司",
        JINGYANG,
        "",
        "www.leyou-jd.example",
        "网络服务",
        "网站销售无证游戏点卡",
        "",
        "",
    ),
}
NEW = {
    "overdue": (
        "1234100250010",
        "投诉",
        20,
        "刘芳",
        "13905631210",
        "旌德县小梅百货店",
        JINGYANG,
        "微信小程序",
        "小梅百货微信小程序",
        "日用百货",
        "购买的电热水壶漏电，商家不予处理",
        "退货退款",
        "89",
    ),
    "received": (
        "1234100250011",
        "投诉",
        1,
        "吴敏",
        "13905631211",
        "旌德县绿源农业发展有限公司",
        JINGYANG,
        "抖音",
        "绿源农业抖音直播间",
        "农产品",
        "直播间购买的“野生”石斛为人工种植，与宣传不符",
        "退一赔三",
        "560",
    ),
    "anonymous_report": (
        "1234100250012",
        "举报",
        3,
        "",
        "",
        "旌德县醇香酒业商行",
        JINGYANG,
        "快手",
        "醇香酒业快手小店",
        "酒类",
        "快手小店销售疑似假冒注册商标的白酒",
        "",
        "",
    ),
}

BAD = {
    "no_number": (
        "",
        "投诉",
        41,
        "陈静",
        "13905631213",
        "旌德县华联超市",
        JINGYANG,
        "美团",
        "华联超市美团店",
        "食品",
        "外卖送来的熟食有异味",
        "退款",
        "45",
    ),
    "bad_date": (
        "1234100250014",
        "投诉",
        41,
        "黄强",
        "13905631214",
        "旌德县春晖文具店",
        JINGYANG,
        "拼多多",
        "春晖文具拼多多店",
        "文具",
        "购买的书包拉链损坏",
        "换货",
        "79",
    ),
    "anonymous_complaint": (
        "1234100250015",
        "投诉",
        2,
        "",
        "",
        "旌德县华联超市",
        JINGYANG,
        "美团",
        "华联超市美团店",
        "食品",
        "外卖送来的熟食有异味",
        "退款",
        "45",
    ),
}


def _row(story: tuple, *, received: str | None = None, demand: str | None = None, amount: str | None = None):
    number, kind, _ago, name, phone, respondent, region, platform, shop, category, facts, want, money = story
    address = f"{region}文化路{number[-2:]}号" if name else ""
    return [
        number,
        kind,
        received,
        name,
        phone,
        address,
        respondent,
        "",
        region,
        platform,
        shop,
        category,
        facts,
        want if demand is None else demand,
        money if amount is None else amount,
    ]


def _export(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "投诉举报登记"
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _at(today: dt.date, days_ago: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=max(days_ago, 0)), dt.time(hour, 0))
    )


def _received(today: dt.date, story: tuple) -> str:
    return (today - dt.timedelta(days=story[2])).isoformat()


def _registers(county) -> None:
    """Two 消费维权服务站 and the ODR contacts of two platforms (illustrations, not real contacts)."""
    from wangjian.complaints.models import OdrContact, ServiceStation

    for name, business, address, online in (
        ("旌阳镇徽韵超市消费维权服务站", "旌德县徽韵超市有限公司", "旌德县旌阳镇文化路8号", False),
        ("云乐茶叶网店消费维权服务站", "旌德县云乐茶叶有限公司", "旌德县三溪镇（线上店铺）", True),
    ):
        ServiceStation.objects.get_or_create(
            bureau=county,
            name=name,
            defaults={"business_name": business, "address": address, "online": online, "contact": "店长"},
        )
    for platform, channel in (
        ("某电商平台", "平台在线纠纷解决系统（监管部门工单入口）"),
        ("某直播平台", "平台客服专线（监管专用）"),
    ):
        OdrContact.objects.get_or_create(bureau=county, platform_name=platform, defaults={"channel": channel})


def load(org, stdout) -> None:
    try:
        _load(org, stdout)
    except (
        workdays.UncoveredYearError
    ) as exc:  # the demo must not stop the others for want of a calendar year
        stdout.write(f"投诉举报演示数据未载入 / demo complaints not loaded: {exc.zh}")


def _load(org, stdout) -> None:
    county = org.county
    if (
        ComplaintImport.objects.filter(bureau=county).exists()
        or Complaint.objects.filter(bureau=county).exists()
    ):
        stdout.write("投诉举报演示数据已存在 / demo complaints exist")
        return
    users = org.users
    office, handler = users["office"], users["station_officer"]
    today = timezone.localdate()
    _registers(county)

    old_rows = [_row(s, received=_received(today, s)) for s in OLD.values()]
    # two rows the platform exported badly: one without its number, one with a date that is no date
    old_rows.insert(3, _row(("", *BAD["no_number"][1:]), received=_received(today, BAD["no_number"])))
    old_rows.insert(6, _row(BAD["bad_date"], received=f"{today.year}-02-30"))
    first = complaints_import(
        user=office,
        bureau=county,
        path_or_bytes=_export(old_rows),
        file_name="12315投诉举报导出（上月）.xlsx",
        now=_at(today, 40, 9),
    )
    records = {key: Complaint.objects.get(bureau=county, source_number=s[0]) for key, s in OLD.items()}
    _play(records, office=office, handler=handler, today=today)

    new_rows = [
        _row(NEW["overdue"], received=_received(today, NEW["overdue"])),
        _row(NEW["received"], received=_received(today, NEW["received"])),
        _row(NEW["anonymous_report"], received=_received(today, NEW["anonymous_report"])),
        # a 投诉 without the complainant's name: refused (art. 9), kept with the reason
        _row(BAD["anonymous_complaint"], received=_received(today, BAD["anonymous_complaint"])),
        # the platform's record of an old complaint, changed there since (the consumer now asks for more)
        _row(OLD["mediating"], received=_received(today, OLD["mediating"]), demand="退货退款并赔偿误工损失"),
        _row(OLD["resolved"], received=_received(today, OLD["resolved"])),  # unchanged
        # the same complaint twice in one export, the second line with the amount corrected
        _row(NEW["received"], received=_received(today, NEW["received"]), amount="580"),
    ]
    second = complaints_import(
        user=office,
        bureau=county,
        path_or_bytes=_export(new_rows),
        file_name="12315投诉举报导出（本周）.xlsx",
        now=timezone.now(),
    )
    # the follow-up job marks what is overdue, as it would have run every five minutes
    followups_run(
        now=timezone.now(),
        send=lambda *a: (True, "demo: not sent"),
        kinds_only=(clocks.ACCEPTANCE, clocks.MEDIATION, clocks.END_NOTICE),
    )
    report = _report(county, office, today)
    states = dict.fromkeys(Complaint.objects.filter(bureau=county).values_list("state", flat=True))
    stdout.write(
        f"投诉举报 / complaints: {Complaint.objects.filter(bureau=county).count()} 件（{len(states)} 种状态）；"
        f"12315导入 2 批：新增 {first.created_count + second.created_count}，更新 {second.updated_count}，"
        f"未变化 {second.unchanged_count}，拒收 {first.rejected_count + second.rejected_count} 行；"
        f"分析报告 {report.title}（{report.get_state_display()}）"
    )


def _report(county, office, today: dt.date):
    """Last month's analysis report for the leading group, written and sent (printed where Chromium is)."""
    first = today.replace(day=1)
    start = (first - dt.timedelta(days=1)).replace(day=1)
    report = reports.report_draft(
        user=office, bureau=county, period_kind=ReportPeriod.MONTH, period_start=start, now=_at(today, 0, 9)
    )
    reports.report_edit(
        report=report,
        user=office,
        text=(
            "一、网购食品（茶叶、笋干等土特产）投诉占比最高，集中在受潮、变质和标签不符，建议食品科结合本月网络抽检一并核查。\n"
            "二、同一茶叶网店90日内被投诉3次以上，已列入重点关注，建议纳入风险分级并约谈经营者。\n"
            "三、调解终止的案件多因商家拒绝退款，建议对拒不履行七日无理由退货义务的经营者依法查处，并发布消费提示。"
        ),
    )
    if os.path.exists("/usr/bin/chromium"):
        reports.report_issue(report=report, user=office, now=_at(today, 0, 10))
    return report


def _play(records: dict[str, Complaint], *, office, handler, today: dt.date) -> None:
    def act(key: str, user, action: str, days_ago: int, **values) -> None:
        complaint = records[key]
        complaint.refresh_from_db()
        complaint_act(
            complaint=complaint, user=user, action=action, values=values, now=_at(today, days_ago, 15)
        )

    for key in ("mediating", "odr", "resolved", "ended", "withdrawn"):
        act(key, handler, Action.ACCEPT, 39)
    act(
        "mediating",
        handler,
        Action.MEDIATE,
        35,
        method=MediationMethod.PHONE,
        record="电话联系双方：商家同意退货，但要求消费者承担运费，消费者不同意，约定下周现场调解",
    )
    act("odr", handler, Action.ODR, 36, platform="京东")
    act(
        "resolved",
        handler,
        Action.MEDIATE,
        33,
        method=MediationMethod.ENTRUSTED,
        entrusted_to="旌德县消费者权益保护委员会",
        record="委托县消保委组织调解，商家承认笋干受潮",
    )
    act(
        "resolved",
        handler,
        Action.RESOLVE,
        30,
        agreement="商家退还货款120元，另赔偿360元，当场履行",
        recovered="480",
        advance_compensation="true",
        undertaking_note="拼多多平台先行赔付",
    )
    act(
        "ended",
        handler,
        Action.MEDIATE,
        20,
        method=MediationMethod.IN_PERSON,
        record="现场调解：商家坚持理疗仪无质量问题，不同意退款",
    )
    act("ended", handler, Action.END, 2, ground=MediationEnd.NO_AGREEMENT)
    act(
        "refused",
        office,
        Action.REFUSE,
        37,
        ground=RefusalGround.NOT_CONSUMPTION,
        note="为经营文具店进货，不是为生活消费需要购买商品",
    )
    act("withdrawn", handler, Action.WITHDRAW, 25, note="商家已送达并补偿，投诉人撤回投诉")
    act(
        "transferred",
        office,
        Action.TRANSFER,
        39,
        target="绩溪县市场监督管理局",
        reason="被投诉人实际经营地在绩溪县华阳镇，本局不具有处理权限",
    )
    act("clue", office, Action.TO_CLUE, 35)
    act("closed", office, Action.CLOSE, 30, note="经核查，该网站销售的点卡为正规渠道授权产品，举报不属实")
