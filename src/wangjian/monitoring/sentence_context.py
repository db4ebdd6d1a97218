"""Whether a sentence the similarity model signals is the seller's wording of a violation at all.

The model reads wording, not purpose. Some sentences are worded like violations yet are not the seller's claim or
not a violation of the category: a warning or an enforcement report (``warning``), a field of the licence shown on
the page (``registration_field``), a customer's question (``customer_question``), the statement the law asks of the
category (``lawful``), or a sentence without any of the signs a violation of the category needs (``lacking``).
``similarity.signals`` keeps such signals among the suppressed, with the reason the first that applies gives
(``not_the_sellers_violation``).
"""

from __future__ import annotations

import re

# A sentence that warns against, reports or punishes the wording is not the seller's own (谨防“根治糖尿病”的虚假
# 宣传; 某店铺宣称…被罚款): the rules exempt it by their context, the model cannot tell it apart by wording.
# Words that appear in such sentences and hardly in a listing's own claims; "不得" and "禁止" are not among them
# (本店商品不得退换 is itself a clause to review).
_WARNING = re.compile(
    r"警惕|谨防|提防|谨慎辨别|请勿轻信|不要轻信|切勿相信|识破|骗局|陷阱|举报|曝光|揭秘|涉嫌|违法|"
    r"虚假广告|虚假宣传|查处|立案|罚款|行政处罚|责令|没收|市场监管|工商部门|消费提示|消费警示|提醒消费者|"
    r"典型案例|以案说法"
)

# A sentence that makes the statement the law asks of its category is the lawful form, which the model cannot
# tell from the violations it resembles by wording: a prescription drug offered only on a prescription
# (阿莫西林胶囊 处方药 需上传处方), a comparison price given with the basis the price rules ask for, a drug's
# return policy as drug rules require it. Only where no rule of the category considered the sentence (a rule's own
# exemption is the better reason); "无需处方" is not the statement. Per category, the forms and their reasons.
_LAWFUL: dict[str, list[tuple[re.Pattern, str]]] = {
    "prescription_drug": [
        (
            re.compile(
                r"凭(?:医师|医生|执业医师)?(?:开具的)?处方|(?:上传|提交|审核|核验)(?:电子)?处方|处方审核|"
                r"(?<![无不免毋])(?:需|须)(?:要)?凭?(?:医师|医生)?处方(?!药)"
            ),
            "页面已提示凭处方购买（《药品网络销售监督管理办法》第九条）",
        ),
        (
            re.compile(r"(?:甲类|乙类)?非处方药|(?<![a-z])otc(?![a-z])"),
            "页面标明为非处方药（OTC），可不凭处方购买（《药品分类管理办法》）",
        ),
    ],
    "price_fraud": [
        (
            re.compile(r"(?:七|7)(?:日|天)内[^。!?;！？；]{0,24}最低(?:的)?(?:成交|交易|销售)?(?:价格|价)"),
            "页面已标明被比较价格为本次价格比较前七日内的最低成交价格（《明码标价和禁止价格欺诈规定》第十六条）",
        ),
    ],
    "standard_terms": [
        (
            re.compile(r"药品[^。!?;！？；]{0,24}(?:不支持|不适用|不退|不予退|不得退|不能退|不可退)"),
            "药品除质量原因外一经售出不得退换（《药品经营质量管理规范》），非排除消费者权利的格式条款",
        ),
    ],
}

# What a sentence must hold for a category's wording to be a violation of it at all: price fraud (明码标价和禁止
# 价格欺诈规定 art. 19) is a price compared, discounted, limited in time, urged, changed at checkout or charged on
# top; a price shown alone (月卡价格：30瓶 198元; 镜架：99元–2600元) is the 明码标价 the rules ask for, however
# like a price-fraud line its figures read. Per category, the signs and the reason given where none is there.
_NEEDS: dict[str, tuple[re.Pattern, str]] = {
    "price_fraud": (
        re.compile(
            r"原价|原售价|划线|吊牌|专柜|市场价|门市价|门店价|指导价|参考价|日常价|平时价|官方价|官网价|正价|对比|比价|"
            r"全网|同行|别家|别人家|外面|政府定价|限时|仅限|只限|今天|今日|当天|明天|明日|最后|倒计时|截止|恢复|涨价|"
            r"涨回|调回|\d(?:\.\d)?折|[一二三四五六七八九]折|打折|折扣|折后|优惠|活动|特价|秒杀|清仓|甩卖|亏本|赔本|"
            r"出厂|成本价|降价|直降|立减|减价|便宜|不要\d|只要|仅需|只需|仅售|到手|券后|改价|仅供参考|另收|另付|加收|"
            r"额外|补差|抢购|名额|库存|剩余|仅剩|只剩"
        ),
        "单独标示的价格（明码标价），没有被比较价格、折扣、时限或另收费用，不构成价格欺诈的表现形式",
    ),
}

