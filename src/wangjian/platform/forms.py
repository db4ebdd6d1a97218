"""Form bases of the platform: forms scoped to the user's bureaus, and the log-in form."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from wangjian.org.models import Bureau, Department, Station
from wangjian.org.selectors import visible_bureau_ids


def managed_bureaus(user):
    """The bureaus a form may write to: the user's own (a superuser: all)."""
    ids = visible_bureau_ids(user)
    qs = Bureau.objects.all()
    if ids is None:
        return qs
    return qs.filter(pk=user.bureau_id)


class ScopedModelForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None:
            bureaus = managed_bureaus(user)
            if "bureau" in self.fields:
                self.fields["bureau"].queryset = bureaus
                if not self.instance.pk and user.bureau_id:
                    self.fields["bureau"].initial = user.bureau_id
            for name in ("department", "office_department"):
                if name in self.fields:
                    self.fields[name].queryset = Department.objects.filter(bureau__in=bureaus)
            if "station" in self.fields:
                self.fields["station"].queryset = Station.objects.filter(bureau__in=bureaus)
        for field in self.fields.values():
            widget = field.widget
            css = (
                "form-select form-select-sm"
                if isinstance(widget, forms.Select)
                else "form-control form-control-sm"
            )
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            widget.attrs.setdefault("class", css)


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            elif not isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-control form-control-sm")


class UnitForm(StyledForm):
    department = forms.ModelChoiceField(
        label=_("承办科室"), queryset=Department.objects.none(), required=False
    )
    station = forms.ModelChoiceField(label=_("承办基层所"), queryset=Station.objects.none(), required=False)

    def __init__(self, *args, bureau: Bureau | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if bureau is not None:
            self.fields["department"].queryset = Department.objects.filter(bureau=bureau, is_active=True)
            self.fields["station"].queryset = Station.objects.filter(bureau=bureau, is_active=True)


class LoginForm(AuthenticationForm):
    """One answer for every failed log-in: it never tells whether the account exists or is locked."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "用户名或密码错误；多次失败后账号或来源地址将暂时锁定。 / Wrong user name or password; after "
            "repeated failures the account or the address is locked for a while."
        ),
    }
