"""A synthetic market-entity register (经济户口) and an online seller list with known truth.

Written for blind evaluation of seller → entity matching: nothing here was shaped by a matcher, and no
matcher is to be tuned on what it produces (see README.md beside this file).

    generate(n_entities, n_sellers, seed) -> (entities, sellers)
    python -m bench.blind_match.generator --entities 50000 --sellers 10000 --seed 3 --out /tmp/x

Every seller row is made from one entity (its ``truth``) or from none (``truth`` None), by the recipe its
``case`` names; the recipes and their shares are the table CASES below.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime
import random
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import opencc

# ---------------------------------------------------------------------------------------------------
# The seller mix: (case, share in % of sellers, truth, claimed_name, claimed_uscc, anything else).
# truth R: the entity the row was made from (存续 unless the row says otherwise); -: None.
# Unless a row says otherwise, the address is the registered one written differently (province or city
# dropped, 号 as #, 幢 as 栋 or 3-201, full-width digits, a landmark added, spaces), or a second address in
# the same county, or empty; the phone is the full mobile behind the registry's masked one, another
# mobile, or empty; the shop name contains the 字号 in 35 % of rows.
CASES: tuple[tuple[str, float, str, str, str, str], ...] = (
    ("exact",                      13.5, "R", "as registered", "exact", ""),
    ("name_typo+code",              5.0, "R", "one character same-sound or look-alike", "exact", ""),
    ("name_typo",                   5.0, "R", "one character same-sound or look-alike", "", ""),
    ("legal_form",                  5.0, "R", "有限公司 ↔ 有限责任公司 or dropped, 店 → 商店 …", "", ""),
    ("region_dropped",              5.0, "R", "region prefix (or bracketed region) removed", "", ""),
    ("region_bracketed",            3.0, "R", "region put in brackets, or taken out of them", "", ""),
    ("traditional_name",            3.0, "R", "traditional characters", "exact in 40%", "address traditional in 50%"),
    ("fullwidth",                   3.0, "R", "as registered, （） half-width in 50%", "full-width", "address digits full-width in 60%"),
    ("punctuation",                 3.0, "R", "spaces, ·, 【】, “”, 。 added", "exact in 30%", ""),
    ("name_variant+code",           3.0, "R", "two variations stacked", "exact", ""),
    ("name+address",                3.0, "R", "as registered", "", "address rewritten, no phone"),
    ("typo_code+phone",             5.0, "R", "", "one character mistyped", "phone: the mobile behind the registry mask"),
    ("typo_code+name",              3.0, "R", "as registered (60%) or varied", "one character mistyped", ""),
    ("code_only",                   2.0, "R", "", "exact", "shop name without the 字号"),
    ("shop_name_only",              7.0, "R", "", "", "shop name contains the 字号"),
    ("cancelled_entity",            4.0, "R", "as registered (60%) or varied", "exact in 50%", "entity 注销 or 吊销, still trading"),
    ("moved_entity",                1.5, "R", "as registered", "exact in 60%", "entity 迁出; address in the county moved to"),
    ("branch",                      3.0, "R", "the 分公司 name, varied in 60%", "exact in 50%", "entity is a 分公司"),
    ("other_entity_code",           3.0, "R", "as registered (70%) or varied", "another entity's; a branch: its parent's", ""),
    ("unregistered",               11.0, "-", "empty (55%) or a name no entity has", "made up, failing the check, in 5%", ""),
    ("unregistered_lookalike",      6.0, "-", "an entity's name, trade or suffix swapped for one no entity has", "", "address elsewhere in that county"),
    ("unregistered_borrowed_code",  3.0, "-", "empty or a look-alike of the code's entity", "a registered entity's, valid", "address anywhere"),
)  # fmt: skip

assert abs(sum(c[1] for c in CASES) - 100.0) < 1e-9

# The entity mix (% of entities).
KINDS = (("个体工商户", 58.0), ("企业", 32.0), ("分公司", 5.0), ("农民专业合作社", 5.0))
STATUSES = (("存续", 74.0), ("注销", 14.0), ("吊销", 6.0), ("歇业", 3.0), ("迁出", 3.0))
# Registry phone column: masked mobile 55 %, landline 17 %, empty 28 %.

ENTITY_FIELDS = ("id", "uscc", "name", "address", "phone", "region", "county", "status", "status_date",
                 "moved_to", "kind")  # fmt: skip
SELLER_FIELDS = ("seller_id", "claimed_name", "shop_name", "claimed_uscc", "address", "phone", "platform",
                 "yearly_sales", "self_declared_exemption", "truth", "case")  # fmt: skip

# ---------------------------------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015) and its organisation code (GB 11714-1997).

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3**i mod 31
_USCC_VALUE = {c: v for v, c in enumerate(USCC_ALPHABET)}
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_check_char(body: str) -> str:
    """The 9th character of an organisation code from its first eight (digits 0-9, letters A=10 … Z=35)."""
    total = 0
    for ch, w in zip(body, ORG_WEIGHTS, strict=True):
        total += (ord(ch) - 48 if ch <= "9" else ord(ch) - 55) * w
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def uscc_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 from its first seventeen."""
    total = 0
    for ch, w in zip(first17, USCC_WEIGHTS, strict=True):
        total += _USCC_VALUE[ch] * w
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_is_valid(code: str) -> bool:
    """18 characters of the alphabet, both check characters right."""
    if len(code) != 18 or any(c not in _USCC_VALUE for c in code):
        return False
    return code[17] == uscc_check_char(code[:17]) and code[16] == org_check_char(code[8:16])


# ---------------------------------------------------------------------------------------------------
# Regions: the counties of 丽水市 and 衢州市, 浙江省, with their division codes as published by the
# Ministry of Civil Affairs (民政部, 中华人民共和国县以上行政区划代码, GB/T 2260). The weights are rough
# shares of market entities, not official figures. Towns, roads and villages below are invented.


class County(NamedTuple):
    code: str
    name: str
    short: str
    city_code: str
    city: str
    area: str  # telephone area code
    weight: float


COUNTIES = (
    County("331102", "莲都区", "莲都", "331100", "丽水市", "0578", 1.6),
    County("331121", "青田县", "青田", "331100", "丽水市", "0578", 1.4),
    County("331122", "缙云县", "缙云", "331100", "丽水市", "0578", 1.2),
    County("331123", "遂昌县", "遂昌", "331100", "丽水市", "0578", 0.6),
    County("331124", "松阳县", "松阳", "331100", "丽水市", "0578", 0.7),
    County("331125", "云和县", "云和", "331100", "丽水市", "0578", 0.4),
    County("331126", "庆元县", "庆元", "331100", "丽水市", "0578", 0.5),
    County("331127", "景宁畲族自治县", "景宁", "331100", "丽水市", "0578", 0.4),
    County("331181", "龙泉市", "龙泉", "331100", "丽水市", "0578", 0.8),
    County("330802", "柯城区", "柯城", "330800", "衢州市", "0570", 1.3),
    County("330803", "衢江区", "衢江", "330800", "衢州市", "0570", 1.1),
    County("330822", "常山县", "常山", "330800", "衢州市", "0570", 0.9),
    County("330824", "开化县", "开化", "330800", "衢州市", "0570", 0.9),
    County("330825", "龙游县", "龙游", "330800", "衢州市", "0570", 1.0),
    County("330881", "江山市", "江山", "330800", "衢州市", "0570", 1.3),
)
# Where 迁出 entities went besides the counties above.
ELSEWHERE = (
    County("330106", "西湖区", "西湖", "330100", "杭州市", "0571", 0.0),
    County("330382", "乐清市", "乐清", "330300", "温州市", "0577", 0.0),
)
_BY_CODE = {c.code: c for c in COUNTIES + ELSEWHERE}
_CITY_SHORT = {"丽水市": "丽水", "衢州市": "衢州", "杭州市": "杭州", "温州市": "温州"}
_FULL = {c.short: c.name for c in COUNTIES} | {v: k for k, v in _CITY_SHORT.items()} | {"浙江": "浙江"}

