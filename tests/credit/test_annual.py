"""Annual reports' declared websites and shops: the import keeps bad rows with reasons; the comparison finds
undeclared presences and declared shops that are not on file; an officer turns a finding into a clue or a listing."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from tests.credit.conftest import at, d
from wangjian.core.errors import ValidationFailed
from wangjian.credit.choices import AbnormalState, MismatchKind, MismatchState
from wangjian.credit.models import AnnualReport, DeclarationMismatch
from wangjian.credit.services import annual_import, mismatch_act
from wangjian.registry.choices import PresenceKind, PresenceStatus
from wangjian.registry.models import Platform, Presence

HEADER = ["统一社会信用代码", "年度", "网站或网店名称", "网址", "平台"]


def _csv(tmp_path, rows, name="年报.csv", encoding="utf-8-sig", header=HEADER):
    path = tmp_path / name
    with open(path, "w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def shops(demo, entity):
    """``shops(n, kind)``: an entity with two presences on file: a 徽商城 shop and its own website (seen since 2023)."""

    def _shops(n: int = 31, kind: str = "enterprise"):
        e = entity(n, kind=kind)
        mall, _ = Platform.objects.get_or_create(
            bureau=demo.county, name="徽商城", url="https://hui.example/"
        )
        shop = Presence.objects.create(
            bureau=demo.county,
            kind=PresenceKind.PLATFORM_SHOP,
            platform=mall,
            account_id=f"s{n}",
            shop_name=f"旌德信用茶叶旗舰店{n}",
            url=f"https://hui.example/shop/s{n}",
            entity=e,
            first_seen=dt.date(2023, 5, 1),
        )
        site = Presence.objects.create(
            bureau=demo.county,
            kind=PresenceKind.WEBSITE,
            url=f"https://www.xinyong{n}.example/",
            entity=e,
            first_seen=dt.date(2023, 1, 1),
        )
        return e, shop, site

    return _shops


@pytest.fixture
def shop_entity(shops):
    return shops(31)


def test_bad_rows_are_kept_with_their_reasons_and_the_good_ones_imported(demo, staff, entity, tmp_path):
    e = entity(30)
    path = _csv(
        tmp_path,
        [
            [e.uscc, "2024", "", "", ""],
            ["91341825MA2C00000X", "2024", "某店", "", ""],  # wrong check character
            [e.uscc, "二〇二四", "", "", ""],
            [e.uscc, "2025", "", "", ""],  # the current year cannot have been reported yet
            [e.uscc, "2024", "某店", "not a url", ""],
            ["91341825MA2C999993", "2024", "", "", ""],
        ],
    )
    batch = annual_import(bureau=demo.county, path=path, user=staff["credit_officer"], now=at("2025-08-01"))
    assert (batch.total_rows, batch.report_count, batch.rejected_count) == (6, 1, 5)
    reasons = [r.reason for r in batch.rejected_rows.order_by("row_number")]
    assert "校验码错误" in reasons[0]
    assert "年度应为四位数字" in reasons[1]
    assert "上一年度" in reasons[2]
    assert "网址格式不正确" in reasons[3]
    assert "登记库中没有" in reasons[4] or "校验码" in reasons[4]
    assert batch.rejected_rows.first().raw[0] == "91341825MA2C00000X"
    assert AnnualReport.objects.filter(entity=e, year=2024).exists()


def test_a_file_without_the_year_column_is_refused_whole(demo, staff, entity, tmp_path):
    path = _csv(tmp_path, [[entity(32).uscc, "某店"]], header=["统一社会信用代码", "网店名称"])
    with pytest.raises(ValidationFailed, match="缺少必需的列：年度"):
        annual_import(bureau=demo.county, path=path, user=staff["credit_officer"], now=at("2025-08-01"))


def test_undeclared_presences_and_declared_shops_not_on_file_are_findings(demo, staff, shop_entity, tmp_path):
    e, shop, site = shop_entity
    path = _csv(
        tmp_path,
        [
            [
                e.uscc,
                "2024",
                "信用31官网",
                "http://xinyong31.example",
                "",
            ],  # the website, written another way
            [e.uscc, "2024", "旌德信用茶叶拼多多店", "https://pdd.example/s/99", "拼多多"],  # not on file
        ],
        encoding="gbk",
    )
    batch = annual_import(bureau=demo.county, path=path, user=staff["credit_officer"], now=at("2025-08-01"))
    found = {m.kind: m for m in DeclarationMismatch.objects.filter(entity=e, year=2024)}
    assert set(found) == {MismatchKind.UNDECLARED, MismatchKind.NOT_FOUND}
    assert (
        found[MismatchKind.UNDECLARED].presence == shop
        and "未在2024年度报告中申报" in found[MismatchKind.UNDECLARED].detail
    )
    assert "拼多多" in found[MismatchKind.NOT_FOUND].detail
    assert batch.mismatch_count == 2 and batch.encoding in ("gbk", "gb18030")


def test_a_presence_first_seen_after_the_year_or_closed_is_not_expected_in_its_report(
    demo, staff, shop_entity, tmp_path
):
    e, shop, site = shop_entity
    Presence.objects.filter(pk=shop.pk).update(first_seen=dt.date(2025, 2, 1))
    Presence.objects.filter(pk=site.pk).update(status=PresenceStatus.CLOSED)
    annual_import(
        bureau=demo.county,
        path=_csv(tmp_path, [[e.uscc, "2024", "", "", ""]]),
        user=staff["credit_officer"],
        now=at("2025-08-01"),
    )
    assert not DeclarationMismatch.objects.filter(entity=e).exists()


def test_a_corrected_report_clears_its_open_findings(demo, staff, shop_entity, tmp_path):
    e, shop, site = shop_entity
    annual_import(
        bureau=demo.county,
        path=_csv(tmp_path, [[e.uscc, "2024", "", "", ""]]),
        user=staff["credit_officer"],
        now=at("2025-08-01"),
    )
    assert DeclarationMismatch.objects.filter(entity=e, state=MismatchState.OPEN).count() == 2
    rows = [
        [e.uscc, "2024", "旌德信用茶叶旗舰店31", "", "徽商城"],
        [e.uscc, "2024", "官网", "xinyong31.example/", ""],
    ]
    annual_import(
        bureau=demo.county,
        path=_csv(tmp_path, rows, name="更正.csv"),
        user=staff["credit_officer"],
        now=at("2025-08-02"),
    )
    assert not DeclarationMismatch.objects.filter(entity=e).exists()
    assert AnnualReport.objects.get(entity=e, year=2024).shops.filter(presence__isnull=False).count() == 2


def test_a_finding_becomes_a_clue_through_the_intake_port_once(demo, staff, shop_entity, tmp_path):
    e, shop, site = shop_entity
    annual_import(
        bureau=demo.county,
        path=_csv(tmp_path, [[e.uscc, "2024", "", "", ""]]),
        user=staff["credit_officer"],
        now=at("2025-08-01"),
    )
    finding = DeclarationMismatch.objects.get(entity=e, presence=shop)
    message = mismatch_act(
        mismatch=finding, user=staff["credit_officer"], action="to_clue", values={}, now=at("2025-08-04")
    )
    finding.refresh_from_db()
    assert finding.state == MismatchState.CLUE and finding.clue_number and finding.clue_number in message
    from wangjian.clues.models import Clue

    clue = Clue.objects.get(number=finding.clue_number)
    assert clue.domain == "credit" and e.uscc in clue.facts
    with pytest.raises(Exception, match="不能“转为线索”"):
        mismatch_act(
            mismatch=finding, user=staff["credit_officer"], action="to_clue", values={}, now=at("2025-08-04")
        )


def test_an_individual_business_s_finding_becomes_a_proposed_listing_for_false_information(
    demo, staff, shops, tmp_path
):
    """个体工商户年度报告办法 (2025) art. 14: a 个体工商户's false report is still a listing ground."""
    e, shop, site = shops(33, kind="individual")
    annual_import(
        bureau=demo.county,
        path=_csv(tmp_path, [[e.uscc, "2024", "", "", ""]]),
        user=staff["credit_officer"],
        now=at("2025-08-01"),
    )
    finding = DeclarationMismatch.objects.get(entity=e, presence=site)
    with pytest.raises(ValidationFailed, match="应提请列入经营异常名录"):
        mismatch_act(
            mismatch=finding, user=staff["credit_head"], action="to_review", values={}, now=at("2025-08-04")
        )
    mismatch_act(
        mismatch=finding,
        user=staff["credit_head"],
        action="to_listing",
        values={"found_on": "2025-08-04"},
        now=at("2025-08-04"),
    )
    finding.refresh_from_db()
    listing = finding.listing
    assert finding.state == MismatchState.LISTED and listing.state == AbnormalState.PROPOSED
    assert (
        listing.ground == "false_info"
        and listing.period_end == d("2025-08-04")
        and listing.listing_due == d("2025-08-18")
    )


