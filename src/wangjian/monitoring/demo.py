"""Demo data: the default rule libraries, the demo online market and a first sweep over it.

A new user should see findings, evidence and the licence table without internet (issue 7
point 5), so ``wangjian demo`` serves the bundled market on 127.0.0.1 for the life of the
process, registers its shops as presences of the demo county (with the entities behind
them), creates a monitoring task over them and runs its first sweep at once.
"""

from __future__ import annotations

import threading
import time

DEMO_PORT = 8800
TASK_NAME = "演示网络市场例行监测"
FEED_TASK_NAME = "演示平台商品信息报送扫描"
FEED_FILE_NAME = "旌德优选商品信息报送（演示）.jsonl"
FEED_LISTINGS = 24  # listings of the platform's feed in the demo file: a small feed, read at once
_server = None
_lock = threading.Lock()


def market_server():
    """The demo market of this process (port 8800 when free, else any free port)."""
    global _server
    from wangjian.monitoring.demo_market import serve

    with _lock:
        if _server is None:
            try:
                _server = serve(DEMO_PORT)
            except OSError:
                _server = serve(0)
        return _server


def market_presences(*, bureau, server) -> list:
    """Registry rows for the market's shops: its entities, its platform and one presence per shop.

    Rows the registry demo already made are kept; URLs follow the port the market runs on.
    """
    from wangjian.registry.choices import EntityKind, LinkMethod, PresenceKind
    from wangjian.registry.models import MarketEntity, Platform, Presence

    market = server.market
    entities = {}
    for e in market.entities:
        entity = MarketEntity.objects.filter(bureau=bureau, uscc=e.uscc).first()
        if entity is None:
            entity = MarketEntity(
                bureau=bureau,
                uscc=e.uscc,
                name=e.name,
                kind=e.kind if e.kind in EntityKind.values else EntityKind.OTHER,
                legal_rep=e.legal_rep,
                phone=e.phone,
                address=e.address,
                region_code=e.region_code,
                status=e.status,
                source="演示网络市场",
            )
            entity.save()
        entities[e.uscc] = entity
    platform, _ = Platform.objects.get_or_create(
        bureau=bureau,
        name=market.platform_name,
        defaults={
            "url": server.url_for("/platform/"),
            "operator": entities.get(market.platform_entity.uscc) if market.platform_entity else None,
            "operator_name": market.platform_entity.name if market.platform_entity else "",
        },
    )
    presences = []
    for shop in market.shops:
        url = server.url_for(shop.path)
        entity = entities.get(shop.entity_uscc)
        if shop.platform:
            presence = Presence.objects.filter(platform=platform, account_id=shop.shop_id).first()
            kind = PresenceKind.PLATFORM_SHOP
        else:
            presence = Presence.objects.filter(
                bureau=bureau, platform=None, shop_name=shop.shop_name, url__contains=shop.path
            ).first()
            kind = PresenceKind.WEBSITE
        if presence is None:
            presence = Presence(
                bureau=bureau,
                kind=kind,
                platform=platform if shop.platform else None,
                account_id=shop.shop_id if shop.platform else "",
                shop_name=shop.shop_name,
                entity=entity,
                link_method=LinkMethod.CODE if entity else "",
                link_confidence=1.0 if entity else None,
            )
        if presence.url != url:
            presence.url = url
            presence.save()
        presences.append(presence)
    return presences


def market_permits(*, bureau, server, user=None, write=None, today=None):
    """The licensing departments' permit data of the market (亮证核验的依据), imported as the office would:
    through the registry's import, so the batch shows its counts and the one row it refused, and why."""
    import tempfile
    from pathlib import Path

    from django.utils import timezone

    from wangjian.core.audit import acting
    from wangjian.monitoring.demo_market.permits import permit_csv
    from wangjian.registry.services import permits_import

    text = permit_csv(server.market, today or timezone.localdate())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "许可证和备案数据（演示）.csv"
        path.write_text(text, encoding="utf-8-sig")
        with acting(user, via="cli", reason="演示：导入许可证和备案数据"):
            batch = permits_import(bureau=bureau, path=path, user=user, source="演示许可数据")
    if write is not None:
        write(
            f"许可证和备案数据 / permit data: 新增 {batch.created_count}，更新 {batch.updated_count}，"
            f"拒收 {batch.rejected_count} 行（原因见导入批次 #{batch.pk}）\n"
        )
    return batch


def demo_task(*, bureau, presences, **overrides):
    from wangjian.monitoring.models import MonitoringTask

    values = {
        "depth": 1,
        "max_pages": 20,
        "render": "auto",
        "delay": 0.0,
        "evidence_threshold": "high",
        "interval_hours": 24,
        **overrides,
    }
    task, _ = MonitoringTask.objects.get_or_create(bureau=bureau, name=TASK_NAME, defaults=values)
    task.presences.set(presences)
    return task