_TOWN_CHARS = "桥石溪坑岭源口山塘头湖坪田坞岙洋垟阳云峰溪岩竹梅枫樟松桂新清东南西北上下大小高白"
_ROADS = (
    "人民路", "解放街", "中山路", "建设路", "环城东路", "环城北路", "府前路", "学院路", "江滨路", "新华街",
    "胜利街", "五一路", "丽阳街", "花园路", "体育路", "工业路", "迎宾大道", "滨江路", "城南路", "育才路",
    "振兴路", "文化路", "商贸街", "兴业路", "健康路", "百花路", "望江路", "东方路", "金山路", "广场路",
)  # fmt: skip
_LANDMARKS = ("农贸市场旁", "汽车站对面", "中心小学旁", "人民医院对面", "邮政所旁", "供销社楼下", "菜场二楼")


def _build_towns() -> dict[str, tuple[str, ...]]:
    towns = {}
    for c in COUNTIES + ELSEWHERE:
        r = random.Random(int(c.code))
        names = [d + "街道" for d in r.sample(("城东", "城西", "城南", "城北", "城关"), 2)]
        while len(names) < 8:
            base = r.choice(_TOWN_CHARS) + r.choice(_TOWN_CHARS)
            name = base + ("镇" if r.random() < 0.7 else "乡")
            if base[0] != base[1] and name not in names:
                names.append(name)
        towns[c.code] = tuple(names)
    return towns


_TOWNS = _build_towns()


def _town_short(town: str) -> str:
    return town.removesuffix("街道") if town.endswith("街道") else town[:-1]


# ---------------------------------------------------------------------------------------------------
# Name parts.

# Trade names many entities share (the front of the list the most).
COMMON_ZIHAO = (
    "鑫源", "宏达", "恒信", "华兴", "兴旺", "永盛", "金泰", "隆兴", "顺达", "万家", "福源", "瑞丰", "嘉禾",
    "祥瑞", "鸿运", "盛世", "天成", "佳美", "新亚", "昌盛", "宏源", "鑫达", "利民", "康乐", "安达", "益丰",
    "通达", "聚源", "德隆", "金鑫", "辉煌", "光明", "博源", "恒达", "新华", "永兴", "兴隆", "富民", "绿源",
    "华盛",
)  # fmt: skip
LOCAL_ZIHAO = ("瓯江", "括苍", "仙都", "好溪", "鹤城", "剑瓷", "石门", "钱江", "江郎", "根宫", "三衢", "烂柯",
               "仙霞", "白云", "南明", "九龙", "东坝", "百山祖")  # fmt: skip
_ZH_CHARS = (
    "鑫新欣源宏弘鸿达恒华兴旺永盛金泰隆顺家佳嘉福富瑞丰禾和祥翔运世天成诚美亚昌茂利康安宁益通聚德晶辉"
    "光明博越腾凯乐清林江月玉宝泉溪山锦绿森海星卓尚创润信冠宇豪骏凤雅兰梦春秋阳朗岚涛璟蓝"
)
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林叶潘吕蓝雷钟毛郑金应季柳项程汪邱廖"
_GIVEN = "建国伟芳丽军明华强勇敏静燕霞红平军杰涛斌辉鹏飞海波英梅兰凤秀珍娟春林松根土金水火仙富贵"

# Enterprise trades of the register (a phrase, or a product with an activity), and trades no entity uses
# (for unregistered names).
TRADES = (
    "贸易", "食品", "农业开发", "茶业", "电子商务", "服饰", "竹木制品", "建材", "机械制造", "科技", "网络科技",
    "生物科技", "家居用品", "文化传媒", "餐饮管理", "物流", "旅游开发", "工艺品", "五金", "汽车服务", "医药",
    "酒业", "印务", "园林绿化", "包装", "电器", "水产", "日用品", "农产品", "石雕艺术", "青瓷", "菌业", "林业",
    "服装", "鞋业", "阀门", "教育咨询", "建筑工程", "环保科技", "信息技术", "农业科技", "电子科技", "新材料",
    "食品科技", "文化旅游", "健康管理", "家具", "装饰工程", "广告", "汽车销售", "电力设备", "化工", "塑业",
    "纺织", "仪器仪表", "体育用品", "农机", "制冷设备", "智能科技", "传感器", "光电科技", "水务", "劳务",
    "人力资源", "企业管理", "物业管理", "房地产开发", "市政工程", "交通设施", "畜牧", "渔业", "生态农业",
)  # fmt: skip
_TRADE_NOUNS = ("茶叶", "食用菌", "竹木", "石材", "山茶油", "农产品", "水果", "蔬菜", "中药材", "酒类", "粮油",
                "花卉", "苗木", "笋竹", "蜂产品", "水产品", "畜禽", "五金", "电器", "机电", "建材", "纸品",
                "塑料", "服装", "鞋服", "箱包", "玩具", "陶瓷", "礼品", "办公用品")  # fmt: skip
_TRADE_ACTS = ("贸易", "科技", "开发", "销售", "加工")
UNUSED_TRADES = ("商贸", "电商", "实业", "供应链管理", "农副产品", "商务咨询", "网络", "贸易发展")
FORMS = (("有限公司", 70.0), ("有限责任公司", 23.0), ("股份有限公司", 7.0))

# 个体工商户: a shop of one or two goods (百货, 五金建材 …) with a shop suffix; a service of its own name
# (饭店, 理发店 …); a workshop or farm. Endings no entity has come after (for unregistered names).
RETAIL_GOODS = (  # goods sold together, one group a line
    ("百货", "日用品", "副食品", "烟酒", "粮油", "调味品", "干货", "酒水", "冷饮", "糕点", "食品", "日杂"),
    ("五金", "建材", "水暖", "卫浴", "涂料", "灯具", "陶瓷", "家具", "石材", "电线"),
    ("服装", "鞋帽", "服饰", "针织品", "箱包", "化妆品", "母婴用品", "床上用品"),
    ("手机", "电脑", "家电", "电器", "通讯器材"),
    ("农资", "饲料", "种子", "化肥", "农药"),
    ("汽配", "电动车", "摩托车配件", "轮胎"),
    ("文具", "玩具", "体育用品", "渔具", "眼镜"),
    ("水果", "蔬菜", "茶叶", "土特产", "香菇", "竹木", "小吃", "花卉", "药材"),
)
RETAIL_SUFFIX = (("店", 50.0), ("经营部", 25.0), ("商行", 15.0), ("门市部", 10.0))
SERVICES = ("饭店", "理发店", "面馆", "民宿", "早餐店", "快餐店", "美容院", "洗车店", "照相馆", "小吃店",
            "粮油店", "茶楼")  # fmt: skip
