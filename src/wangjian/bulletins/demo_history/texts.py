"""The words of the demo's year of history: what officers write in a check, a disposal, a case, a mediation.

Plain data, chosen from at random (``shape.Context.rng``); the facts follow the laws the apps cite.
"""

from __future__ import annotations

# ---------------------------------------------------------------- clues

# (domain, facts) of the clues that do not come from a finding or a report: 监督检查, 上级交办, 媒体曝光, 手工录入
FACTS = {
    "online_food": (
        "网店销售自制糕点、卤味，未公示食品经营许可证",
        "外卖平台入网餐饮店实际经营地址与公示地址不符",
        "直播间销售散装蜂蜜、山核桃，未标注生产日期和保质期",
    ),
    "consumer_rights": (
        "网店拒绝为未拆封商品办理七日无理由退货",
        "网店以“特价商品”为由拒绝退货，未事先显著提示",
    ),
    "online_price": (
        "网店标示“原价”无交易记录，涉嫌虚构原价",
        "促销页面“限时折扣”长期不变，涉嫌虚假折扣",
        "商品页面标示价格与结算价格不一致",
    ),
    "licence_display": (
        "网店首页未公示营业执照信息或电子链接标识",
        "网店公示的营业执照信息与登记信息不一致",
    ),
    "unlicensed": ("通过微信朋友圈和小程序销售商品，未办理营业执照",),
    "product_quality": (
        "网店销售的电热水壶无3C认证标志",
        "网店销售的儿童玩具标注的执行标准已废止",
    ),
    "online_cosmetics": ("网店销售的化妆品宣称“医用级”“治疗痘痘”",),
    "online_drug": ("网店展示处方药并提供“免问诊直接购买”",),
    "online_medical_device": ("网店销售的理疗仪宣称“根治颈椎病”",),
    "trademark_ip": ("网店销售的运动鞋涉嫌假冒“耐克”注册商标",),
    "unfair_competition": ("网店以返现诱导消费者给予好评",),
    "standard_terms": ("网店格式条款约定“商品售出概不退换”，排除消费者权利",),
    "internet_advertising": ("网店商品标题使用“国家级”“最佳”等绝对化用语",),
}
FACT_WEIGHTS = {
    "online_food": 16,
    "consumer_rights": 11,
    "online_price": 10,
    "licence_display": 10,
    "unlicensed": 6,
    "product_quality": 7,
    "online_cosmetics": 5,
    "online_drug": 4,
    "online_medical_device": 4,
    "trademark_ip": 5,
    "unfair_competition": 4,
    "standard_terms": 4,
    "internet_advertising": 6,
}
# 绩溪县 has no monitoring in the demo: its clues come from inspections, the city and its 12315 reports
JIXI_DOMAINS = ("internet_advertising", "online_food", "licence_display", "consumer_rights", "online_price")

SUPERIOR_REF = "宣市监网交〔{year}〕{n}号"
INSPECTION_REF = "{prefix}检〔{year}〕{n}号"
MEDIA = ("宣城日报“民生热线”", "旌德融媒“曝光台”", "安徽网“消费维权”栏目")

CHECK_TRUE = (
    "线上检查属实，已截图固定网页证据",
    "现场检查与网店页面比对属实，已制作现场笔录",
    "调取平台交易记录核实属实，已固定电子证据",
)
CHECK_PARTLY = (
    "部分属实：页面问题属实，所称销售数量与平台记录不符",
    "部分属实：经营者已于核查前删除部分违法内容",
)
CHECK_FALSE = (
    "经线上检查和现场核实，反映的问题不存在",
    "经核查，页面用语系引用检测报告原文，不属实",
)
CHECK_UNVERIFIABLE = (
    "网店已关闭，经营者联系不上，无法核实",
    "平台未能提供该店铺经营者信息，无法核实",
)

RECTIFY = (
    "责令删除违法宣传用语，已整改到位",
    "责令补充公示营业执照和许可证信息，复查已整改",
    "责令按规定明码标价，已整改",
    "责令下架涉嫌违法商品，平台已协助下架",
)
GUIDANCE = (
    "约谈经营者，开展行政指导，经营者书面承诺规范经营",
    "向经营者送达行政提示书，督促落实七日无理由退货",
)
NO_ACTION_FALSE = "核查不属实，不予处理"
NO_ACTION_UNVERIFIABLE = "无法核实，经营者已停止经营，不予处理，纳入重点监测"
NO_ACTION_MINOR = "违法行为轻微并及时改正，没有造成危害后果，不予立案（行政处罚法第三十三条第一款）"
REFER = (
    ("authority", "旌德县农业农村局", "涉及农产品质量安全，移送农业农村部门处理"),
    ("authority", "旌德县文化旅游体育局", "涉及旅游服务质量，移送文旅部门处理"),
    ("police", "旌德县公安局", "销售金额较大，涉嫌销售假冒注册商标的商品罪，移送公安机关"),
)

