"""``POST /api/leads/``: another system or instance hands a lead to the port in natural keys."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, views
from rest_framework.response import Response

from wangjian.core.audit import acting
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org import permissions as table
from wangjian.org.models import Bureau
from wangjian.org.selectors import can_manage
from wangjian.platform.intake.choices import SourceKind
from wangjian.platform.intake.port import Lead, Reporter, lead_submit
from wangjian.platform.permissions import LEADS_SUBMIT


class LeadSerializer(serializers.Serializer):
    bureau = serializers.RegexField(r"^\d{6}$", help_text="接收单位的行政区划代码")
    source_kind = serializers.ChoiceField(choices=SourceKind.choices)
    source_ref = serializers.CharField(max_length=200)
    domain = serializers.CharField(max_length=32)
    facts = serializers.CharField()
    received = serializers.DateTimeField(required=False, allow_null=True)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    entity_uscc = serializers.CharField(required=False, allow_blank=True, max_length=18)
    entity_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    presence_url = serializers.CharField(required=False, allow_blank=True, max_length=500)
    platform = serializers.CharField(required=False, allow_blank=True, max_length=100)
    account_id = serializers.CharField(required=False, allow_blank=True, max_length=200)
    presence_label = serializers.CharField(required=False, allow_blank=True, max_length=500)
    region = serializers.RegexField(r"^\d{6,12}$", required=False, allow_blank=True)
    evidence = serializers.ListField(child=serializers.CharField(max_length=80), required=False)
    reporter_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    reporter_contact = serializers.CharField(required=False, allow_blank=True, max_length=200)


class LeadReceiptSerializer(serializers.Serializer):
    number = serializers.CharField()
    created = serializers.BooleanField()
    reason_zh = serializers.CharField()
    reason_en = serializers.CharField()
    url = serializers.CharField()


class LeadView(views.APIView):
    """Receive a lead for a bureau the caller belongs to (or manages): the clue it became and why."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=LeadSerializer, responses={201: LeadReceiptSerializer, 200: LeadReceiptSerializer})
    def post(self, request):
        data = LeadSerializer(data=request.data)
        if not data.is_valid():
            raise ValidationFailed("线索参数无效", "Invalid lead", detail=data.errors)
        values = dict(data.validated_data)
        bureau = Bureau.objects.filter(code=values["bureau"]).first()
        user = request.user
        table.require(user, LEADS_SUBMIT)  # the auditor is read-only (the permission table)
        if not (
            user.is_superuser
            or (bureau is not None and (bureau.pk == user.bureau_id or can_manage(user, bureau)))
        ):
            raise PermissionDeniedError("只能向本局提交线索", "Leads go only to your own bureau")
        name, contact = values.pop("reporter_name", ""), values.pop("reporter_contact", "")
        lead = Lead(
            **{**values, "evidence": tuple(values.get("evidence", ()))},
            reporter=Reporter(name, contact) if name else None,
            finder=user.username,
        )
        with acting(user, via="api"):
            receipt = lead_submit(lead)
        body = LeadReceiptSerializer(receipt).data
        return Response(body, status=status.HTTP_201_CREATED if receipt.created else status.HTTP_200_OK)
