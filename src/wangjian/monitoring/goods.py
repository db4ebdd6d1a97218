"""What a shop sells, as far as its entry page says: the goods that decide which permit it must show (亮证).

A permit display check accuses only where the goods are known: food (a licence, or a filing when the
shop sells only pre-packaged food), drugs (a drug business licence), medical devices (nothing for
class I, a filing for class II, a licence for class III), a third-party food platform (a filing).
``goods_profile`` reads the entry page (its visible text, the listing titles it links, image alt
texts, JSON-LD) and says for each kind whether it is certain, only hinted at (``weak``: the check
then says "kind uncertain", never "not shown"), or absent — with the words it relied on, which the
verdict's reason quotes.

The word lists are ours, written from the regimes' own vocabulary (approval numbers, 国药准字,
械注准, SC numbers, 保健食品) and everyday product names; a bureau that finds a gap adds words here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Food: regime words and product names that are food whatever the shop (茶 not in 茶几/茶具 …).
FOOD = re.compile(
    # "食品" and "药品" as goods, not in the names of the regimes a platform's footer cites (网络食品交易第三方平台备案,
    # 互联网药品信息服务资格证书).
    r"(?<!网络)食品(?!药品|交易|安全|经营许可|生产许可|监督)|SC\d{14}|保质期|配料表?|净含量|"
    r"茶(?![几具杯盘壶桌艺馆室楼座垫道])|蜂蜜|蜂王浆|板栗|栗子|笋干|核桃|坚果|干果|瓜子|花生|红枣|枸杞|"
    r"零食|糕点|饼干|月饼|粽子|面包|蛋糕|绿豆糕|大米|面粉|挂面|粮油|食用油|菜籽油|茶油|调味品|酱油|食醋|"
    r"白酒|黄酒|米酒|葡萄酒|啤酒|饮料|果汁|矿泉水|牛奶|酸奶|奶粉|乳制品|腊肉|火腿|香肠|牛肉|猪肉|"
    r"鸡蛋|鸭蛋|鹅蛋|土鸡蛋|鲜蛋|水果|鲜果|瓜果|果蔬|蔬菜|时蔬|竹笋|春笋|冬笋|鲜笋|食用农产品|生鲜|海鲜|干货|蛋白粉|鱼油|保健食品|国食健|食健备|蓝帽|特殊医学用途配方食品|"
    r"婴幼儿配方|卤味|熟食|烘焙|"
    # Catering (餐饮服务): the dishes and the trade, a food business licence's JY2.
    r"堂食|餐饮|菜馆|饭店|餐馆|小吃|快餐|盒饭|面馆|馄饨|水饺|饺子|包子|烧饼|炒饭|盖浇饭|米线|米粉|酸辣粉|"
    r"家常菜|农家菜|土菜|川菜|湘菜|粤菜|徽菜|奶茶|卤菜"
)
# Herbs that are 中药材 (sold as 中药饮片 they are drugs) and on the 药食同源 lists (sold as food): which they are the
# page must say; beside them only general words (干货, 山货, 滋补) do not make the goods food.
HERBS = re.compile(r"黄芪|党参|西洋参|人参|当归|三七|天麻|石斛|灵芝|山药片|黄精|玉竹")
GENERAL_FOOD_WORDS = frozenset({"干货", "山货", "滋补", "食品"})
# Words that may be food, a drug or a herb (灵芝 is on the 药食同源 pilot list, 胶囊 is both).
FOOD_WEAK = re.compile(r"灵芝|孢子粉|胶囊|滋补|外卖")
# 食用农产品 sold as they are (食品安全法 art. 35: selling them needs no food business licence or filing).
AGRI = re.compile(
    r"蔬菜|时蔬|水果|鲜果|瓜果|果蔬|竹笋|春笋|冬笋|鲜笋|鸡蛋|鸭蛋|鹅蛋|鲜蛋|土鸡蛋|食用农产品|农产品|生鲜|新鲜采摘|"
    r"自家果园|现摘"
)
# Selling food that is not pre-packaged: 散装, made on the spot, catering (食品经营许可证 needed).
BULK = re.compile(
    r"散装|散称|称重|论斤|现做|现制|现烤|现磨|现炸|鲜榨|手工现|自制|堂食|外卖|餐饮|盒饭|快餐|熟食|卤味|"
    r"裸装|自家做|农家自制"
)
# The shop's own statement that it sells only pre-packaged food (食品安全法 art. 35: a filing suffices).
PREPACKAGED_ONLY = re.compile(r"(?:仅|只)(?:销售|经营|售卖)预包装食品|预包装食品(?:销售)?备案")

DRUG = re.compile(
    r"国药准字|药品批准文号|(?<!非)处方药|非处方药|(?<![A-Z])OTC(?![A-Z])|(?<!食品)(?<!互联网)药品(?!监督|信息服务|网络销售)|大药房|药房|药店|医药连锁|西药|中成药|"
    r"中药饮片|阿莫西林|头孢|布洛芬|感冒灵|板蓝根颗粒|抗生素|消炎药|对乙酰氨基酚"
)
DRUG_WEAK = re.compile(r"颗粒|片剂|口服液|维生素|药材")

# Medical devices: regime words and product names (the class follows from the number or the words).
DEVICE = re.compile(
    r"医疗器械|械注[准进许]|械备|械字号|血压计|血糖仪|血糖试纸|体温计|额温枪|医用口罩|医用外科口罩|"
    r"医用卫生口罩|隐形眼镜|角膜接触镜|助听器|轮椅|避孕套|避孕帽|妊娠诊断试纸|验孕棒|医用敷料|医用冷敷|"
    r"理疗仪|制氧机|雾化器|医用脱脂棉|医用脱脂纱布|医用无菌纱布|磁疗"
)
DEVICE_WEAK = re.compile(r"按摩器|按摩仪|护具|矫正带|理疗贴|器械")
# 医疗器械注册证编号 (医疗器械注册与备案管理办法, 2021): ×械注×YYYY + the management class (2 or 3) + ….
DEVICE_REG = re.compile(
    r"[国京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新]械注[准进许](\d{4})([23])\d{6}"
)
# 第一类医疗器械备案编号: ×(×)械备YYYY…: class I.
DEVICE_CLASS_ONE = re.compile(
    r"[国京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新][\u4e00-\u9fff]?械备\d{8}"
)
DEVICE_CLASS_WORD = re.compile(r"(?:第)?([一二三123]|I{1,3}|Ⅰ|Ⅱ|Ⅲ)类(?:医疗)?器械(?!经营)")
_CLASS_OF = {
    "一": 1,
    "1": 1,
    "I": 1,
    "Ⅰ": 1,
    "二": 2,
    "2": 2,
    "II": 2,
    "Ⅱ": 2,
    "三": 3,
    "3": 3,
    "III": 3,
    "Ⅲ": 3,
}
# Products whose class is well known: 隐形眼镜 (角膜接触镜) are class III; the rest class II.
DEVICE_PRODUCT_CLASS = {
    "隐形眼镜": 3,
    "角膜接触镜": 3,
    "血压计": 2,
    "血糖仪": 2,
    "血糖试纸": 2,
    "体温计": 2,
    "医用口罩": 2,
    "医用外科口罩": 2,
    "医用卫生口罩": 2,
    "避孕套": 2,
    "妊娠诊断试纸": 2,
    "验孕棒": 2,
    "制氧机": 2,
    "雾化器": 2,
}
# 免于经营备案的第二类医疗器械 (医疗器械经营监督管理办法 art. 25; the NMPA's catalogue as we recall it —
# a bureau checks it against the catalogue in force): products safe whatever the circulation.
DEVICE_EXEMPT_II = frozenset(
    {
        "体温计",
        "血压计",
        "磁疗",
        "医用脱脂棉",
        "医用脱脂纱布",
        "医用卫生口罩",
        "血糖仪",
        "血糖试纸",
        "妊娠诊断试纸",
        "验孕棒",
        "避孕套",
        "避孕帽",
        "轮椅",
        "医用无菌纱布",
    }
)
# A third-party online food trading platform says so (网络食品安全违法行为查处办法 art. 8 filing).
PLATFORM = re.compile(r"网络食品交易第三方平台|网食备|网食[AB]\d")

CERTAIN, WEAK = "certain", "weak"


@dataclass
class Kind:
    """One kind of goods: ``certain``, ``weak`` or "" (absent), and the words found."""

    level: str = ""
    words: list[str] = field(default_factory=list)

    @property
    def certain(self) -> bool:
        return self.level == CERTAIN

    @property
    def present(self) -> bool:
        return bool(self.level)

    def said(self) -> str:
        return "、".join(dict.fromkeys(self.words))[:80]


@dataclass
class Goods:
    """What the entry page says the shop sells (``goods_profile``)."""

    food: Kind
    drug: Kind
    device: Kind
    bulk: list[str] = field(default_factory=list)  # 散装/现制/餐饮 words: a food licence is needed
    prepackaged_only: str = ""  # the shop's statement that it sells pre-packaged food only
    device_class: int | None = None  # the highest class the page shows (1, 2, 3) or None
    device_class_evidence: str = ""
    device_products: list[str] = field(default_factory=list)
    platform: str = ""  # the page says it is a third-party food platform
    agri_only: bool = False  # every food word is of edible farm produce sold as it is (no licence needed)

    @property
    def device_exempt_ii(self) -> bool:
        """Every device the page names is in the catalogue exempt from the class II filing."""
        return bool(self.device_products) and all(p in DEVICE_EXEMPT_II for p in self.device_products)


def _kind(text: str, certain: re.Pattern, weak: re.Pattern) -> Kind:
    words = [m.group(0) for m in certain.finditer(text)]
    if words:
        return Kind(CERTAIN, words)
    words = [m.group(0) for m in weak.finditer(text)]
    return Kind(WEAK, words) if words else Kind()


def goods_profile(text: str) -> Goods:
    """The goods of a page from its text (folded: NFKC, upper case, simplified characters)."""
    goods = Goods(
        food=_kind(text, FOOD, FOOD_WEAK),
        drug=_kind(text, DRUG, DRUG_WEAK),
        device=_kind(text, DEVICE, DEVICE_WEAK),
    )
    herbs = [m.group(0) for m in HERBS.finditer(text)]
    if herbs and goods.food.certain and set(goods.food.words) <= GENERAL_FOOD_WORDS:
        goods.food = Kind(WEAK, herbs + goods.food.words)
    goods.bulk = list(dict.fromkeys(m.group(0) for m in BULK.finditer(text)))
    goods.agri_only = (
        goods.food.certain and all(AGRI.fullmatch(w) for w in goods.food.words) and not goods.bulk
    )
    if m := PREPACKAGED_ONLY.search(text):
        goods.prepackaged_only = m.group(0)
    if m := PLATFORM.search(text):
        goods.platform = m.group(0)
    classes: list[tuple[int, str]] = []
    classes += [(int(m.group(2)), m.group(0)) for m in DEVICE_REG.finditer(text)]
    classes += [(1, m.group(0)) for m in DEVICE_CLASS_ONE.finditer(text)]
    classes += [(_CLASS_OF[m.group(1)], m.group(0)) for m in DEVICE_CLASS_WORD.finditer(text)]
    goods.device_products = [
        w for w in goods.device.words if w in DEVICE_PRODUCT_CLASS or w in DEVICE_EXEMPT_II
    ]
    classes += [(DEVICE_PRODUCT_CLASS[w], w) for w in goods.device_products if w in DEVICE_PRODUCT_CLASS]
    if classes:
        goods.device_class, goods.device_class_evidence = max(classes, key=lambda c: c[0])
    return goods
