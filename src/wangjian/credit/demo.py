"""The credit demo (after the registry and cases demos): some of 旌德县's entities listed as abnormal, one per
ground — an enterprise listed for two consecutive years of missing annual reports and unreachable at its
address, flagged for 吊销营业执照; one removed after its application; a name not changed; a 个体工商户 listed
for false information — and an annual-report import with one bad row whose comparison finds undeclared and
missing shops: an enterprise's is recorded for the penalty and serious-list review (no longer a listing
ground), a 个体工商户's proposed and listed. Times are backdated from today, as the other demos do; the steps
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
    individual = next((e for e in others if e.kind == EntityKind.INDIVIDUAL), None)
    plain = [e for e in others if e.kind != EntityKind.INDIVIDUAL]
    if len(plain) < 2:
        stdout.write("信用演示数据未载入：登记库中的市场主体不足 / demo credit not loaded: too few entities")
        return
    with acting(office, via="system", reason="演示数据"):
        report_year = today.year - 1 if today > dt.date(today.year, 7, 15) else today.year - 2

        def listed(entity, ground, *, found=None, year=None, facts=""):  # noqa: ANN001, ANN202
            end = services.abnormal.report_period_end(year) if year else found
            listing = services.listing_propose(
                bureau=county,
                entity=entity,
                ground=ground,
                report_year=year,
                period_end=found,
                user=office,
                facts=facts,
                now=_at(end + dt.timedelta(days=1)),
            )
            services.abnormal_act(
                listing=listing, user=office, action="list", values={}, now=_at(listing.listing_due)
            )
            return listing

        # 1. an enterprise: the annual reports of two consecutive years not filed, and unreachable at its
        #    registered address → flagged for 吊销营业执照 (条例 art. 18 para. 1)
        listed(plain[1], G.ANNUAL_REPORT, year=report_year - 1)
        listed(plain[1], G.ANNUAL_REPORT, year=report_year)
        listed(
            plain[1],
            G.UNREACHABLE,
            found=today - dt.timedelta(days=60),
            facts="两封挂号信间隔二十日寄往登记的住所均未签收，实地核查无法联系",
        )
        flagged = services.revocation_check(today=today, bureau=county)
        # 2. information not published within the ordered period; it publishes, applies, is removed
        ordered_end = today - dt.timedelta(days=60)
        listing = listed(
            plain[0], G.ORDERED, found=ordered_end, facts="责令于期限内公示行政许可信息，逾期未公示"
        )
        applied = listing.listed_on + dt.timedelta(days=20)
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
        # 3. a name that must no longer be used, not changed within 30 days (企业名称登记管理规定 art. 23)
        listed(
            plain[2] if len(plain) > 2 else plain[0],
            G.NAME_CHANGE,
            found=today - dt.timedelta(days=30),
            facts="企业名称经认定应当停止使用，逾期未办理名称变更登记",
        )
        # 4. a 个体工商户 whose annual report declared a shop that does not exist (个体工商户年度报告办法 art. 14)
        if individual is not None:
            listed(
                individual,
                G.FALSE_INFO,
                found=today - dt.timedelta(days=30),
                facts="年度报告申报的网店经核查不存在",
            )
        # 5. the annual reports' declared shops, one bad row; a shop declared but not on file: an enterprise's
        #    goes to the penalty and serious-list review, a 个体工商户's is proposed and listed
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
        if missing is not None and missing.entity.kind == EntityKind.INDIVIDUAL:
            services.mismatch_act(
                mismatch=missing, user=office, action="to_listing", values={"found_on": today}, now=_at(today)
            )
            missing.refresh_from_db()
            services.abnormal_act(
                listing=missing.listing, user=office, action="list", values={}, now=_at(today, 15)
            )
        elif missing is not None:
            services.mismatch_act(
                mismatch=missing,
                user=office,
                action="to_review",
                values={"note": "申报的网店不存在，移送办案机构审查是否罚款及列入严重违法失信名单"},
                now=_at(today),
            )
    stdout.write(
        f"信用 / credit: 经营异常名录 {AbnormalListing.objects.filter(bureau=county).count()} 条（提请吊销 {len(flagged)}），"
        f"年报导入 #{batch.pk}：拒收 {batch.rejected_count} 行，比对不一致 {batch.mismatch_count} 条"
    )
