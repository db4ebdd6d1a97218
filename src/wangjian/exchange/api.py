"""REST endpoints of the exchange: the messages (the list's filters), the partners, and the office's steps.

``/api/exchange/messages/`` (read; ``POST …/{id}/review/`` with ``{"approve": true|false, "note": …}``, ``POST
…/{id}/resend/``), ``/api/exchange/partners/`` (read, with the agreement). The same services as the pages,
refused in the same words. The machine endpoint a partner posts to is ``/exchange/inbox/`` (not under /api:
it takes no token, the message's signature is its authority).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.core.api import IdCursorPagination
from wangjian.core.audit import acting
from wangjian.exchange import filtersets, kinds, selectors, services
from wangjian.exchange.models import Agreement, Message, MessageEvent, Partner, ReceivedPackage
from wangjian.exchange.permissions import MESSAGE_READ
from wangjian.org import permissions as table


class ExchangeEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = MessageEvent
        fields = ("at", "what", "detail")


class ReceivedPackageSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReceivedPackage
        fields = (
            "id",
            "name",
            "sha256",
            "size",
            "url",
            "captured_at",
            "verified",
            "linked_model",
            "linked_id",
        )


class ExchangeMessageSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    partner_code = serializers.CharField(source="partner.code", default="", read_only=True)

    class Meta:
        model = Message
        fields = (
            "id",
            "direction",
            "message_id",
            "in_reply_to",
            "kind",
            "kind_label",
            "category",
            "title",
            "partner",
            "partner_code",
            "sender_code",
            "recipient_code",
            "created_at",
            "recorded_at",
            "state",
            "attempts",
            "next_attempt_at",
            "last_error",
            "delivered_at",
            "reason_zh",
            "reason_en",
            "refusal_code",
            "result",
            "bundle_sha256",
            "envelope_sha256",
            "size",
        )

    def get_kind_label(self, obj: Message) -> str:
        return kinds.label(obj.kind)


class ExchangeMessageDetailSerializer(ExchangeMessageSerializer):
    events = ExchangeEventSerializer(many=True, read_only=True)
    packages = ReceivedPackageSerializer(many=True, read_only=True)

    class Meta(ExchangeMessageSerializer.Meta):
        fields = (*ExchangeMessageSerializer.Meta.fields, "body", "receipt", "events", "packages")


class ExchangeReviewSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class ExchangeAgreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agreement
        fields = (
            "reference",
            "categories",
            "personal_data",
            "review_before_sending",
            "valid_from",
            "valid_until",
            "assistance_days",
        )


class ExchangePartnerSerializer(serializers.ModelSerializer):
    agreement = ExchangeAgreementSerializer(read_only=True, allow_null=True, default=None)

    class Meta:
        model = Partner
        fields = (
            "id",
            "bureau",
            "code",
            "name",
            "endpoint",
            "fingerprint",
            "package_fingerprint",
            "active",
            "note",
            "agreement",
        )


class MessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The bureau's messages with partner instances, sent and received (refused ones with the reason)."""

    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ExchangeMessageSerializer
    filterset_class = filtersets.MessageFilterSet
    queryset = Message.objects.none()

    def get_queryset(self):
        if self.action == "retrieve" and not table.may(self.request.user, MESSAGE_READ):
            return Message.objects.none()  # one message: not found, as another bureau's is
        table.require(self.request.user, MESSAGE_READ)
        return selectors.messages_visible(self.request.user)

    def get_serializer_class(self):
        return ExchangeMessageDetailSerializer if self.action == "retrieve" else ExchangeMessageSerializer

    @extend_schema(request=ExchangeReviewSerializer, responses={200: ExchangeMessageSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        message = self.get_object()
        body = ExchangeReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with acting(request.user, via="api"):
            services.message_review(
                message=message,
                user=request.user,
                approve=body.validated_data["approve"],
                note=body.validated_data["note"],
            )
        return Response(ExchangeMessageSerializer(message).data)

    @extend_schema(request=None, responses={200: ExchangeMessageSerializer})
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        message = self.get_object()
        with acting(request.user, via="api"):
            services.message_resend(message=message, user=request.user)
        return Response(ExchangeMessageSerializer(message).data)


class PartnerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Partner bureaus on other instances, with their keys' fingerprints and agreement."""

    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ExchangePartnerSerializer
    filterset_class = filtersets.PartnerFilterSet
    queryset = Partner.objects.none()

    def get_queryset(self):
        if self.action == "retrieve" and not table.may(self.request.user, MESSAGE_READ):
            return Partner.objects.none()
        table.require(self.request.user, MESSAGE_READ)
        return selectors.partners_visible(self.request.user)


def register(router) -> None:  # noqa: ANN001
    router.register("exchange/messages", MessageViewSet, basename="exchange-message")
    router.register("exchange/partners", PartnerViewSet, basename="exchange-partner")
