"""Demo cases for 旌德县: one at every stage of the procedure, each opened from a clue the way a bureau does.

Each story registers a clue (advertising matters, handled by 广告监督管理股: 赵股长 designates, 钱科员
and 赵股长 hold 行政执法证), feeds it back, drafts the 立案审批表, and the bureau's head (王局长) approves;
then the case runs as far as its story goes. Times are backdated from today so that the clocks, the
days left and the overdue flags look as they do in a running bureau. The clue demo's "立案" clue is
left with its unit's 审批表 in draft, as a unit would have it.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from wangjian.cases import services
from wangjian.cases.choices import Action, Proposal
from wangjian.cases.models import Case, DiscretionBenchmark
from wangjian.cases.services import documents as document_services
from wangjian.cases.services.simple import case_on_the_spot
from wangjian.clues import services as clue_services
from wangjian.clues.models import Clue
from wangjian.core import workdays
from wangjian.core.audit import acting
from wangjian.org.models import User
from wangjian.platform.workitems.followup import followups_run

CASE_KINDS = (services.DECISION, *services.CLOCK_LABELS)

# (title, party, uscc, presence, facts, days ago the clue was found, story)
STORIES = [
    (
        "使用“国家级”“最佳”等绝对化用语",
        "旌德县云乐茶叶店",
        "92341825MA2CASE01X",
        "云乐茶叶淘宝店",
        "商品标题使用“国家级”“最佳”，违反《广告法》第九条第（三）项",
        8,
        "pending",
    ),
    (
        "保健食品广告宣称治疗作用",
        "旌德县康源保健品有限公司",
        "91341825MA2CASE02X",
        "康源保健品拼多多店",
        "详情页宣称“降血糖、治疗糖尿病”，违反《广告法》第十八条",
        40,
        "investigating",
    ),
    (
        "虚构原价促销",
        "旌德县优选电器有限公司",
        "91341825MA2CASE03X",
        "优选电器京东店",
        "标示“原价1999元”无交易记录，涉嫌价格欺诈；已送检样品，检测期间不计入",
        75,
        "stopped",
    ),
    (
        "发布虚假广告",
        "旌德县福瑞医疗器械有限公司",
        "91341825MA2CASE04X",
        "福瑞医疗抖音小店",
        "宣称家用理疗仪“根治颈椎病”，违反《广告法》第二十八条",
        115,
        "extended",
    ),
    (
        "广告中使用消费者名义作推荐证明",
        "旌德县山泉饮品有限公司",
        "91341825MA2CASE05X",
        "山泉饮品微信小程序",
        "以患者名义证明饮品疗效，违反《广告法》第十七条",
        110,
        "overdue",
    ),
    (
        "互联网广告未显著标明关闭标志",
        "旌德县乐游网络科技有限公司",
        "91341825MA2CASE06X",
        "乐游网站",
        "弹出广告无法一键关闭，违反《互联网广告管理办法》第十条",
        60,
        "notified",
    ),
    (
        "网店销售未标明广告的推销内容",
        "旌德县绿源农业发展有限公司",
        "91341825MA2CASE07X",
        "绿源农业抖音直播间",
        "直播推广未标明“广告”，违反《互联网广告管理办法》第九条",
        90,
        "served",
    ),
    (
        "利用互联网发布含有“第一品牌”的广告",
        "旌德县徽味食品有限公司",
        "91341825MA2CASE08X",
        "徽味食品天猫店",
        "宣称“全国第一品牌”无依据，违反《广告法》第九条",
        150,
        "closed",
    ),
    (
        "网络销售假冒注册商标的保健酒并作虚假广告",
        "旌德县醇香酒业商行",
        "92341825MA2CASE09X",
        "醇香酒业快手小店",
        "销售金额逾五万元，涉嫌销售假冒注册商标的商品罪",
        50,
        "police",
    ),
    (
        "广告用语不当（已自行整改）",
        "旌德县春晖文具店",
        "92341825MA2CASE10X",
        "春晖文具拼多多店",
        "使用“最低价”，核查时已删除且无销售记录",
        20,
        "not_filed",
    ),
]


def _at(today: dt.date, days_ago: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=max(days_ago, 0)), dt.time(hour, 0))
    )


def load(org, stdout) -> None:
    try:
        _load(org, stdout)
    except (
        workdays.UncoveredYearError
    ) as exc:  # the demo must not stop the others for want of a calendar year
        stdout.write(f"案件演示数据未载入 / demo cases not loaded: {exc.zh}")


def _load(org, stdout) -> None:
    county = org.county
    if Case.objects.filter(bureau=county).exists():
        stdout.write("案件演示数据已存在 / demo cases exist")
        return
    users = org.users
    office, head, officer = users["office"], users["ad_head"], users["ad_officer"]
    leader, legal = users["leader"], users["legal"]
    today = timezone.localdate()
    _benchmarks(county)
    for n, (title, party, uscc, presence, facts, ago, story) in enumerate(STORIES, 1):
        with acting(office, via="demo"):
            clue = clue_services.clue_intake(
                bureau=county,
                source_kind="monitoring" if n % 3 else "complaint",
                source_ref=f"DEMO-CASE-{n:02d}",
                domain="internet_advertising",
                facts=facts,
                entity_name=party,
                entity_uscc=uscc,
                presence_label=presence,
                region_code="341825",
                finder=office,
                found_on=today - dt.timedelta(days=ago),
                now=_at(today, ago, 9),
            ).clue
        _play(
            story,
            clue,
            title,
            ago,
            today,
            office=office,
            head=head,
            officer=officer,
            leader=leader,
            legal=legal,
        )
    _draft_from_clue_demo(org, today)
    _on_the_spot(county, officer, head, today)
    # the follow-up job marks what is overdue, as it would have run every five minutes
    followups_run(now=timezone.now(), send=lambda *a: (True, "demo: not sent"), kinds_only=CASE_KINDS)
    counts = {s: Case.objects.filter(bureau=county, state=s).count() for s in ("pending", "investigating")}
    overdue = sum(1 for c in Case.objects.filter(bureau=county) if c.overdue)
    stdout.write(
        f"案件 / cases: {Case.objects.filter(bureau=county).count()} 件（待审批 {counts['pending']}，"
        f"调查中 {counts['investigating']}，逾期 {overdue}）"
    )


def _play(story, clue, title, ago, today, *, office, head, officer, leader, legal) -> None:
    def act(user, action, days_ago, **values):
        with acting(user, via="demo"):
            return services.case_act(
                case=case, user=user, action=action, values=values, now=_at(today, days_ago, 15)
            )

    with acting(officer, via="demo"):
        clue_services.clue_accept(clue=clue, user=officer, now=_at(today, ago - 1, 10))
        clue_services.clue_feedback(
            clue=clue,
            user=officer,
            result="true",
            actions="线上检查属实，已固定网页证据",
            now=_at(today, ago - 2, 11),
        )
        not_filed = story == "not_filed"
        case = services.case_draft(
            user=officer,
            clue=clue,
            title=title,
            proposal=Proposal.NOT_FILE if not_filed else Proposal.FILE,
            provisions="《中华人民共和国广告法》" if not not_filed else "",
            not_filed_reason="违法行为轻微并及时改正，没有造成危害后果（行政处罚法第三十三条第一款）"
            if not_filed
            else "",
            now=_at(today, ago - 3, 9),
        )
    act(head, Action.DESIGNATE, ago - 3, officers=[officer, head], lead=officer)
    if story == "pending":
        return
    act(leader, Action.APPROVE, ago - 5, opinion="同意" + ("不予立案" if story == "not_filed" else "立案"))
    if story == "investigating":
        with acting(officer, via="demo"):
            services.case_evidence_upload(
                case=case,
                user=officer,
                files=[ContentFile("演示：直播间录屏（示例文件）".encode(), name="直播录屏说明.txt")],
                kind="screen",
                description="抖音直播间讲解“降血糖”的录屏",
                source="康源保健品抖音直播间",
                operators=["钱科员（皖341825-00002）", "赵股长（皖341825-00001）"],
                now=_at(today, ago - 6, 16),
            )
    if story in ("not_filed", "investigating"):
        return
    if story == "stopped":
        act(
            officer,
            Action.STOP,
            ago - 20,
            kind="inspection",
            start=today - dt.timedelta(days=ago - 20),
            note="样品送宣城市产品质量监督检验所检测",
        )
        act(
            officer,
            Action.MEASURE,
            ago - 21,
            kind="seizure",
            items="涉案电饭煲 36 台（型号 YX-30，仓库封存）",
            started_on=today - dt.timedelta(days=ago - 21),
            approved_by=leader,
            note="可能灭失或者以后难以取得的证据",
        )
        return
    if story == "extended":
        act(leader, Action.EXTEND, 25, days=30, reason="涉案商品批次多，需调取平台交易记录")
        _joint_group(case, act, office=office, officer=officer, head=head, today=today)
        return
    if story == "overdue":
        return
    if story == "police":
        act(officer, Action.CRIME_REPORT, ago - 19, report="网络销售假冒注册商标的保健酒，销售金额逾五万元")
        act(
            leader,
            Action.TRANSFER,
            ago - 20,
            target="旌德县公安局",
            police=True,
            reason="涉案金额逾五万元，涉嫌销售假冒注册商标的商品罪（刑法第二百一十四条）",
            materials="涉嫌犯罪案件移送书\n涉嫌犯罪案件调查报告\n涉案物品清单\n网页取证记录及哈希值清单",
        )
        act(
            officer,
            Action.POLICE_RECEIPT,
            ago - 21,
            received_on=today - dt.timedelta(days=ago - 21),
            procuratorate_copy=True,
        )
        case.refresh_from_db()
        _documents(case, officer, ("transfer_letter",))
        return
    act(officer, Action.END_INVESTIGATION, ago - 30, report="事实清楚，证据确凿，建议罚款")
    act(officer, Action.SUBMIT_REVIEW, ago - 30)
    act(legal, Action.REVIEWED, ago - 33, opinion="事实清楚，证据充分，定性准确，处罚适当")
    notified = today - dt.timedelta(days=min(ago - 35, 3 if story == "notified" else ago))
    act(officer, Action.NOTIFY, (today - notified).days, served_on=notified, fine_amount="20000")
    if story == "notified":
        return
    act(
        leader,
        Action.DECIDE,
        ago - 45,
        penalised=True,
        summary="责令停止发布，罚款二万元",
        fine_amount="20000",
        discretion=list(DiscretionBenchmark.objects.filter(bureau=case.bureau, code="GG-09-1")),
        discretion_reason="首次违法，主动删除违法内容，从轻处罚",
        rectification_order="立即停止发布违法广告，清理店铺全部商品页面中的同类用语",
        rectify_by=today - dt.timedelta(days=ago - 45) + dt.timedelta(days=30),
    )
    act(officer, Action.SERVE, ago - 47, served_on=today - dt.timedelta(days=ago - 47))
    if story == "served":
        return  # its publicity is still due (20 working days from the decision)
    act(officer, Action.PUBLISH, ago - 50, published_on=today - dt.timedelta(days=ago - 50))
    act(officer, Action.PAYMENT, ago - 58, paid_on=today - dt.timedelta(days=ago - 58), amount="20000")
    act(
        officer,
        Action.EXECUTE,
        ago - 60,
        executed_on=today - dt.timedelta(days=ago - 60),
        comment="罚款已缴纳",
    )
    act(
        head,
        Action.CLOSE,
        ago - 65,
        comment="执行完毕，结案",
        lessons="平台内经营者广告审核缺位：已约谈平台，督促其建立广告用语审核制度，并将同类店铺纳入下月定向监测",
    )
    act(
        officer,
        Action.RECTIFY_CHECK,
        ago - 76,
        checked_on=today - dt.timedelta(days=ago - 76),
        rectified=True,
        note="复查店铺全部商品页面，同类用语已清理",
    )
    act(
        officer,
        Action.REMEDY,
        ago - 70,
        kind="reconsideration",
        body="宣城市市场监督管理局",
        filed_on=today - dt.timedelta(days=ago - 70),
    )
    remedy = case.remedies.get()
    act(
        legal,
        Action.REMEDY_OUTCOME,
        ago - 100,
        remedy=remedy,
        outcome="upheld",
        decided_on=today - dt.timedelta(days=ago - 100),
        note="复议机关维持原行政处罚决定",
    )
    Case.objects.filter(pk=case.pk).update(typical=True)
    case.refresh_from_db()
    _documents(case, officer, ("filing_approval", "penalty_decision", "closing_approval"))


# A few rows of a county's 行政处罚裁量基准 for advertising (an illustration of the layout, not a real document)
BENCHMARKS = [
    (
        "GG-09-1",
        "发布含有绝对化用语的广告",
        "lighter",
        "首次违法、及时改正、危害后果轻微",
        "1万元以上5万元以下罚款",
        10000,
        50000,
    ),
    ("GG-09-2", "发布含有绝对化用语的广告", "ordinary", "一般情节", "5万元以上20万元以下罚款", 50000, 200000),
    (
        "GG-09-3",
        "发布含有绝对化用语的广告",
        "heavier",
        "两年内再次违法或造成严重后果",
        "20万元以上100万元以下罚款",
        200000,
        1000000,
    ),
]


def _benchmarks(county) -> None:
    for code, violation, circumstance, conditions, penalty, low, high in BENCHMARKS:
        DiscretionBenchmark.objects.get_or_create(
            bureau=county,
            code=code,
            defaults={
                "violation": violation,
                "domain": "internet_advertising",
                "provision": "《广告法》第九条第三项、第五十七条第一项；《行政处罚法》第三十二条、第三十三条",
                "circumstance": circumstance,
                "conditions": conditions,
                "penalty": penalty,
                "fine_min": low,
                "fine_max": high,
                "source": "旌德县市场监督管理局行政处罚裁量基准（演示）",
            },
        )


def _on_the_spot(county, officer, head, today) -> None:
    """A penalty decided on the spot (简易程序) at an offline inspection of a shop selling online too."""
    with acting(officer, via="demo"):
        case_on_the_spot(
            user=officer,
            bureau=county,
            values={
                "decision_number": f"旌市监当罚〔{today.year}〕0001号",
                "decided_on": today - dt.timedelta(days=6),
                "title": "网店首页未公示营业执照信息",
                "domain": "licence_display",
                "source_kind": "inspection",
                "party_name": "旌德县小梅百货店",
                "party_kind": "organisation",
                "presence_label": "小梅百货微信小程序",
                "facts": "现场检查发现当事人微信小程序店铺首页未公示营业执照信息",
                "provisions": "《电子商务法》第十五条、第七十六条第一款",
                "penalty_kinds": ["fine"],
                "fine_amount": "500",
                "summary": "责令限期改正，罚款五百元",
                "department": officer.department,
                "officers": [head],
            },
            now=_at(today, 6, 11),
        )


def _joint_group(case, act, *, office, officer, head, today) -> None:
    """The office forms a joint group with a member from 绩溪县 (the goods came from a supplier there)."""
    partner = User.objects.filter(username="jixi_officer").first()
    members = [head] + ([partner] if partner else [])
    act(
        office,
        Action.GROUP_FORM,
        24,
        name="福瑞理疗仪虚假广告联合办案组",
        reason="cross_region",
        note="供货商在绩溪县，需两地协同调查",
        lead=officer,
        members=members,
    )
    if partner is not None:
        act(
            officer,
            Action.GROUP_TASK,
            24,
            title="调取绩溪县供货商的进货台账和销售记录",
            owner=partner,
            due=today + dt.timedelta(days=5),
        )
    act(
        officer,
        Action.GROUP_TASK,
        23,
        title="固定抖音小店全部商品页面证据",
        owner=head,
        due=today - dt.timedelta(days=10),
    )
    act(officer, Action.JOURNAL, 22, text="首次会商：明确两地分工，旌德负责线上证据固定，绩溪负责供货商调查")
    task = case.group.tasks.get(owner=head)
    act(head, Action.TASK_DONE, 12, task=task, result="已完成网页取证 12 份，哈希值已登记")


def _documents(case, officer, kinds) -> None:
    """Draft the case's documents and issue them (printed by Chromium; left as drafts without it)."""
    with acting(officer, via="demo"):
        for kind in kinds:
            doc = document_services.document_draft(case=case, user=officer, kind=kind)
            try:
                document_services.document_issue(doc=doc, user=officer)
            except Exception:  # no Chromium here: the drafts show what would be printed
                return


def _draft_from_clue_demo(org, today) -> None:
    """The clue demo's "立案" clue: its unit has drafted the 审批表, which waits for designation."""
    clue = Clue.objects.filter(bureau=org.county, state="disposing", source_kind="superior").first()
    if clue is None:
        return
    unit_user = next((u for u in clue_services.unit_users(clue) if u.is_active), None)
    if unit_user is None:
        return
    with acting(unit_user, via="demo"):
        services.case_draft(user=unit_user, clue=clue, party_region="341825", now=timezone.now())
