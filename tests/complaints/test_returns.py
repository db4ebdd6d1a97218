"""七日无理由退货: 消费者权益保护法 art. 25, 网络购买商品七日无理由退货暂行办法 arts. 6–8, 10, 13, 民法典 arts. 201, 203.

The calendar (国务院办公厅 via chinese_calendar): 国庆节 and 中秋节 2025-10-01 … 10-08 off, Saturday 10-11 调休上班;
November 2025 has weekends only; 2030 is not published.
"""

import datetime as dt

import pytest

from wangjian.complaints.services.returns import (
    EXCLUDED_BY_LAW,
    NEED_CONFIRMATION,
    GoodsKind,
    seven_day_return,
)
from wangjian.core.errors import ValidationFailed
from wangjian.core.workdays import Calendar, UncoveredYearError

pytestmark = pytest.mark.django_db  # the calendar reads the entered days (CalendarDay)

D = dt.date
MONDAY = D(2025, 11, 3)


def ask(**kw):
    kw.setdefault("kind", GoodsKind.ORDINARY)
    kw.setdefault("received_on", MONDAY)
    kw.setdefault("today", D(2025, 11, 5))
    return seven_day_return(**kw)


# ---------------------------------------------------------------- which goods


def test_the_kinds_split_into_four_by_law_three_by_confirmation_and_ordinary_goods():
    assert EXCLUDED_BY_LAW == {
        GoodsKind.CUSTOM_MADE,
        GoodsKind.PERISHABLE,
        GoodsKind.DIGITAL,
        GoodsKind.PERIODICAL,
    }
    assert NEED_CONFIRMATION == {
        GoodsKind.UNSEALED_RISK,
        GoodsKind.ACTIVATED,
        GoodsKind.NEAR_EXPIRY_OR_FLAWED,
    }
    assert set(GoodsKind) == EXCLUDED_BY_LAW | NEED_CONFIRMATION | {GoodsKind.ORDINARY}
    assert GoodsKind.DIGITAL.label == "在线下载或者消费者拆封的音像制品、计算机软件等数字化商品"


@pytest.mark.parametrize(
    ("kind", "item"),
    [
        (GoodsKind.CUSTOM_MADE, "第（一）项"),
        (GoodsKind.PERISHABLE, "第（二）项"),
        (GoodsKind.DIGITAL, "第（三）项"),
        (GoodsKind.PERIODICAL, "第（四）项"),
    ],
)
@pytest.mark.parametrize("confirmed", [False, True])
def test_the_four_kinds_excluded_by_law_are_never_returnable_without_reason(kind, item, confirmed):
    answer = ask(kind=kind, confirmed_at_purchase=confirmed)
    assert not answer.eligible
    assert answer.last_day is None and answer.refund_by is None
    assert f"《消费者权益保护法》第二十五条第一款{item}" in answer.reason
    assert f"《网络购买商品七日无理由退货暂行办法》第六条{item}" in answer.reason
    assert "无需购买时确认" in answer.reason
    assert str(kind.label) in answer.advice and "不适用七日无理由退货" in answer.advice
    assert "第二十四条" in answer.advice  # a quality defect is still the seller's


def test_goods_excluded_by_law_need_no_calendar_even_in_an_unpublished_year():
    answer = ask(kind=GoodsKind.PERISHABLE, received_on=D(2030, 3, 1), today=D(2030, 3, 2))
    assert not answer.eligible


@pytest.mark.parametrize(
    ("kind", "item"),
    [
        (GoodsKind.UNSEALED_RISK, "第（一）项"),
        (GoodsKind.ACTIVATED, "第（二）项"),
        (GoodsKind.NEAR_EXPIRY_OR_FLAWED, "第（三）项"),
    ],
)
def test_goods_of_article_7_are_excluded_when_the_consumer_confirmed_at_purchase(kind, item):
    answer = ask(kind=kind, confirmed_at_purchase=True)
    assert not answer.eligible
    assert answer.last_day is None
    assert "《消费者权益保护法》第二十五条第二款" in answer.reason
    assert f"《网络购买商品七日无理由退货暂行办法》第七条{item}" in answer.reason
    assert "您在购买时已确认" in answer.advice


@pytest.mark.parametrize("kind", sorted(NEED_CONFIRMATION))
def test_goods_of_article_7_stay_returnable_when_the_consumer_did_not_confirm(kind):
    answer = ask(kind=kind, confirmed_at_purchase=False)
    assert answer.eligible
    assert answer.last_day == D(2025, 11, 10)
    assert answer.reason.startswith(f"虽属{kind.label}，但购买时未经消费者确认不宜退货")
    assert "第七条，仍适用七日无理由退货" in answer.reason