WORKSHOPS = (
    ("竹制品", "加工厂"), ("木制品", "加工厂"), ("茶叶", "加工厂"), ("笋干", "加工厂"), ("生猪", "养殖场"),
    ("家禽", "养殖场"), ("蔬菜", "种植场"), ("食用菌", "种植场"), ("家电维修", "部"), ("手机", "维修部"),
    ("汽车", "修理厂"), ("摩托车", "修理部"), ("石雕", "工艺店"), ("服装", "加工厂"),
)  # fmt: skip
UNUSED_GETI = (("", "超市"), ("", "便利店"), ("", "特产行"), ("", "商店"), ("食品", "批发部"), ("", "生活馆"),
               ("农家", "乐"), ("", "网店"))  # fmt: skip
PRODUCTS = (
    "茶叶", "香菇", "黑木耳", "杨梅", "山茶油", "竹笋", "蜂蜜", "笋干", "番薯干", "石雕", "青瓷", "宝剑",
    "椪柑", "胡柚", "土鸡蛋", "红糖", "粽子", "米酒", "高山蔬菜", "稻米", "中药材", "油茶", "猕猴桃", "板栗",
)  # fmt: skip

# What a 农民专业合作社 grows or raises.
FARM_PRODUCTS = PRODUCTS + (
    "生猪", "食用菌", "水稻", "葡萄", "蓝莓", "草莓", "铁皮石斛", "白茶", "红茶", "家禽", "水产养殖", "笋竹",
    "花卉苗木", "油菜", "玉米", "番薯", "柑橘", "梨", "桃", "农机服务", "果蔬", "茶业", "畜牧", "蜂业",
)  # fmt: skip

# What a seller may write instead of the registered suffix ("" = dropped).
FORM_VARIANTS = {
    "有限公司": ("有限责任公司", "公司", ""),
    "有限责任公司": ("有限公司", ""),
    "股份有限公司": ("有限公司", "股份公司", ""),
    "专业合作社": ("合作社", "农民专业合作社"),
    "店": ("商店", "铺"),
    "饭店": ("酒家", "饭馆"),
    "理发店": ("理发馆", "美发店"),
    "面馆": ("面店",),
    "粮油店": ("粮油商店", "粮油"),
    "民宿": ("客栈",),
    "经营部": ("", "商行", "店"),
    "门市部": ("门市", "店", ""),
    "早餐店": ("早点铺", "早餐"),
    "快餐店": ("快餐",),
    "美容院": ("美容店", "美容"),
    "洗车店": ("洗车行",),
    "照相馆": ("摄影店",),
    "小吃店": ("小吃部", "小吃"),
    "茶楼": ("茶馆", "茶室"),
    "修理部": ("修理店", ""),
    "部": ("", "店"),
    "商行": ("", "行", "经营部"),
    "加工厂": ("厂", ""),
    "养殖场": ("场", ""),
    "种植场": ("", "基地"),
    "工艺店": ("工艺品店", ""),
    "维修部": ("维修店", "维修"),
    "修理厂": ("修理店", "修理部"),
}

# Characters typed for one another: same sound (pinyin input) or similar look (reading a photo).
_CONFUSABLE_GROUPS = (
    "鑫新欣馨心", "源原元圆园远缘", "宏弘洪鸿红", "达大答", "恒衡亨", "华化桦花", "兴星形", "旺望王",
    "永勇咏", "盛胜晟圣", "金今锦津", "泰太态", "隆龙陇", "顺舜", "家佳嘉加", "福富付府", "瑞睿锐",
    "丰风峰锋沣", "禾和合", "祥翔详", "运韵云", "世市事", "天添田", "成诚城承", "美梅", "亚雅", "昌常畅",
    "茂贸", "利力立丽", "康慷", "安按", "宁凝", "益易义艺", "通同", "聚巨", "德得", "晶精京", "辉晖徽",
    "光广", "明名鸣", "博搏", "越悦跃", "腾藤", "凯恺", "乐勒", "清青轻", "林琳霖", "江疆", "月悦", "日曰",
    "土士", "己已", "未末", "人入", "千干", "玉王", "田由", "石右", "贝见", "白百佰", "茶荼", "食实",
    "业叶", "科可", "技记纪", "农浓", "店点", "部步", "行形", "货伙", "商尚", "香乡", "菇姑", "竹筑",
    "木目", "子仔", "饰式", "网往", "物务", "流留", "鲜先", "果国", "米迷", "油由", "蜂峰", "酒久",
    "药要", "五伍午", "建健", "材才", "机基", "文闻", "媒煤", "工公", "包保", "装庄", "器气汽", "产铲",
    "开凯", "发法", "展战", "生声", "游油", "旅吕", "理里", "餐参", "饮银", "吃池", "饭范", "副付",
    "宝保", "瓷词", "山杉衫", "泉全", "溪西", "森深", "海嗨", "星兴", "锦景", "雅亚", "兰蓝", "春纯",
    "阳扬杨", "涛滔", "豪好", "宇雨", "信心",
)  # fmt: skip


def _build_confusable() -> dict[str, tuple[str, ...]]:
    out: dict[str, dict[str, None]] = {}
    for group in _CONFUSABLE_GROUPS:
        for ch in group:
            bucket = out.setdefault(ch, {})
            for other in group:
                if other != ch:
                    bucket[other] = None
    return {ch: tuple(b) for ch, b in out.items()}


CONFUSABLE = _build_confusable()

# A mistyped code character: what it is often taken for (O, I, S, Z are outside the code's alphabet).
_CODE_CONFUSABLE = {
    "0": "DQO8", "1": "7LIT", "2": "Z7", "5": "S6", "6": "G5", "8": "B30", "B": "83", "D": "0",
    "G": "6", "U": "VW", "W": "UM", "M": "NW", "N": "MH", "Q": "0", "X": "Y", "Y": "X", "3": "8",
    "7": "1", "9": "6", "4": "A", "A": "4",
}  # fmt: skip

_MOBILE_PREFIXES = tuple(
    str(p) for p in (*range(130, 140), 150, 151, 152, 153, 155, 156, 157, 158, 159, 166, 177, 180, 181, 182,
                     183, 184, 185, 186, 187, 188, 189, 198, 199)
)  # fmt: skip
PLATFORMS = (("淘宝", 25), ("拼多多", 18), ("抖音", 17), ("快手", 8), ("天猫", 8), ("京东", 7), ("微店", 6),
             ("小红书", 5), ("美团", 4), ("闲鱼", 2))  # fmt: skip
EXEMPTIONS = (("自产农副产品", 45), ("零星小额", 30), ("家庭手工业产品", 15), ("便民劳务", 10))

_FULLWIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}
_DIGITS_FULLWIDTH = {c: c + 0xFEE0 for c in range(0x30, 0x3A)}
_S2T: opencc.OpenCC | None = None


def _s2t(text: str) -> str:
    global _S2T
    if _S2T is None:
        _S2T = opencc.OpenCC("s2t")
    return _S2T.convert(text)