# ---------------------------------------------------------------- cases

CASE = {
    "internet_advertising": ("发布违法互联网广告", "《中华人民共和国广告法》第九条、第五十七条"),
    "online_food": ("网络食品经营未公示许可信息", "《网络食品安全违法行为查处办法》第十八条、第三十九条"),
    "online_price": (
        "网络交易价格违法",
        "《明码标价和禁止价格欺诈规定》第十九条；《价格违法行为行政处罚规定》第七条",
    ),
    "licence_display": ("网店未依法公示营业执照信息", "《中华人民共和国电子商务法》第十五条、第七十六条"),
    "unlicensed": ("无照从事网络经营", "《无证无照经营查处办法》第十三条"),
    "product_quality": ("网络销售不合格产品", "《中华人民共和国产品质量法》第四十九条"),
    "online_cosmetics": ("化妆品网络经营违法宣称", "《化妆品监督管理条例》第六十一条"),
    "online_drug": ("网络销售处方药违法", "《药品网络销售监督管理办法》第八条、第三十三条"),
    "online_medical_device": ("医疗器械网络销售虚假宣传", "《医疗器械网络销售监督管理办法》第四十条"),
    "trademark_ip": ("网络销售侵犯注册商标专用权的商品", "《中华人民共和国商标法》第五十七条、第六十条"),
    "unfair_competition": (
        "网络虚假宣传（组织虚假评价）",
        "《中华人民共和国反不正当竞争法》第九条、第二十四条",
    ),
    "standard_terms": ("利用格式条款排除消费者权利", "《网络交易监督管理办法》第三十二条、第五十三条"),
    "consumer_rights": (
        "拒不履行七日无理由退货义务",
        "《中华人民共和国消费者权益保护法》第二十五条、第五十六条",
    ),
    "mlm": ("网络传销", "《禁止传销条例》第七条、第二十四条"),
}
FINE = {  # (low, high) in 元
    "internet_advertising": (3000, 60000),
    "online_food": (5000, 30000),
    "online_price": (2000, 50000),
    "licence_display": (2000, 10000),
    "unlicensed": (1000, 10000),
    "product_quality": (3000, 40000),
    "online_cosmetics": (10000, 50000),
    "online_drug": (20000, 100000),
    "online_medical_device": (10000, 60000),
    "trademark_ip": (10000, 80000),
    "unfair_competition": (20000, 100000),
    "standard_terms": (5000, 30000),
    "consumer_rights": (2000, 20000),
    "mlm": (50000, 200000),
}
CASE_REVIEW = "事实清楚，证据充分，定性准确，处罚适当"
CASE_END = "事实清楚，证据确凿，建议行政处罚"

# ---------------------------------------------------------------- complaints