def test_confirmation_means_nothing_for_ordinary_goods():
    assert ask(kind=GoodsKind.ORDINARY, confirmed_at_purchase=True).eligible


# ---------------------------------------------------------------- the last day (办法 art. 10)


def test_the_seven_days_run_from_the_day_after_receipt():
    # received Monday 11-03 (not counted): 11-04 … 11-10 → the 7th day is Monday 11-10
    answer = ask()
    assert answer.eligible
    assert answer.last_day == D(2025, 11, 10)
    assert answer.last_day_basis == (
        "《网络购买商品七日无理由退货暂行办法》第十条：自收到商品之日起七日内发出退货通知，"
        "七日期间自签收商品的次日开始起算（《民法典》第二百零一条：开始的当日不计入）。"
        "2025-11-03 收到商品，第七日为 2025-11-10；最后一日为 2025-11-10（含当日）。"
    )


def test_a_last_day_in_the_national_day_holiday_moves_to_the_day_after_the_holiday_ends():
    # received Friday 09-26: 09-27 … 10-03 → the 7th day 10-03 is 国庆节; the holiday (with 中秋节 on
    # 10-06) ends 10-08 → 10-09
    answer = ask(received_on=D(2025, 9, 26), today=D(2025, 9, 29))
    assert answer.last_day == D(2025, 10, 9)
    assert "第七日为 2025-10-03" in answer.last_day_basis
    assert "2025-10-03 为法定休假日（2025-10-03 至 2025-10-08，国庆节、中秋节）" in answer.last_day_basis
    assert (
        "依《民法典》第二百零三条以法定休假日结束的次日 2025-10-09 为期间的最后一日" in answer.last_day_basis
    )
    assert "2025年10月9日" in answer.advice and "第二百零三条" in answer.advice


def test_a_return_notice_on_the_moved_last_day_is_in_time_and_the_next_day_is_late():
    in_time = ask(received_on=D(2025, 9, 26), returned_on=D(2025, 10, 9), today=D(2025, 10, 9))
    late = ask(received_on=D(2025, 9, 26), returned_on=D(2025, 10, 10), today=D(2025, 10, 10))
    assert in_time.eligible
    assert not late.eligible and late.last_day == D(2025, 10, 9)


def test_a_last_day_on_an_ordinary_saturday_moves_to_monday():
    # our reading of 法定休假日: the weekend rest days (公休日) are rest days too.
    # received Saturday 11-01: the 7th day is Saturday 11-08 → Monday 11-10
    answer = ask(received_on=D(2025, 11, 1), today=D(2025, 11, 3))
    assert answer.last_day == D(2025, 11, 10)
    assert "2025-11-08 为法定休假日（2025-11-08 至 2025-11-09，周末）" in answer.last_day_basis


def test_a_last_day_on_a_make_up_working_saturday_does_not_move():
    # received Saturday 10-04 (in the holiday): the 7th day is Saturday 10-11, a 调休上班 day
    answer = ask(received_on=D(2025, 10, 4), today=D(2025, 10, 9))
    assert answer.last_day == D(2025, 10, 11)
    assert "法定休假日" not in answer.last_day_basis


# ---------------------------------------------------------------- too late, not intact


def test_a_return_asked_after_the_last_day_is_refused_with_the_date():
    answer = ask(today=D(2025, 11, 11))
    assert not answer.eligible
    assert answer.last_day == D(2025, 11, 10)
    assert "今天（2025-11-11）已超过退货期限的最后一日 2025-11-10" in answer.reason
    assert "最后一日为2025年11月10日" in answer.advice and "已超过期限" in answer.advice


def test_a_return_notice_sent_after_the_last_day_is_late_whatever_today_is():
    answer = ask(returned_on=D(2025, 11, 11), today=D(2025, 11, 20))
    assert not answer.eligible
    assert "发出退货通知（2025-11-11）已超过退货期限" in answer.reason
    assert "您于2025年11月11日才发出退货通知" in answer.advice


def test_a_notice_sent_in_time_stays_in_time_when_asked_later():
    answer = ask(returned_on=D(2025, 11, 10), today=D(2025, 12, 1))
    assert answer.eligible
    assert "2025-11-10 发出退货通知，在期限内" in answer.reason


def test_goods_not_intact_are_not_returnable_without_reason():
    answer = ask(intact=False, returned_on=D(2025, 11, 5))
    assert not answer.eligible
    assert answer.last_day == D(2025, 11, 10)
    assert "退回的商品不完好" in answer.reason
    assert "第八条" in answer.reason and "第二十五条第三款" in answer.reason
    assert answer.refund_by is None


# ---------------------------------------------------------------- the refund (办法 art. 13)


