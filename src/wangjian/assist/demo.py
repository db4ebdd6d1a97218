"""Demo 协查 and 内部协作 for 旌德县: a request sent to 绩溪县 and answered with a capture, one received from 绩溪县 and
overdue (the platform's follow-up marks it and raises the office's 督办), one internal request done with the
demo capture and one still open. Times are backdated from today so the clocks look as in a running bureau.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from wangjian.assist import services
from wangjian.assist.clocks import INTERNAL, REPLY
from wangjian.assist.models import AssistanceRequest
from wangjian.core import workdays
from wangjian.core.audit import acting
from wangjian.evidence import services as evidence_services
from wangjian.evidence.models import EvidenceCapture
from wangjian.org import services as org_services
from wangjian.org.choices import DepartmentKind, Role
from wangjian.org.models import Department, User
from wangjian.platform.workitems.followup import followups_run


def _at(today: dt.date, days_ago: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(hour, 0)))


def load(org, stdout) -> None:  # noqa: ANN001
    try:
        _load(org, stdout)
    except workdays.UncoveredYearError as exc:  # the demo goes on without these for want of a calendar year
        stdout.write(f"协查演示数据未载入 / demo assistance not loaded: {exc.zh}")


def _jixi_office(org) -> User:  # noqa: ANN001
    """绩溪县's office administrator, who receives 旌德县's letters (the organisation demo has none)."""
    user = User.objects.filter(username="jixi_office").first()
    if user is None:
        user, _ = org_services.user_create(
            username="jixi_office",
            name="绩溪办公室",
            role=Role.OFFICE_ADMIN,
            bureau=org.other_county,
            department=Department.objects.get(bureau=org.other_county, kind=DepartmentKind.ONLINE_TRADE),
            password=org.password or org_services.generate_password(),
        )
        user.must_change_password = False
        user.save()
    return user


def _load(org, stdout) -> None:  # noqa: ANN001
    county, other = org.county, org.other_county
    if AssistanceRequest.objects.filter(from_bureau=county).exists():
        stdout.write("协查演示数据已存在 / demo assistance exists")
        return
    users = org.users
    officer, office, jixi = users["ad_officer"], users["office"], users["jixi_officer"]
    jixi_office = _jixi_office(org)
    today = timezone.localdate()
    subject = {
        "entity_name": "绩溪县徽韵茶业有限公司",
        "platform_name": "淘宝",
        "shop_name": "徽韵茶业旗舰店",
        "presence_url": "https://shop.example.com/huiyun",
    }
    with acting(officer, via="cli"):
        sent = services.assistance_create(
            user=officer,
            question="该店铺在商品详情页宣称“国家级名茶”，请协查其住所、实际经营地和销售记录，并固定页面证据。",
            to_bureau=other,
            values=subject,
            send=True,
            now=_at(today, 12),
        )
    with acting(jixi_office, via="cli"):
        services.assistance_accept(
            request=sent, user=jixi_office, department=jixi.department, assignee=jixi, now=_at(today, 11)
        )
    with acting(jixi, via="cli"):
        capture = evidence_services.evidence_upload(
            files=[ContentFile("徽韵茶业旗舰店商品详情页截图（演示）".encode(), name="详情页截图说明.txt")],
            kind="screen",
            description="店铺商品详情页“国家级名茶”用语截图",
            operators=["绩溪县科员甲（执法证 34182401）", "绩溪县科员乙（执法证 34182402）"],
            purpose=f"协查 {sent.number}",
            case_ref=sent.number,
            user=jixi,
        ).capture
        services.assistance_answer(
            request=sent,
            user=jixi,
            answer="经查，该公司住所与实际经营地一致，在绩溪县华阳镇；近三月线上销售该茶叶 126 单。已固定页面证据。",
            findings="详情页“国家级名茶”无依据；经营者称系参照外包装用语，已下架修改。",
            capture_ids=[capture.pk],
            now=_at(today, 4),
        )
    with acting(officer, via="cli"):
        services.assistance_close(request=sent, user=officer, note="答复清楚，予以确认。", now=_at(today, 3))
    with acting(jixi, via="cli"):
        received = services.assistance_create(
            user=jixi,
            question="请协查旌德县云乐茶叶店的营业执照登记情况和网店经营者身份。",
            to_bureau=county,
            values={"entity_name": "旌德县云乐茶叶店", "platform_name": "拼多多", "shop_name": "云乐茶叶"},
            send=True,
            now=_at(today, 30),
        )
    with acting(office, via="cli"):
        services.assistance_accept(
            request=received, user=office, department=users["ad_head"].department, now=_at(today, 29)
        )
    followups_run(now=timezone.now(), kinds_only=[REPLY, INTERNAL], deliver=False)  # overdue and 督办
    demo_capture = EvidenceCapture.objects.filter(bureau=county, status="ok").order_by("id").first()
    with acting(officer, via="cli"):
        done = services.internal_create(
            user=officer,
            kind="capture",
            url="https://shop.example.com/yunle",
            purpose="广告监管股办理云乐茶叶绝对化用语线索，请固定店铺首页证据。",
            now=_at(today, 5),
        )
    with acting(office, via="cli"):
        if demo_capture is not None:
            services.internal_link_capture(
                request=done, user=office, capture_id=demo_capture.pk, now=_at(today, 4)
            )
        else:
            services.internal_result(
                request=done,
                user=office,
                result="已网上检查，页面仍有“最佳”用语（演示取证未完成）",
                now=_at(today, 4),
            )
    food = users["food_officer"]
    with acting(food, via="cli"):
        services.internal_create(
            user=food,
            kind="check",
            url="https://shop.example.com/lvyuan",
            purpose="食品经营监管股：请网上检查绿源农业网店是否公示食品经营许可证。",
            now=_at(today, 1),
        )
    stdout.write(
        f"协查演示：发往绩溪县 {sent.number}（已答复），收到绩溪县 {received.number}（逾期督办），内部协作 2 件"
    )