# ---------------------------------------------------------------------------------------------------
# Weighted choice.


def _c(rng: random.Random, seq):  # rng.choice without its rejection sampling (a float is fine here)
    return seq[int(rng.random() * len(seq))]


def _rr(rng: random.Random, n: int) -> int:
    return int(rng.random() * n)


def _ri(rng: random.Random, a: int, b: int) -> int:
    return a + int(rng.random() * (b - a + 1))


class _Table:
    __slots__ = ("items", "cum")

    def __init__(self, pairs):
        self.items = [p[0] for p in pairs]
        self.cum, total = [], 0.0
        for p in pairs:
            total += p[1]
            self.cum.append(total)

    def pick(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


_KIND_T = _Table(KINDS)
_STATUS_T = _Table(STATUSES)
_COUNTY_T = _Table([(c, c.weight) for c in COUNTIES])
_FORM_T = _Table(FORMS)
_RETAIL_SUFFIX_T = _Table(RETAIL_SUFFIX)
_CASE_T = _Table([(c[0], c[1]) for c in CASES])
_PLATFORM_T = _Table(PLATFORMS)
_EXEMPTION_T = _Table(EXEMPTIONS)
# Dates of 注销, 吊销, 迁出: 2008–2024; of 歇业: from 2022-03-01 (when the regulations brought it in) to mid-2025.
_DATE_BASE = datetime.date(2008, 1, 1).toordinal()
_DATE_SPAN = datetime.date(2024, 12, 31).toordinal() - _DATE_BASE + 1
_XIYE_BASE = datetime.date(2022, 3, 1).toordinal()
_XIYE_SPAN = datetime.date(2025, 6, 30).toordinal() - _XIYE_BASE + 1


def _iso(ordinal: int) -> str:
    return datetime.date.fromordinal(ordinal).isoformat()


# ---------------------------------------------------------------------------------------------------
# Entities. Entity i is a pure function of (seed, i): sellers regenerate the entities they are made from
# instead of holding a million of them.


class _Params:
    def __init__(self, seed: int, n_entities: int):
        if n_entities < 1 or n_entities > 5_000_000:
            raise ValueError("n_entities must be between 1 and 5,000,000")
        if seed < 0:
            raise ValueError("seed must be >= 0")
        self.n = n_entities
        self.base = (seed + 1) << 48
        r = random.Random(seed * 7919 + 17)
        # Affine permutations of the entity index → organisation code bodies, unique per scheme.
        self.perm = {}
        for scheme, modulus in (("D", 10**8), ("L", 10**7), ("M", 31**6)):
            while True:
                a = r.randrange(modulus // 3, modulus)
                if _gcd(a, modulus) == 1:
                    break
            self.perm[scheme] = (a, r.randrange(modulus), modulus)

    def entity_rng(self, i: int) -> random.Random:
        return random.Random(self.base + i * 4)

    def seller_rng(self, j: int) -> random.Random:
        return random.Random(self.base + j * 4 + 1)


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


class _Entity:
    __slots__ = ("idx", "kind", "status", "status_date", "moved_to", "county", "uscc", "segs", "rshort",
                 "zihao", "name", "addr", "phone", "mobile", "parent_uscc")  # fmt: skip

    def as_dict(self) -> dict:
        return {
            "id": self.idx + 1,
            "uscc": self.uscc,
            "name": self.name,
            "address": _render(self.addr),
            "phone": self.phone,
            "region": self.county.code,
            "county": self.county.name,
            "status": self.status,
            "status_date": self.status_date,
            "moved_to": self.moved_to,
            "kind": self.kind,
        }

    def as_row(self) -> tuple:
        return (self.idx + 1, self.uscc, self.name, _render(self.addr), self.phone, self.county.code,
                self.county.name, self.status, self.status_date, self.moved_to, self.kind)  # fmt: skip


def _person(rng: random.Random) -> str:
    given = _c(rng, _GIVEN) + (_c(rng, _GIVEN) if rng.random() < 0.7 else "")
    return _c(rng, _SURNAMES) + given


def _zihao(rng: random.Random) -> str:
    """A 字号: one of the common ones (5 %, the front of the list the most), a local one (4 %), else two or
    three characters."""
    r = rng.random()
    if r < 0.05:
        return COMMON_ZIHAO[int(len(COMMON_ZIHAO) * rng.random() ** 1.5)]
    if r < 0.09:
        return _c(rng, LOCAL_ZIHAO)
    a = _c(rng, _ZH_CHARS)
    b = _c(rng, _ZH_CHARS)
    while b == a:
        b = _c(rng, _ZH_CHARS)
    if r > 0.88:
        return a + b + _c(rng, _ZH_CHARS)
    return a + b


def _company_trade(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return _c(rng, TRADES)
    return _c(rng, _TRADE_NOUNS) + _c(rng, _TRADE_ACTS)


def _geti_trade(rng: random.Random) -> tuple[str, str]:
    r = rng.random()
    if r < 0.7:
        group = _c(rng, RETAIL_GOODS)
        goods = _c(rng, group)
        if rng.random() < 0.35:
            second = _c(rng, group)
            if second != goods:
                goods += second
        return goods, _RETAIL_SUFFIX_T.pick(rng)
    if r < 0.88:
        return "", _c(rng, SERVICES)
    return _c(rng, WORKSHOPS)


def _mobile(rng: random.Random) -> str:
    return _c(rng, _MOBILE_PREFIXES) + f"{_rr(rng, 10**8):08d}"


def _address_parts(rng: random.Random, c: County, town: str = "") -> tuple:
    town = town or _c(rng, _TOWNS[c.code])
    if rng.random() < 0.65:
        place = _c(rng, _ROADS)
        num = _ri(rng, 1, 388)
        if rng.random() < 0.35:
            bldg, room = _ri(rng, 1, 30), _ri(rng, 1, 6) * 100 + _ri(rng, 1, 8)
        else:
            bldg = room = 0
    else:
        place = _c(rng, _TOWN_CHARS) + _c(rng, _TOWN_CHARS) + "村"
        num, bldg, room = _ri(rng, 1, 260), 0, 0
    return ("浙江省", c.city, c.name, town, place, num, bldg, room)


def _render(parts: tuple, *, drop_prov: bool = False, drop_city: bool = False, city_short: bool = False,
            drop_town: bool = False, hash_: bool = False, unit: int = 0, floor: int = 0, fw: bool = False,
            sep: str = "", extra: str = "") -> str:  # fmt: skip
    prov, city, county, town, place, num, bldg, room = parts
    street = f"{place}{num}{'#' if hash_ else '号'}"
    if bldg:
        street += (f"{bldg}幢{room}室", f"{bldg}栋{room}室", f"{bldg}-{room}", f"{bldg}幢{room}")[unit]
    elif floor:
        street += f"{floor}楼"
    if city_short:
        city = _CITY_SHORT.get(city, city)
    pieces = ("" if drop_prov or drop_city else prov, "" if drop_city else city, county,
              "" if drop_town else town, street)  # fmt: skip
    text = sep.join(p for p in pieces if p) + extra
    return text.translate(_DIGITS_FULLWIDTH) if fw else text


def _uscc(p: _Params, i: int, type_code: str, reg: str, scheme: str) -> str:
    a, b, m = p.perm[scheme]
    v = (a * i + b) % m
    if scheme == "D":
        body = f"{v:08d}"
    elif scheme == "L":
        body = f"L{v:07d}"
    else:
        chars = []
        for _ in range(6):
            v, d = divmod(v, 31)
            chars.append(USCC_ALPHABET[d])
        body = "MA" + "".join(reversed(chars))
    head = "9" + type_code + reg + body + org_check_char(body)
    return head + uscc_check_char(head)


def _company_segs(rng: random.Random, c: County) -> tuple[list, str, str, str]:
    """(segments, short region, 字号, registration division) of a company name."""
    zh = _zihao(rng)
    trade = _company_trade(rng)
    form = _FORM_T.pick(rng)
    r = rng.random()
    reg = c.code
    if r < 0.50:
        segs, short = [("region", c.name)], c.short
    elif r < 0.75:
        segs, short = [("region", c.city)], _CITY_SHORT[c.city]
        if rng.random() < 0.4:
            reg = c.city_code
    elif r < 0.85:
        segs, short = [("region", "浙江")], "浙江"
        if rng.random() < 0.3:
            reg = "330000"
    elif r < 0.97:
        short = _CITY_SHORT[c.city] if rng.random() < 0.5 else c.short
        return [("zihao", zh), ("bregion", f"（{short}）"), ("trade", trade), ("form", form)], short, zh, reg
    else:
        segs, short = [], ""
    segs += [("zihao", zh), ("trade", trade), ("form", form)]
    return segs, short, zh, reg


def _county_prefix(rng: random.Random, c: County) -> list:
    if c.name.endswith("区") and rng.random() < 0.6:
        return [("region", c.city + c.name)]
    return [("region", c.name)]


def _entity(p: _Params, i: int, want: Callable[[str, str], bool] | None = None) -> _Entity | None:
    """Entity i, or None when ``want(kind, status)`` refuses it (decided before the rest is drawn)."""
    rng = p.entity_rng(i)
    kind = _KIND_T.pick(rng)
    status = _STATUS_T.pick(rng)
    if want is not None and not want(kind, status):
        return None
    e = _Entity()
    e.idx, e.kind, e.status = i, kind, status
    c = e.county = _COUNTY_T.pick(rng)
    e.parent_uscc = town = ""
    reg = c.code
    if kind == "分公司":
        parent = None
        need = "存续" if status == "存续" else None
        for _ in range(20):
            parent = _entity(p, _rr(rng, p.n), lambda k, s: k == "企业" and (need is None or s == need))
            if parent is not None:
                break
        if parent is None:
            kind = e.kind = "企业"
            if want is not None and not want(kind, status):
                return None
        else:
            if rng.random() < 0.5:
                c = e.county = parent.county
            else:
                c = e.county = _COUNTY_T.pick(rng)
            reg = c.code
            if c != parent.county:
                word = c.short
            else:
                town = _c(rng, _TOWNS[c.code])
                word = _town_short(town)
            e.segs = parent.segs + [("branch", word), ("bform", "分公司")]
            e.rshort, e.zihao, e.parent_uscc = parent.rshort, parent.zihao, parent.uscc
            scheme = "M" if rng.random() < 0.55 else "D"
            type_code = "1"
    if kind == "企业":
        e.segs, e.rshort, e.zihao, reg = _company_segs(rng, c)
        scheme = "M" if rng.random() < 0.55 else "D"
        type_code = "1"
    elif kind == "个体工商户":
        segs = _county_prefix(rng, c)
        if rng.random() < 0.3:
            town = _c(rng, _TOWNS[c.code])
            segs.append(("town", _town_short(town)))
        r = rng.random()
        if r < 0.70:
            zh = _zihao(rng)
        elif r < 0.77:
            s = _c(rng, _SURNAMES)
            zh = s + "记" if rng.random() < 0.6 else "老" + s
        elif r < 0.82:
            zh = _c(rng, "阿小") + _c(rng, _GIVEN)
        else:
            zh = _person(rng)
        trade, suffix = _geti_trade(rng)
        e.segs = segs + [("zihao", zh), ("trade", trade), ("form", suffix)]
        e.rshort, e.zihao = c.short, zh
        scheme = "M" if rng.random() < 0.55 else "L"
        type_code = "2"
    elif kind == "农民专业合作社":
        if rng.random() < 0.95:
            zh = _zihao(rng)
        else:
            town = _c(rng, _TOWNS[c.code])
            zh = _town_short(town)
        e.segs = _county_prefix(rng, c) + [
            ("zihao", zh),
            ("trade", _c(rng, FARM_PRODUCTS)),
            ("form", "专业合作社"),
        ]
        e.rshort, e.zihao = c.short, zh
        scheme = "M" if rng.random() < 0.8 else "D"
        type_code = "3"
    e.name = "".join(t for _, t in e.segs)
    e.uscc = _uscc(p, i, type_code, reg, scheme)
    e.addr = _address_parts(rng, c, town)  # in the town the name gives, if it gives one
    e.mobile = _mobile(rng)
    r = rng.random()
    if r < 0.55:
        e.phone = e.mobile[:3] + "****" + e.mobile[7:]
    elif r < 0.72:
        e.phone = f"{c.area}-{_ri(rng, 2, 8)}{_rr(rng, 10**6):06d}"
    else:
        e.phone = ""
    e.moved_to = ""
    if status == "存续":
        e.status_date = ""
    elif rng.random() < 0.03:
        e.status_date = ""
    elif status == "歇业":
        e.status_date = _iso(_XIYE_BASE + _rr(rng, _XIYE_SPAN))
    else:
        e.status_date = _iso(_DATE_BASE + _rr(rng, _DATE_SPAN))
    if status == "迁出":
        while True:
            to = _c(rng, COUNTIES + ELSEWHERE)
            if to is not c:
                break
        e.moved_to = to.code
    return e


def iter_entities(n_entities: int, seed: int) -> Iterator[_Entity]:
    p = _Params(seed, n_entities)
    for i in range(n_entities):
        yield _entity(p, i)


# ---------------------------------------------------------------------------------------------------
# Variations of a name, an address, a code.


def _name(segs: list) -> str:
    return "".join(t for _, t in segs)


def _v_typo(rng: random.Random, segs: list) -> list | None:
    spots = [(si, ci, role) for si, (role, t) in enumerate(segs) if role in ("zihao", "trade", "branch")
             for ci, ch in enumerate(t) if ch in CONFUSABLE]  # fmt: skip
    if not spots:
        return None
    zh = [s for s in spots if s[2] == "zihao"]
    si, ci, role = _c(rng, zh if zh and rng.random() < 0.7 else spots)
    t = segs[si][1]
    out = list(segs)
    out[si] = (role, t[:ci] + _c(rng, CONFUSABLE[t[ci]]) + t[ci + 1 :])
    return out


def _v_legal_form(rng: random.Random, segs: list) -> list | None:
    for k in range(len(segs) - 1, -1, -1):
        if segs[k][0] == "form":
            options = FORM_VARIANTS.get(segs[k][1])
            if not options:
                return None
            out = list(segs)
            out[k] = ("form", _c(rng, options))
            return out
    return None


def _v_region_dropped(rng: random.Random, segs: list) -> list | None:
    out = [s for s in segs if s[0] not in ("region", "bregion", "town")]
    return out if len(out) < len(segs) else None


def _v_region_bracketed(rng: random.Random, segs: list, short: str) -> list | None:
    if not short:
        return None
    full = rng.random() < 0.6
    br = f"（{short}）" if full else f"({short})"
    if any(s[0] == "bregion" for s in segs):  # bracketed in the register: written in front instead
        region = short if rng.random() < 0.5 else _FULL[short]
        return [("region", region)] + [s for s in segs if s[0] != "bregion"]
    if not any(s[0] == "region" for s in segs):
        return None
    body = [s for s in segs if s[0] not in ("region", "town")]
    r = rng.random()
    if r < 0.5:  # 字号（地区）行业组织形式
        k = next(n for n, s in enumerate(body) if s[0] == "zihao")
        return body[: k + 1] + [("bregion", br)] + body[k + 1 :]
    if r < 0.75:
        return [("bregion", br)] + body
    return body + [("bregion", br)]


def _v_punctuation(rng: random.Random, segs: list) -> str:
    parts = [t for _, t in segs if t]
    ops = rng.sample(("space", "dot", "wrap", "tail", "half", "lead"), _ri(rng, 1, 2))
    joins = [""] * (len(parts) - 1)
    if "space" in ops and joins:
        for k in rng.sample(range(len(joins)), min(len(joins), _ri(rng, 1, 2))):
            joins[k] = _c(rng, (" ", "  ", "\u3000"))
    if "dot" in ops and joins:
        joins[_rr(rng, len(joins))] = _c(rng, ("·", "-", "•"))
    text = parts[0] + "".join(j + t for j, t in zip(joins, parts[1:], strict=True))
    if "half" in ops:
        text = text.replace("（", "(").replace("）", ")") if "（" in text else text + " "
    if "wrap" in ops:
        text = _c(rng, ("【{}】", "“{}”", "《{}》", "[{}]")).format(text)
    if "tail" in ops:
        text += _c(rng, ("。", " ", "；", "."))
    if "lead" in ops:
        text = _c(rng, (" ", "\t", "：")) + text
    if text == _name(segs):
        text = parts[0] + " " + "".join(parts[1:])
    return text


def _v_traditional(rng: random.Random, segs: list) -> str | None:
    name = _name(segs)
    trad = _s2t(name)
    return trad if trad != name else None


_SEG_VARIANTS = ("typo", "legal_form", "region_dropped", "region_bracketed")


def _vary_segs(rng: random.Random, e: _Entity, how: str, segs: list | None = None) -> list | None:
    segs = e.segs if segs is None else segs
    if how == "typo":
        return _v_typo(rng, segs)
    if how == "legal_form":
        return _v_legal_form(rng, segs)
    if how == "region_dropped":
        return _v_region_dropped(rng, segs)
    return _v_region_bracketed(rng, segs, e.rshort)


def _light_variant(rng: random.Random, e: _Entity) -> str:
    """A name written a little differently (any one variation that applies), or as registered."""
    for how in rng.sample(_SEG_VARIANTS, 4):
        segs = _vary_segs(rng, e, how)
        if segs is not None:
            return _name(segs)
    return e.name


def _stacked_variant(rng: random.Random, e: _Entity) -> str | None:
    first, second = rng.sample(
        ("typo", "legal_form", "region_dropped", "region_bracketed", "trad", "punct"), 2
    )
    if first in ("trad", "punct"):
        first, second = second, first
    if first in ("trad", "punct"):
        return None
    segs = _vary_segs(rng, e, first)
    if segs is None:
        return None
    if second == "trad":
        return _v_traditional(rng, segs)
    if second == "punct":
        return _v_punctuation(rng, segs)
    segs2 = _vary_segs(rng, e, second, segs)
    return None if segs2 is None else _name(segs2)


def _seller_address(rng: random.Random, e: _Entity, heavy: bool = False, empty: float = 0.1) -> str:
    r = rng.random()
    if r < empty:
        return ""
    if r < empty + 0.12:
        return _render(_address_parts(rng, e.county), drop_prov=rng.random() < 0.6)
    return _vary_address(rng, e.addr, _ri(rng, 1, 3) if heavy else _ri(rng, 0, 2))


def _vary_address(rng: random.Random, parts: tuple, n_ops: int) -> str:
    kw: dict = {}
    for op in rng.sample(("prov", "city", "city_short", "town", "hash", "unit", "fw", "sep", "extra", "floor"),
                         n_ops):  # fmt: skip
        if op == "prov":
            kw["drop_prov"] = True
        elif op == "city":
            kw["drop_city"] = True
        elif op == "city_short":
            kw["city_short"] = True
        elif op == "town":
            kw["drop_town"] = True
        elif op == "hash":
            kw["hash_"] = True
        elif op == "unit":
            kw["unit"] = _ri(rng, 1, 3)
        elif op == "fw":
            kw["fw"] = True
        elif op == "sep":
            kw["sep"] = " "
        elif op == "extra":
            kw["extra"] = f"（{_c(rng, _LANDMARKS)}）"
        else:
            kw["floor"] = _ri(rng, 1, 5)
    return _render(parts, **kw)


def typo_code(rng: random.Random, code: str) -> str:
    """The code with one character mistyped (a look-alike, sometimes outside the alphabet, or any other)."""
    k = _rr(rng, len(code))
    old = code[k]
    alike = _CODE_CONFUSABLE.get(old)
    if alike and rng.random() < 0.6:
        new = _c(rng, alike)
    else:
        new = old
        while new == old:
            new = _c(rng, USCC_ALPHABET)
    return code[:k] + new + code[k + 1 :]


def _seller_phone(rng: random.Random, e: _Entity, match: float = 0.45) -> str:
    if "*" in e.phone and rng.random() < match:
        return e.mobile
    r = rng.random()
    if r < 0.25:
        return e.mobile  # the operator's mobile, which the register does not show
    if r < 0.45:
        return _mobile(rng)
    return ""


def _shop_with_zihao(rng: random.Random, e: _Entity, platform: str) -> str:
    zh = e.zihao
    product = _c(rng, PRODUCTS)
    trade = next((t for role, t in e.segs if role == "trade"), "") or product
    if platform in ("天猫", "京东"):
        return zh + _c(rng, ("旗舰店", "官方旗舰店", f"{trade}专营店", "专卖店", f"{product}旗舰店"))
    return _c(rng, (
        f"{zh}旗舰店", f"{zh}{trade}", f"{zh}{product}", f"{e.county.short}{zh}{product}店", f"{zh}的小店",
        f"{zh}{trade}专营店", f"{zh}官方店", f"{zh}土特产", f"【{zh}】{product}直发", f"{zh}好物",
    ))  # fmt: skip


def _shop_generic(rng: random.Random, county: County) -> str:
    product = _c(rng, PRODUCTS)
    s = _c(rng, _SURNAMES)
    return _c(rng, (
        f"小{s}家的{product}", f"{county.short}{product}直销店", f"{s}{_c(rng, _GIVEN)}的小店",
        f"{_c(rng, ('山里', '老家', '乡味', '原生态', '农家', '深山'))}{product}铺", f"{product}源产地直发",
        f"{s}姐{product}", f"{s}哥家{product}", f"{county.short}好物{_ri(rng, 1, 99)}号店",
        f"{_CITY_SHORT[county.city]}{product}优选", f"{_c(rng, _GIVEN)}{_c(rng, _GIVEN)}生活馆",
    ))  # fmt: skip


def _shop(rng: random.Random, e: _Entity, platform: str) -> str:
    if rng.random() < 0.35:
        return _shop_with_zihao(rng, e, platform)
    return _shop_generic(rng, e.county)


def _lookalike(rng: random.Random, e: _Entity) -> str:
    """A name like the entity's that no entity has: trade or suffix swapped for one the register never uses."""
    segs = list(e.segs)
    if e.kind == "分公司":
        return _name(segs[:-1] + [("bform", _c(rng, ("办事处", "经营部", "门市部")))])
    if e.kind == "农民专业合作社":
        return _name(segs[:-1] + [("form", "家庭农场")])
    if e.kind == "企业":
        trade = next(k for k, s in enumerate(segs) if s[0] == "trade")
        segs[trade] = ("trade", _c(rng, UNUSED_TRADES))
        return _name(segs)
    form = next(k for k, s in enumerate(segs) if s[0] == "form")
    t, f = _c(rng, UNUSED_GETI)
    return _name(segs[: form - 1] + [("trade", t), ("form", f)])


def _unused_name(rng: random.Random, c: County) -> str:
    if rng.random() < 0.5:
        t, f = _c(rng, UNUSED_GETI)
        return c.name + _zihao(rng) + t + f
    return _c(rng, (c.name, c.city, "浙江")) + _zihao(rng) + _c(rng, UNUSED_TRADES) + _FORM_T.pick(rng)


# ---------------------------------------------------------------------------------------------------
# Sellers.


def _active(kind: str, status: str) -> bool:
    return status == "存续"


def _cancelled(kind: str, status: str) -> bool:
    return status in ("注销", "吊销")


def _moved(kind: str, status: str) -> bool:
    return status == "迁出"


def _active_branch(kind: str, status: str) -> bool:
    return kind == "分公司" and status == "存续"


class _Maker:
    def __init__(self, p: _Params):
        self.p = p

    def find(self, rng: random.Random, want: Callable, accept: Callable | None = None) -> _Entity | None:
        p = self.p
        for _ in range(4000):
            e = _entity(p, _rr(rng, p.n), want)
            if e is not None and (accept is None or accept(e)):
                return e
        return None

    def seller(self, j: int) -> dict:
        rng = self.p.seller_rng(j)
        case = _CASE_T.pick(rng)
        platform = _PLATFORM_T.pick(rng)
        row = getattr(self, "_" + case.replace("+", "_"))(rng, platform)
        if row is None:  # nothing in a tiny register fits the case: a plain seller of any entity
            case = "exact"
            row = self._exact(rng, platform, want=lambda k, s: True)
        e, name, code, address, phone, shop = row
        if e is None:
            exemption = _EXEMPTION_T.pick(rng) if rng.random() < 0.5 else ""
            mu, sigma = (9.4, 1.0) if exemption else (10.1, 1.3)
        else:
            exemption = _EXEMPTION_T.pick(rng) if e.kind == "个体工商户" and rng.random() < 0.05 else ""
            mu, sigma = (12.6, 1.2) if e.kind in ("企业", "分公司") else (11.0, 1.1)
        return {
            "seller_id": f"S{j + 1:07d}",
            "claimed_name": name,
            "shop_name": shop,
            "claimed_uscc": code,
            "address": address,
            "phone": phone,
            "platform": platform,
            "yearly_sales": int(rng.lognormvariate(mu, sigma)),
            "self_declared_exemption": exemption,
            "truth": None if e is None else e.idx + 1,
            "case": case,
        }

    # Each recipe returns (entity or None, claimed_name, claimed_uscc, address, phone, shop_name).

    def _plain(self, rng, platform, e, name, code, heavy=False):
        return e, name, code, _seller_address(rng, e, heavy), _seller_phone(rng, e), _shop(rng, e, platform)

    def _exact(self, rng, platform, want=_active):
        e = self.find(rng, want)
        return None if e is None else self._plain(rng, platform, e, e.name, e.uscc)

    def _variant(self, rng, platform, how, code_share):
        for _ in range(50):
            e = self.find(rng, _active)
            if e is None:
                return None
            segs = _vary_segs(rng, e, how)
            if segs is not None:
                code = e.uscc if rng.random() < code_share else ""
                return self._plain(rng, platform, e, _name(segs), code)
        return None

    def _name_typo_code(self, rng, platform):
        return self._variant(rng, platform, "typo", 1.0)

    def _name_typo(self, rng, platform):
        return self._variant(rng, platform, "typo", 0.0)

    def _legal_form(self, rng, platform):
        return self._variant(rng, platform, "legal_form", 0.0)

    def _region_dropped(self, rng, platform):
        return self._variant(rng, platform, "region_dropped", 0.0)

    def _region_bracketed(self, rng, platform):
        return self._variant(rng, platform, "region_bracketed", 0.0)

    def _traditional_name(self, rng, platform):
        for _ in range(50):
            e = self.find(rng, _active)
            if e is None:
                return None
            name = _v_traditional(rng, e.segs)
            if name is not None:
                code = e.uscc if rng.random() < 0.4 else ""
                row = self._plain(rng, platform, e, name, code)
                if rng.random() < 0.5:
                    row = row[:3] + (_s2t(row[3]),) + row[4:]
                return row
        return None

    def _fullwidth(self, rng, platform):
        e = self.find(rng, _active)
        if e is None:
            return None
        name = e.name.replace("（", "(").replace("）", ")") if rng.random() < 0.5 else e.name
        address = _vary_address(rng, e.addr, _ri(rng, 0, 2))
        if rng.random() < 0.6:
            address = address.translate(_DIGITS_FULLWIDTH)
        return e, name, e.uscc.translate(_FULLWIDTH), address, _seller_phone(rng, e), _shop(rng, e, platform)

    def _punctuation(self, rng, platform):
        e = self.find(rng, _active)
        if e is None:
            return None
        code = e.uscc if rng.random() < 0.3 else ""
        return self._plain(rng, platform, e, _v_punctuation(rng, e.segs), code)

    def _name_variant_code(self, rng, platform):
        for _ in range(200):
            e = self.find(rng, _active)
            if e is None:
                return None
            name = _stacked_variant(rng, e)
            if name is not None and name != e.name:
                return self._plain(rng, platform, e, name, e.uscc)
        return None

    def _name_address(self, rng, platform):
        e = self.find(rng, _active)
        if e is None:
            return None
        address = _vary_address(rng, e.addr, _ri(rng, 1, 3))
        return e, e.name, "", address, "", _shop(rng, e, platform)

    def _typo_code_phone(self, rng, platform):
        e = self.find(rng, _active, lambda x: "*" in x.phone)
        if e is None:
            return None
        address = _seller_address(rng, e, empty=0.5)
        return e, "", typo_code(rng, e.uscc), address, e.mobile, _shop(rng, e, platform)

    def _typo_code_name(self, rng, platform):
        e = self.find(rng, _active)
        if e is None:
            return None
        name = e.name if rng.random() < 0.6 else _light_variant(rng, e)
        return self._plain(rng, platform, e, name, typo_code(rng, e.uscc))

    def _code_only(self, rng, platform):
        e = self.find(rng, _active)
        if e is None:
            return None
        address = _seller_address(rng, e, empty=0.5)
        return e, "", e.uscc, address, _seller_phone(rng, e), _shop_generic(rng, e.county)

    def _shop_name_only(self, rng, platform):
        e = self.find(rng, _active)
        if e is None:
            return None
        address = _seller_address(rng, e, heavy=True, empty=0.25)
        return e, "", "", address, _seller_phone(rng, e, match=0.5), _shop_with_zihao(rng, e, platform)

    def _cancelled_entity(self, rng, platform):
        e = self.find(rng, _cancelled)
        if e is None:
            return None
        name = e.name if rng.random() < 0.6 else _light_variant(rng, e)
        return self._plain(rng, platform, e, name, e.uscc if rng.random() < 0.5 else "")

    def _moved_entity(self, rng, platform):
        e = self.find(rng, _moved)
        if e is None:
            return None
        new = _BY_CODE[e.moved_to]
        address = _render(_address_parts(rng, new), drop_prov=rng.random() < 0.5)
        code = e.uscc if rng.random() < 0.6 else ""
        return e, e.name, code, address, _seller_phone(rng, e), _shop(rng, e, platform)

    def _branch(self, rng, platform):
        e = self.find(rng, _active_branch, lambda x: x.kind == "分公司")
        if e is None:
            return None
        r = rng.random()
        if r < 0.4:
            name = e.name
        elif r < 0.65:
            name = _name([s for s in e.segs if s[0] != "form"])  # 浙江鑫源贸易青田分公司
        elif r < 0.85:
            name = _name(e.segs[:-2]) + f"（{e.segs[-2][1]}分公司）"
        else:
            name = _name([s for s in e.segs if s[0] not in ("region", "bregion")])
        return self._plain(rng, platform, e, name, e.uscc if rng.random() < 0.5 else "")

    def _other_entity_code(self, rng, platform):
        if rng.random() < 0.3:
            e = self.find(rng, _active_branch, lambda x: x.kind == "分公司")
            if e is not None:
                name = e.name if rng.random() < 0.7 else _light_variant(rng, e)
                return self._plain(rng, platform, e, name, e.parent_uscc)
        e = self.find(rng, _active)
        if e is None:
            return None
        same_county = rng.random() < 0.5
        other = self.find(rng, lambda k, s: True,
                          lambda x: x.idx != e.idx and (not same_county or x.county is e.county))  # fmt: skip
        if other is None:
            return None
        name = e.name if rng.random() < 0.7 else _light_variant(rng, e)
        return self._plain(rng, platform, e, name, other.uscc)

    def _unregistered(self, rng, platform):
        c = _COUNTY_T.pick(rng)
        name = "" if rng.random() < 0.55 else _unused_name(rng, c)
        code = ""
        if rng.random() < 0.05:  # made up: right length, wrong check character
            head = "92" + c.code + "".join(_c(rng, USCC_ALPHABET) for _ in range(9))
            right = uscc_check_char(head)
            code = head + _c(rng, [ch for ch in USCC_ALPHABET if ch != right])
        r = rng.random()
        if r < 0.15:
            address = ""
        elif r < 0.3:
            address = c.city + c.name
        else:
            address = _vary_address(rng, _address_parts(rng, c), _ri(rng, 0, 2))
        phone = _mobile(rng) if rng.random() < 0.7 else ""
        return None, name, code, address, phone, _shop_generic(rng, c)

    def _unregistered_lookalike(self, rng, platform):
        e = self.find(rng, lambda k, s: True)
        if e is None:
            return None
        address = _vary_address(rng, _address_parts(rng, e.county), _ri(rng, 0, 2))
        phone = _mobile(rng) if rng.random() < 0.7 else ""
        shop = _shop_with_zihao(rng, e, platform) if rng.random() < 0.4 else _shop_generic(rng, e.county)
        return None, _lookalike(rng, e), "", address, phone, shop

    def _unregistered_borrowed_code(self, rng, platform):
        e = self.find(rng, _active)
        if e is None:
            return None
        name = "" if rng.random() < 0.5 else _lookalike(rng, e)
        c = _COUNTY_T.pick(rng)
        address = _vary_address(rng, _address_parts(rng, c), _ri(rng, 0, 2))
        phone = _mobile(rng) if rng.random() < 0.7 else ""
        return None, name, e.uscc, address, phone, _shop_generic(rng, c)


def iter_sellers(n_entities: int, n_sellers: int, seed: int) -> Iterator[dict]:
    maker = _Maker(_Params(seed, n_entities))
    for j in range(n_sellers):
        yield maker.seller(j)


def generate(n_entities: int, n_sellers: int, seed: int) -> tuple[list[dict], list[dict]]:
    """(entities, sellers): the register and the seller list with each seller's truth and case."""
    entities = [e.as_dict() for e in iter_entities(n_entities, seed)]
    return entities, list(iter_sellers(n_entities, n_sellers, seed))


# ---------------------------------------------------------------------------------------------------
# Command line: write both files without holding either in memory.


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m bench.blind_match.generator", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--entities", type=int, default=50_000)
    ap.add_argument("--sellers", type=int, default=10_000)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    kinds, statuses = Counter(), Counter()
    with open(args.out / "entities.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(ENTITY_FIELDS)
        for e in iter_entities(args.entities, args.seed):
            w.writerow(e.as_row())
            kinds[e.kind] += 1
            statuses[e.status] += 1
    t1 = time.perf_counter()
    cases = Counter()
    with open(args.out / "sellers.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(SELLER_FIELDS)
        for s in iter_sellers(args.entities, args.sellers, args.seed):
            cases[s["case"]] += 1
            if s["truth"] is None:
                s["truth"] = ""
            w.writerow(s.values())
    t2 = time.perf_counter()
    out = sys.stdout
    n_e, n_s = max(args.entities, 1), max(args.sellers, 1)
    out.write(f"entities {args.entities:,} ({t1 - t0:.1f} s), sellers {args.sellers:,} ({t2 - t1:.1f} s), "
              f"seed {args.seed} → {args.out}\n")  # fmt: skip
    out.write("kind: " + ", ".join(f"{k} {v / n_e:.1%}" for k, v in kinds.most_common()) + "\n")
    out.write("status: " + ", ".join(f"{k} {v / n_e:.1%}" for k, v in statuses.most_common()) + "\n")
    out.write(f"{'case':<28}{'sellers':>9}{'share':>8}{'target':>8}\n")
    unregistered = 0
    for name, share, truth, *_ in CASES:
        n = cases.get(name, 0)
        if truth == "-":
            unregistered += n
        out.write(f"{name:<28}{n:>9,}{n / n_s:>8.1%}{share / 100:>8.1%}\n")
    out.write(f"{'truth None':<28}{unregistered:>9,}{unregistered / n_s:>8.1%}\n")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out.write(f"peak RSS {rss / 1024:.0f} MB\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
