"""The vocabulary written from the law (issue 10): bare absolute terms, price fraud, prize sales, 格式条款.

Each default library must pass its own regression set when published alone (its rules' examples and the
lines of the blind corpus's dev half); the forms the law itself exempts must stay unflagged.
"""

from __future__ import annotations

import pytest

from wangjian.monitoring.choices import (
    CATEGORY_DOMAIN,
    SEVERITY_RANK,
    Category,
    EvidenceThreshold,
    Severity,
)
from wangjian.monitoring.engine import Engine, default_engine, default_libraries
from wangjian.monitoring.selectors import line_verdict


def scan(text, kind=None):
    return default_engine().scan(text, product_kind=kind)


def rules_hit(text, kind=None):
    return {h.rule for h in scan(text, kind).hits}


def cats(text, kind=None):
    return scan(text, kind).categories


# --------------------------------------------------------------------------- regression sets, as publishing checks them


def _regression_lines():
    for lib in default_libraries():
        engine = Engine([lib])
        for i, line in enumerate(lib.regression_lines()):
            yield pytest.param(engine, line, id=f"{lib.name}:{line.category or '-'}:{i}:{line.text[:10]}")


@pytest.mark.parametrize("engine,line", list(_regression_lines()))
def test_each_library_passes_its_regression_set_alone(engine, line):
    verdict = line_verdict(engine, line)
    assert verdict.passed, (line.expect, line.text, verdict.got)


def test_the_blind_dev_lines_are_in_the_regression_sets_of_the_new_categories():
    notes = {
        line.category
        for lib in default_libraries()
        for line in lib.regression
        if line.note.startswith("blind dev")
    }
    assert {"standard_terms", "prize_sales", "price_fraud", "absolute_terms"} <= notes


# --------------------------------------------------------------------------- categories, domains, severities


def test_every_category_has_a_domain_that_the_duty_list_knows():
    from wangjian.org.choices import Domain

    assert set(CATEGORY_DOMAIN) == set(Category.values)
    assert set(CATEGORY_DOMAIN.values()) <= set(Domain.values)
    assert CATEGORY_DOMAIN["standard_terms"] == "standard_terms"
    assert CATEGORY_DOMAIN["prize_sales"] == "unfair_competition"


def test_every_default_library_names_a_department_kind_and_domain_that_exist():
    from wangjian.org.choices import DepartmentKind, Domain

    libs = {lib.name: lib for lib in default_libraries()}
    assert libs["contract"].department_kind == "consumer" and libs["contract"].domain == "standard_terms"
    for lib in libs.values():
        assert lib.department_kind in DepartmentKind.values, lib.name
        assert lib.domain in Domain.values, lib.name


def test_a_review_signal_ranks_below_low_and_every_severity_has_a_rank():
    assert set(SEVERITY_RANK) == set(Severity.values)
    assert (
        SEVERITY_RANK[Severity.REVIEW]
        < SEVERITY_RANK[Severity.LOW]
        < SEVERITY_RANK[Severity.MEDIUM]
        < SEVERITY_RANK[Severity.HIGH]
    )


def _captured_from(threshold):
    return {s for s in Severity.values if SEVERITY_RANK[s] >= SEVERITY_RANK[threshold]}


def test_automatic_evidence_takes_review_signals_only_when_the_task_asks_for_all():
    assert set(EvidenceThreshold.values) - {"none"} <= set(SEVERITY_RANK)
    assert _captured_from(EvidenceThreshold.LOW) == {"high", "medium", "low"}
    assert _captured_from(EvidenceThreshold.REVIEW) == set(Severity.values)


def test_an_original_price_is_a_review_signal_a_false_countdown_and_a_review_offer_are_clear():
    text = "原价399元 现价99元！倒计时结束后自动重新开始。好评晒图返5元"
    by_rule = {h.rule: h.severity for h in scan(text).hits}
    assert by_rule["PF-004"] == Severity.REVIEW
    assert by_rule["PF-006"] == Severity.MEDIUM
    assert by_rule["FR-003"] == Severity.HIGH
    ordered = sorted(scan(text).hits, key=lambda h: -SEVERITY_RANK[h.severity])
    assert ordered[0].severity == Severity.HIGH and ordered[-1].severity == Severity.REVIEW