# (category, summary, demand, amount range in 元, domain)
COMPLAINTS = (
    ("食品", "购买的山核桃有哈喇味，与页面“当季新货”不符", "退货退款", (60, 300), "online_food"),
    ("食品", "网购的笋干霉变，商家拒绝退款", "退一赔三", (80, 260), "online_food"),
    ("家用电器", "电水壶使用一周即漏电", "退货退款并赔偿", (90, 400), "product_quality"),
    ("服装鞋帽", "羽绒服含绒量与页面标注不符", "退货退款", (300, 1200), "consumer_rights"),
    ("服装鞋帽", "未拆封商品申请七日无理由退货被拒", "办理退货", (100, 600), "consumer_rights"),
    ("数码产品", "手机壳与页面图片严重不符", "退款", (30, 120), "consumer_rights"),
    ("化妆品", "面霜使用后过敏，商家称“正常排毒”", "退款并赔偿医疗费", (150, 900), "online_cosmetics"),
    ("旅游住宿", "民宿实际房型与预订页面不符", "退还差价", (200, 800), "consumer_rights"),
    ("餐饮外卖", "外卖餐品中发现异物", "退款并赔偿", (30, 150), "online_food"),
    ("预付卡", "网上办理的健身卡门店关闭无法使用", "退还余额", (500, 3000), "consumer_rights"),
    ("家具家居", "定制茶几迟迟不发货，催促无果", "退款", (400, 2500), "consumer_rights"),
    ("医疗器械", "直播间购买的理疗仪无效果，退货被拒", "退货退款", (300, 1500), "online_medical_device"),
)
REPORTS = (
    ("食品", "网店销售“三无”蜂蜜，无生产日期和厂名厂址", "online_food"),
    ("保健食品", "直播间宣称保健品“降血糖、治糖尿病”", "internet_advertising"),
    ("服装鞋帽", "网店销售假冒品牌运动鞋", "trademark_ip"),
    ("日用品", "网店长期标示虚假原价促销", "online_price"),
    ("网络服务", "网店未公示营业执照，疑似无照经营", "licence_display"),
    ("食品", "外卖店铺无实体店面，疑似“幽灵外卖”", "online_food"),
)
REPORT_CLOSED = (
    "经核查，该网店已公示营业执照和许可证，举报不属实",
    "经核查，涉事商品为正规渠道授权产品，举报不属实",
    "经核查，经营者已停止销售涉事商品并整改，已对其进行行政指导",
)
AGREEMENT = (
    "商家退还货款，另赔偿{extra}元，当场履行",
    "商家办理退货退款，承担往返运费",
    "商家补发合格商品并赔偿{extra}元",
)
MEDIATION = (
    ("phone", "", "电话调解：商家同意协商解决"),
    ("online", "", "通过12315平台在线调解，双方沟通处理方案"),
    ("entrusted", "旌德县消费者权益保护委员会", "委托县消保委组织调解"),
    ("in_person", "", "现场调解：双方到所协商"),
)
MEDIATION_FAILED = "组织调解，商家坚持商品无质量问题，双方未能达成一致"
WITHDRAWN = ("商家已主动退款，投诉人撤回投诉", "双方自行和解，投诉人撤回投诉")
REFUSED = (
    ("not_consumption", "为经营进货，不是为生活消费需要购买商品"),
    ("handled", "同一争议已由平台在线纠纷解决机制处理完毕"),
    ("incomplete", "经告知补正，投诉人仍未提供购买凭证等必要材料"),
)
TRANSFER = ("宁国市市场监督管理局", "被投诉人实际经营地在宁国市，移送有管辖权的市场监管部门")
ODR = ("拼多多", "平台介入处理，商家全额退款")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯汪程曹方江"
GIVEN = (
    "志刚",
    "丽",
    "海涛",
    "文华",
    "平",
    "小花",
    "建国",
    "晓燕",
    "伟",
    "娟",
    "明",
    "静",
    "军",
    "芳",
    "磊",
    "婷",
)
ROADS = ("文化路", "和平路", "新华路", "梓山路", "旌阳路", "玉屏路", "城南大道", "建设路")

# ---------------------------------------------------------------- 绩溪县's businesses (the registry of the demo has none)

JIXI_TOWNS = (
    ("华阳镇", "341824100"),
    ("临溪镇", "341824101"),
    ("长安镇", "341824102"),
    ("上庄镇", "341824103"),
    ("扬溪镇", "341824104"),
    ("伏岭镇", "341824105"),
)
JIXI_TRADES = (
    ("徽菜馆", "美团外卖店"),
    ("茶叶商行", "淘宝店"),
    ("土特产店", "抖音小店"),
    ("农家乐", "微信小程序"),
    ("竹木工艺品店", "拼多多店"),
    ("日用百货店", "京东店"),
    ("食品厂", "天猫店"),
)
JIXI_NAMES = ("金山", "徽韵", "龙川", "胡氏", "鸿运", "翠岭", "百草", "新安", "和顺", "荣昌")

# ---------------------------------------------------------------- findings

CATEGORY_WEIGHTS = {
    "absolute_terms": 24,
    "medical_claim": 13,
    "price_fraud": 11,
    "fake_reviews": 9,
    "counterfeit": 8,
    "efficacy_guarantee": 7,
    "false_advertising": 6,
    "prize_sales": 4,
    "standard_terms": 4,
    "mlm": 2,
    "finance_promise": 2,
    "education_guarantee": 2,
    "prescription_drug": 3,
    "health_food_disclaimer": 2,
}
# 618 and 双十一 (and 双十二 after it): promotions bring price, review and prize findings
PROMOTION = {"price_fraud": 2.2, "fake_reviews": 1.8, "prize_sales": 2.0, "standard_terms": 1.4}
CONTEXT = (
    "{shop} 店铺首页：本店{term}，欢迎选购，产地直发，全国包邮。",
    "{shop} 商品详情：{term}，限时优惠，下单即送礼品。",
    "{shop} 直播间文案：家人们，{term}，今天直播间专属价。",
)
DISMISS = (
    "经核对为合法表述（引用检测报告原文），排除",
    "命中文字为商品型号的一部分，不构成违法，排除",
    "经核实为真实的原价交易记录，排除",
    "经营者为药品零售企业，表述符合说明书，排除",
)
CONFIRM = "经核对属实，转线索"