# A question a customer asked, shown with the seller's answer (问：可以给老人吃吗 / 答：…): the customer's words, not
# the seller's claim; the answer is read as the seller's.
_CUSTOMER_QUESTION = re.compile(r"\s*(?:问|提问|买家提问|顾客提问|用户提问|q)\s*[:：]", re.IGNORECASE)


# A field of the business licence or a permit shown on the page (住所：…旌德县庙首镇; 经营范围：…) records the
# registration, not the seller's wording about its goods: the licence check reads it (``licence``), the model does
# not judge it, whatever its words resemble (首 of a town's name, 治疗 in a clinic's registered scope).
_REGISTRATION_FIELD = re.compile(
    r"\s*(?:企业名称|名称|经营者名称|主体名称|统一社会信用代码|信用代码|注册号|住所|地址|经营场所|经营地址|注册地址|"
    r"法定代表人|负责人|经营者|类型|主体类型|经营范围|许可范围|许可项目|经营项目|成立日期|注册日期|营业期限|"
    r"注册资本|登记机关|发证机关|发证日期|许可证编号|许可证号|备案编号|备案号|有效期至?)\s*[:：]"
)


def registration_field(original: str, start: int, end: int) -> str | None:
    """The field name where the sentence ``original[start:end]`` (the page's own text: normalising drops the
    colon) is a field of a licence or permit shown on the page (see ``_REGISTRATION_FIELD``), or None."""
    m = _REGISTRATION_FIELD.match(original, start, end)
    return m.group(0).strip(" :：") if m else None


def lawful(category: str, t: str, start: int, end: int) -> str | None:
    """The reason the sentence ``t[start:end]`` makes the statement the law asks of ``category``, or None."""
    for form, reason in _LAWFUL.get(category, ()):
        if form.search(t, start, end) is not None:
            return reason
    return None


def lacking(category: str, t: str, start: int, end: int) -> str | None:
    """The reason the sentence ``t[start:end]`` cannot be a violation of ``category`` (it holds none of the signs
    ``_NEEDS`` names for it), or None."""
    needs = _NEEDS.get(category)
    if needs is None or needs[0].search(t, start, end) is not None:
        return None
    return needs[1]


def customer_question(original: str, start: int, end: int) -> bool:
    """Whether the sentence ``original[start:end]`` (the page's own text) is a customer's question shown on the
    page (see ``_CUSTOMER_QUESTION``)."""
    return _CUSTOMER_QUESTION.match(original, start, end) is not None


def warning(t: str, start: int, end: int) -> str | None:
    """The warning or enforcement word in the sentence ``t[start:end]``, or None (see ``_WARNING``)."""
    m = _WARNING.search(t, start, end)
    return m.group(0) if m else None


def not_the_sellers_violation(
    category: str, t: str, start: int, end: int, original: str, ostart: int, oend: int
) -> tuple[str, str] | None:
    """Why the sentence ``t[start:end]`` of the normalised page (``original[ostart:oend]`` of the page as written)
    is not the seller's violating wording of ``category``, as (exemption, reason) — the first that applies, in
    this order: a warning or an enforcement report, a field of the licence shown, a customer's question, the
    lawful form of the category, a sentence without the signs a violation of it needs; None if none applies."""
    word = warning(t, start, end)
    if word is not None:
        return "context:warning", f"警示、查处或揭露表述（{word}），非经营者宣传"
    field = registration_field(original, ostart, oend)
    if field is not None:
        return "context:registration", f"营业执照、许可证等登记信息的栏目（{field}），非经营者对商品的宣传"
    if customer_question(original, ostart, oend):
        return "context:question", "顾客的提问（问：…），非经营者的宣传"
    reason = lawful(category, t, start, end)
    if reason is not None:
        return "context:lawful", reason
    reason = lacking(category, t, start, end)
    if reason is not None:
        return "context:not-this-category", reason
    return None