@pytest.mark.django_db
def test_the_rule_and_finding_lists_order_severity_by_rank_not_alphabet(demo):
    from wangjian.monitoring.models import Rule, RuleLibrary, RuleLibraryVersion
    from wangjian.monitoring.tables import RuleTable

    library = RuleLibrary.objects.create(bureau=demo.county, name="local", title="本局测试库")
    version = RuleLibraryVersion.objects.create(library=library, number=1, source="测试")
    for code, severity in (("A", "low"), ("B", "review"), ("C", "high"), ("D", "medium")):
        Rule.objects.create(
            version=version, code=code, name=code, category="price_fraud", severity=severity, terms=["原价"]
        )
    table = RuleTable(Rule.objects.filter(version=version), order_by="-severity")
    assert [row.record.severity for row in table.rows] == ["high", "medium", "low", "review"]
    table = RuleTable(Rule.objects.filter(version=version), order_by="severity")
    assert [row.record.severity for row in table.rows] == ["review", "low", "medium", "high"]


# --------------------------------------------------------------------------- absolute terms without a prefix


@pytest.mark.parametrize(
    "text,rule",
    [
        ("夜宵首选 就在老街口", "ABS-004"),
        ("全球首个采用该工艺的炒锅", "ABS-004"),
        ("世界唯一的石墨烯电芯", "ABS-004"),
        ("行业领先的降噪技术", "ABS-004"),
        ("这款洗碗机清洁力第一！", "ABS-005"),
        ("国内第一大羽绒服品牌", "ABS-005"),
        ("好评最多的儿童座椅", "ABS-006"),
        ("同价位里性价比最高的一款", "ABS-006"),
    ],
)
def test_bare_absolute_terms_are_claims(text, rule):
    assert rule in rules_hit(text)


@pytest.mark.parametrize(
    "text",
    [
        "最大功率2000W",
        "最高时速25km/h",
        "最多可容纳6人",
        "满300元最高可减50元",
        "第一次使用前请清洗",
        "第一，检查包装；第二，核对数量",
        "顾客至上，诚信第一",
        "唯一的缺点是有点重",
        "二手房 满五唯一",
        "本品牌首款电动牙刷",
        "据某平台2024年3月榜单，本品位列该类目第一",
        "最佳赏味期为开封后7天",
    ],
)
def test_specifications_ordinals_and_the_guidelines_exemptions_are_not_absolute_terms(text):
    assert "absolute_terms" not in cats(text)


# --------------------------------------------------------------------------- prize sales: the top prize's amount


@pytest.mark.parametrize(
    "amount",
    [
        "50001元",
        "88,888元",
        "100,000元",
        "5.5万元",
        "6万元",
        "10万元",
        "拾万元",
        "伍拾万元",
        "十万",
        "八万元",
        "1亿元",
    ],
)
def test_a_lottery_prize_above_fifty_thousand_yuan_is_flagged(amount):
    assert "PS-001" in rules_hit(f"消费满200元即可抽奖，一等奖现金{amount}")


@pytest.mark.parametrize(
    "amount", ["50000元", "5万元", "伍万元", "五万元", "4999元", "49,999元", "0.5万元", "5.0万元"]
)
def test_a_lottery_prize_of_fifty_thousand_yuan_or_less_is_not(amount):
    assert "prize_sales" not in cats(f"消费满200元即可抽奖，一等奖现金{amount}，共设1名，开奖时间6月1日")


def test_a_car_or_a_flat_as_the_prize_is_a_review_signal():
    hits = [h for h in scan("购车即抽奖 头等奖送房一套").hits if h.category == "prize_sales"]
    assert hits and {h.severity for h in hits} == {Severity.REVIEW}


@pytest.mark.parametrize(
    "text",
    [
        "购房即送价值10万元家电礼包",
        "本期双色球一等奖奖金500万元",
        "全国创新大赛一等奖奖金10万元",
        "奖池累计100万元",
    ],
)
def test_gifts_to_every_buyer_lotteries_contests_and_prize_pools_are_not_lottery_sales(text):
    assert "PS-001" not in rules_hit(text)


