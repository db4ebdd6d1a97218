"""The credit demo (after the registry and cases demos): some of 旌德县's entities listed as abnormal, one per
ground, one removed after its application, one unreachable for two years flagged for 吊销营业执照, and an
annual-report import with one bad row whose comparison finds undeclared and missing shops — one of which is
proposed and listed for false information. Times are backdated from today, as the other demos do; the steps
are the office's (李主任), who may take every step of the credit table."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path

from django.utils import timezone

from wangjian.core import workdays
from wangjian.core.audit import acting
from wangjian.credit import services
from wangjian.credit.choices import AbnormalGround as G
from wangjian.credit.choices import MismatchKind
from wangjian.credit.models import AbnormalListing, DeclarationMismatch
from wangjian.registry.choices import EntityKind
from wangjian.registry.models import MarketEntity, Presence


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def load(org, stdout) -> None:  # noqa: ANN001
    try:
        _load(org, stdout)
    except (
        workdays.UncoveredYearError
    ) as exc:  # the demo must not stop the others for want of a calendar year
        stdout.write(f"信用演示数据未载入 / demo credit not loaded: {exc.zh}")


def _load(org, stdout) -> None:  # noqa: ANN001
    county, office = org.county, org.users["office"]
    if AbnormalListing.objects.filter(bureau=county).exists():
        stdout.write("信用演示数据已存在 / demo credit exists")
        return
    today = timezone.localdate()
    with_presences = list(
        MarketEntity.objects.filter(bureau=county, presences__isnull=False).distinct().order_by("id")[:3]
    )
    others = list(
        MarketEntity.objects.filter(bureau=county)
        .exclude(pk__in=[e.pk for e in with_presences])
        .order_by("id")[:40]
    )
    if len(others) < 3:
        stdout.write("信用演示数据未载入：登记库中的市场主体不足 / demo credit not loaded: too few entities")
        return
    individual = next((e for e in others if e.kind == EntityKind.INDIVIDUAL), others[1])
    plain = [e for e in others if e != individual]
    with acting(office, via="system", reason="演示数据"):
        # 1. the annual report of last year (or the year before) not published by 30 June
        report_year = today.year - 1 if today > dt.date(today.year, 7, 15) else today.year - 2
        end = services.abnormal.report_period_end(report_year)
        listing = services.listing_propose(
            bureau=county,
            entity=plain[0],
            ground=G.ANNUAL_REPORT,
            report_year=report_year,
            user=office,
            now=_at(end + dt.timedelta(days=1)),
        )
        services.abnormal_act(
            listing=listing, user=office, action="list", values={}, now=_at(listing.listing_due)
        )
        # 2. information not published within the ordered period: an individual business, marked; it publishes, applies, is removed
        ordered_end = today - dt.timedelta(days=60)
        listing = services.listing_propose(
            bureau=county,
            entity=individual,
            ground=G.ORDERED,
            period_end=ordered_end,
            user=office,
            facts="责令于期限内公示行政许可信息，逾期未公示",
            now=_at(ordered_end + dt.timedelta(days=1)),
        )
        decided = ordered_end + dt.timedelta(days=7)
        services.abnormal_act(
            listing=listing, user=office, action="list", values={"decided_on": decided}, now=_at(decided)
        )
        applied = decided + dt.timedelta(days=20)
        services.abnormal_act(
            listing=listing,
            user=office,
            action="apply_removal",
            values={"applied_on": applied, "note": "已补充公示行政许可信息"},
            now=_at(applied),
        )
        services.abnormal_act(
            listing=listing,
            user=office,
            action="remove",
            values={"removed_on": listing.removal_due},
            now=_at(listing.removal_due),
        )
        # 3. unreachable at the registered address for over two years, no annual report since: flagged
        found = today - dt.timedelta(days=800)
        listing = services.listing_propose(
            bureau=county,
            entity=plain[1],
            ground=G.UNREACHABLE,
            period_end=found,
            user=office,
            facts="两次实地核查，登记的住所无法联系",
            now=_at(found),
        )
        services.abnormal_act(
            listing=listing, user=office, action="list", values={}, now=_at(listing.listing_due)
        )
        flagged = services.revocation_check(today=today, bureau=county)
        # 4. the annual reports' declared shops, one bad row; a shop declared but not on file → listed as false
        rows = []
        for n, e in enumerate(with_presences):
            presence = Presence.objects.filter(entity=e).order_by("id").first()
            if n == 0 and presence is not None:
                rows.append(
                    [
                        e.uscc,
                        report_year,
                        presence.shop_name or "官网",
                        presence.url,
                        presence.platform.name if presence.platform_id else "",
                    ]
                )
            elif n == 1:
                rows.append(
                    [
                        e.uscc,
                        report_year,
                        f"{e.name[:6]}旗舰店（申报）",
                        f"https://shop.example/{e.pk}",
                        "某电商平台",
                    ]
                )
            else:
                rows.append([e.uscc, report_year, "", "", ""])
        rows.append(["91341825MA2XXXXXX1", report_year, "无效代码店", "", ""])  # the bad row
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"{report_year}年度报告申报网站网店.csv"
            with open(path, "w", newline="", encoding="utf-8-sig") as fh:
                writer = csv.writer(fh)
                writer.writerow(["统一社会信用代码", "年度", "网站或网店名称", "网址", "平台"])
                writer.writerows(rows)
            batch = services.annual_import(
                bureau=county, path=path, user=office, file_name=path.name, now=_at(today)
            )
        missing = DeclarationMismatch.objects.filter(batch=batch, kind=MismatchKind.NOT_FOUND).first()
        if missing is not None:
            services.mismatch_act(
                mismatch=missing, user=office, action="to_listing", values={"found_on": today}, now=_at(today)
            )
            missing.refresh_from_db()
            services.abnormal_act(
                listing=missing.listing, user=office, action="list", values={}, now=_at(today, 15)
            )
    stdout.write(
        f"信用 / credit: 经营异常名录 {AbnormalListing.objects.filter(bureau=county).count()} 条（提请吊销 {len(flagged)}），"
        f"年报导入 #{batch.pk}：拒收 {batch.rejected_count} 行，比对不一致 {batch.mismatch_count} 条"
    )
