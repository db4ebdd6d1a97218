"""Forms of the complaint pages; they only collect input — the services decide.

The registration form and one form per step (``ACTION_FORMS``). A value the service checks with a rule of its
own (a ground of art. 15 or 21, the facts of art. 9, the agreement …) is optional here, so that the service's
refusal, citing its article, is what the page and the API both show.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangjian.complaints.choices import (
    Action,
    Channel,
    Kind,
    MediationEnd,
    MediationMethod,
    RefusalGround,
    RespondentKind,
)
from wangjian.complaints.models import Complaint
from wangjian.core.errors import ValidationFailed, WangjianError
from wangjian.org.choices import Domain
from wangjian.platform.forms import StyledForm

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
REGION = r"^\d{6,12}$"
BLANK = [("", "—")]


def _text(label, *, rows: int = 2, required: bool = False, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


def _amount(label) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=False, min_value=0, max_digits=14, decimal_places=2)


class RegisterForm(StyledForm):
    """登记投诉举报: what 投诉举报处理暂行办法 art. 9 (a complaint) and art. 24 (a report) ask for."""

    kind = forms.ChoiceField(label=_("类别"), choices=Kind.choices, initial=Kind.COMPLAINT)
    channel = forms.ChoiceField(
        label=_("受理渠道"), choices=Channel.choices, initial=Channel.PHONE, required=False
    )
    source_number = forms.CharField(label=_("12315编号"), max_length=60, required=False)
    received_on = forms.DateField(label=_("收到日期"), required=False, help_text=_("不填为今天"), **DATE)
    person_name = forms.CharField(label=_("投诉人/举报人"), max_length=100, required=False)
    person_phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    person_address = forms.CharField(label=_("通讯地址"), max_length=300, required=False)
    person_id_number = forms.CharField(label=_("身份证件号码"), max_length=40, required=False)
    respondent_name = forms.CharField(label=_("被投诉人/被举报人"), max_length=200, required=False)
    respondent_uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    respondent_kind = forms.ChoiceField(
        label=_("经营者类别"), choices=RespondentKind.choices, initial=RespondentKind.SELLER, required=False
    )
    respondent_region = forms.RegexField(
        label=_("住所地/实际经营地区划代码"),
        regex=REGION,
        required=False,
        help_text=_("用于核对管辖、分流至辖区市场监管所"),
    )
    platform_name = forms.CharField(label=_("平台"), max_length=100, required=False)
    platform_region = forms.RegexField(label=_("平台住所地区划代码"), regex=REGION, required=False)
    presence_label = forms.CharField(label=_("网店/网址"), max_length=500, required=False)
    domain = forms.ChoiceField(label=_("监管领域"), choices=BLANK + list(Domain.choices), required=False)
    category = forms.CharField(label=_("商品或服务类别"), max_length=100, required=False)
    summary = _text(_("投诉举报内容（事实）"), rows=4)
    demand = _text(_("诉求"))
    amount = _amount(_("涉及金额（元）"))

    WIDE = ("summary", "demand", "presence_label", "person_address")


def register_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """The registration's input checked and typed, or refused with what is wrong — for the page and the API."""
    return _checked(RegisterForm(data))


class AcceptForm(StyledForm):
    accepted_on = forms.DateField(label=_("受理日期"), required=False, help_text=_("不填为今天"), **DATE)


class RefuseForm(StyledForm):
    ground = forms.ChoiceField(
        label=_("不予受理情形（第十五条）"), choices=BLANK + list(RefusalGround.choices), required=False
    )
    note = _text(_("说明"))


class TransferForm(StyledForm):
    target = forms.CharField(label=_("接收机关"), max_length=200, required=False)
    reason = _text(_("移送理由"))


