"""Forms of the work-item pages; they only collect input — the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wangjian.org.choices import Domain
from wangjian.org.models import Bureau, User
from wangjian.platform.forms import StyledForm, UnitForm
from wangjian.platform.workitems import kinds


class WorkItemForm(UnitForm):
    """The office (or a department head) hands a unit or a person something to do by a date."""

    kind = forms.ChoiceField(label=_("类型"))
    title = forms.CharField(label=_("事项"), max_length=200)
    body = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    assignee = forms.ModelChoiceField(label=_("承办人"), queryset=User.objects.none(), required=False)
    due = forms.DateField(
        label=_("期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    working_days = forms.IntegerField(
        label=_("或：自今日起工作日数"), required=False, min_value=1, max_value=120, help_text=_("二选一")
    )
    domain = forms.ChoiceField(label=_("监管领域"), choices=[("", "—"), *Domain.choices], required=False)
    urgent = forms.BooleanField(label=_("紧急（非工作时间也推送）"), required=False)

    def __init__(self, *args, bureau: Bureau | None = None, **kwargs):
        super().__init__(*args, bureau=bureau, **kwargs)
        self.fields["kind"].choices = [(k.key, k.label) for k in kinds.kinds() if not k.own_section]
        self.fields["kind"].widget.attrs["class"] = "form-select form-select-sm"
        if bureau is not None:
            self.fields["assignee"].queryset = User.objects.filter(bureau=bureau, is_active=True).order_by(
                "username"
            )


class FinishForm(StyledForm):
    result = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(StyledForm):
    note = forms.CharField(label=_("督办意见"), widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(StyledForm):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 2}))
