"""Forms of the inbox pages; they only collect input — the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wangjian.platform.forms import UnitForm


class AddressForm(UnitForm):
    label = forms.CharField(label=_("名称"), required=False, max_length=100)
    whole_bureau = forms.BooleanField(
        label=_("本局全部事件（Webhook，推送线索等每一步状态变化）"), required=False
    )
    url = forms.CharField(
        label=_("Apprise 地址"),
        max_length=500,
        help_text=_("如 mailto://user:pass@example.com、dingtalk://token/"),
    )
