"""七日无理由退货: whether goods bought online may be returned without reason, until when, and the refund.

The rule, as the texts say it (an officer answering a consumer reads the same articles back):

- 《消费者权益保护法》(2013) 第二十五条第一款: goods bought online (by television, telephone, mail
  order …) may be returned within seven days of receipt without a reason, except four kinds —
  消费者定作的; 鲜活易腐的; 在线下载或者消费者拆封的音像制品、计算机软件等数字化商品; 交付的报纸、期刊.
  《网络购买商品七日无理由退货暂行办法》(2017, 2020 修正; “办法”) 第六条 repeats the four. They are
  excluded by law: no confirmation is needed, none can bring them back in.
- 消法第二十五条第二款: other goods are excluded "根据商品性质并经消费者在购买时确认". 办法第七条 names
  the natures: (一) 拆封后易影响人身安全或者生命健康的商品，或者拆封后易导致商品品质发生改变的商品;
  (二) 一经激活或者试用后价值贬损较大的商品; (三) 销售时已明示的临近保质期的商品、有瑕疵的商品.
  Such goods are excluded **only** when the consumer confirmed it at purchase; unconfirmed, they are
  returnable like any other. (Platforms often add an open "其他…" item; 办法第七条 as we read it lists
  these three only, so no catch-all kind is offered here.)
- 消法第二十五条第三款, 办法第八条: the returned goods must be 完好 — they keep their original quality
  and function, and the goods, accessories and trade marks are complete; opening the packing to inspect
  them, or reasonable trial to confirm quality and function, does not spoil that.
- 办法第十条: the consumer sends the return notice (退货通知) within seven days; the seven days are
  counted from the day after the goods were signed for (民法典第二百零一条: 开始的当日不计入).
- 办法第十三条 (and 消法第二十五条第三款): for intact returned goods the seller returns the price within
  seven days of receiving them back — that day not counted either.
- Return freight is the consumer's unless agreed otherwise (消法第二十五条第三款).

The last day and a holiday (民法典第二百零三条: 期间的最后一日是法定休假日的，以法定休假日结束的次日为
期间的最后一日). Our reading of 法定休假日: every day the working-day calendar (``core.workdays``) says
is not a working day — the public holidays of the State Council's yearly notice **and** the ordinary
Saturday and Sunday rest days (公休日, 《国务院关于职工工作时间的规定》: 星期六和星期日为周休息日) —
with the notice's swaps honoured: a weekend the notice makes a working day (调休上班) is not a rest day,
a weekday it makes a rest day is. This is the long-standing court reading (the repealed 民通意见第198条
spoke of "星期日或者其他法定休假日" and of the actual rest day after a swap). So a last day on a
Saturday moves to Monday, one inside the National Day holiday to the first working day after it, and
one on a 调休上班 Saturday stays. The same rule is applied to the refund deadline.

An unpublished year is never guessed: the calendar's ``UncoveredYearError`` reaches the caller
(unlike ``core.clocks``, which marks such a deadline provisional — a date told to a consumer must be
final). Goods excluded outright need no calendar.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangjian.core.errors import ValidationFailed
from wangjian.core.workdays import Calendar, current

CPL = "《消费者权益保护法》"
RULES = "《网络购买商品七日无理由退货暂行办法》"
CIVIL = "《民法典》"
WINDOW_DAYS = 7  # 办法第十条
REFUND_DAYS = 7  # 办法第十三条


class GoodsKind(models.TextChoices):
    """What the goods are, as the law sorts them for 七日无理由退货."""

    ORDINARY = "ordinary", _("一般商品")
    # excluded by law: 消法第二十五条第一款, 办法第六条
    CUSTOM_MADE = "custom_made", _("消费者定作的商品")
    PERISHABLE = "perishable", _("鲜活易腐的商品")
    DIGITAL = "digital", _("在线下载或者消费者拆封的音像制品、计算机软件等数字化商品")
    PERIODICAL = "periodical", _("交付的报纸、期刊")
    # excluded only when the consumer confirmed at purchase: 消法第二十五条第二款, 办法第七条
    UNSEALED_RISK = (
        "unsealed_risk",
        _("拆封后易影响人身安全或者生命健康的商品，或者拆封后易导致商品品质发生改变的商品"),
    )
    ACTIVATED = "activated", _("一经激活或者试用后价值贬损较大的商品")
    NEAR_EXPIRY_OR_FLAWED = "near_expiry_or_flawed", _("销售时已明示的临近保质期的商品、有瑕疵的商品")


EXCLUDED_BY_LAW = frozenset(
    {GoodsKind.CUSTOM_MADE, GoodsKind.PERISHABLE, GoodsKind.DIGITAL, GoodsKind.PERIODICAL}
)
NEED_CONFIRMATION = frozenset({GoodsKind.UNSEALED_RISK, GoodsKind.ACTIVATED, GoodsKind.NEAR_EXPIRY_OR_FLAWED})

# The number of each kind in its article, for the reason text.
_ITEM = {
    GoodsKind.CUSTOM_MADE: "第（一）项",
    GoodsKind.PERISHABLE: "第（二）项",
    GoodsKind.DIGITAL: "第（三）项",
    GoodsKind.PERIODICAL: "第（四）项",
    GoodsKind.UNSEALED_RISK: "第（一）项",
    GoodsKind.ACTIVATED: "第（二）项",
    GoodsKind.NEAR_EXPIRY_OR_FLAWED: "第（三）项",
}

INTACT = (
    f"{RULES}第八条：商品能够保持原有品质、功能，商品本身、配件、商标标识齐全的，视为商品完好；"
    "为查验而打开商品包装，或者为确认商品的品质、功能而进行合理的调试，不影响商品的完好"
)
QUALITY = (
    f"如商品存在质量问题，仍可依照{CPL}第二十四条要求经营者退货、更换或者修理，由经营者承担运输等必要费用。"
)


@dataclass
class ReturnAnswer:
    """What the rule decided and why, for the officer (``reason``, the bases) and the consumer (``advice``)."""

    eligible: bool
    reason: str
    last_day: dt.date | None = None  # the last day to send the return notice (办法第十条)
    last_day_basis: str = ""
    refund_by: dt.date | None = None  # the last day to return the price (办法第十三条)
    refund_basis: str = ""
    advice: str = ""


@dataclass(frozen=True)
class _Period:
    """A period of natural days whose first day is the day after ``start``, and where its last day moved."""

    start: dt.date
    days: int
    counted_to: dt.date  # the n-th day, before the holiday rule
    last_day: dt.date  # after it
    rest: tuple[tuple[dt.date, str], ...] = ()  # the rest days passed over, with their names

    @property
    def moved(self) -> bool:
        return self.last_day != self.counted_to

    def holiday_text(self) -> str:
        if not self.moved:
            return ""
        first, last = self.rest[0][0], self.rest[-1][0]
        names = "、".join(dict.fromkeys(name for _, name in self.rest if name)) or "法定休假日"
        span = f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d}"
        return (
            f"；{self.counted_to:%Y-%m-%d} 为法定休假日（{span}，{names}），依{CIVIL}第二百零三条"
            f"以法定休假日结束的次日 {self.last_day:%Y-%m-%d} 为期间的最后一日"
        )


def _period(start: dt.date, days: int, calendar: Calendar) -> _Period:
    """``days`` natural days from the day after ``start`` (民法典第二百零一条); a last day on a rest day
    moves to the day after the rest days end (第二百零三条). Raises ``UncoveredYearError`` for a year
    whose arrangement is not published."""
    counted_to = start + dt.timedelta(days=days)
    day, rest = counted_to, []
    while not calendar.is_working_day(day):
        rest.append((day, calendar.day_name(day) or ("周末" if day.weekday() >= 5 else "")))
        day += dt.timedelta(days=1)
    return _Period(start=start, days=days, counted_to=counted_to, last_day=day, rest=tuple(rest))


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _check(
    kind: str,
    received_on: dt.date,
    returned_on: dt.date | None,
    returned_received_on: dt.date | None,
    today: dt.date,
) -> GoodsKind:
    try:
        kind = GoodsKind(kind)
    except ValueError:
        raise ValidationFailed(
            f"未知的商品类别：{kind}", f"Unknown kind of goods: {kind}", detail={"kind": kind}
        ) from None
    facts = [("收到商品", "received", received_on)]
    if returned_on is not None:
        facts.append(("发出退货通知", "return notice", returned_on))
    if returned_received_on is not None:
        if returned_on is None:
            raise ValidationFailed(
                "已登记经营者收到退回商品，请同时填写消费者发出退货通知的日期（办法第十条据此判断是否逾期）",
                "The seller received the goods back: give the day the consumer sent the return notice too",
            )
        facts.append(("经营者收到退回商品", "seller received the return", returned_received_on))
    for zh, en, day in facts:
        if day > today:
            raise ValidationFailed(
                f"{zh}的日期 {day:%Y-%m-%d} 晚于今天 {today:%Y-%m-%d}",
                f"The day the {en} ({day}) is after today ({today})",
            )
    for (zh_a, en_a, a), (zh_b, en_b, b) in itertools.pairwise(facts):
        if b < a:
            raise ValidationFailed(
                f"{zh_b}的日期 {b:%Y-%m-%d} 早于{zh_a}的日期 {a:%Y-%m-%d}",
                f"The day the {en_b} ({b}) is before the day the {en_a} ({a})",
            )
    return kind


def seven_day_return(
    *,
    kind: str,
    received_on: dt.date,
    confirmed_at_purchase: bool = False,
    returned_on: dt.date | None = None,
    returned_received_on: dt.date | None = None,
    intact: bool = True,
    today: dt.date | None = None,
    calendar: Calendar | None = None,
) -> ReturnAnswer:
    """Whether goods received on ``received_on`` may be returned without reason, and the dates that bind.

    ``returned_on``: the day the consumer sent the return notice (办法第十条 binds the notice, not the
    parcel's arrival); without it the question is asked on ``today``. ``returned_received_on``: the day
    the seller received the goods back, which starts the refund clock (办法第十三条). ``intact``: the
    goods as returned meet 办法第八条.
    """
    today = today or timezone.localdate()
    kind = _check(kind, received_on, returned_on, returned_received_on, today)
    label = str(kind.label)

    if kind in EXCLUDED_BY_LAW:
        return ReturnAnswer(
            eligible=False,
            reason=(
                f"属于{label}，依照{CPL}第二十五条第一款{_ITEM[kind]}、{RULES}第六条{_ITEM[kind]}，"
                "不适用七日无理由退货（法定除外，无需购买时确认）"
            ),
            advice=(
                f"您购买的商品属于“{label}”，依照{CPL}第二十五条和{RULES}第六条，不适用七日无理由退货，"
                f"经营者可以拒绝无理由退货。{QUALITY}"
            ),
        )
    if kind in NEED_CONFIRMATION and confirmed_at_purchase:
        return ReturnAnswer(
            eligible=False,
            reason=(
                f"属于{label}，且消费者在购买时已确认不宜退货，依照{CPL}第二十五条第二款、"
                f"{RULES}第七条{_ITEM[kind]}，不适用七日无理由退货"
            ),
            advice=(
                f"您购买的商品属于“{label}”，且您在购买时已确认该商品不适用无理由退货，依照{CPL}第二十五条"
                f"第二款和{RULES}第七条，不能要求七日无理由退货。{QUALITY}"
            ),
        )

    calendar = calendar or current()
    window = _period(received_on, WINDOW_DAYS, calendar)
    last_day = window.last_day
    last_day_basis = (
        f"{RULES}第十条：自收到商品之日起七日内发出退货通知，七日期间自签收商品的次日开始起算"
        f"（{CIVIL}第二百零一条：开始的当日不计入）。{received_on:%Y-%m-%d} 收到商品，"
        f"第七日为 {window.counted_to:%Y-%m-%d}{window.holiday_text()}；"
        f"最后一日为 {last_day:%Y-%m-%d}（含当日）。"
    )
    applies = (
        f"虽属{label}，但购买时未经消费者确认不宜退货，依照{CPL}第二十五条第二款、{RULES}第七条，仍适用"
        if kind in NEED_CONFIRMATION
        else "适用"
    )
    asked_on = returned_on or today
    asked = "发出退货通知" if returned_on else "今天"

    if asked_on > last_day:
        return ReturnAnswer(
            eligible=False,
            reason=(
                f"{applies}七日无理由退货，但{asked}（{asked_on:%Y-%m-%d}）已超过退货期限的最后一日 "
                f"{last_day:%Y-%m-%d}（{RULES}第十条）"
            ),
            last_day=last_day,
            last_day_basis=last_day_basis,
            advice=(
                f"您于{_cn(received_on)}收到商品，七日无理由退货的最后一日为{_cn(last_day)}。"
                + (f"您于{_cn(returned_on)}才发出退货通知，" if returned_on else "现在")
                + f"已超过期限，不能再要求无理由退货。{QUALITY}"
            ),
        )
    if not intact:
        return ReturnAnswer(
            eligible=False,
            reason=f"{applies}七日无理由退货，但退回的商品不完好（{CPL}第二十五条第三款、{INTACT}）",
            last_day=last_day,
            last_day_basis=last_day_basis,
            advice=(
                f"您于{_cn(received_on)}收到商品，在{_cn(last_day)}前可以申请七日无理由退货，但退回的商品"
                "应当完好：能够保持原有品质、功能，商品本身、配件、商标标识齐全。为查验打开包装或者为确认"
                f"品质、功能进行合理调试不影响完好；超出这个限度使用导致商品不完好的，经营者可以拒绝无理由"
                f"退货。{QUALITY}"
            ),
        )

    reason = f"{applies}七日无理由退货，" + (
        f"{returned_on:%Y-%m-%d} 发出退货通知，在期限内（最后一日 {last_day:%Y-%m-%d}，{RULES}第十条）"
        if returned_on
        else f"可在 {last_day:%Y-%m-%d}（含当日）前发出退货通知（{RULES}第十条）"
    )
    refund_by, refund_basis = None, ""
    refund_text = (
        f"经营者应当自收到退回商品之日起七日内退还您已支付的商品价款（{RULES}第十三条）；"
        f"退回商品的运费由您承担，您与经营者另有约定的按约定（{CPL}第二十五条第三款）。"
    )
    if returned_received_on is not None:
        refund = _period(returned_received_on, REFUND_DAYS, calendar)
        refund_by = refund.last_day
        refund_basis = (
            f"{RULES}第十三条、{CPL}第二十五条第三款：自收到退回商品之日起七日内返还已支付的商品价款"
            f"（{CIVIL}第二百零一条：开始的当日不计入）。{returned_received_on:%Y-%m-%d} 收到退回商品，"
            f"第七日为 {refund.counted_to:%Y-%m-%d}{refund.holiday_text()}；"
            f"最迟 {refund_by:%Y-%m-%d}（含当日）返还价款。"
        )
        refund_text = (
            f"经营者已于{_cn(returned_received_on)}收到退回商品，应当在{_cn(refund_by)}前（含当日）"
            f"退还您已支付的商品价款（{RULES}第十三条）；逾期未退还的，您可以向市场监督管理部门投诉。"
        )

    moved = (
        f"（第七日{_cn(window.counted_to)}为法定休假日，依{CIVIL}第二百零三条顺延至休假日结束的次日）"
        if window.moved
        else ""
    )
    if returned_on:
        first = (
            f"您于{_cn(received_on)}收到商品，于{_cn(returned_on)}发出退货通知，在七日无理由退货期限内"
            f"（最后一日为{_cn(last_day)}{moved}），经营者应当办理退货。"
        )
    else:
        first = (
            f"您于{_cn(received_on)}收到商品，可以七日无理由退货，请在{_cn(last_day)}前（含当日）"
            f"向经营者发出退货通知{moved}。"
        )
    advice = first + "退回的商品应当完好，商品本身、配件、商标标识齐全，赠品一并退回。" + refund_text
    return ReturnAnswer(
        eligible=True,
        reason=reason,
        last_day=last_day,
        last_day_basis=last_day_basis,
        refund_by=refund_by,
        refund_basis=refund_basis,
        advice=advice,
    )