def load(org, stdout=None) -> None:
    from wangjian.monitoring.selectors import run_progress
    from wangjian.monitoring.services import libraries_load_defaults, monitoring_task_run

    versions = libraries_load_defaults(bureau=org.county, actor=None)
    write = stdout.write if stdout is not None else (lambda s: None)
    write(
        f"监测关键词库：{len(versions)} 个默认库已发布 / {len(versions)} default rule libraries published\n"
    )
    server = market_server()
    presences = market_presences(bureau=org.county, server=server)
    market_permits(bureau=org.county, server=server, user=org.users["office"], write=write)
    task = demo_task(bureau=org.county, presences=presences)
    write(f"演示网络市场 / demo market: {server.url}（{len(presences)} 个网络经营场所 / presences）\n")
    started = time.monotonic()
    run = monitoring_task_run(task=task).run
    run.refresh_from_db()
    p = run_progress(run=run)
    write(
        f"首次监测 / first sweep: {p['pages_done']} 页已获取，{p['pages_unchanged']} 页未变化，"
        f"{p['pages_failed']} 页失败，新发现 {p['findings_new']} 条（{time.monotonic() - started:.1f} 秒）\n"
    )
    _review_some(org, run, write)
    _feed_scan(org, server, write)


def _review_some(org, run, write) -> None:
    """The office reviews part of the first sweep: one confirmed finding per category becomes a clue
    routed by the duty list; one finding is dismissed with its reason. The rest wait for review."""
    from wangjian.core.audit import acting
    from wangjian.monitoring.choices import FindingStatus
    from wangjian.monitoring.models import Finding
    from wangjian.monitoring.services import finding_confirm, finding_dismiss

    office = org.users["office"]
    findings = list(
        Finding.objects.filter(presence__bureau=org.county, status=FindingStatus.NEW)
        .select_related("presence")
        .order_by("id")
    )
    confirmed, categories = 0, set()
    with acting(office, via="cli", reason="演示：首次监测审核"):
        for finding in findings:
            if finding.category in categories or confirmed >= 6:
                continue
            categories.add(finding.category)
            decision = finding_confirm(finding=finding, user=office, reason="演示：经核对属实，转线索")
            confirmed += decision.receipt is not None
        pending = Finding.objects.filter(presence__bureau=org.county, status=FindingStatus.NEW).order_by(
            "-id"
        )
        if pending.exists():
            finding_dismiss(finding=pending.first(), user=office, reason="演示：经核对为合法表述，排除")
    write(f"审核 / review: 确认 {confirmed} 条并转为线索，排除 1 条，其余待审核\n")


def demo_feed(server) -> str:
    """A small listing feed as the platform would report it (平台报送商品信息, JSONL): the first listings of
    its shops and three their pages do not show (one a prescription drug's slogans, known as a drug's by the
    platform's category of goods; one worded like known violations that no rule names), one
    listing of a shop it never registered with the bureau and one row without its id — so the scan's page
    shows new findings, findings seen again by the sweep, a review signal of the similarity model, an
    unregistered shop and a rejected row with its reason."""
    import json

    rows = server.market.feed_rows(server.url)[:FEED_LISTINGS]
    first = rows[0]
    rows.append(  # reported to the platform, never shown on the shop's pages: new findings of the scan
        {
            "listing_id": f"{first['listing_id']}-FEED",
            "shop_id": first["shop_id"],
            "title": "顶级野生灵芝孢子粉 根治肿瘤",
            "description": "国家级专家推荐，无效退款",
            "url": first["url"],
        }
    )
    rows.append(  # a prescription drug's slogans, read as a drug's by the platform's category of goods (类目)
        {
            "listing_id": f"{first['listing_id']}-FEED2",
            "shop_id": first["shop_id"],
            "title": "男士保健 为爱延时",
            "description": "让爱更持久，男人可以更长久",
            "url": first["url"],
            "category": "药品/中西药",
        }
    )
    rows.append(  # a health food's testimony worded like known medical claims that no rule names: the model's signal
        {
            "listing_id": f"{first['listing_id']}-FEED3",
            "shop_id": first["shop_id"],
            "title": "灵芝孢子粉",
            "description": "吃了三个月，老伴的血压稳稳的",
            "category": "医药保健/保健食品",
            "url": first["url"],
        }
    )
    rows.append(
        {
            "listing_id": "DEMO-X1",
            "shop_id": "UNREGISTERED-88",
            "title": "祖传秘方 包治百病 老茶膏",
            "url": server.url_for("/platform/"),
        }
    )
    rows.append({"shop_id": first["shop_id"], "title": "缺少商品ID的一行"})
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def _feed_scan(org, server, write) -> None:
    """One scan of the platform's listing feed (网络交易监测 → 商品信息扫描), as an officer would upload it."""
    from django.core.files.base import ContentFile

    from wangjian.core.audit import acting
    from wangjian.monitoring.models import MonitoringTask
    from wangjian.monitoring.services import feed_scan_start
    from wangjian.registry.models import Platform

    platform = Platform.objects.get(bureau=org.county, name=server.market.platform_name)
    task, _ = MonitoringTask.objects.get_or_create(
        bureau=org.county,
        name=FEED_TASK_NAME,
        defaults={
            "depth": 0,
            "render": "never",
            "delay": 0.25,
            "evidence_threshold": "none",
            "interval_hours": 0,
        },
    )
    task.platforms.set([platform])
    officer = org.users["ad_officer"]
    with acting(officer, via="cli", reason="演示：平台商品信息扫描"):
        scan = feed_scan_start(
            task=task,
            platform=platform,
            user=officer,
            file=ContentFile(demo_feed(server).encode("utf-8"), name=FEED_FILE_NAME),
            file_name=FEED_FILE_NAME,
            background=False,
        )
    write(
        f"商品信息扫描 / feed scan #{scan.pk}: {scan.listings_total} 条商品，新发现 {scan.findings_new} 条，"
        f"再次发现 {scan.findings_seen} 条，未登记店铺 {scan.unknown_shops_count} 个，拒收 {scan.rejected_count} 行\n"
    )
