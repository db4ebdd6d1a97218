"""What the API shows of the steps after the decision and of the measures (nested into ``CaseSerializer``).

``PaymentSerializer`` and ``RectificationSerializer`` read the case itself (``source="*"``);
``RemedySerializer`` and ``MeasureSerializer`` its rows. ``AftercareInputSerializer`` lists the input of
the seven steps for the schema of ``POST …/transition/`` — it is checked by the steps' forms.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wangjian.cases.models import Case, CaseMeasure, CaseRemedy, RemedyKind, RemedyOutcome
from wangjian.cases.services import aftercare


class PaymentSerializer(serializers.Serializer):
    """The fine's payment (行政处罚法 arts. 67, 72); the surcharge and what is owed as of today while unpaid."""

    fine_amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    payment_due = serializers.DateField(read_only=True)
    paid_on = serializers.DateField(read_only=True)
    paid_amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    surcharge_amount = serializers.SerializerMethodField(help_text="加处罚款（元），未缴清的计至今日")
    owed = serializers.SerializerMethodField(help_text="尚欠（元）：罚款 + 加处罚款 − 已缴")

    def _owed(self, case: Case) -> tuple[Decimal, Decimal]:
        today = self.context.get("today") or timezone.localdate()
        return aftercare.owed(case, today)

    def get_surcharge_amount(self, case: Case) -> str:
        return f"{self._owed(case)[0]:.2f}"

    def get_owed(self, case: Case) -> str:
        return f"{self._owed(case)[1]:.2f}"


class RectificationSerializer(serializers.Serializer):
    """责令改正 (行政处罚法 art. 28) and its follow-up check."""

    rectification_order = serializers.CharField(read_only=True)
    rectify_by = serializers.DateField(read_only=True)
    rectification_checked_on = serializers.DateField(read_only=True)
    rectified = serializers.BooleanField(read_only=True, allow_null=True)
    rectification_note = serializers.CharField(read_only=True)


class RemedyPeriodSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RemedyKind.choices)
    label = serializers.CharField()
    until = serializers.DateField(allow_null=True)
    basis = serializers.CharField()
    provisional = serializers.BooleanField()


class RemedySerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseRemedy
        fields = ["id", "kind", "body", "filed_on", "in_time", "outcome", "decided_on", "note", "recorded_at"]
        read_only_fields = fields


class MeasureSerializer(serializers.ModelSerializer):
    approved_by_name = serializers.CharField(source="approved_by.__str__", read_only=True, default="")
    running = serializers.BooleanField(read_only=True)
    overdue = serializers.SerializerMethodField(help_text="仍在采取且已过期限")

    class Meta:
        model = CaseMeasure
        fields = [
            "id",
            "kind",
            "items",
            "started_on",
            "due",
            "basis",
            "extended",
            "approved_by",
            "approved_by_name",
            "ended_on",
            "outcome",
            "running",
            "overdue",
        ]
        read_only_fields = fields

    def get_overdue(self, measure: CaseMeasure) -> bool:
        today: dt.date = self.context.get("today") or timezone.localdate()
        return bool(measure.running and measure.due and measure.due < today)


class AftercareInputSerializer(serializers.Serializer):
    """The input of 登记缴纳罚款, 责令改正复查, 复议或诉讼 and its result, and the measures (for the schema)."""

    paid_on = serializers.DateField(required=False, help_text="登记缴纳罚款：缴款日期")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, help_text="缴款金额")
    checked_on = serializers.DateField(required=False, help_text="责令改正复查：复查日期")
    rectified = serializers.BooleanField(required=False, allow_null=True, help_text="已改正")
    next_check = serializers.DateField(required=False, help_text="未改正的再次复查日期")
    body = serializers.CharField(required=False, allow_blank=True, help_text="复议机关或人民法院")
    filed_on = serializers.DateField(required=False, help_text="申请或起诉日期")
    remedy = serializers.IntegerField(required=False, help_text="登记结果的复议或诉讼")
    outcome = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="复议或诉讼结果（" + "、".join(RemedyOutcome.values) + "）；措施的处理结果",
    )
    items = serializers.CharField(required=False, allow_blank=True, help_text="物品清单")
    started_on = serializers.DateField(required=False, help_text="措施采取日期")
    approved_by = serializers.IntegerField(required=False, help_text="批准采取措施的本局负责人")
    urgent = serializers.BooleanField(required=False, help_text="情况紧急，当场采取")
    measure = serializers.IntegerField(required=False, help_text="延长或解除的措施")
    ended_on = serializers.DateField(required=False, help_text="措施解除或处理日期")


class AftercareSerializer(serializers.Serializer):
    """All of it in one (``aftercare = AftercareSerializer(source="*", read_only=True)`` on the case)."""

    payment = PaymentSerializer(source="*", read_only=True)
    rectification = RectificationSerializer(source="*", read_only=True)
    remedy_periods = serializers.SerializerMethodField()
    remedies = RemedySerializer(many=True, read_only=True)
    measures = MeasureSerializer(many=True, read_only=True)

    @extend_schema_field(RemedyPeriodSerializer(many=True))
    def get_remedy_periods(self, case: Case) -> list[dict]:
        """复议 until …, 诉讼 until … once the decision is served (行政复议法第二十条；行政诉讼法第四十五条、第四十六条)."""
        return RemedyPeriodSerializer(aftercare.remedy_periods(case), many=True).data
