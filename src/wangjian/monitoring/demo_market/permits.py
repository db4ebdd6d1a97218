"""The demo market's permit cases (亮证) and the permit data of its licensing departments, with the truth.

Shops of the regulated kinds are added after the market's other shops (their numbers continue):
food shops with a valid 食品经营许可证, a malformed one, an expired one, another's, one not in the
data, a shop of pre-packaged food with its filing and one with only its statement, a bulk-food shop
showing nothing; a drug shop without its licence, a drug site with licence and information
certificate, one whose licence was issued elsewhere; device shops of class I, II (filed) and III
(showing only a class II filing), one whose class cannot be told; a food trading platform with its
filing. The market's earlier shops keep their pages; their permit truth follows their goods (food
themes: whether only pre-packaged food is sold cannot be told; pharmacies: no licence shown).

The permit data (``permit_records``) is what ``wangjian demo`` imports through the registry's import
(``monitoring.demo``), with one malformed row that the import must reject and keep; the validity dates
are relative to the day of use, so the truth holds on any day.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from html import escape

from django.utils import translation

from wangjian.registry import permits as numbers
from wangjian.registry.choices import PermitKind, PermitStatus
from wangjian.registry.uscc import complete

F, D, DI, DV, PF = "food_permit", "drug_permit", "drug_info", "device_permit", "platform_filing"

# The permit truth of the market's earlier shops, by theme (their pages show no permit).
THEME_PERMITS: dict[str, dict[str, str]] = {
    "lingzhi": {F: "kind_uncertain"},
    "tea": {F: "kind_uncertain"},
    "produce": {F: "kind_uncertain"},
    "health": {F: "kind_uncertain"},
    "pharmacy": {D: "not_shown"},
}


@dataclass(frozen=True)
class PermitShop:
    """A shop of the permit cases: its 字号 and form, goods, the permit block it shows, and the truth."""

    key: str
    word: str
    form: str
    products: tuple[str, ...]
    lines: tuple[str, ...]  # the permit block's lines; "{name}" is the shop's registered name
    truth: dict[str, str] = field(default_factory=dict)
    independent: bool = False  # a site of its own (/site/<key>/) rather than a platform shop
    individual: bool = True  # 个体工商户 (92…) or enterprise (91…)


PERMIT_SHOPS: tuple[PermitShop, ...] = (
    PermitShop(
        "gaodian",
        "汪记",
        "糕点店",
        ("手工绿豆糕（散装称重）", "现做桂花糕", "芝麻酥饼"),
        ("食品经营许可证：JY13418250000127", "经营者名称：{name}"),
        {F: "permit_ok"},
    ),
    PermitShop(
        "fengmi",
        "百花",
        "蜂蜜坊",
        ("散装土蜂蜜（称重）", "百花蜜", "槐花蜜"),
        ("食品经营许可证：JY1341825000031", "经营者名称：{name}"),
        {F: "invalid_format"},
    ),
    PermitShop(
        "jianguo",
        "林间",
        "坚果店",
        ("坚果礼盒（预包装）", "袋装笋干", "罐装山核桃仁"),
        ("本店仅销售预包装食品", "仅销售预包装食品备案编号：YB23418250000451", "经营者名称：{name}"),
        {F: "filing_suffices"},
    ),
    PermitShop(
        "hetao",
        "山里人",
        "特产店",
        ("罐装山核桃", "礼盒装绿茶", "袋装板栗仁"),
        ("本店仅销售预包装食品，已向旌德县市场监督管理局办理备案。",),
        {F: "filing_suffices"},
    ),
    PermitShop(
        "luwei",
        "老街",
        "卤味店",
        ("现做卤味拼盘", "散装腊肉（称重）", "卤鸭脖"),
        (),
        {F: "not_shown"},
    ),
    PermitShop(
        "yuebing",
        "程记",
        "饼屋",
        ("手工月饼（散装）", "现烤酥饼", "桃酥"),
        ("食品经营许可证：JY13418250000215", "经营者名称：{name}"),
        {F: "lapsed"},
    ),
    PermitShop(
        "chagan",
        "方氏",
        "豆制品店",
        ("五香茶干（散装称重）", "现做豆腐乳", "手工腐竹"),
        ("食品经营许可证：JY13418250000336", "经营者名称：{name}"),
        {F: "holder_mismatch"},
    ),
    PermitShop(
        "mifen",
        "吕家",
        "米粉店",
        ("现做米粉", "散装米糕（称重）", "手工汤圆"),
        ("食品经营许可证：JY13418250000999", "经营者名称：{name}"),
        {F: "not_in_data"},
    ),
    PermitShop(
        "yaodian",
        "康民",
        "药店",
        ("布洛芬缓释胶囊", "板蓝根颗粒", "复方感冒灵颗粒"),
        (),
        {D: "not_shown"},
    ),
    PermitShop(
        "yaofang",
        "旌德百姓",
        "大药房有限公司",
        ("对乙酰氨基酚片", "维生素C片", "布洛芬混悬液"),
        (
            "药品经营许可证：皖DA5630012",
            "互联网药品信息服务资格证书：（皖）-非经营性-2021-0015",
            "企业名称：{name}",
        ),
        {D: "permit_ok", DI: "permit_ok"},
        independent=True,
        individual=False,
    ),
    PermitShop(
        "xueya",
        "安康",
        "医疗器械商行",
        ("电子血压计（皖械注准20222070123）", "家用制氧机（皖械注准20232080456）"),
        ("第二类医疗器械经营备案凭证：皖宣药监械经营备20230008号", "经营者名称：{name}"),
        {DV: "permit_ok"},
    ),
    PermitShop(
        "yanjing",
        "明眸",
        "眼镜店",
        ("日抛隐形眼镜（国械注准20193160001）", "隐形眼镜护理液"),
        ("第二类医疗器械经营备案凭证：皖宣药监械经营备20230019号", "经营者名称：{name}"),
        {DV: "not_shown"},
    ),
    PermitShop(
        "lengfu",
        "清凉",
        "日用品店",
        ("医用冷敷贴（皖宣械备20200012号）", "医用退热贴（皖宣械备20210003号）"),
        (),
        {DV: "not_required"},
    ),
    PermitShop(
        "liliao",
        "舒心",
        "保健器材店",
        ("家用理疗仪", "颈部按摩器", "艾灸盒"),
        (),
        {DV: "kind_uncertain"},
    ),
    PermitShop(
        "nongpin",
        "旌德农品汇",
        "电子商务有限公司",
        ("入驻商家：汪记糕点店", "入驻商家：林间坚果店", "入驻商家：山里人特产店"),
        ("旌德农品汇 · 网络食品交易第三方平台", "网络食品交易第三方平台备案号：皖网食备34000012"),
        {PF: "permit_ok"},
        independent=True,
        individual=False,
    ),
    PermitShop(
        "lianhua",
        "沪皖",
        "药店",
        ("布洛芬混悬液", "板蓝根颗粒"),
        ("药品经营许可证：沪DA0210023", "经营者名称：{name}"),
        {D: "format_ok"},
    ),
)

# Another entity of the county: the holder the permit data names for the 方氏 shop's number.
OTHER_HOLDER = ("92341825MA2P09999", "旌德县旌阳镇福记食品厂")


@dataclass(frozen=True)
class PermitRecord:
    """A row of the demo permit data: ``holder`` is a shop key (its entity) or "other" (``OTHER_HOLDER``)."""

    kind: str
    number: str
    holder: str
    status: str = PermitStatus.VALID
    from_days: int = -400  # valid from this many days after the day of use (negative: before)
    to_days: int = 1400


PERMIT_RECORDS: tuple[PermitRecord, ...] = (
    PermitRecord(PermitKind.FOOD_LICENCE, "JY13418250000127", "gaodian"),
    PermitRecord(PermitKind.FOOD_FILING, "YB23418250000451", "jianguo"),
    PermitRecord(PermitKind.FOOD_LICENCE, "JY13418250000215", "yuebing", from_days=-2200, to_days=-374),
    PermitRecord(PermitKind.FOOD_LICENCE, "JY13418250000336", "other"),
    PermitRecord(PermitKind.FOOD_LICENCE, "JY23418250000442", "other", status=PermitStatus.REVOKED),
    PermitRecord(PermitKind.DRUG_LICENCE, "皖DA5630012", "yaofang"),
    PermitRecord(PermitKind.DRUG_INFO, "（皖）-非经营性-2021-0015", "yaofang"),
    PermitRecord(PermitKind.DEVICE_FILING, "皖宣药监械经营备20230008号", "xueya"),
    PermitRecord(PermitKind.DEVICE_FILING, "皖宣药监械经营备20230019号", "yanjing"),
    PermitRecord(PermitKind.PLATFORM_FILING, "皖网食备34000012", "nongpin"),
)
# A row the import must refuse and keep (a number one digit short): the demo shows a rejected row.
REJECTED_ROW = ("食品经营许可证", "JY134182500001", "旌德县某某食品店", "", "", "有效")


def permit_shop_parts(*, first_shop: int, first_listing: int, town: tuple[str, str], county: str):
    """The permit shops as the market's rows: (key, entity fields, shop fields, listing fields) each,
    and last the other holder (no shop). Numbered from ``first_shop`` and ``first_listing``."""
    town_name, town_code = town
    parts = []
    shop_no, listing_no = first_shop, first_listing
    for n, spec in enumerate(PERMIT_SHOPS, start=1):
        shop_id = f"S{shop_no:02d}"
        shop_no += 1
        name = f"{county}{town_name if spec.individual else ''}{spec.word}{spec.form}"
        uscc = complete(f"{'92' if spec.individual else '91'}341825MA2P{n:05d}")
        entity = dict(
            uscc=uscc,
            name=name,
            kind="individual" if spec.individual else "enterprise",
            legal_rep="汪建国",
            phone="0563-8020000",
            address=f"安徽省宣城市{county}{town_name}{n}号",
            region_code=town_code,
        )
        path = f"/site/{spec.key}/" if spec.independent else f"/shop/{shop_id}/"
        shop_name = f"{spec.word}{spec.form if spec.individual else '官方网站'}"
        items = []
        for j, product in enumerate(spec.products, start=1):
            lid = f"L{listing_no:04d}"
            listing_no += 1
            desc = f"{product}，{county}{town_name}发货，规格见详情。"
            items.append(
                dict(
                    listing_id=lid,
                    shop_id=shop_id,
                    title=f"{shop_name} {product}",
                    description=desc,
                    price=f"{10 * j + 8}.00",
                    path=f"{path}item/{lid}.html",
                    categories=[],
                    phrases=[],
                    img_alt=f"{product}实拍图",
                    jsonld_description=desc,
                )
            )
        shop = dict(
            shop_id=shop_id,
            shop_name=shop_name,
            theme=spec.key,
            path=path,
            platform="" if spec.independent else "旌德优选",
            town=town_name,
            region_code=town_code,
            licence_verdict="shown_ok",
            licence_display="text",
            shown_uscc=uscc,
            shown_name=name,
            entity_uscc=uscc,
            encoding="utf-8",
            js=False,
            listing_ids=[item["listing_id"] for item in items],
            permits=dict(spec.truth),
            permit_lines=[line.format(name=name) for line in spec.lines],
        )
        parts.append((spec.key, entity, shop, items))
    other = dict(
        uscc=complete(OTHER_HOLDER[0]),
        name=OTHER_HOLDER[1],
        kind="individual",
        legal_rep="方国庆",
        phone="0563-8020001",
        address=f"安徽省宣城市{county}{town_name}99号",
        region_code=town_code,
    )
    parts.append(("other", other, None, []))
    return parts


def permit_record_rows(holders: dict) -> list[dict]:
    """The demo permit data with its holders' names and codes (``Market.permit_records``)."""
    return [
        {
            "kind": str(r.kind),
            "number": r.number,
            "holder_name": holders[r.holder].name,
            "holder_uscc": holders[r.holder].uscc,
            "status": str(r.status),
            "from_days": r.from_days,
            "to_days": r.to_days,
        }
        for r in PERMIT_RECORDS
    ]


