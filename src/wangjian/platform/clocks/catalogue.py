"""The catalogue of clocks (时限目录): every period a workflow runs, its length, its basis and who may change it.

Statutory clocks are **locked**: a bureau cannot lengthen the 90-day case clock or shorten a
party's 5 working days to state its case. Where the law lets a bureau be quicker (publishing a
penalty decision within 20 working days), it may only shorten. Work rules (the seeds' 7 working
days for clue feedback) are the bureau's to set. The legal clocks of market regulation are listed
here once, for every app (cases, complaints, inspections, credit use the same keys); an app adds
its own work rules with ``register`` in its ``AppConfig.ready``.

Which kinds of time stop which clock (不计入期间) is part of each entry: 程序规定 art. 18 for the
clue check, art. 64 for the case decision; 在途时间 (art. 80) is excluded from every period.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from wangjian.core.clocks import Period, Unit
from wangjian.core.errors import NotFoundError


class Lock(StrEnum):
    STATUTORY = "statutory"  # 法定期限：不得变更
    SHORTEN_ONLY = "shorten_only"  # 法定上限：本局可缩短
    WORK_RULE = "work_rule"  # 工作规则：本局可设定

    @property
    def label(self) -> str:
        return {
            "statutory": "法定期限（锁定）",
            "shorten_only": "法定上限（本局可缩短）",
            "work_rule": "工作规则（本局可设定）",
        }[self.value]


class SuspensionKind(models.TextChoices):
    """Time that does not count (不计入期间)."""

    INSPECTION = "inspection", _("检测、检验、检疫、鉴定")
    IDENTIFICATION = "identification", _("权利人辨认或者鉴别")
    REFUND = "refund", _("责令退还多收价款")
    SUSPENSION = "suspension", _("案件中止")
    HEARING = "hearing", _("听证")
    ANNOUNCEMENT = "announcement", _("公告")
    TRAVEL = "travel", _("在途时间")


ART18 = frozenset({SuspensionKind.INSPECTION, SuspensionKind.IDENTIFICATION, SuspensionKind.TRAVEL})
ART64 = ART18 | {
    SuspensionKind.REFUND,
    SuspensionKind.SUSPENSION,
    SuspensionKind.HEARING,
    SuspensionKind.ANNOUNCEMENT,
}
TRAVEL_ONLY = frozenset({SuspensionKind.TRAVEL})


@dataclass(frozen=True)
class ClockKind:
    key: str
    label: str
    length: int
    unit: Unit
    basis: str
    lock: Lock
    starts: str = ""  # what starts it, as the basis text says: 分派, 立案, 送达 …
    stoppers: frozenset[str] = TRAVEL_ONLY
    max_extension: int = 0  # by approval; 0: no extension
    extension_basis: str = ""
    collective_extension: bool = False  # more than max_extension only by collective discussion (集体讨论)
    variants: tuple[tuple[str, str], ...] = ()  # cases a bureau may set apart (a clue's source kinds)

    @property
    def period(self) -> Period:
        return Period(self.length, self.unit, self.basis)

    def text(self) -> str:
        return f"{self.length}{self.unit.label}"


_KINDS: dict[str, ClockKind] = {}


def register(kind: ClockKind) -> ClockKind:
    _KINDS[kind.key] = kind
    return kind


def get(key: str) -> ClockKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise NotFoundError(f"未知的时限：{key}", f"Unknown clock: {key}", detail={"clock": key}) from None


def kinds() -> list[ClockKind]:
    return list(_KINDS.values())


WD, D, M = Unit.WORKING_DAYS, Unit.DAYS, Unit.MONTHS
S, SHORT = Lock.STATUTORY, Lock.SHORTEN_ONLY
PROC = "《市场监督管理行政处罚程序规定》"
COMPLAINTS = "《市场监督管理投诉举报处理暂行办法》"

for _kind in (
    ClockKind(
        "clue.verification",
        "核查线索并决定是否立案",
        15,
        WD,
        f"{PROC}第十八条：自发现线索或者收到材料之日起十五个工作日内予以核查，决定是否立案",
        S,
        "发现线索",
        ART18,
        15,
        "特殊情况下经市场监督管理部门负责人批准，可以延长十五个工作日",
    ),
    ClockKind(
        "case.decision",
        "作出处理决定",
        90,
        D,
        f"{PROC}第六十四条：适用普通程序办理的案件应当自立案之日起九十日内作出处理决定",
        S,
        "立案",
        ART64,
        30,
        "经市场监督管理部门负责人批准，可以延长三十日；案情特别复杂或者有其他特殊情况，经延期仍不能作出处理决定的，应当由市场监督管理部门负责人集体讨论决定是否继续延期",
        True,
    ),
    ClockKind(
        "case.statement",
        "陈述、申辩或者要求听证",
        5,
        WD,
        f"{PROC}第五十七条；《市场监督管理行政处罚听证办法》第七条：自收到行政处罚告知书之日起五个工作日内",
        S,
        "送达告知书",
    ),
    ClockKind(
        "case.hearing_notice",
        "听证通知",
        -7,
        WD,
        "《市场监督管理行政处罚听证办法》第二十条：举行听证七个工作日前通知当事人",
        S,
        "听证日期（向前计算）",
    ),
    ClockKind("case.review", "法制审核", 10, WD, f"{PROC}第五十五条：十个工作日内完成核审", S, "收到材料"),
    ClockKind(
        "case.service",
        "送达处罚决定书",
        7,
        WD,
        f"{PROC}第八十一条：作出决定之日起七个工作日内送达",
        S,
        "作出决定",
    ),
    ClockKind("case.closing", "结案", 15, WD, f"{PROC}第七十七条：十五个工作日内结案", S, "执行完毕"),
    ClockKind(
        "measure.preservation",
        "先行登记保存的处理决定",
        7,
        WD,
        f"{PROC}第三十五条：七个工作日内作出处理决定",
        S,
        "先行登记保存",
    ),
    ClockKind(
        "measure.seizure",
        "查封、扣押",
        30,
        D,
        f"{PROC}第三十八条：查封、扣押的期限不得超过三十日",
        S,
        "查封、扣押",
        TRAVEL_ONLY,
        30,
        "情况复杂的，经市场监督管理部门负责人批准，可以延长，但是延长期限不得超过三十日",
    ),
    ClockKind(
        "fine.payment",
        "缴纳罚款",
        15,
        D,
        "《行政处罚法》第六十七条：自收到行政处罚决定书之日起十五日内",
        S,
        "收到决定书",
    ),
    ClockKind(
        "crime.transfer_approval",
        "涉嫌犯罪案件移送的审批",
        3,
        D,
        "《行政执法机关移送涉嫌犯罪案件的规定》（国务院令第310号）第五条：自接到报告之日起三日内作出批准移送或者不批准移送的决定",
        S,
        "接到报告",
    ),
    ClockKind(
        "publicity.publish",
        "公示行政处罚信息",
        20,
        WD,
        "《市场监督管理行政处罚信息公示规定》第九条：自作出行政处罚决定之日起二十个工作日内公示",
        SHORT,
        "作出处罚决定",
    ),
    ClockKind(
        "publicity.withdraw",
        "撤下公示信息",
        3,
        WD,
        "《市场监督管理行政处罚信息公示规定》第十一条：三个工作日内撤下",
        S,
        "决定被撤销、确认违法或者无效",
    ),
    ClockKind(
        "publicity.display_short",
        "公示期限（通报批评、较低数额罚款）",
        3,
        M,
        "《市场监督管理行政处罚信息公示规定》第十三条：公示期限为三个月",
        S,
        "公示",
    ),
    ClockKind(
        "publicity.display_long",
        "公示期限（其他处罚）",
        36,
        M,
        "《市场监督管理行政处罚信息公示规定》第十三条：公示期限为三年",
        S,
        "公示",
    ),
    ClockKind(
        "complaint.acceptance",
        "决定是否受理投诉",
        7,
        WD,
        f"{COMPLAINTS}第十四条：自收到投诉之日起七个工作日内作出受理或者不予受理的决定",
        S,
        "收到投诉",
    ),
    ClockKind(
        "complaint.mediation",
        "调解终止",
        45,
        WD,
        f"{COMPLAINTS}第二十一条：自投诉受理之日起四十五个工作日内作出处理",
        S,
        "受理投诉",
    ),
    ClockKind(
        "complaint.end_notice",
        "告知终止调解",
        7,
        WD,
        f"{COMPLAINTS}第二十一条第二款：自作出终止调解决定之日起七个工作日内告知投诉人和被投诉人",
        S,
        "作出终止调解决定",
    ),
    ClockKind(
        "report.outcome",
        "告知举报人是否立案",
        5,
        WD,
        f"{COMPLAINTS}第三十一条：作出是否立案决定之日起五个工作日内告知举报人",
        S,
        "作出是否立案决定",
    ),
    ClockKind(
        "returns.window",
        "七日无理由退货",
        7,
        D,
        "《网络购买商品七日无理由退货暂行办法》第十条：自收到商品之次日起七日",
        S,
        "收到商品",
    ),
    ClockKind(
        "returns.refund",
        "退还价款",
        7,
        D,
        "《网络购买商品七日无理由退货暂行办法》第十三条：自收到退回商品之日起七日内",
        S,
        "收到退回商品",
    ),
    ClockKind(
        "abnormal.removal",
        "移出经营异常名录",
        5,
        WD,
        "《企业经营异常名录管理办法》第十一条、第十二条：自收到申请之日起五个工作日内作出决定",
        S,
        "收到申请",
    ),
    ClockKind(
        "inspection.publication",
        "抽查结果公示",
        20,
        WD,
        "《企业公示信息抽查办法》第十二条：抽查结束之日起二十个工作日内",
        S,
        "抽查结束",
    ),
    ClockKind(
        "followup.answer",
        "答复督办",
        2,
        WD,
        "默认工作规则：督办后{n}个工作日内答复（领导小组办公室可在“时限规则”中设置本局的期限）",
        Lock.WORK_RULE,
        "督办",
    ),
    ClockKind(
        "platform.reverify",
        "平台核验更新经营者信息",
        6,
        M,
        "《网络交易监督管理办法》第二十四条：至少每六个月核验更新一次",
        S,
        "上次核验",
    ),
    # the party's remedies against a decision (the officers record them; the periods are the party's)
    ClockKind(
        "remedy.reconsideration",
        "申请行政复议",
        60,
        D,
        "《行政复议法》（2023）第二十条：自知道或者应当知道该行政行为之日起六十日内提出行政复议申请",
        S,
        "收到决定书",
    ),
    ClockKind(
        "remedy.litigation",
        "提起行政诉讼",
        6,
        M,
        "《行政诉讼法》第四十六条：自知道或者应当知道作出行政行为之日起六个月内提出",
        S,
        "收到决定书",
    ),
    ClockKind(
        "remedy.litigation_after_review",
        "复议后提起行政诉讼",
        15,
        D,
        "《行政诉讼法》第四十五条：不服复议决定的，可以在收到复议决定书之日起十五日内向人民法院提起诉讼",
        S,
        "复议决定",
    ),
):
    register(_kind)
