"""Demo clues for 旌德县: routed by the duty list to departments and stations, some overdue and escalated.

Assignment times are backdated in working days from today so that the deadlines, the
overdue flags and the 督办 look as they would in a running bureau. It needs only the
organisation (``org.demo``), not the registry or monitoring demo data.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wangjian.clues import clocks, services
from wangjian.clues.models import Clue
from wangjian.core import workdays
from wangjian.core.audit import acting
from wangjian.platform.clocks.services import policy_set

# (source, domain, entity, uscc, presence, township, facts, working days ago, what happened since)
CLUES = [
    (
        "monitoring",
        "internet_advertising",
        "旌德县徽韵茶业有限公司",
        "91341825MA2DEMO01X",
        "徽韵茶业淘宝店",
        "",
        "商品详情页称“国家级”“最佳”“包治百病”，涉嫌使用绝对化用语和虚假宣传",
        12,
        "escalated",
    ),
    (
        "monitoring",
        "online_food",
        "旌德县版书镇山里人家农产品店",
        "92341825MA2DEMO02X",
        "山里人家抖音小店",
        "341825106",
        "直播间销售散装蜂蜜，未公示食品经营许可证",
        5,
        "assigned",
    ),
    (
        "complaint",
        "online_price",
        "旌德县三溪文旅发展有限公司",
        "91341825MA2DEMO03X",
        "三溪民宿小程序",
        "",
        "消费者投诉：民宿页面标示“原价888元，现价288元”，原价无交易记录",
        2,
        "checking",
    ),
    (
        "monitoring",
        "licence_display",
        "旌德县蔡家桥镇好运来超市",
        "92341825MA2DEMO04X",
        "好运来超市美团店",
        "341825101",
        "网店首页未公示营业执照信息或电子链接标识",
        10,
        "overdue",
    ),
    (
        "inspection",
        "unlicensed",
        "庙首镇某烘焙工作室",
        "",
        "庙首烘焙微信小程序",
        "341825103",
        "监督检查发现通过小程序销售自制糕点，未办理营业执照",
        14,
        "disposing",
    ),
    (
        "monitoring",
        "online_cosmetics",
        "旌德县美颜日化商行",
        "92341825MA2DEMO06X",
        "美颜日化拼多多店",
        "",
        "销售的化妆品宣称“医用级”“治疗痘痘”",
        20,
        "closed",
    ),
    (
        "superior",
        "consumer_rights",
        "旌德县优品电子商务有限公司",
        "91341825MA2DEMO07X",
        "优品数码京东店",
        "",
        "市局交办：拒绝七日无理由退货，格式条款排除消费者权利",
        18,
        "case",
    ),
    (
        "media",
        "online_drug",
        "旌德县康宁大药房",
        "91341825MA2DEMO08X",
        "康宁大药房饿了么店",
        "",
        "媒体报道：网店销售处方药未凭处方",
        7,
        "escalated2",
    ),
    (
        "monitoring",
        "internet_advertising",
        "绩溪县某茶叶商行",
        "92341824MA2DEMO09X",
        "绩溪茶叶天猫店",
        "",
        "商品页面使用“极品”“第一”等绝对化用语；主体登记在绩溪县",
        3,
        "transfer",
    ),
]


def _moment(calendar: workdays.Calendar, today: dt.date, days_ago: int, hour: int = 9) -> dt.datetime:
    day = calendar.add_working_days(today, -days_ago) if days_ago else today
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))


def load(org, stdout) -> None:
    try:
        _load(org, stdout)
    except (
        workdays.UncoveredYearError
    ) as exc:  # the demo must not stop the others for want of a calendar year
        stdout.write(f"线索演示数据未载入 / demo clues not loaded: {exc.zh}")


def _load(org, stdout) -> None:
    county = org.county
    # Clues the demo sweep made from confirmed findings may exist already; these are the others.
    if Clue.objects.filter(bureau=county).exclude(source_ref__startswith="monitoring.").exists():
        stdout.write("线索演示数据已存在 / demo clues exist")
        return
    policy_set(
        bureau=county,
        clock=clocks.FEEDBACK,
        length=7,
        basis="《旌德县市场监督管理局建立线上线下一体化监管工作机制》（旌市场办〔2022〕116号）二(四)："
        "各办案机构收到核查任务后{n}个工作日内反馈核查情况",
        user=None,
    )
    calendar = workdays.current()
    today = timezone.localdate()
    users = org.users
    office = users["office"]
    made = []
    with acting(office, via="demo"):
        for source, domain, name, uscc, presence, township, facts, ago, story in CLUES:
            t0 = _moment(calendar, today, ago)
            result = services.clue_intake(
                bureau=county,
                source_kind=source,
                source_ref=f"DEMO-{len(made) + 1:03d}",
                domain=domain,
                facts=facts,
                entity_name=name,
                entity_uscc=uscc,
                presence_label=presence,
                region_code=township,
                finder=office,
                now=t0,
            )
            clue = result.clue
            made.append(clue)
            _play(story, clue, org, calendar, today, ago)
        # a second report about the first matter is attached to it, not routed twice
        services.clue_intake(
            bureau=county,
            source_kind="complaint",
            source_ref="12315-DEMO-9001",
            domain="internet_advertising",
            facts="消费者举报同一店铺宣称茶叶“降三高”",
            entity_uscc="91341825MA2DEMO01X",
            finder=office,
            now=_moment(calendar, today, 4),
        )
        services.clues_remind(now=timezone.now(), send=lambda *a: (True, "demo: not sent"))
    overdue = [c for c in Clue.objects.filter(bureau=county) if c.overdue]
    stdout.write(
        f"线索 / clues: {Clue.objects.filter(bureau=county).count()} 条（逾期 {len(overdue)}，"
        f"督办 {sum(services.escalations_of(c).count() for c in made)}），另移交绩溪县 1 条"
    )


def _unit_user(clue, org):
    for user in org.users.values():
        if services.clue_parties(user=user, clue=clue) & {"unit"}:
            return user
    from wangjian.org.services import user_create

    unit = clue.unit
    field = "station" if clue.station_id else "department"
    user, _ = user_create(
        username=f"demo_{field}_{unit.pk}",
        name=f"{unit.name[:6]}承办人",
        bureau=clue.bureau,
        role="station_officer" if field == "station" else "officer",
        password=org.password or None,
        **{field: unit},
    )
    user.must_change_password = False
    user.save()
    return user


def _play(story: str, clue, org, calendar, today, ago) -> None:
    office = org.users["office"]
    if story in ("assigned", "overdue"):
        return
    if story == "transfer":
        services.clue_transfer(
            clue=clue,
            user=office,
            to_bureau=org.other_county,
            reason="主体登记在绩溪县，按属地管辖移交",
            now=_moment(calendar, today, ago - 1, 15),
        )
        return
    officer = _unit_user(clue, org)
    services.clue_accept(clue=clue, user=officer, now=_moment(calendar, today, ago, 14))
    if story in ("checking",):
        return
    if story in ("escalated", "escalated2"):
        services.clue_escalate(
            clue=clue,
            user=office,
            note="已超过7个工作日未反馈核查情况，请立即反馈",
            now=_moment(calendar, today, max(ago - 8, 1), 10),
        )
        if story == "escalated2":
            services.clue_escalate(
                clue=clue,
                user=org.users["leader"],
                level=2,
                note="领导小组督办：涉药品安全，限期答复",
                now=_moment(calendar, today, max(ago - 8, 1), 16),
            )
        return
    services.clue_feedback(
        clue=clue,
        user=officer,
        result="true",
        actions="线上检查属实，已固定证据，约谈经营者",
        now=_moment(calendar, today, ago - 5, 11),
    )
    services.clue_start_disposal(clue=clue, user=officer, now=_moment(calendar, today, ago - 5, 15))
    if story == "closed":
        services.clue_close(
            clue=clue,
            user=officer,
            disposal="rectify",
            note="责令删除违法宣传用语，已整改到位",
            now=_moment(calendar, today, ago - 8, 10),
        )
    elif story == "case":
        pass  # fed back and disposing: the case app's demo files it (立案审批), which closes the clue