def permit_block(shop) -> str:
    """The shop's permit block (经营资质), as static HTML ("" when it shows none)."""
    if not shop.permit_lines:
        return ""
    rows = "".join(f"<p>{escape(line)}</p>" for line in shop.permit_lines)
    return f'<div class="permits"><h3>经营资质</h3>{rows}</div>'


def permit_facts(market, today: dt.date) -> list[numbers.PermitFacts]:
    """The demo permit data as facts, dated relative to ``today``."""
    out = []
    for r in market.permit_records:
        out.append(
            numbers.PermitFacts(
                kind=r["kind"],
                number=numbers.normalize(r["number"]),
                holder_name=r["holder_name"],
                holder_uscc=r["holder_uscc"],
                valid_from=today + dt.timedelta(days=r["from_days"]),
                valid_to=today + dt.timedelta(days=r["to_days"]),
                status=r["status"],
            )
        )
    return out


def permit_csv(market, today: dt.date) -> str:
    """The demo permit data as the licensing department's export (a CSV with Chinese headers)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["许可类型", "许可证编号", "经营者名称", "统一社会信用代码", "有效期至", "许可状态"])
    # The licensing system's Chinese words, whatever the language of the request that asked for them.
    with translation.override("zh-hans"):
        labels = {k: str(v) for k, v in PermitKind.choices}
        statuses = {k: str(v) for k, v in PermitStatus.choices}
    for f in permit_facts(market, today):
        writer.writerow(
            [
                labels[f.kind],
                f.number,
                f.holder_name,
                f.holder_uscc,
                f.valid_to.isoformat(),
                statuses[f.status],
            ]
        )
    writer.writerow(REJECTED_ROW)
    return out.getvalue()
