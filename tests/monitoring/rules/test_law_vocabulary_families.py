"""Law-derived vocabulary families: efficacy guarantees (广告法 arts. 16, 18, 28), education (art. 24), investment
returns (arts. 25, 26), pyramid selling (禁止传销条例 art. 7), fake reviews and prize sales (反不正当竞争法 arts. 9,
11), prescription drugs promoted to the public (art. 15) — each with the lawful wordings it must leave alone."""

from __future__ import annotations

import pytest

from wangjian.monitoring.engine import default_engine


def cats(text, kind=None):
    return default_engine().scan(text, product_kind=kind).categories


@pytest.mark.parametrize(
    "text,kind,category",
    [
        ("颈腰贴 一贴见效 不见效不收费", None, "efficacy_guarantee"),
        ("使用40分钟立刻减轻病痛", "medical_device", "efficacy_guarantee"),
        ("7天瘦10斤 不节食不运动 不反弹", "health_food", "efficacy_guarantee"),
        ("腰椎间盘突出 不开刀 不手术 不复发", None, "efficacy_guarantee"),
        ("白內障復明手術成功率100%", None, "efficacy_guarantee"),
        ("只要報名我們的衝刺班就能一次性通過考試", "education", "education_guarantee"),
        ("恭祝我校学员包揽全市美术统考状元、榜眼", "education", "education_guarantee"),
        ("在职研究生 包拿学位 内部名额", "education", "education_guarantee"),
        ("认购一份 每月返利1500元", "finance", "finance_promise"),
        ("投资纪念钞 五年后原价回购", None, "finance_promise"),
        ("发展会员每人提成300元 团队越大收益越高", None, "mlm"),
        ("推三返本 推五升级", None, "mlm"),
        ("新店开业 招募水军 刷点赞刷收藏", None, "fake_reviews"),
        ("直播间招人 按话术刷评论 一条一元", None, "fake_reviews"),
        ("恭喜您抽中二等奖 只需补差价199元即可领取", None, "prize_sales"),
        ("他达拉非片 亲测管用 三盒疗程装更划算", "drug", "prescription_drug"),
        ("国药准字Z20000000 通络胶囊 救治脑中风后遗症患者", "drug", "prescription_drug"),
    ],
)
def test_a_violation_in_law_words_is_caught(text, kind, category):
    assert category in cats(text, kind)


@pytest.mark.parametrize(
    "text,kind",
    [
        ("中性配方 不伤手 不伤餐具", None),
        ("无效订单将自动关闭", None),
        ("任何手术都有风险，请到正规医疗机构就诊", None),
        ("这款路由器不依赖网络也能本地管理", None),
        ("报名后即可通过微信查询成绩", "education"),
        ("高考状元的学习方法分享讲座", "education"),
        ("二手奢侈品 溢价回购", None),
        ("每月返利100元优惠券", None),
        ("推荐新会员办卡 赠送一个月会籍", None),
        ("职级越高 工资越高", None),
        ("平台严厉打击网络水军 虚假好评", None),
        ("托儿所招生 全日制托儿服务", None),
        ("中奖者应缴纳的个人所得税由主办方代扣代缴", None),
        ("阿莫西林胶囊 有效期至2026年12月", "drug"),
        ("灵芝多糖可促进干扰素分泌 限时优惠", None),
    ],
)
def test_the_lawful_wording_is_left_alone(text, kind):
    got = cats(text, kind) - {"medical_claim", "false_advertising"}
    assert not got, got


def test_a_no_more_insulin_claim_is_not_taken_for_promoting_insulin():
    got = cats("吃了这款燕麦 不用打胰岛素", "food")
    assert "prescription_drug" not in got and "efficacy_guarantee" in got