def test_an_enterprise_s_finding_goes_to_the_penalty_review_not_to_the_list(
    demo, staff, shop_entity, tmp_path
):
    """条例 art. 18 para. 2: an enterprise's false report is fined, and if serious goes to the serious list; the
    finding stays on file for that review and can still become a clue."""
    from wangjian.credit.services.transitions import allowed_actions

    e, shop, site = shop_entity
    annual_import(
        bureau=demo.county,
        path=_csv(tmp_path, [[e.uscc, "2024", "", "", ""]]),
        user=staff["credit_officer"],
        now=at("2025-08-01"),
    )
    finding = DeclarationMismatch.objects.get(entity=e, presence=site)
    assert "to_listing" not in allowed_actions(user=staff["credit_head"], record="mismatch", obj=finding)
    with pytest.raises(ValidationFailed, match="第十八条第二款") as refused:
        mismatch_act(
            mismatch=finding,
            user=staff["credit_head"],
            action="to_listing",
            values={"found_on": "2025-08-04"},
            now=at("2025-08-04"),
        )
    assert "转行政处罚及严重违法失信名单审查" in refused.value.zh
    message = mismatch_act(
        mismatch=finding,
        user=staff["credit_head"],
        action="to_review",
        values={"note": "移送办案机构"},
        now=at("2025-08-04"),
    )
    finding.refresh_from_db()
    assert finding.state == MismatchState.REVIEW and finding.listing is None and "第十八条第二款" in message
    assert not e.abnormal_listings.exists()
    assert DeclarationMismatch.objects.filter(entity=e, state=MismatchState.REVIEW).count() == 1
    mismatch_act(
        mismatch=finding, user=staff["credit_officer"], action="to_clue", values={}, now=at("2025-08-05")
    )
    finding.refresh_from_db()
    assert finding.state == MismatchState.CLUE and finding.clue_number
