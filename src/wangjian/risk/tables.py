"""The grade list: the entity, its grade and score, the credit class, since when, and the reasons in short."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wangjian.platform.tables import BaseTable
from wangjian.risk.models import EntityGrade

BADGE = {"key": "bg-danger", "warning": "bg-warning text-dark", "general": "bg-secondary"}


class EntityGradeTable(BaseTable):
    entity = tables.Column(verbose_name=_("市场主体"), linkify=lambda record: record.get_absolute_url())
    uscc = tables.Column(verbose_name=_("统一社会信用代码"), accessor="entity__uscc")
    region = tables.Column(verbose_name=_("区划代码"), accessor="entity__region_code")
    grade = tables.Column(verbose_name=_("风险等级"))
    score = tables.Column(verbose_name=_("风险分"))
    credit_class = tables.Column(verbose_name=_("信用风险分类"))
    since = tables.DateColumn(verbose_name=_("本等级起始日期"), format="Y-m-d")
    words = tables.Column(verbose_name=_("评定理由"), orderable=False)

    class Meta(BaseTable.Meta):
        model = EntityGrade
        fields = ("entity", "uscc", "region", "grade", "score", "credit_class", "since", "words")

    def render_grade(self, record, value):
        return format_html('<span class="badge {}">{}</span>', BADGE.get(record.grade, ""), value)

    def value_grade(self, record, value):
        return record.get_grade_display()

    def render_score(self, value):
        return f"{value:g}"

    def render_credit_class(self, record):
        if not record.credit_class:
            return "—"
        return (
            f"{record.credit_class}（{record.credit_month:%Y-%m}）"
            if record.credit_month
            else record.credit_class
        )

    def render_words(self, value):
        return value if len(value) <= 90 else f"{value[:90]}…"
