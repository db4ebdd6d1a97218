"""What each step asks for (the pages render these fields; the API takes the same names), and the forms that open
a request. Values go to the services unchanged: the services check them and refuse in both languages."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from wangjian.assist.choices import AssistanceAction as A
from wangjian.assist.choices import InternalAction as IA
from wangjian.assist.choices import InternalKind
from wangjian.org.models import Bureau


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text | textarea | number | department | user


REASON = Field("reason", "理由", "textarea")
STEP_FIELDS: dict[str, tuple[Field, ...]] = {
    A.SEND: (),
    A.WITHDRAW: (REASON,),
    A.ACCEPT: (Field("department", "承办单位", "department"), Field("assignee", "承办人（可不选）", "user")),
    A.REFUSE: (Field("reason", "拒绝理由（如不属本局职权范围）", "textarea"),),
    A.EXTEND: (Field("days", "延长（工作日）", "number"), Field("reason", "延期理由", "textarea")),
    A.ANSWER: (
        Field("answer", "协查答复", "textarea"),
        Field("findings", "查明的事实", "textarea"),
        Field("captures", "本局取证记录编号（逗号分隔，可不填）"),
    ),
    A.CLOSE: (Field("note", "确认意见", "textarea"),),
    A.RETURN: (Field("reason", "需要补充协查的事项", "textarea"),),
}
INTERNAL_STEP_FIELDS: dict[str, tuple[Field, ...]] = {
    IA.ACCEPT: (Field("assignee", "承办人（默认本人）", "user"),),
    IA.CAPTURE: (Field("operators", "取证人员（逗号分隔，应为两名以上执法人员）"),),
    IA.LINK_CAPTURE: (Field("capture", "本局取证记录编号", "number"), Field("result", "说明", "textarea")),
    IA.RESULT: (
        Field("result", "核查结果", "textarea"),
        Field("findings", "关联监测发现编号（逗号分隔，可不填）"),
    ),
    IA.CANCEL: (REASON,),
}


def step_values(fields: tuple[Field, ...], data) -> dict:  # noqa: ANN001
    """A step's values from a POST or a JSON body: only the step's fields."""
    out = {}
    for field in fields:
        value = data.get(field.name)
        if value not in (None, ""):
            out[field.name] = value.strip() if isinstance(value, str) else value
    return out


TEXTAREA = forms.Textarea(attrs={"rows": 3})


class AssistanceForm(forms.Form):
    """提出协查: the receiving bureau (on this instance, or a partner's code and name), the question, the subject."""

    to_bureau = forms.ModelChoiceField(
        label=_("协查局（本平台）"), queryset=Bureau.objects.all(), required=False
    )
    external_bureau_code = forms.CharField(label=_("或外部局行政区划代码"), max_length=6, required=False)
    external_bureau_name = forms.CharField(label=_("外部局名称"), max_length=100, required=False)
    question = forms.CharField(label=_("协查事项"), widget=TEXTAREA, max_length=5000)
    entity_uscc = forms.CharField(label=_("市场主体统一社会信用代码"), max_length=18, required=False)
    entity_name = forms.CharField(label=_("市场主体名称"), max_length=200, required=False)
    presence_url = forms.CharField(label=_("网址"), max_length=500, required=False)
    platform_name = forms.CharField(label=_("平台"), max_length=100, required=False)
    shop_name = forms.CharField(label=_("店铺名称"), max_length=200, required=False)
    clue_number = forms.CharField(label=_("所涉线索编号"), max_length=80, required=False)
    case_number = forms.CharField(label=_("所涉案件立案编号"), max_length=60, required=False)
    send = forms.BooleanField(label=_("立即发出协查函"), required=False)

    def __init__(self, *args, user=None, **kwargs):  # noqa: ANN001
        super().__init__(*args, **kwargs)
        if user is not None and user.bureau_id:
            self.fields["to_bureau"].queryset = Bureau.objects.exclude(pk=user.bureau_id)


class InternalForm(forms.Form):
    """请网络市场监管机构核查或取证: what, where, why."""

    kind = forms.ChoiceField(label=_("请求类型"), choices=InternalKind.choices)
    url = forms.CharField(label=_("网址"), max_length=2000, required=False)
    presence = forms.IntegerField(
        label=_("网络经营场所编号（可不填）"), required=False, min_value=1, max_value=2**63 - 1
    )
    purpose = forms.CharField(label=_("请求事项和事由"), widget=TEXTAREA, max_length=5000)


class PeriodForm(forms.Form):
    days = forms.IntegerField(label=_("内部协作请求办结期限（工作日）"), min_value=1, max_value=365)


class AgreementForm(forms.Form):
    partner_code = forms.CharField(label=_("协作单位行政区划代码"), max_length=6)
    partner_name = forms.CharField(label=_("协作单位名称"), max_length=100)
    agreement = forms.CharField(label=_("协作协议名称或文号"), max_length=150)
    days = forms.IntegerField(label=_("约定的协查期限（工作日）"), min_value=1, max_value=365)
