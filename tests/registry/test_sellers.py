"""Platform seller lists: import, matching, the review decision remembered on re-import, the CSV output."""

import csv
import io

import pytest
from django.core.management import call_command

from tests.registry.conftest import CHAYE, HONGDA, LIHUA, csv_bytes, xlsx_bytes
from wangjian.core.models import ChangeRecord
from wangjian.registry import services
from wangjian.registry.choices import LinkMethod, MatchOutcome
from wangjian.registry.models import MarketEntity, MatchDecision, MatchResult, Presence, SellerReport

pytestmark = pytest.mark.django_db

HEADER = ["店铺ID", "店铺名称", "主体名称", "统一社会信用代码", "地址", "电话", "店铺网址"]
HEADER_EN = ["seller_id", "shop_name", "claimed_name", "claimed_uscc", "address", "phone", "url"]
TYPO = HONGDA[:12] + ("7" if HONGDA[12] != "7" else "8") + HONGDA[13:]
ROWS = [
    [
        "A001",
        "宏达商贸官方旗舰店",
        "宏达商贸有限责任公司",
        TYPO,
        "旌德县文化路12号",
        "13855501234",
        "https://shop.example/a001",
    ],
    [
        "A002",
        "丽华百货",
        "旌德县丽华百货经营部",
        "",
        "旌德县旌阳镇和平路3号",
        "",
        "https://shop.example/a002",
    ],
    ["A003", "绿源茶叶小店", "绿源茶叶", "", "黄山市屯溪区老街1号", "", "https://shop.example/a003"],
    ["A004", "无名小店", "张三的小卖部", "", "", "13999999999", "https://shop.example/a004"],
    ["", "空ID", "某某", "", "", "", ""],
]


def _import(demo, write, rows=ROWS, name="sellers.csv", content=None):
    platform, _ = services.platform_get_or_create(bureau=demo.county, name="某宝")
    path = write(name, content or csv_bytes(HEADER, rows, "gbk"))
    return services.sellers_import(
        bureau=demo.county, platform=platform, path=path, user=demo.users["office"]
    ), platform


def test_sellers_are_imported_as_presences_and_matched(registry, demo, write):
    batch, platform = _import(demo, write)
    assert (batch.created_count, batch.rejected_count) == (4, 1)
    assert batch.rejected_rows.get().reason == "店铺ID为空 / the shop ID is empty"
    results = {r.seller.seller_id: r for r in MatchResult.objects.select_related("seller", "entity")}
    assert results["A001"].outcome == MatchOutcome.AUTO
    assert results["A001"].entity.uscc == HONGDA
    assert "代码一位之差且校验位错误" in results["A001"].reasons
    assert results["A002"].entity.uscc == LIHUA and results["A002"].outcome == MatchOutcome.AUTO
    assert results["A003"].outcome == MatchOutcome.REVIEW and results["A003"].entity.uscc == CHAYE
    assert results["A004"].outcome == MatchOutcome.NONE and results["A004"].entity is None
    shop = Presence.objects.get(platform=platform, account_id="A001")
    assert shop.entity.uscc == HONGDA and shop.link_method == LinkMethod.CODE
    assert Presence.objects.get(account_id="A003").entity is None  # review: not linked yet


def test_english_headers_and_xlsx_work_for_sellers(registry, demo, write):
    batch, _ = _import(demo, write, name="s.xlsx", content=xlsx_bytes(HEADER_EN, ROWS[:4]))
    assert batch.encoding == "xlsx" and batch.created_count == 4


def test_reimporting_the_seller_list_changes_nothing(registry, demo, write):
    _import(demo, write)
    before = ChangeRecord.objects.filter(content_type__model="presence").count()
    batch, _ = _import(demo, write)
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, 4)
    assert SellerReport.objects.count() == 4 and Presence.objects.count() == 4
    assert ChangeRecord.objects.filter(content_type__model="presence").count() == before


