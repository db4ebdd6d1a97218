"""Default duty lists (职责清单) for a county and a city bureau.

Written from the seeds: the 旌德 mechanism's thirteen domains (三(二)1–13) and the
Yunnan table of key duties per unit. A bureau adapts them in the UI or by Excel.
"""

from __future__ import annotations

from wangjian.org.choices import BureauLevel, DutyRole, TerritoryRule
from wangjian.org.choices import DepartmentKind as K
from wangjian.org.choices import Domain as D

# domain, lead kind, duties, law, article, routed to stations in a county
_ROWS: list[tuple[str, str, str, str, str, bool]] = [
    (
        D.ONLINE_FOOD,
        K.FOOD,
        "网络食品经营行为监督检查，统筹处置网络监测发现的食品安全问题，查处食品涉网违法行为",
        "《中华人民共和国食品安全法》《网络食品安全违法行为查处办法》",
        "第六十二条",
        True,
    ),
    (
        D.ONLINE_DRUG,
        K.DRUG,
        "药品网络销售监测与监督检查，查处利用互联网违法经营药品行为",
        "《中华人民共和国药品管理法》《药品网络销售监督管理办法》",
        "第六十一条、第六十二条",
        False,
    ),
    (
        D.ONLINE_MEDICAL_DEVICE,
        K.MEDICAL_DEVICE,
        "医疗器械网络销售监测与监督检查，查处违法经营行为",
        "《医疗器械监督管理条例》《医疗器械网络销售监督管理办法》",
        "第四十六条",
        False,
    ),
    (
        D.ONLINE_COSMETICS,
        K.COSMETICS,
        "化妆品网络经营监测与监督检查，查处违法经营行为",
        "《化妆品监督管理条例》",
        "第四十一条",
        False,
    ),
    (
        D.INTERNET_ADVERTISING,
        K.ADVERTISING,
        "互联网广告监测监管，查处网络虚假违法广告，含网络直播营销中的违法广告",
        "《中华人民共和国广告法》《互联网广告管理办法》",
        "第四十四条",
        False,
    ),
    (
        D.ONLINE_PRICE,
        K.PRICE,
        "查处网络交易价格欺诈、哄抬价格、不按规定明码标价等价格违法行为",
        "《中华人民共和国价格法》《明码标价和禁止价格欺诈规定》",
        "第十三条、第十四条",
        False,
    ),
    (
        D.UNFAIR_COMPETITION,
        K.COMPETITION,
        "查处虚假交易、虚假评价、虚假营销、仿冒混淆、违法有奖销售等网络不正当竞争行为",
        "《中华人民共和国反不正当竞争法》《网络反不正当竞争暂行规定》",
        "第八条、第十二条",
        False,
    ),
    (D.MLM, K.COMPETITION, "查处网络传销、违法直销行为", "《禁止传销条例》《直销管理条例》", "第七条", False),
    (
        D.PRODUCT_QUALITY,
        K.PRODUCT_QUALITY,
        "网络销售工业产品质量监督抽检，缺陷消费品召回，查处商品质量涉网违法行为",
        "《中华人民共和国产品质量法》",
        "第十五条",
        False,
    ),
    (
        D.SPECIAL_EQUIPMENT,
        K.SPECIAL_EQUIPMENT,
        "查处特种设备涉网违法行为",
        "《中华人民共和国特种设备安全法》",
        "第二十七条",
        False,
    ),
    (
        D.METROLOGY,
        K.METROLOGY,
        "网络交易商品计量和市场计量行为监督检查",
        "《中华人民共和国计量法》",
        "第九条",
        False,
    ),
    (
        D.CERTIFICATION,
        K.CERTIFICATION,
        "监管网上提供的认证检测服务、检测报告、认证证书等行为",
        "《中华人民共和国认证认可条例》《检验检测机构监督管理办法》",
        "第十四条",
        False,
    ),
    (
        D.TRADEMARK_IP,
        K.TRADEMARK_IP,
        "规范商标使用，打击网络商标侵权假冒，处理知识产权纠纷",
        "《中华人民共和国商标法》《中华人民共和国电子商务法》",
        "第五十七条；第四十一条至第四十五条",
        False,
    ),
    (
        D.CONSUMER_RIGHTS,
        K.CONSUMER,
        "网络交易投诉举报处理，落实七日无理由退货，保护消费者个人信息",
        "《中华人民共和国消费者权益保护法》《网络购买商品七日无理由退货暂行办法》",
        "第二十五条",
        False,
    ),
    (
        D.STANDARD_TERMS,
        K.CONSUMER,
        "查处利用合同格式条款减轻免除自身责任、排除限制消费者权利等行为",
        "《合同行政监督管理办法》《中华人民共和国电子商务法》",
        "第六条、第七条；第四十九条",
        False,
    ),
    (
        D.UNLICENSED,
        K.REGISTRATION,
        "网络交易经营者登记注册事项监督检查，查处无照经营",
        "《无证无照经营查处办法》《中华人民共和国电子商务法》",
        "第十条、第十二条",
        True,
    ),
    (
        D.LICENCE_DISPLAY,
        K.ONLINE_TRADE,
        "网络经营主体搜索建档，督促公示营业执照信息或电子链接标识（亮照亮证亮标）",
        "《中华人民共和国电子商务法》《网络交易监督管理办法》",
        "第十五条；第十二条",
        True,
    ),
    (
        D.CREDIT,
        K.CREDIT,
        "网络交易经营者信用信息归集公示，经营异常名录和严重违法失信名单管理",
        "《企业信息公示暂行条例》《市场监督管理严重违法失信名单管理办法》",
        "第十七条",
        False,
    ),
    (
        D.PLATFORM_DUTY,
        K.ONLINE_TRADE,
        "督促平台履行审查核验、信息报送、信息公示、信息保存、检查监控等主体责任",
        "《中华人民共和国电子商务法》《网络交易监督管理办法》",
        "第二十七条至第三十一条；第二十四条",
        False,
    ),
]

# Cooperating units (协同) named by the Yunnan table and the 旌德 tasks.
_ASSIST: list[tuple[str, str, str]] = [
    (D.PRODUCT_QUALITY, K.CONSUMER, "开展网络商品质量抽检"),
    (D.INTERNET_ADVERTISING, K.ONLINE_TRADE, "定向监测、电子数据取证，移交广告监管机构查处"),
    (D.CONSUMER_RIGHTS, K.HOTLINE_12315, "分析网络购物投诉举报，督办重要投诉举报事项"),
    (D.UNLICENSED, K.ONLINE_TRADE, "搜索建档中发现无照经营线索，移交登记注册机构"),
]


def duty_list_for(level: str) -> list[dict]:
    """Rows for ``DutyRule.objects.create``; a county routes food, unlicensed and licence display by territory."""
    county = level == BureauLevel.COUNTY
    rows = []
    for domain, kind, duties, law, article, by_station in _ROWS:
        rows.append(
            {
                "domain": domain,
                "department_kind": kind,
                "role": DutyRole.LEAD,
                "duties": duties,
                "legal_basis_law": law,
                "legal_basis_article": article,
                "territory_rule": TerritoryRule.STATION if (county and by_station) else TerritoryRule.NONE,
            }
        )
    for domain, kind, duties in _ASSIST:
        rows.append({"domain": domain, "department_kind": kind, "role": DutyRole.ASSIST, "duties": duties})
    return rows
