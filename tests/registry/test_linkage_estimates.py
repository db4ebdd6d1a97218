"""Match weights learned from the bureau's own data: stored with their date and data, used for matching,
refined by officers' decisions, with thresholds the office sets by target precision."""

from __future__ import annotations

import random

import pytest
from django.urls import reverse

from tests.registry.conftest import csv_bytes
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.registry import linkage_selectors, services
from wangjian.registry.choices import MatchOutcome, ReviewDecision
from wangjian.registry.linkage_models import LinkageEstimate
from wangjian.registry.models import MarketEntity, MatchDecision, MatchResult, Platform
from wangjian.registry.uscc import complete

pytestmark = pytest.mark.django_db

TRADES = ["商贸", "百货", "茶叶", "电器", "建材", "服装", "五金", "食品"]
CHARS = "宏达兴隆盛华鑫源泰丰顺安康瑞祥福禄寿喜金银玉宝恒通利民新建国强伟明光辉晨阳春秋云海天山水林森"


def _data(n_entities=240, n_sellers=160, seed=5):
    rng = random.Random(seed)
    entities, names = [], set()
    while len(entities) < n_entities:
        name = f"旌德县{rng.choice(CHARS)}{rng.choice(CHARS)}{rng.choice(TRADES)}有限公司"
        if name in names:
            continue
        names.add(name)
        k = len(entities)
        code = complete(f"91341825MA{k:07d}")
        phone = f"138{k:04d}{rng.randint(1000, 9999)}"
        entities.append([code, name, f"旌德县旌阳镇文化路{k}号", phone, "存续"])
    sellers = []
    for i in range(n_sellers):
        if rng.random() < 0.15:
            sellers.append(
                [f"U{i}", f"无名小店{i}", f"外地{rng.choice(CHARS)}{rng.choice(CHARS)}小卖部", "", "", ""]
            )
            continue
        code, name, address, phone, _ = rng.choice(entities)
        r = rng.random()
        core = name[3:-4]
        if r < 0.5:
            sellers.append([f"S{i}", core + "旗舰店", name, code, "", ""])
        elif r < 0.75:
            sellers.append([f"S{i}", core + "店", name.replace("有限公司", "有限责任公司"), "", "", phone])
        else:
            sellers.append([f"S{i}", core + "专营店", name[3:], "", address, ""])
    return entities, sellers


@pytest.fixture
def data(demo, write):
    entities, sellers = _data()
    services.registry_import(
        bureau=demo.county,
        path=write(
            "r.csv", csv_bytes(["统一社会信用代码", "名称", "住所", "联系电话", "登记状态"], entities)
        ),
        user=demo.users["office"],
    )
    platform, _ = services.platform_get_or_create(bureau=demo.county, name="某宝")
    services.sellers_import(
        bureau=demo.county,
        platform=platform,
        path=write(
            "s.csv",
            csv_bytes(["店铺ID", "店铺名称", "主体名称", "统一社会信用代码", "地址", "电话"], sellers),
        ),
    )
    return platform


def test_an_estimate_is_stored_with_its_date_its_data_and_the_thresholds_it_chose(demo, data):
    est = services.linkage_estimate(bureau=demo.county, user=demo.users["office"])
    assert (est.entities, est.sellers, est.active) == (240, 160, True)
    assert est.pairs > 0 and est.created_by == demo.users["office"] and est.created_at
    assert 0.5 <= est.auto_threshold <= 1 and est.review_threshold <= est.auto_threshold
    assert est.expected["auto_precision"] >= 0.995 or est.expected["auto_links"] == 0
    rows = {row["field"]: row for row in linkage_selectors_table(est)}
    # learned, not set by hand: agreeing on the code weighs for a match, another valid code against it
    code = {lv["level"]: lv["weight"] for lv in rows["code"]["levels"]}
    assert code["exact"] > 5 and code["other_valid"] < 0
    second = services.linkage_estimate(bureau=demo.county, user=demo.users["office"])
    est.refresh_from_db()
    assert not est.active and second.active  # the newest is the one in use; the older one is kept


def linkage_selectors_table(est):
    from wangjian.registry import linkage

    return linkage.Model.from_dict(est.params).table()


def test_matching_uses_the_bureaus_estimate_once_there_is_one(demo, data):
    est = services.linkage_estimate(bureau=demo.county, user=demo.users["office"])
    summary = services.sellers_match(bureau=demo.county)
    assert summary.total == 160
    # decisions follow the estimate's thresholds on the probability
    for r in MatchResult.objects.all():
        if r.outcome == MatchOutcome.AUTO:
            assert r.confidence >= est.auto_threshold
        elif r.outcome == MatchOutcome.REVIEW:
            assert est.review_threshold <= r.confidence < est.auto_threshold
    linked = MatchResult.objects.filter(outcome=MatchOutcome.AUTO).select_related("entity", "seller")
    found = MatchResult.objects.exclude(outcome=MatchOutcome.NONE).select_related("entity", "seller")
    assert linked.count() >= 90 and found.count() >= 125  # of the 136 sellers with an entity
    wrong = [r for r in linked if r.seller.claimed_uscc and r.seller.claimed_uscc != r.entity.uscc]
    assert not wrong
    unregistered = MatchResult.objects.filter(seller__seller_id__startswith="U")
    assert all(r.outcome != MatchOutcome.AUTO for r in unregistered)
    some = linked.first()
    assert 0 < some.confidence <= 1 and some.candidates[0]["score"] == pytest.approx(
        some.confidence, abs=1e-3
    )


