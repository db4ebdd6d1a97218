"""What each step asks for (the pages render these fields; the API takes the same names), and the forms that
open a record. The values go to the services unchanged: the services check them and refuse in both languages."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from wangjian.credit.choices import AbnormalGround, RemovalGround, RepairTarget, SeriousRemoval

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text | textarea | date | check | select
    choices: tuple = ()


NOTE = Field("note", "说明", "textarea")
STEP_FIELDS: dict[tuple[str, str], tuple[Field, ...]] = {
    ("abnormal", "list"): (
        Field("decided_on", "列入决定日期", "date"),
        Field("listed_on", "列入（公示）日期", "date"),
    ),
    ("abnormal", "cancel"): (NOTE,),
    ("abnormal", "apply_removal"): (
        Field("applied_on", "申请日期", "date"),
        Field("removal_ground", "移出事由", "select", tuple(RemovalGround.choices)),
        Field("report_published_on", "补报年度报告公示日期（未报年报列入的）", "date"),
        Field("verified_on", "核实日期（名称变更、恢复联系的，已核实时填写）", "date"),
        Field("note", "当事人履行义务的情况", "textarea"),
    ),
    ("abnormal", "verify_removal"): (Field("verified_on", "核实日期", "date"),),
    ("abnormal", "remove"): (
        Field("removed_on", "移出日期", "date"),
        Field(
            "removal_ground",
            "列入决定被撤销时选择",
            "select",
            ((RemovalGround.REVOKED, RemovalGround.REVOKED.label),),
        ),
        NOTE,
    ),
    ("abnormal", "refuse_removal"): (Field("note", "不予移出的理由", "textarea"),),
    ("abnormal", "flag_revocation"): (),
    ("abnormal", "propose_serious"): (Field("ground", "弄虚作假情节严重的事实和依据", "textarea"),),
    ("serious", "notify"): (Field("notified_on", "告知书送达日期", "date"),),
    ("serious", "statement"): (
        Field("statement_on", "陈述申辩日期", "date"),
        Field("statement", "陈述申辩意见", "textarea"),
        Field("hearing_requested", "要求听证", "check"),
        Field("hearing_on", "听证日期", "date"),
        Field("hearing_report", "听证情况", "textarea"),
    ),
    ("serious", "decide"): (
        Field("decided_on", "列入决定日期", "date"),
        Field("superior_consent_on", "上一级市场监管部门同意日期", "date"),
    ),
    ("serious", "list"): (Field("listed_on", "列入（公示）日期", "date"),),
    ("serious", "drop"): (Field("note", "不予列入的理由", "textarea"),),
    ("serious", "remove"): (
        Field("removed_on", "移出日期", "date"),
        Field(
            "removal_ground",
            "移出事由",
            "select",
            tuple(c for c in SeriousRemoval.choices if c[0] != SeriousRemoval.REPAIR),
        ),
        NOTE,
    ),
    ("repair", "grant"): (
        Field("decided_on", "决定日期", "date"),
        Field("conditions_checked", "条件已核实", "check"),
        NOTE,
    ),
    ("repair", "refuse"): (
        Field("decided_on", "决定日期", "date"),
        Field("note", "不予修复的理由", "textarea"),
    ),
    ("mismatch", "to_clue"): (NOTE,),
    ("mismatch", "to_listing"): (Field("found_on", "查实日期", "date"), NOTE),
    ("mismatch", "to_review"): (NOTE,),
    ("mismatch", "dismiss"): (Field("note", "核实情况", "textarea"),),
}


def step_values(record: str, action: str, data) -> dict:  # noqa: ANN001
    """The values of a step from a POST or a JSON body: only the step's fields, a check as true/false."""
    out = {}
    for field in STEP_FIELDS.get((record, action), ()):
        value = data.get(field.name)
        if field.kind == "check":
            out[field.name] = value in (True, "1", "true", "on", "yes", "True")
        elif value not in (None, ""):
            out[field.name] = value if not isinstance(value, str) else value.strip()
    return out


class ProposeForm(forms.Form):
    """提请列入经营异常名录: the entity by its code, the ground, the period's end (or the report year)."""

    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    ground = forms.ChoiceField(label=_("列入事由"), choices=AbnormalGround.choices)
    report_year = forms.IntegerField(
        label=_("未报年度（未报年报的）"), required=False, min_value=2013, max_value=2100
    )
    period_end = forms.DateField(
        label=_("责令期限届满/名称变更期限届满/查实日期（其他事由）"), required=False, widget=DATE
    )
    facts = forms.CharField(label=_("事实"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SeriousForm(forms.Form):
    """提请列入严重违法失信名单 on a heavier penalty decision."""

    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    penalty_number = forms.CharField(label=_("所依据的行政处罚决定书文号"), max_length=60, required=False)
    ground = forms.CharField(label=_("拟列入的事由和依据"), widget=forms.Textarea(attrs={"rows": 3}))


class RepairForm(forms.Form):
    """登记信用修复申请: the record, the day, and what the entity shows for each condition."""

    target = forms.ChoiceField(label=_("修复对象"), choices=RepairTarget.choices)
    record = forms.CharField(label=_("记录（名录/名单编号，或处罚信息 来源:编号）"), max_length=80)
    applied_on = forms.DateField(label=_("申请日期"), required=False, widget=DATE)
    obligation = forms.BooleanField(label=_("已履行列入事由对应的义务"), required=False)
    fulfilled = forms.BooleanField(label=_("已经自觉履行行政处罚决定中规定的义务"), required=False)
    harm_removed = forms.BooleanField(label=_("已经主动消除危害后果和不良影响"), required=False)
    no_repeat = forms.BooleanField(label=_("未因同一类违法行为再次受到行政处罚"), required=False)
    no_heavier = forms.BooleanField(label=_("未再受到较重行政处罚"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("年度报告导出文件（.xlsx 或 .csv）"))
