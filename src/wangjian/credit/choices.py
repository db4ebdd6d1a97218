"""Controlled vocabularies of credit supervision (信用监管): the grounds and steps as the rules word them.

The texts are those the issue states and the verified articles (see each model's docstring for the
sources and what still has to be checked against the official release).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AbnormalGround(models.TextChoices):
    """Why an entity is listed in the 经营异常名录 (企业 and 个体工商户 alike are 列入经营异常名录).

    Enterprises: 企业信息公示暂行条例 (2024 revision) and 企业经营异常名录管理办法 (2025, amended by 总局令第101号)
    art. 4 — the annual report not filed (art. 6), ordered information not published (art. 7), a required name
    change not registered (企业名称登记管理规定 art. 23; 办法 art. 8), unreachable at the registered address
    (art. 9). False or concealed published information is **not** a listing ground for an enterprise any more:
    it is fined and, if serious, goes to the 严重违法失信名单 (条例 art. 18 para. 2). 个体工商户:
    个体工商户年度报告办法 (2025) arts. 13 (not filed), 14 (false or concealed), 15 (unreachable).
    """

    ANNUAL_REPORT = (
        "annual_report",
        _("未按照规定的期限公示年度报告（每年1月1日至6月30日报送上一年度年度报告）"),
    )
    ORDERED = "ordered", _("未在市场监督管理部门责令的期限内公示有关企业信息")
    NAME_CHANGE = "name_change", _("企业名称依法应当停止使用，逾期未办理企业名称变更登记")
    FALSE_INFO = "false_info", _("年度报告公示信息隐瞒真实情况、弄虚作假（仅个体工商户）")
    UNREACHABLE = "unreachable", _("通过登记的住所或者经营场所无法联系")


# grounds that apply to one kind of entity only (registry.choices.EntityKind values)
INDIVIDUAL_ONLY = frozenset({AbnormalGround.FALSE_INFO})
ENTERPRISE_ONLY = frozenset({AbnormalGround.NAME_CHANGE})


class AbnormalState(models.TextChoices):
    PROPOSED = "proposed", _("拟列入")
    LISTED = "listed", _("已列入")
    REMOVED = "removed", _("已移出")
    CANCELLED = "cancelled", _("不予列入")


class RemovalGround(models.TextChoices):
    """What ends a listing: the entity did what the ground required (信用修复管理办法 art. 5), or the decision fell."""

    REPORT_FILED = "report_filed", _("补报未报年份的年度报告并公示")
    PUBLISHED = "published", _("已经履行即时信息公示义务")
    NAME_CHANGED = "name_changed", _("已经办理企业名称变更登记")
    CORRECTED = "corrected", _("已经更正隐瞒真实情况、弄虚作假的公示信息")
    ADDRESS = "address", _("依法办理住所或者经营场所变更登记，或者通过登记的住所或者经营场所可以重新取得联系")
    REVOKED = "revoked", _("列入决定被依法撤销或者确认违法、无效")


# the removal ground that answers each listing ground (信用修复管理办法 art. 5; 企业名称登记管理规定 art. 23)
REMOVAL_FOR = {
    AbnormalGround.ANNUAL_REPORT: RemovalGround.REPORT_FILED,
    AbnormalGround.ORDERED: RemovalGround.PUBLISHED,
    AbnormalGround.NAME_CHANGE: RemovalGround.NAME_CHANGED,
    AbnormalGround.FALSE_INFO: RemovalGround.CORRECTED,
    AbnormalGround.UNREACHABLE: RemovalGround.ADDRESS,
}

# removal decided within 5 working days of the *verification* (办法 arts. 13, 14), not of the application
VERIFIED_REMOVAL = frozenset({AbnormalGround.NAME_CHANGE, AbnormalGround.UNREACHABLE})


class AbnormalAction(models.TextChoices):
    LIST = "list", _("作出列入决定")
    CANCEL = "cancel", _("不予列入")
    APPLY_REMOVAL = "apply_removal", _("登记移出申请")
    VERIFY_REMOVAL = "verify_removal", _("记录核实结果（名称变更、恢复联系）")
    REMOVE = "remove", _("作出移出决定")
    REFUSE_REMOVAL = "refuse_removal", _("不予移出")
    FLAG_REVOCATION = "flag_revocation", _("提请吊销营业执照")
    PROPOSE_SERIOUS = "propose_serious", _("提请列入严重违法失信名单")


class SeriousState(models.TextChoices):
    PROPOSED = "proposed", _("拟列入")
    NOTIFIED = "notified", _("已告知")
    HEARD = "heard", _("已陈述申辩/听证")
    DECIDED = "decided", _("已决定列入")
    LISTED = "listed", _("已列入")
    REMOVED = "removed", _("已移出")
    DROPPED = "dropped", _("不予列入")


class SeriousAction(models.TextChoices):
    NOTIFY = "notify", _("告知拟列入")
    STATEMENT = "statement", _("记录陈述申辩/听证")
    DECIDE = "decide", _("作出列入决定")
    LIST = "list", _("列入并公示")
    DROP = "drop", _("不予列入")
    REMOVE = "remove", _("移出")


class SeriousRemoval(models.TextChoices):
    EXPIRED = "expired", _("列入满三年")
    REPAIR = "repair", _("信用修复（提前移出）")
    REVOKED = "revoked", _("列入所依据的决定被撤销、确认违法或者无效")


class RepairTarget(models.TextChoices):
    ABNORMAL = "abnormal", _("经营异常名录")
    SERIOUS = "serious", _("严重违法失信名单")
    PENALTY = "penalty", _("行政处罚信息")


class RepairState(models.TextChoices):
    APPLIED = "applied", _("已申请")
    GRANTED = "granted", _("准予修复")
    REFUSED = "refused", _("不予修复")


class MismatchKind(models.TextChoices):
    UNDECLARED = "undeclared", _("未在年度报告中申报的网站、网店")
    NOT_FOUND = "not_found", _("申报的网站、网店在本局登记库中未见")


class MismatchState(models.TextChoices):
    OPEN = "open", _("待处理")
    CLUE = "clue", _("已转线索")
    LISTED = "listed", _("已提请列入经营异常名录")
    REVIEW = "review", _("待行政处罚及严重违法失信名单审查")
    DISMISSED = "dismissed", _("经核实无问题")


class ImportState(models.TextChoices):
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