def test_the_price_is_refunded_within_seven_days_of_receiving_the_goods_back():
    # the seller receives the goods back Thursday 11-06 (not counted): the 7th day is Thursday 11-13
    answer = ask(returned_on=D(2025, 11, 4), returned_received_on=D(2025, 11, 6), today=D(2025, 11, 7))
    assert answer.eligible
    assert answer.refund_by == D(2025, 11, 13)
    assert answer.refund_basis.startswith(
        "《网络购买商品七日无理由退货暂行办法》第十三条、《消费者权益保护法》第二十五条第三款"
    )
    assert (
        "2025-11-06 收到退回商品，第七日为 2025-11-13；最迟 2025-11-13（含当日）返还价款"
        in answer.refund_basis
    )


def test_a_refund_deadline_in_a_holiday_moves_like_the_return_window():
    # received back 09-24: the 7th day 10-01 is 国庆节 → 10-09
    answer = ask(
        received_on=D(2025, 9, 20),
        returned_on=D(2025, 9, 22),
        returned_received_on=D(2025, 9, 24),
        today=D(2025, 9, 25),
    )
    assert answer.refund_by == D(2025, 10, 9)
    assert "以法定休假日结束的次日 2025-10-09" in answer.refund_basis


def test_no_refund_date_before_the_goods_are_back():
    answer = ask(returned_on=D(2025, 11, 4))
    assert answer.eligible and answer.refund_by is None and answer.refund_basis == ""
    assert "收到退回商品之日起七日内" in answer.advice


# ---------------------------------------------------------------- what the consumer is told


def test_the_advice_names_the_last_day_and_the_refund_day():
    before = ask()
    assert before.advice.startswith(
        "您于2025年11月3日收到商品，可以七日无理由退货，请在2025年11月10日前（含当日）"
    )
    assert "运费由您承担" in before.advice

    after = ask(returned_on=D(2025, 11, 4), returned_received_on=D(2025, 11, 6), today=D(2025, 11, 7))
    assert "于2025年11月4日发出退货通知，在七日无理由退货期限内（最后一日为2025年11月10日）" in after.advice
    assert "经营者已于2025年11月6日收到退回商品，应当在2025年11月13日前（含当日）退还" in after.advice
    assert "向市场监督管理部门投诉" in after.advice


# ---------------------------------------------------------------- the calendar and bad input


def test_an_unpublished_year_raises_and_is_never_guessed():
    with pytest.raises(UncoveredYearError) as caught:
        ask(received_on=D(2030, 3, 1), today=D(2030, 3, 2))
    assert caught.value.year == 2030


def test_an_unpublished_year_is_counted_once_its_arrangement_is_entered():
    # 2030 entered with no holidays around March: the 7th day after Friday 03-01 is Friday 03-08
    calendar = Calendar(entered_years={2030})
    answer = ask(received_on=D(2030, 3, 1), today=D(2030, 3, 2), calendar=calendar)
    assert answer.last_day == D(2030, 3, 8)


@pytest.mark.parametrize(
    ("kw", "zh"),
    [
        ({"returned_on": D(2025, 11, 2)}, "发出退货通知的日期 2025-11-02 早于收到商品的日期 2025-11-03"),
        (
            {"returned_on": D(2025, 11, 4), "returned_received_on": D(2025, 11, 3)},
            "经营者收到退回商品的日期 2025-11-03 早于发出退货通知的日期 2025-11-04",
        ),
        ({"received_on": D(2025, 11, 6)}, "收到商品的日期 2025-11-06 晚于今天 2025-11-05"),
        ({"returned_on": D(2025, 11, 6)}, "发出退货通知的日期 2025-11-06 晚于今天 2025-11-05"),
        ({"returned_received_on": D(2025, 11, 4)}, "请同时填写消费者发出退货通知的日期"),
        ({"kind": "jewellery"}, "未知的商品类别：jewellery"),
    ],
)
def test_impossible_dates_and_unknown_kinds_are_refused(kw, zh):
    with pytest.raises(ValidationFailed) as caught:
        ask(**kw)
    assert zh in caught.value.zh
    assert caught.value.en


@pytest.mark.django_db
def test_the_returns_page_answers_with_the_dates_and_the_text_for_the_consumer(demo, login, clock):
    from tests.clues.conftest import at

    clock(at("2025-11-12", "10:00"))
    page = login(demo.users["station_officer"]).get(
        "/complaints/returns/?kind=ordinary&received_on=2025-11-03&intact=on&returned_on=2025-11-10"
    )
    body = page.content.decode()
    assert page.status_code == 200 and 'id="returns-answer"' in body and "2025-11-10" in body
    late = login(demo.users["station_officer"]).get(
        "/complaints/returns/?kind=ordinary&received_on=2025-11-03&intact=on&returned_on=2025-11-11"
    )
    assert "不适用七日无理由退货" in late.content.decode()