# --------------------------------------------------------------------------- 格式条款 and the 7-day rule's exempt goods


@pytest.mark.parametrize(
    "goods",
    [
        "定制刻字钢笔",  # 消费者定作的 (art. 6(1))
        "鲜活海鲜",  # 鲜活易腐的 (art. 6(2))
        "在线下载的电子书",  # 在线下载的数字化商品 (art. 6(3))
        "音像制品拆封后",  # 消费者拆封的音像制品 (art. 6(3))
        "报纸期刊",  # 交付的报纸、期刊 (art. 6(4))
        "贴身内衣拆封后",  # 拆封后影响人身安全或生命健康 (art. 7(1))
        "手机一经激活",  # 激活后价值贬损较大 (art. 7(2))
        "临期食品已明示保质期",  # 已明示的临近保质期 (art. 7(3))
        "瑕疵品已说明",  # 已明示的瑕疵 (art. 7(3))
    ],
)
def test_goods_the_law_exempts_may_refuse_seven_day_returns(goods):
    result = scan(f"{goods} 不支持七天无理由退货")
    assert "standard_terms" not in result.categories
    assert any(h.rule == "STD-004" for h in result.suppressed)


@pytest.mark.parametrize("goods", ["普通衬衫", "运动鞋 吊牌未拆", "拆封后的衣服", "蓝牙音箱"])
def test_other_goods_may_not(goods):
    assert "STD-004" in rules_hit(f"{goods} 不支持七天无理由退货")


def test_quality_problems_are_never_exempt():
    assert "STD-003" in rules_hit("定制刻字钢笔 质量问题也不退换")
    assert "STD-003" not in rules_hit("非质量问题不支持换货")


@pytest.mark.parametrize(
    "text,rule",
    [
        ("本活动最终解释权归本店所有", "STD-001"),
        ("商品一经售出概不退换", "STD-002"),
        ("会员卡余额不退不转", "STD-002"),
        ("寄存物品丢失本店概不负责", "STD-005"),
        ("本店有权单方变更套餐内容", "STD-006"),
        ("价格标示错误 本店有权取消订单", "STD-007"),
        ("婚宴定金不退", "STD-008"),
    ],
)
def test_unfair_standard_terms_are_flagged(text, rule):
    assert rule in rules_hit(text)


def test_a_deposit_is_only_a_review_signal_and_lawful_with_double_return():
    hits = [h for h in scan("婚宴定金不退").hits if h.rule == "STD-008"]
    assert hits and hits[0].severity == Severity.REVIEW
    assert "STD-008" not in rules_hit("定金不退，因商家原因无法履约的双倍返还定金")


# --------------------------------------------------------------------------- evasion and where the words sit


@pytest.mark.parametrize(
    "text,category",
    [
        ("報名即保證通過 不過退費", "education_guarantee"),
        ("最終解釋權歸本店所有", "standard_terms"),
        ("抽獎一等獎 現金10萬元", "prize_sales"),
        ("原價1299元 現價299元", "price_fraud"),
    ],
)
def test_traditional_characters_are_read_through_the_normaliser(text, category):
    assert category in cats(text)


def test_counterfeit_words_in_an_image_alt_or_title_are_found_there():
    from wangjian.monitoring.extract import extract, scan_hits

    page = extract(
        "<html><body><p>新款女包 正品保障</p>"
        '<img src="/p1.jpg" alt="1:1复刻 路易威登老花包">'
        '<img src="/p2.jpg" title="超A货 劳力士绿水鬼"></body></html>'
    )
    sources = {h["source"] for h in scan_hits(default_engine(), page) if h["category"] == "counterfeit"}
    assert sources == {"img_alt", "img_title"}


def test_the_new_patterns_finish_within_the_limits_on_a_long_page():
    page = (
        "原价999元 现价99元 仅限今天！抽奖一等奖现金10万元 第一，最大，唯一首选。不支持七天无理由退货 " * 80
    )
    result = default_engine().scan(page)
    assert result.regex_problems == []
    assert {"price_fraud", "prize_sales", "absolute_terms", "standard_terms"} <= result.categories
