"""The demo online market of 旌德县 and its ground truth, generated deterministically.

Thirty-odd shops on a local platform (旌德优选) and a few independent shop sites sell the
county's goods (灵芝, 天山真香茶, 板栗, 宣砚, 家电, 服饰, 培训, 理财 …). Their home pages
display the business licence correctly, with a bad check character, with another
entity's code or another name, with a code that is not registered, not at all, or with
the art. 10 exemption statement; some are served in GBK (declared in the header, only in
``<meta>``, or not at all) and some render their text with JavaScript only. Listings are
clean, clean-but-tempting (最佳赏味期, 一级能效, 第一次), or violating — some evasively
(spaces, symbols, traditional characters, pinyin, homophones) and some only in an image's
alt text or the JSON-LD product data.

``build_market()`` returns the ``Market``: its shops, listings, registry rows and the truth
(which shop has which licence verdict, which listing violates which category) as data,
so tests and the demo sweep can check themselves against it.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import asdict, dataclass, field

from wangjian.monitoring.demo_market import permits as permit_demo
from wangjian.registry import uscc as uscc_mod
from wangjian.registry.permits import MemoryPermitLookup

COUNTY = "旌德县"
COUNTY_CODE = "341825"
TOWNS = [
    ("旌阳镇", "341825100"),
    ("蔡家桥镇", "341825101"),
    ("三溪镇", "341825102"),
    ("庙首镇", "341825103"),
    ("白地镇", "341825104"),
    ("俞村镇", "341825105"),
    ("兴隆镇", "341825106"),
    ("版书镇", "341825107"),
    ("云乐镇", "341825200"),
]
SURNAMES = "汪江吕方程胡刘张王李陈周吴徐孙朱"
GIVEN = [
    "建国",
    "秀英",
    "志强",
    "丽华",
    "海涛",
    "桂兰",
    "文斌",
    "春梅",
    "国庆",
    "玉珍",
    "明",
    "芳",
    "军",
    "敏",
]

# theme → (字号 words, legal form, product kind, products, categories its violators use)
THEMES = {
    "lingzhi": (
        ["灵芝堂", "仙草坊", "芝源"],
        "商贸有限公司",
        "food",
        ["灵芝切片", "灵芝孢子粉", "灵芝茶"],
        ["medical_claim", "efficacy_guarantee", "absolute_terms"],
    ),
    "tea": (
        ["天山茶园", "真香茶业", "云乐茶庄"],
        "茶业有限公司",
        "food",
        ["天山真香茶", "黄山毛峰", "高山绿茶礼盒"],
        ["absolute_terms", "medical_claim", "fake_reviews"],
    ),
    "produce": (
        ["山珍", "板栗香", "笋乡"],
        "土特产经营部",
        "food",
        ["旌德板栗", "笋干", "土蜂蜜", "山核桃"],
        ["absolute_terms", "fake_reviews", "price_fraud"],
    ),
    "inkstone": (
        ["宣砚斋", "砚山", "墨韵"],
        "文化用品有限公司",
        "general",
        ["宣砚", "毛笔套装", "徽墨"],
        ["absolute_terms", "counterfeit", "price_fraud"],
    ),
    "appliance": (
        ["兴隆电器", "家电城", "惠民电器"],
        "电器商行",
        "general",
        ["变频空调", "双开门冰箱", "滚筒洗衣机"],
        ["absolute_terms", "price_fraud", "fake_reviews"],
    ),
    "fashion": (
        ["潮品", "名品汇", "衣橱"],
        "服饰店",
        "general",
        ["女士手提包", "运动鞋", "机械手表"],
        ["counterfeit", "absolute_terms", "fake_reviews"],
    ),
    "training": (
        ["学而优", "启航教育", "金榜"],
        "教育咨询有限公司",
        "education",
        ["教师资格证培训班", "会计考证网课", "驾校理论题库"],
        ["education_guarantee", "absolute_terms", "mlm"],
    ),
    "finance": (
        ["聚财", "鑫盛", "富源"],
        "投资咨询有限公司",
        "finance",
        ["稳健理财计划", "乡村振兴基金", "月息宝"],
        ["finance_promise", "mlm", "absolute_terms"],
    ),
    "health": (
        ["康寿", "百草", "养元"],
        "保健品经营部",
        "health_food",
        ["灵芝孢子粉胶囊", "蛋白粉", "鱼油软胶囊"],
        ["health_food_disclaimer", "medical_claim", "efficacy_guarantee"],
    ),
    "pharmacy": (
        ["济民", "仁和", "百姓"],
        "大药房有限公司",
        "drug",
        ["布洛芬缓释胶囊", "感冒灵颗粒", "维生素C片"],
        ["prescription_drug", "medical_claim", "absolute_terms"],
    ),
}

# A violating phrase per category, as a seller writes it plainly (terms of the default libraries).
VIOLATIONS = {
    "absolute_terms": ["全网最低价", "国家级工艺", "销量第一", "史上最强", "最正宗"],
    "medical_claim": ["治疗高血压", "降血糖降血脂", "根治失眠", "包治百病"],
    "efficacy_guarantee": ["百分百有效", "无效退款", "无任何副作用"],
    # 红星尔克: a look-alike of the famous mark 鸿星尔克 (CF-007)
    "counterfeit": ["高仿", "超A货", "一比一复刻", "原单尾货", "红星尔克"],
    "price_fraud": ["天天最后一天", "倒计时永不结束", "最后一天清仓甩卖"],
    "fake_reviews": ["好评返现", "五星好评返现5元", "晒图返现"],
    "finance_promise": ["保本保息", "稳赚不赔", "保本高收益"],
    "education_guarantee": ["保过", "不过退费", "包拿证"],
    "mlm": ["拉人头", "发展下线返利", "三级分销"],
    "prescription_drug": ["处方药无需处方直接发货", "无需处方，下单即发"],
    "health_food_disclaimer": ["保健食品 国食健注G20200317 增强免疫力"],
}
# Clean but tempting: what naive keyword lists flag and the law allows (SAMR 2023 guideline).
EXEMPT_PHRASES = [
    "最佳赏味期为开封后30天",
    "能效等级：一级能效",
    "第一次购买可领新人券",
    "2024年第一季度新品",
    "商标：天山®真香",
]
EVASIONS = ["spaces", "symbols", "traditional", "pinyin", "homophone"]

# Shop licence plan: how the home page shows (or fails to show) the licence, in this order.
# ":script": the licence block (or, for "missing", a notice) is written by a script into a page that also
# has static text, so only a rendered page shows what a buyer sees.
LICENCE_PLAN = (
    ["shown_ok"] * 13
    + ["shown_ok:link", "shown_ok:image", "shown_ok:brackets", "shown_ok:fullwidth", "shown_ok:script"]
    + ["invalid_code"] * 4
    + ["mismatch:name", "mismatch:code", "mismatch:name"]
    + ["unregistered"] * 3
    + ["missing"] * 3
    + ["missing:script"]
    + ["exempt"] * 3
)
ENCODINGS = ["utf-8", "utf-8", "gbk_header", "utf-8", "gbk_meta", "utf-8", "gbk_bare", "utf-8"]


@dataclass
class Entity:
    """A registered market entity of the demo registry (经济户口 row)."""

    uscc: str
    name: str
    kind: str
    legal_rep: str
    phone: str
    address: str
    region_code: str
    status: str = "existing"
    reg_date: str = "2019-05-20"


@dataclass
class Shop:
    shop_id: str
    shop_name: str
    theme: str
    path: str  # "/shop/S01/" on the platform, "/site/<slug>/" for an independent site
    platform: str  # "" for an independent site
    town: str
    region_code: str
    licence_verdict: str  # the truth: what the licence check must decide ("" when the shop is unreachable)
    # text, link, image, script (written by a script), none, none_script, exempt; image_unreadable (a picture
    # with no text), link_dead (a link whose page is gone)
    licence_display: str
    shown_uscc: str  # what the page shows ("" when nothing)
    shown_name: str
    entity_uscc: str  # the entity really behind the shop ("" when unregistered or exempt)
    encoding: str  # utf-8, gbk_header, gbk_meta, gbk_bare
    js: bool  # text appears only after JavaScript
    http_status: int = 200
    listing_ids: list[str] = field(default_factory=list)
    permits: dict[str, str] = field(default_factory=dict)  # the truth of 亮证: check kind → verdict
    permit_lines: list[str] = field(default_factory=list)  # the permit block the home page shows


@dataclass
class Listing:
    listing_id: str
    shop_id: str
    title: str
    description: str
    price: str
    path: str
    categories: list[str]  # the truth: categories this listing violates ([] when clean)
    phrases: list[str]  # the violating phrases as written on the page
    evasion: str = ""  # spaces, symbols, traditional, pinyin, homophone
    exempt_phrase: str = ""  # a clean-but-tempting phrase
    where: str = "body"  # body, img_alt, jsonld
    product_kind: str = "general"
    img_alt: str = ""
    jsonld_description: str = ""


@dataclass
class Market:
    shops: list[Shop]
    listings: list[Listing]
    entities: list[Entity]
    platform_name: str = "旌德优选"
    platform_entity: Entity | None = None
    permit_records: list[dict] = field(default_factory=list)  # the licensing data (demo_market.permits)

    @functools.cached_property
    def registry(self) -> dict[str, tuple[str, str]]:
        return {e.uscc: (e.name, e.status) for e in self.entities}

    def lookup(self, code: str) -> tuple[str, str] | None:
        """The ``lookup`` the licence check takes: the demo registry."""
        return self.registry.get(uscc_mod.normalize(code))

    def permit_lookup(self, today: dt.date):
        """The ``lookup`` the permit check takes: the demo permit data, dated relative to ``today``."""
        return MemoryPermitLookup(permit_demo.permit_facts(self, today))

    def shop(self, shop_id: str) -> Shop:
        return next(s for s in self.shops if s.shop_id == shop_id)

    def listing(self, listing_id: str) -> Listing:
        return next(item for item in self.listings if item.listing_id == listing_id)

    def shop_of_path(self, path: str) -> Shop | None:
        for s in self.shops:
            if path.startswith(s.path):
                return s
        return None

    def feed_rows(self, base_url: str = "") -> list[dict]:
        """The platform's listing feed (平台报送商品信息): listings of its shops."""
        base = base_url.rstrip("/")
        on_platform = {s.shop_id for s in self.shops if s.platform and s.http_status == 200}
        return [
            {
                "listing_id": item.listing_id,
                "shop_id": item.shop_id,
                "title": item.title,
                "description": item.description,
                "price": item.price,
                "url": base + item.path,
            }
            for item in self.listings
            if item.shop_id in on_platform
        ]

    def truth(self) -> dict:
        """The ground truth as JSON-able data."""
        return {
            "shops": {
                s.shop_id: {
                    "path": s.path,
                    "licence_verdict": s.licence_verdict,
                    "licence_display": s.licence_display,
                    "shown_uscc": s.shown_uscc,
                    "encoding": s.encoding,
                    "js": s.js,
                    "http_status": s.http_status,
                    "permits": s.permits,
                }
                for s in self.shops
            },
            "listings": {
                item.listing_id: {
                    "shop_id": item.shop_id,
                    "path": item.path,
                    "categories": item.categories,
                    "phrases": item.phrases,
                    "evasion": item.evasion,
                    "exempt_phrase": item.exempt_phrase,
                    "where": item.where,
                }
                for item in self.listings
            },
        }