def test_officers_decisions_change_the_estimates(demo, data):
    before = services.linkage_estimate(bureau=demo.county, user=demo.users["office"])
    # Officers confirm twenty sellers quoting another valid entity's code as being the entity named.
    others = list(MarketEntity.objects.order_by("id")[:40])
    for i in range(20):
        MatchDecision.objects.create(
            bureau=demo.county,
            platform=data,
            seller_id=f"S{i}",
            entity=others[i],
            decision=ReviewDecision.ACCEPT,
        )
    after = services.linkage_estimate(bureau=demo.county, user=demo.users["office"])
    assert after.labelled > before.labelled
    assert after.params["m"] != before.params["m"]


def test_thresholds_by_target_precision_are_previewed_before_they_are_saved(demo, data):
    est = services.linkage_estimate(bureau=demo.county, user=demo.users["office"])
    loose, expected_loose = services.linkage_thresholds_preview(
        estimate=est, target_precision=0.9, review_precision=0.5
    )
    strict, expected_strict = services.linkage_thresholds_preview(
        estimate=est, target_precision=0.999, review_precision=0.5
    )
    assert strict.auto >= loose.auto and expected_strict["auto_links"] <= expected_loose["auto_links"]
    est = services.linkage_thresholds_save(
        estimate=est, user=demo.users["office"], target_precision=0.999, review_precision=0.5
    )
    assert (est.target_precision, est.auto_threshold) == (0.999, strict.auto)
    with pytest.raises(ValidationFailed, match="目标精确率"):
        services.linkage_thresholds_preview(estimate=est, target_precision=1.0, review_precision=0.5)


def test_only_the_office_and_department_heads_tune_the_weights(demo, data):
    with pytest.raises(PermissionDeniedError):
        services.linkage_estimate(bureau=demo.county, user=demo.users["ad_officer"])
    assert not linkage_selectors.can_tune(demo.users["auditor"], demo.county)
    assert LinkageEstimate.objects.count() == 0


def test_the_estimates_page_shows_the_weights_and_previews_thresholds(demo, data, login):
    est = services.linkage_estimate(bureau=demo.county, user=demo.users["office"])
    client = login(demo.users["office"])
    html = client.get(reverse("registry:linkage", args=[est.pk])).content.decode()
    assert "统一社会信用代码" in html and "代码一致" in html and "linkage-weights" in html
    # the share of sellers registered here, read from the prior (share / entities): what "none" weighs against
    share = est.params["prior"] * est.entities
    assert 0.05 < share < 1 and f"约 {round(100 * share)}% 在本局有登记主体" in html
    preview = client.get(
        reverse("registry:linkage", args=[est.pk]), {"target_precision": "0.99", "review_precision": "0.8"}
    ).content.decode()
    assert "预期自动关联" in preview
    response = client.post(
        reverse("registry:linkage", args=[est.pk]), {"target_precision": "0.99", "review_precision": "0.8"}
    )
    assert response.status_code == 302
    est.refresh_from_db()
    assert est.target_precision == 0.99
    officer = login(demo.users["ad_officer"])
    assert (
        officer.post(reverse("registry:linkage", args=[est.pk]), {"target_precision": "0.9"}).status_code
        == 403
    )
    assert Platform.objects.count() == 1


def test_the_command_line_estimates_and_says_what_to_expect(demo, data):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("match", "estimate", "--bureau", "341825", "--target-precision", "0.99", stdout=out)
    est = LinkageEstimate.objects.get()
    assert est.target_precision == 0.99 and est.created_by is None
    assert "自动关联阈值" in out.getvalue() and "auto threshold" in out.getvalue()


def test_a_seller_list_with_an_unknown_exemption_or_a_negative_sales_figure_keeps_the_row_rejected(
    demo, write
):
    platform, _ = services.platform_get_or_create(bureau=demo.county, name="某宝")
    rows = [
        ["A1", "甲店", "甲", "送货上门", ""],
        ["A2", "乙店", "乙", "", "-5"],
        ["A3", "丙店", "丙", "零星小额", "8,000元"],
    ]
    batch = services.sellers_import(
        bureau=demo.county,
        platform=platform,
        path=write("s.csv", csv_bytes(["店铺ID", "店铺名称", "主体名称", "免于登记情形", "年交易额"], rows)),
    )
    reasons = {r.row_number: r.reason for r in batch.rejected_rows.all()}
    assert "无法识别的免于登记情形" in reasons[2] and "unknown exemption" in reasons[2]
    assert "年交易额应为非负金额" in reasons[3]
    from wangjian.registry.models import SellerReport

    kept = SellerReport.objects.get(seller_id="A3")
    assert (kept.exemption, str(kept.yearly_sales)) == ("small", "8000.00")