def test_a_review_decision_is_remembered_when_the_list_is_imported_again(registry, demo, write):
    _import(demo, write)
    officer = demo.users["ad_officer"]
    tea = MatchResult.objects.get(seller__seller_id="A003")
    services.match_review(result=tea, decision="accept", user=officer)
    shop = Presence.objects.get(account_id="A003")
    assert shop.entity.uscc == CHAYE and shop.link_method == LinkMethod.MANUAL
    lihua = MatchResult.objects.get(seller__seller_id="A002")
    services.match_review(result=lihua, decision="reject", user=officer)
    assert Presence.objects.get(account_id="A002").entity is None

    _import(demo, write)  # the platform sends the same list again

    tea = MatchResult.objects.get(seller__seller_id="A003")
    assert (tea.outcome, tea.decided, tea.entity.uscc) == (MatchOutcome.AUTO, True, CHAYE)
    assert tea.reasons.startswith("人工已确认")
    lihua = MatchResult.objects.get(seller__seller_id="A002")
    assert lihua.entity_id != MarketEntity.objects.get(uscc=LIHUA).pk
    assert "已排除人工否定的候选主体" in lihua.reasons
    assert MatchDecision.objects.count() == 2
    assert ChangeRecord.objects.filter(content_type__model="matchdecision", user=officer).count() == 2


def test_an_officer_of_another_bureau_cannot_review(registry, demo, write):
    from wangjian.core.errors import PermissionDeniedError

    _import(demo, write)
    with pytest.raises(PermissionDeniedError):
        services.match_review(
            result=MatchResult.objects.get(seller__seller_id="A003"),
            decision="accept",
            user=demo.users["jixi_officer"],
        )


def test_match_command_writes_the_result_file(registry, demo, write, tmp_path):
    _import(demo, write)
    out = tmp_path / "match.csv"
    stdout = io.StringIO()
    call_command("match", "sellers", "--out", str(out), "--bureau", "341825", "--no-progress", stdout=stdout)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert list(rows[0])[:5] == ["seller_id", "uscc", "confidence", "decision", "reasons"]
    by_id = {r["seller_id"]: r for r in rows}
    assert by_id["A001"]["uscc"] == HONGDA and by_id["A001"]["decision"] == "auto"
    assert by_id["A004"]["decision"] == "none" and by_id["A004"]["uscc"] == ""
    assert "自动关联 2" in stdout.getvalue()


def test_import_sellers_command(registry, demo, write):
    path = write("s.csv", csv_bytes(HEADER, ROWS, "utf-8-sig"))
    stdout = io.StringIO()
    call_command(
        "import",
        "sellers",
        str(path),
        "--platform",
        "某东",
        "--bureau",
        "341825",
        "--no-progress",
        stdout=stdout,
    )
    assert "已新建平台" in stdout.getvalue() and "新增 4" in stdout.getvalue()
    assert MatchResult.objects.filter(seller__platform__name="某东").count() == 4


@pytest.mark.parametrize("q", ["https://shop.example/a001", "shop.example/a001", "宏达商贸官方旗舰店"])
def test_entities_are_found_by_shop_url_and_shop_name(registry, demo, write, q):
    from wangjian.registry import selectors

    _import(demo, write)
    found = selectors.entity_search(MarketEntity.objects.all(), q)
    assert [e.uscc for e in found] == [HONGDA]


def test_an_officer_may_choose_another_entity_than_the_suggestion(registry, demo, write):
    _import(demo, write)
    tea = MatchResult.objects.get(seller__seller_id="A003")
    other = MarketEntity.objects.get(uscc=LIHUA)
    services.match_review(result=tea, decision="accept", user=demo.users["ad_officer"], entity=other)
    assert Presence.objects.get(account_id="A003").entity == other
    _import(demo, write)
    assert MatchResult.objects.get(seller__seller_id="A003").entity == other