# --------------------------------------------------------------------------- generation


def _code(rng: random.Random, kind_digits: str) -> str:
    body = "".join(rng.choice(uscc_mod.ALPHABET) for _ in range(9))
    return uscc_mod.complete(kind_digits + COUNTY_CODE + body)


def _bad_check(code: str) -> str:
    right = code[17]
    wrong = uscc_mod.ALPHABET[(uscc_mod.ALPHABET.index(right) + 7) % len(uscc_mod.ALPHABET)]
    return code[:17] + wrong


@functools.cache
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def _evade(phrase: str, how: str) -> str:
    """The phrase as an evasive seller writes it."""
    chars = list(phrase)
    if how == "spaces":
        return " ".join(chars)
    if how == "symbols":
        return "*".join(chars)
    if how == "traditional":
        return _s2t().convert(phrase)
    if how == "pinyin":
        from pypinyin import lazy_pinyin

        i = next((k for k, c in enumerate(chars) if "\u4e00" <= c <= "\u9fff"), 0)
        return "".join(chars[:i]) + lazy_pinyin(chars[i])[0] + "".join(chars[i + 1 :])
    if how == "homophone":
        return phrase.replace("最", "蕞", 1) if "最" in phrase else phrase.replace("保", "宝", 1)
    return phrase


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def build_market(seed: int = 7, shops_per_theme: int = 4, listings_per_shop: int = 6) -> Market:
    """The whole demo market; the same seed always gives the same market, byte for byte."""
    rng = random.Random(seed)
    shops: list[Shop] = []
    listings: list[Listing] = []
    entities: list[Entity] = []
    platform_entity = Entity(
        _code(rng, "91"),
        "旌德优选电子商务有限公司",
        "enterprise",
        _person(rng),
        "0563-8021000",
        f"安徽省宣城市{COUNTY}旌阳镇文化路1号",
        "341825100",
    )
    entities.append(platform_entity)
    themes = list(THEMES)
    n_shops = max(len(LICENCE_PLAN), len(themes) * shops_per_theme // 1)
    n_shops = min(n_shops, len(LICENCE_PLAN))
    plan = LICENCE_PLAN[:n_shops]
    rng.shuffle(plan)
    listing_no = 0
    for i, plan_item in enumerate(plan):
        verdict, _, variant = plan_item.partition(":")
        theme = themes[i % len(themes)]
        words, form, kind, products, cats = THEMES[theme]
        town, town_code = TOWNS[i % len(TOWNS)]
        word = words[(i // len(themes)) % len(words)]
        shop_id = f"S{i + 1:02d}"
        independent = i % 9 == 8
        path = f"/site/{theme}{i + 1:02d}/" if independent else f"/shop/{shop_id}/"
        individual = form.endswith(("经营部", "商行", "店"))
        name = f"{COUNTY}{town}{word}{form}" if individual else f"{COUNTY}{word}{form}"
        kind_digits = "92" if individual else "91"
        entity = Entity(
            _code(rng, kind_digits),
            name,
            "individual" if individual else "enterprise",
            _person(rng),
            f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}",
            f"安徽省宣城市{COUNTY}{town}{rng.randint(1, 99)}号",
            town_code,
            reg_date=f"20{rng.randint(10, 23)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        )
        shown_uscc, shown_name, entity_uscc, display = entity.uscc, name, entity.uscc, "text"
        if verdict == "shown_ok":
            entities.append(entity)
            if variant == "link":
                display = "link"
            elif variant == "image":
                display = "image"
            elif variant == "script":
                display = "script"
            elif variant == "brackets":
                entity.name = name = f"{COUNTY}{word}({town[:2]}){form}"
                shown_name = name.replace("(", "（").replace(")", "）")
            elif variant == "fullwidth":
                shown_uscc = shown_uscc.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        elif verdict == "invalid_code":
            entities.append(entity)
            shown_uscc = _bad_check(entity.uscc)
        elif verdict == "mismatch":
            entities.append(entity)
            if variant == "code":
                # The page shows the platform operator's code (copied from the platform's footer).
                shown_uscc = platform_entity.uscc
            else:
                shown_name = f"{COUNTY}{word}{'贸易有限公司' if not individual else '批发部'}"
        elif verdict == "unregistered":
            entity_uscc = ""
            shown_uscc = _code(rng, kind_digits)
        elif verdict == "missing":
            entities.append(entity)
            shown_uscc = shown_name = ""
            display = "none_script" if variant == "script" else "none"
        elif verdict == "exempt":
            entity_uscc = shown_uscc = ""
            shown_name = f"{_person(rng)}（个人）"
            display = "exempt"
        encoding = ENCODINGS[i % len(ENCODINGS)]
        shop = Shop(
            shop_id=shop_id,
            shop_name=f"{word}{'官方旗舰店' if not individual else '小店'}",
            theme=theme,
            path=path,
            platform="" if independent else "旌德优选",
            town=town,
            region_code=town_code,
            licence_verdict=verdict,
            licence_display=display,
            shown_uscc=shown_uscc,
            shown_name=shown_name,
            entity_uscc=entity_uscc,
            encoding=encoding,
            js=(i % 7 == 3 and encoding == "utf-8" and variant != "script"),
        )
        shops.append(shop)
        for j in range(listings_per_shop):
            listing_no += 1
            lid = f"L{listing_no:04d}"
            product = products[j % len(products)]
            roll = rng.random()
            categories, phrases, evasion, exempt, where = [], [], "", "", "body"
            desc = f"产自{COUNTY}{town}，{product}，规格{rng.choice(['250克', '500克', '1盒', '1件', '礼盒装'])}，产地直发，全国包邮。"
            img_alt = f"{product}实拍图"
            jsonld_desc = desc
            if roll < 0.42:
                category = cats[j % len(cats)] if rng.random() < 0.8 else rng.choice(cats)
                phrase = rng.choice(VIOLATIONS[category])
                if rng.random() < 0.35:
                    evasion = EVASIONS[listing_no % len(EVASIONS)]
                    if evasion == "homophone" and "最" not in phrase and "保" not in phrase:
                        evasion = "spaces"
                    evaded = _evade(phrase, evasion)
                    if evaded == phrase:  # nothing to change (e.g. no traditional form): use symbols
                        evasion, evaded = "symbols", _evade(phrase, "symbols")
                    phrase = evaded
                categories, phrases = [category], [phrase]
                where = "body" if rng.random() < 0.7 else rng.choice(["img_alt", "jsonld"])
                if where == "body":
                    desc = desc + phrase + "。"
                    jsonld_desc = desc
                elif where == "img_alt":
                    img_alt = f"{product} {phrase}"
                else:
                    jsonld_desc = desc + phrase + "。"
            elif roll < 0.62:
                exempt = EXEMPT_PHRASES[listing_no % len(EXEMPT_PHRASES)]
                desc = desc + exempt + "。"
                jsonld_desc = desc
            if kind == "health_food" and "health_food_disclaimer" not in categories:
                desc = desc + "本品不能代替药物。"
                jsonld_desc = jsonld_desc + "本品不能代替药物。"
            price = f"{rng.randint(9, 2999)}.00"
            item = Listing(
                listing_id=lid,
                shop_id=shop_id,
                title=f"{shop.shop_name} {product}",
                description=desc,
                price=price,
                path=f"{path}item/{lid}.html",
                categories=categories,
                phrases=phrases,
                evasion=evasion,
                exempt_phrase=exempt,
                where=where,
                product_kind=kind,
                img_alt=img_alt,
                jsonld_description=jsonld_desc,
            )
            listings.append(item)
            shop.listing_ids.append(lid)
    # Two presences that cannot be read: a closed shop and a broken server. Their fetches must fail.
    for k, status in ((len(shops) + 1, 404), (len(shops) + 2, 500)):
        shops.append(
            _plain_shop(
                k,
                f"{'已关闭' if status == 404 else '故障'}小店",
                "produce",
                *TOWNS[0],
                licence_verdict="",
                licence_display="none",
                entity_uscc="",
                http_status=status,
            )
        )
    # Two shops that show their licence in a lawful form no machine can read: only a picture the page calls
    # 营业执照, and only a link whose page is gone. The check has not seen what they show: "not checked"
    # (image_only, link_unread) for the officer to look at, never "missing". Theirs are the last draws.
    for k, (display, verdict, word, form) in enumerate(
        (
            ("image_unreadable", "image_only", "墨香", "文具店"),
            ("link_dead", "link_unread", "徽笔坊", "文化用品有限公司"),
        ),
        start=len(shops) + 1,
    ):
        town, town_code = TOWNS[k % len(TOWNS)]
        individual = form.endswith("店")
        name = f"{COUNTY}{town}{word}{form}" if individual else f"{COUNTY}{word}{form}"
        entity = Entity(
            _code(rng, "92" if individual else "91"),
            name,
            "individual" if individual else "enterprise",
            _person(rng),
            f"139{rng.randrange(10**7, 10**8)}",
            f"安徽省宣城市{COUNTY}{town}{rng.randint(1, 99)}号",
            town_code,
        )
        entities.append(entity)
        shops.append(
            _plain_shop(
                k,
                f"{word}{'小店' if individual else '官方旗舰店'}",
                "inkstone",
                town,
                town_code,
                licence_verdict=verdict,
                licence_display=display,
                entity_uscc=entity.uscc,
            )
        )
    for shop in shops:
        shop.permits = dict(permit_demo.THEME_PERMITS.get(shop.theme, {})) if shop.http_status == 200 else {}
    records = _add_permit_shops(shops, listings, entities)
    return Market(
        shops=shops,
        listings=listings,
        entities=entities,
        platform_entity=platform_entity,
        permit_records=records,
    )


def _plain_shop(k: int, shop_name: str, theme: str, town: str, town_code: str, **truth) -> Shop:
    """A platform shop added after the licence plan, with no listings and no licence text of its own."""
    return Shop(
        shop_id=f"S{k:02d}",
        shop_name=shop_name,
        theme=theme,
        path=f"/shop/S{k:02d}/",
        platform="旌德优选",
        town=town,
        region_code=town_code,
        shown_uscc="",
        shown_name="",
        encoding="utf-8",
        js=False,
        **truth,
    )


def _add_permit_shops(shops: list[Shop], listings: list[Listing], entities: list[Entity]) -> list[dict]:
    """The permit cases (``demo_market.permits``): shops numbered after the others, and the permit data."""
    holders: dict[str, Entity] = {}
    for key, entity, shop, items in permit_demo.permit_shop_parts(
        first_shop=len(shops) + 1, first_listing=len(listings) + 1, town=TOWNS[0], county=COUNTY
    ):
        holders[key] = Entity(**entity)
        entities.append(holders[key])
        if shop is not None:
            shops.append(Shop(**shop))
            listings += [Listing(**item) for item in items]
    return permit_demo.permit_record_rows(holders)


def as_dict(obj) -> dict:
    return asdict(obj)
