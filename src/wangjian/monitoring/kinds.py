"""The product kind a page is about, from approval numbers and regime words (国药准字, 械注准, 国食健注 …).

Some rules apply to some kinds only (疗效 is lawful for a drug, not for a food); the caller may give the
kind, else the engine infers it once per page from the signs below.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from wangjian.core import textnorm
from wangjian.monitoring.choices import ProductKind

# Before a service word, the goods' own claim that it is not needed: 不手术, 免手术, 无需手术, 告别手术,
# 避免手术, 拒绝开刀 …
_NOT_A_SERVICE = "不免无需须别代没非离绝用"

# Order matters: an approval number of a stricter regime wins (药品 before 保健食品 before 食品).
PRODUCT_KIND_SIGNS: list[tuple[str, str, str]] = [
    (
        ProductKind.DRUG,
        r"国药准字[hzsjbtf]?\d{8}|药品批准文号|(?<!非)处方药|国药证字|(?:甲类|乙类)\s*(?:otc|非处方药)|otc\s*(?:甲类|乙类)",
        "药品批准文号/处方药/甲类、乙类非处方药（OTC）标识",
    ),
    (
        ProductKind.MEDICAL_DEVICE,
        r"[国省京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川贵云陕甘青蒙桂藏宁新]?械(?:注准|注进|注许|备)\d{4,}|医疗器械注册证|医疗器械备案",
        "医疗器械注册证编号/备案号",
    ),
    (
        ProductKind.HEALTH_FOOD,
        r"国食健(?:注|字)?g?\d{4,}|国食健字|卫食健字|食健备g?\d{4,}|保健食品批准|蓝帽子?标志|保健食品",
        "保健食品批准文号/备案号",
    ),
    (
        ProductKind.COSMETICS,
        r"国妆特字|国妆特进字|国妆备进|国妆网备进字|妆网备字|[\u4e00-\u9fff]g?妆备\d{4,}|化妆品",
        "化妆品注册/备案编号",
    ),
    (
        # 医疗机构的服务（《医疗广告管理办法》）：诊疗本身合法，宣称治疗疾病不是《广告法》第十七条之违法，
        # 违法的是疗效、治愈率的断言与保证（第十六条）。手术、植发等只能由医疗机构提供；前面是“不、免、
        # 无需、告别、避免、拒绝”的（商品宣称“不手术”）不算。
        ProductKind.MEDICAL_SERVICE,
        r"医疗机构执业许可|医疗广告审查|医广[【\[(（]?(?:审|文)|医疗美容(?:医院|诊所|门诊|机构|科)|医美(?:医院|诊所|机构)"
        r"|(?:整形|口腔|眼科|男科|妇科|专科|不孕不育|肛肠|皮肤病|中医)(?:医院|诊所|门诊)|门诊部|坐诊|挂号"
        rf"|(?<![{_NOT_A_SERVICE}])(?:手术|植发|种植牙|种牙|全飞秒|半飞秒|icl晶体|晶体植入|吸脂|抽脂|割双眼皮|隆鼻|隆胸"
        r"|热玛吉|超声炮|无痛人流)",
        "医疗机构执业许可、医疗广告审查证明，或手术、植发等只能由医疗机构提供的诊疗项目",
    ),
    (ProductKind.FOOD, r"sc\d{14}|食品生产许可证|食品经营许可证", "食品生产许可证编号"),
    (ProductKind.FINANCE, r"年化收益|理财产品|投资回报|收益率|私募|基金定投", "投资理财用语"),
    (ProductKind.EDUCATION, r"培训班|辅导班|考前培训|网课|学历提升|考证培训|题库|培训课程", "教育培训用语"),
]
# Words one of which every sign of the kind contains: a page without any of them is not searched for
# that kind (``in`` is a fast scan; a pattern beginning with a class tries every position).
_GUARDS: dict[str, tuple[str, ...]] = {
    ProductKind.DRUG: ("国药", "药品批准", "处方药", "otc"),
    ProductKind.MEDICAL_DEVICE: ("械注", "械备", "器械"),
    ProductKind.HEALTH_FOOD: ("食健", "保健食品", "蓝帽"),
    ProductKind.COSMETICS: ("国妆", "妆备", "妆网", "化妆品"),
    ProductKind.MEDICAL_SERVICE: (
        "医",
        "诊",
        "挂号",
        "术",
        "植",
        "种牙",
        "飞秒",
        "icl",
        "吸脂",
        "抽脂",
        "双眼皮",
        "隆",
        "热玛吉",
        "超声炮",
        "人流",
    ),
    ProductKind.FOOD: ("sc", "食品生产许可", "食品经营许可"),
    ProductKind.FINANCE: ("收益", "理财", "投资", "私募", "基金"),
    ProductKind.EDUCATION: ("培训", "辅导班", "网课", "学历提升", "题库"),
}
_KIND_RES = [(k, re.compile(p), why, _GUARDS[k]) for k, p, why in PRODUCT_KIND_SIGNS]


@dataclass
class KindInference:
    kind: str
    inferred: bool
    evidence: str = ""
    reason: str = ""


def infer_product_kind(
    text: str, *, normalized: bool = False, possible: Sequence[bool] | None = None
) -> KindInference:
    """The product kind a page is about, from approval numbers and regime words (国药准字, 械注准, 国食健注 …).

    ``possible``: for each sign of ``PRODUCT_KIND_SIGNS``, in order, whether it may match this text at all —
    the engine's page index answers that for every sign in the Hyperscan pass it makes anyway
    (``prefilter.PageIndex.anywhere``). A sign it rules out cannot match, so it is not searched: the signs
    that are searched are searched as without it, in the same order, and give the same kind and evidence.
    """
    t = text if normalized else textnorm.normalize(text).text
    for i, (kind, rx, why, guards) in enumerate(_KIND_RES):
        if possible is not None and not possible[i]:
            continue
        if not any(g in t for g in guards):
            continue
        m = rx.search(t)
        if m:
            return KindInference(str(kind), True, m.group(0), why)
    return KindInference(str(ProductKind.GENERAL), True, "", "未发现特定商品类型标志，按普通商品")


# A platform's category of goods (类目, as a platform reports it with each listing) → the product kind the rules read.
# The more specific words first: 保健食品 before 食品, 医疗器械 before 医药 (医药保健/保健食品 is a health food),
# 医疗美容 before 美妆. A category none of these names leaves the kind to be inferred from the listing's text.
_CATEGORY_KINDS: list[tuple[str, tuple[str, ...]]] = [
    (ProductKind.HEALTH_FOOD, ("保健食品", "保健品", "膳食营养补充", "营养保健", "蓝帽")),
    (ProductKind.MEDICAL_DEVICE, ("医疗器械", "医疗器材", "医用耗材", "家用医疗")),
    (
        ProductKind.DRUG,
        ("处方药", "非处方药", "otc", "药品", "中西药", "医药", "中成药", "西药", "药房", "药店"),
    ),
    (ProductKind.MEDICAL_SERVICE, ("医疗服务", "医疗美容", "医美", "诊所", "体检", "整形")),
    (ProductKind.COSMETICS, ("化妆品", "美妆", "护肤", "彩妆", "洗护", "香水")),
    (
        ProductKind.FOOD,
        ("食品", "零食", "生鲜", "饮料", "酒水", "酒类", "茶叶", "粮油", "乳品", "冲饮", "水果"),
    ),
    (ProductKind.EDUCATION, ("教育", "培训", "课程", "网课", "考试", "学历", "职业技能", "留学")),
    (ProductKind.FINANCE, ("理财", "金融", "基金", "保险", "贷款", "投资", "证券", "收藏品投资")),
    (ProductKind.REAL_ESTATE, ("房产", "房地产", "楼盘", "新房", "二手房", "商铺", "公寓")),
]


def kind_of_category(category: str) -> str | None:
    """The product kind of a platform's category of goods (``"药品/中西药品"`` → drug); a ``ProductKind`` value or
    label as well (``"food"``, ``"食品"``); None when the category names none of them (the kind is then
    inferred from the text)."""
    c = textnorm.normalize(category or "").text.strip()
    if not c:
        return None
    for kind in ProductKind:
        if c == kind.value or c == str(kind.label):
            return str(kind)
    for kind, words in _CATEGORY_KINDS:
        if any(w in c for w in words):
            return str(kind)
    return None
