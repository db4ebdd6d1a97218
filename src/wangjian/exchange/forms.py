"""Forms of the exchange pages: the shape of the input only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wangjian.exchange.models import Category


class PartnerForm(forms.Form):
    code = forms.CharField(label=_("对方行政区划代码"), max_length=12)
    name = forms.CharField(label=_("对方单位名称"), max_length=100)
    endpoint = forms.URLField(label=_("对方接收地址"), required=False, max_length=200, assume_scheme="https")
    public_key_pem = forms.CharField(
        label=_("签名公钥（Ed25519，PEM）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )
    package_public_key_pem = forms.CharField(
        label=_("证据包签名公钥（ECDSA P-256，PEM）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )
    fetch_keys = forms.BooleanField(
        label=_("从对方接收地址读取其公布的公钥"),
        required=False,
        help_text=_("读取后请与对方电话核对公钥指纹"),
    )
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    note = forms.CharField(label=_("备注"), required=False, max_length=300)


class AgreementForm(forms.Form):
    reference = forms.CharField(label=_("协议名称或文号"), max_length=200)
    categories = forms.MultipleChoiceField(
        label=_("协作范围"), choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )
    valid_from = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("终止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    personal_data = forms.BooleanField(label=_("可提供个人信息"), required=False)
    review_before_sending = forms.BooleanField(label=_("发送前须审核"), required=False, initial=True)
    assistance_days = forms.IntegerField(
        label=_("协查期限（工作日）"), required=False, min_value=1, max_value=60
    )


class FileForm(forms.Form):
    file = forms.FileField(label=_("文件"))


class ReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审核意见"), choices=(("1", _("同意发送")), ("0", _("不同意"))), coerce=lambda v: v == "1"
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=300)