class UndertakingForm(StyledForm):
    """首问负责 and 赔偿先付, where a business or platform undertook them (a part of several steps)."""

    first_responsibility = forms.BooleanField(label=_("经营者或平台首问负责"), required=False)
    advance_compensation = forms.BooleanField(label=_("先行赔付（赔偿先付）"), required=False)
    undertaking_note = forms.CharField(
        label=_("先行赔付或首问负责的经营者/平台"), max_length=200, required=False
    )


class MediateForm(UndertakingForm):
    method = forms.ChoiceField(
        label=_("调解方式"), choices=BLANK + list(MediationMethod.choices), required=False
    )
    held_on = forms.DateField(label=_("调解日期"), required=False, help_text=_("不填为今天"), **DATE)
    entrusted_to = forms.CharField(label=_("受委托组织"), max_length=200, required=False)
    record = _text(_("调解情况"), rows=3)

    field_order = ["method", "held_on", "entrusted_to", "record"]


class OdrForm(StyledForm):
    platform = forms.CharField(label=_("平台名称"), max_length=100, required=False)


class OdrResultForm(UndertakingForm):
    outcome = _text(_("平台处理结果"))
    solved = forms.BooleanField(label=_("已解决（投诉办结）"), required=False)
    recovered = _amount(_("挽回经济损失（元）"))

    field_order = ["outcome", "solved", "recovered"]


class ResolveForm(UndertakingForm):
    agreement = _text(_("调解协议内容"), rows=3)
    recovered = _amount(_("挽回经济损失（元）"))

    field_order = ["agreement", "recovered"]


class EndForm(StyledForm):
    ground = forms.ChoiceField(
        label=_("终止调解情形（第二十一条）"), choices=BLANK + list(MediationEnd.choices), required=False
    )


class NoteForm(StyledForm):
    note = _text(_("说明"))


class NotifyForm(StyledForm):
    notified_on = forms.DateField(label=_("告知日期"), required=False, help_text=_("不填为今天"), **DATE)
    how = forms.CharField(label=_("告知方式"), max_length=200, required=False)


class CloseForm(StyledForm):
    note = _text(_("核查结论"), rows=3)


class NoInputForm(StyledForm):
    """A step that takes nothing but the click (转为线索, 拆分)."""


ACTION_FORMS: dict[str, type[forms.Form]] = {
    Action.ACCEPT: AcceptForm,
    Action.REFUSE: RefuseForm,
    Action.TRANSFER: TransferForm,
    Action.MEDIATE: MediateForm,
    Action.ODR: OdrForm,
    Action.ODR_RESULT: OdrResultForm,
    Action.RESOLVE: ResolveForm,
    Action.END: EndForm,
    Action.WITHDRAW: NoteForm,
    Action.NOTIFY: NotifyForm,
    Action.TO_CLUE: NoInputForm,
    Action.CLOSE: CloseForm,
    Action.SPLIT: NoInputForm,
}


def action_form(
    action: str,
    complaint: Complaint,
    data: Mapping[str, Any] | None = None,
    *,
    prefix: str | None = None,
) -> forms.Form:
    cls = ACTION_FORMS.get(action)
    if cls is None:
        raise WangjianError(f"未知的操作：{action}", f"Unknown action: {action}", code="unknown_action")
    return cls(data, prefix=prefix)


def action_input(
    action: str, complaint: Complaint, data: Mapping[str, Any], *, prefix: str | None = None
) -> dict[str, Any]:
    """The step's input checked and typed, or refused with what is wrong — for the page and the API alike."""
    return _checked(action_form(action, complaint, data, prefix=prefix))


def _checked(form: forms.Form) -> dict[str, Any]:
    if not form.is_valid():
        problems = {
            str(form.fields[name].label) if name in form.fields else name: [str(e) for e in errors]
            for name, errors in form.errors.items()
        }
        listed = "；".join(f"{label}：{'、'.join(msgs)}" for label, msgs in problems.items())
        raise ValidationFailed(f"输入有误：{listed}", "Invalid input", detail=problems)
    return form.cleaned_data
