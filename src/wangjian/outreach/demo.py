"""The outreach demo (after the registry and cases demos): a platform of 旌德县 whose July seller-identity report
came late (or not at all) and whose re-verification is older than six months, a 约谈 with one follow-up item
overdue, a takedown request answered, a data request still open, a letter to 安徽省通信管理局 to shut a site with
its receipt — and the cases demo's transfer to the police, already in the authority requests by the case's service.
Times are backdated from today, as the other demos do; the steps are the office's (李主任)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wangjian.core import workdays
from wangjian.core.audit import acting
from wangjian.outreach import services
from wangjian.outreach.choices import AuthorityKind, AuthorityRequestKind, GuidanceKind, RequestKind
from wangjian.outreach.models import Authority, AuthorityRequest, Guidance, PlatformRequest, Reverification
from wangjian.outreach.windows import windows
from wangjian.registry.choices import ImportKind, ImportStatus
from wangjian.registry.models import ImportBatch, Platform

NAME = "旌德优选商城"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def load(org, stdout) -> None:  # noqa: ANN001
    try:
        _load(org, stdout)
    except (
        workdays.UncoveredYearError
    ) as exc:  # the demo must not stop the others for want of a calendar year
        stdout.write(f"协同演示数据未载入 / demo outreach not loaded: {exc.zh}")


def _imports(platform: Platform, today: dt.date) -> str:
    """Seller imports of the windows since a year and a half: each on time but the last ended July (late/missing)."""
    ended = [w for w in windows(today - dt.timedelta(days=540), today) if w.end < today]
    july = next((w for w in reversed(ended) if w.start.month == 7), None)
    story = "未报送"
    for w in ended:
        day = w.start + dt.timedelta(days=9)
        if w is july:
            day = w.end + dt.timedelta(days=12)
            if day >= today:
                continue  # not yet come: the July report is missing
            story = f"逾期报送（{day} 收到）"
        batch = ImportBatch.objects.create(
            bureau=platform.bureau,
            kind=ImportKind.SELLERS,
            platform=platform,
            file_name=f"{NAME}经营者名单{w.label}.csv",
            status=ImportStatus.DONE,
        )
        ImportBatch.objects.filter(pk=batch.pk).update(started_at=_at(day), finished_at=_at(day, 11))
    return story


def _load(org, stdout) -> None:  # noqa: ANN001
    county, office = org.county, org.users["office"]
    if Platform.objects.filter(bureau=county, name=NAME).exists():
        stdout.write("协同演示数据已存在 / demo outreach exists")
        return
    today = timezone.localdate()
    with acting(office, via="system", reason="演示数据"):
        platform = Platform.objects.create(
            bureau=county, name=NAME, url="https://youxuan.example.cn/", domicile="安徽省宣城市旌德县"
        )
        Platform.objects.filter(pk=platform.pk).update(created=_at(today - dt.timedelta(days=540)))
        platform.refresh_from_db()
        story = _imports(platform, today)
        services.reverification_record(
            reverification=Reverification(
                bureau=county,
                platform=platform,
                verified_on=today - dt.timedelta(days=230),
                note="平台书面报告",
            ),
            user=office,
        )
        held = today - dt.timedelta(days=40)
        guidance = services.guidance_record(
            guidance=Guidance(
                bureau=county,
                platform=platform,
                kind=GuidanceKind.INTERVIEW,
                held_on=held,
                platform_attendees="平台合规负责人 陈某、客服主管 刘某",
                bureau_attendees="李主任、网络交易监管股 2 人",
                matters="平台内经营者身份信息7月未按期报送；部分店铺未公示营业执照信息；投诉处理超时",
            ),
            items=[
                ("补报7月平台内经营者身份信息", held + dt.timedelta(days=10)),
                ("督促未亮照店铺限期公示营业执照信息", held + dt.timedelta(days=30)),
            ],
            user=office,
            now=_at(held),
        )
        first = guidance.items.order_by("due").first()
        services.outreach_act(
            record="guidance",
            obj=guidance,
            user=office,
            action="item_done",
            values={"item": first.pk, "done_on": held + dt.timedelta(days=8), "note": "已补报"},
            now=_at(held + dt.timedelta(days=8)),
        )
        sent = today - dt.timedelta(days=20)
        takedown = services.request_send(
            request=PlatformRequest(
                bureau=county,
                platform=platform,
                kind=RequestKind.TAKEDOWN,
                sent_on=sent,
                basis="《中华人民共和国电子商务法》第二十九条；《网络交易监督管理办法》第二十九条",
                urls="https://youxuan.example.cn/item/1001\nhttps://youxuan.example.cn/item/1002\n"
                "https://youxuan.example.cn/item/1003",
            ),
            user=office,
            now=_at(sent),
        )
        services.outreach_act(
            record="request",
            obj=takedown,
            user=office,
            action="answer",
            values={"answered_on": sent + dt.timedelta(days=2), "answer": "done"},
            now=_at(sent + dt.timedelta(days=2)),
        )
        asked = today - dt.timedelta(days=3)
        services.request_send(
            request=PlatformRequest(
                bureau=county,
                platform=platform,
                kind=RequestKind.DATA,
                sent_on=asked,
                basis="《中华人民共和国电子商务法》第二十五条",
                data_scope="店铺“旌德土特产直供”的商品交易记录、订单及支付信息",
                period_from=asked - dt.timedelta(days=180),
                period_to=asked,
            ),
            user=office,
            now=_at(asked),
        )
        miit, _created = Authority.objects.get_or_create(
            bureau=county,
            name="安徽省通信管理局",
            defaults={
                "kind": AuthorityKind.TELECOM_ADMIN,
                "contact": "网络安全管理处",
                "address": "安徽省合肥市",
            },
        )
        letter_on = today - dt.timedelta(days=15)
        letter = services.authority_request_send(
            request=AuthorityRequest(
                bureau=county,
                authority=miit,
                kind=AuthorityRequestKind.SHUTDOWN,
                sent_on=letter_on,
                subject="提请关闭违法网站 https://fake-maotai.example.cn/（销售假冒注册商标的商品，未取得ICP备案）",
                materials="提请函\n网页取证记录及哈希值清单\n行政处罚决定书",
            ),
            user=office,
            now=_at(letter_on),
        )
        services.outreach_act(
            record="authority_request",
            obj=letter,
            user=office,
            action="receipt",
            values={"received_on": letter_on + dt.timedelta(days=3)},
            now=_at(letter_on + dt.timedelta(days=3)),
        )
    police = AuthorityRequest.objects.filter(bureau=county, kind=AuthorityRequestKind.POLICE_TRANSFER).count()
    stdout.write(
        f"协同 / outreach: 平台“{NAME}”7月报送 {story}，约谈 1 次（1 项整改逾期），下架请求已答复，调取数据待答复，"
        f"提请通信管理局关闭网站 1 件（已回执），移送公安 {police} 件"
    )
