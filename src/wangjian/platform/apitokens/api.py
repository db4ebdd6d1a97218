"""``/api/tokens/``: list, make and revoke one's own API tokens (as the page does)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, views
from rest_framework.response import Response

from wangjian.core.audit import acting
from wangjian.platform.apitokens import services


class TokenSerializer(serializers.Serializer):
    key = serializers.CharField(
        source="token_key", help_text="令牌的前八位 / the token's first eight characters"
    )
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField()


class NewTokenRequest(serializers.Serializer):
    days = serializers.IntegerField(required=False, min_value=1, help_text="有效天数 / days it lasts")


class NewTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="只显示这一次 / shown this once")
    key = serializers.CharField()
    expiry = serializers.DateTimeField()


class TokenListView(views.APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=TokenSerializer(many=True))
    def get(self, request):
        return Response(TokenSerializer(services.tokens_of(user=request.user), many=True).data)

    @extend_schema(request=NewTokenRequest, responses={201: NewTokenSerializer})
    def post(self, request):
        body = NewTokenRequest(data=request.data if isinstance(request.data, dict) else {})
        body.is_valid(raise_exception=True)
        with acting(request.user, via="api"):
            made = services.token_create(user=request.user, days=body.validated_data.get("days"))
        return Response(NewTokenSerializer(made).data, status=201)


class TokenDetailView(views.APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, key: str):
        with acting(request.user, via="api"):
            services.token_revoke(user=request.user, key=key)
        return Response(status=204)
