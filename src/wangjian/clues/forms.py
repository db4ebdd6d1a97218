"""Forms of the clue pages; they only collect input — the services decide."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangjian.clues.choices import Action, CheckResult, Disposal, ReferKind, SourceKind
from wangjian.clues.models import Clue
from wangjian.core.errors import ValidationFailed, WangjianError
from wangjian.org.choices import Domain
from wangjian.org.models import Bureau, User
from wangjian.platform.clocks import catalogue
from wangjian.platform.clocks.catalogue import SuspensionKind
from wangjian.platform.forms import StyledForm, UnitForm


class ClueIntakeForm(StyledForm):
    source_kind = forms.ChoiceField(
        label=_("线索来源"), choices=SourceKind.choices, initial=SourceKind.MANUAL
    )
    source_ref = forms.CharField(label=_("来源编号"), required=False, max_length=200)
    domain = forms.ChoiceField(label=_("监管领域"), choices=Domain.choices)
    title = forms.CharField(label=_("标题"), required=False, max_length=200)
    entity_name = forms.CharField(label=_("主体名称"), required=False, max_length=200)
    entity_uscc = forms.CharField(label=_("统一社会信用代码"), required=False, max_length=18)
    presence_label = forms.CharField(label=_("网店/网址"), required=False, max_length=500)
    region_code = forms.RegexField(
        label=_("区划代码（乡镇/街道）"),
        required=False,
        regex=r"^\d{6,12}$",
        help_text=_("用于按属地分派基层所"),
    )
    facts = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 4}))
    reporter_name = forms.CharField(
        label=_("举报人姓名"),
        required=False,
        max_length=100,
        help_text=_("实名举报的，办结后须告知其处理结果"),
    )
    reporter_contact = forms.CharField(label=_("举报人联系方式"), required=False, max_length=200)
    attachment = forms.FileField(label=_("附件"), required=False)


class AssignForm(UnitForm):
    comment = forms.CharField(label=_("说明"), required=False)


class OverrideForm(UnitForm):
    reason = forms.CharField(label=_("改派理由"))


class CommentForm(StyledForm):
    comment = forms.CharField(label=_("说明"), required=False)


class FeedbackForm(StyledForm):
    result = forms.ChoiceField(label=_("核查结论"), choices=CheckResult.choices)
    actions = forms.CharField(label=_("核查情况及措施"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(StyledForm):
    # 立案查处 is not typed here: it is the bureau head's approval of the 立案审批表 (cases app)
    disposal = forms.ChoiceField(
        label=_("处置结果"), choices=[c for c in Disposal.choices if c[0] != Disposal.CASE]
    )
    note = forms.CharField(
        label=_("处置说明/不予处理理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    refer_kind = forms.ChoiceField(
        label=_("移送对象类别"), choices=[("", "—"), *ReferKind.choices], required=False
    )
    refer_target = forms.CharField(label=_("移送机关"), required=False)
    lessons = forms.CharField(
        label=_("举一反三（暴露的问题与采取的措施）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FilingStopForm(StyledForm):
    """检测、检验、检疫、鉴定 or 权利人辨认: time that does not count on the filing clock (art. 18)."""

    kind = forms.ChoiceField(
        label=_("不计入事由"),
        choices=[(k, label) for k, label in SuspensionKind.choices if k in catalogue.ART18],
    )
    start = forms.DateField(
        label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("说明（送检机构、鉴定事项）"))


class FilingResumeForm(StyledForm):
    end = forms.DateField(
        label=_("结束日期（含当日）"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class TransferForm(StyledForm):
    to_bureau = forms.ModelChoiceField(label=_("移交至"), queryset=Bureau.objects.all())
    reason = forms.CharField(label=_("理由"))


class EscalateForm(StyledForm):
    note = forms.CharField(label=_("督办意见"), widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(StyledForm):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(StyledForm):
    into = forms.CharField(label=_("并入线索编号"))
    reason = forms.CharField(label=_("理由"), required=False)

    def __init__(self, *args, clue: Clue | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.clue = clue

    def clean_into(self) -> Clue | str:
        """The clue of the same bureau with that number (or id)."""
        ref = self.cleaned_data["into"].strip()
        if self.clue is None:
            return ref
        into = (
            Clue.objects.filter(bureau=self.clue.bureau)
            .filter(Q(number=ref) | Q(pk=int(ref) if ref.isdigit() else 0))
            .first()
        )
        if into is None:
            raise forms.ValidationError(_("找不到本局线索 %(ref)s") % {"ref": ref})
        return into


class SplitForm(StyledForm):
    sources = forms.MultipleChoiceField(label=_("拆分的来源"), widget=forms.CheckboxSelectMultiple)
    domain = forms.ChoiceField(label=_("新线索的监管领域"), choices=Domain.choices)
    reason = forms.CharField(label=_("理由"), required=False)

    def __init__(self, *args, clue: Clue | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if clue is not None:
            self.fields["sources"].choices = [(s.pk, str(s)) for s in clue.sources.all()]
            self.fields["domain"].initial = clue.domain

    def clean_sources(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["sources"]]


class ShareForm(StyledForm):
    with_user = forms.ModelChoiceField(label=_("共享给"), queryset=User.objects.none())

    def __init__(self, *args, bureau: Bureau | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if bureau is not None:
            self.fields["with_user"].queryset = User.objects.filter(bureau=bureau, is_active=True)


# ---------------------------------------------------------------- the steps' input, for the page and the API alike

ACTION_FORMS: dict[str, type[forms.Form]] = {
    Action.ASSIGN: AssignForm,
    Action.OVERRIDE: OverrideForm,
    Action.ACCEPT: CommentForm,
    Action.FEEDBACK: FeedbackForm,
    Action.START_DISPOSAL: CommentForm,
    Action.CLOSE: CloseForm,
    Action.RETURN: ReasonForm,
    Action.TRANSFER: TransferForm,
    Action.ESCALATE: EscalateForm,
    Action.ESCALATE_GROUP: EscalateForm,
    Action.ANSWER: AnswerForm,
    Action.MERGE: MergeForm,
    Action.SPLIT: SplitForm,
    Action.SHARE: ShareForm,
    Action.FILING_STOP: FilingStopForm,
    Action.FILING_RESUME: FilingResumeForm,
    Action.FILING_EXTEND: ReasonForm,
}


def action_form(
    action: str, clue: Clue, data: Mapping[str, Any] | None = None, *, prefix: str | None = None, **kwargs
) -> forms.Form:
    """The form of one step of ``clue``, its choices limited to what the clue's bureau has."""
    cls = ACTION_FORMS.get(action)
    if cls is None:
        raise WangjianError(f"未知的操作：{action}", f"Unknown action: {action}", code="unknown_action")
    if issubclass(cls, UnitForm) or cls is ShareForm:
        kwargs["bureau"] = clue.bureau
    elif cls in (SplitForm, MergeForm):
        kwargs["clue"] = clue
    form = cls(data, prefix=prefix, **kwargs)
    if cls is TransferForm:
        form.fields["to_bureau"].queryset = Bureau.objects.exclude(pk=clue.bureau_id)
    return form


def action_input(
    action: str, clue: Clue, data: Mapping[str, Any], *, prefix: str | None = None
) -> dict[str, Any]:
    """The step's input checked and typed (units, bureaus, users and clues as rows), or refused with what is wrong.

    The clue page's buttons and the API's ``transition`` both come here, so the same input is
    refused with the same words.
    """
    form = action_form(action, clue, data, prefix=prefix)
    if not form.is_valid():
        problems = {
            str(form.fields[name].label) if name in form.fields else name: [str(e) for e in errors]
            for name, errors in form.errors.items()
        }
        listed = "；".join(f"{label}：{'、'.join(msgs)}" for label, msgs in problems.items())
        raise ValidationFailed(f"操作参数无效：{listed}", "Invalid input for this step", detail=problems)
    return form.cleaned_data
