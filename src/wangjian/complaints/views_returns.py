"""七日无理由退货: the officer (or a 12315 operator on the phone) asks whether goods may be returned, and by when."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangjian.complaints.services.returns import GoodsKind, seven_day_return
from wangjian.core.errors import WangjianError
from wangjian.platform.forms import StyledForm

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class ReturnForm(StyledForm):
    kind = forms.ChoiceField(label=_("商品类别"), choices=GoodsKind.choices)
    received_on = forms.DateField(label=_("签收商品日期"), **DATE)
    confirmed_at_purchase = forms.BooleanField(
        label=_("经消费者在购买时确认不适用七日无理由退货"), required=False
    )
    returned_on = forms.DateField(label=_("提出退货日期（留空为今天）"), required=False, **DATE)
    returned_received_on = forms.DateField(label=_("经营者收到退回商品日期"), required=False, **DATE)
    intact = forms.BooleanField(label=_("商品完好（能够保持原有品质、功能）"), required=False, initial=True)


@login_required
def returns(request):
    form = ReturnForm(request.GET or None)
    answer, error = None, ""
    if request.GET and form.is_valid():
        try:
            answer = seven_day_return(**form.cleaned_data, today=timezone.localdate())
        except WangjianError as exc:
            error = str(exc)
    return render(request, "complaints/returns.html", {"form": form, "answer": answer, "error": error})
