"""REST endpoints of the inbox: the caller's own messages (what a mobile client or another system polls)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.core.api import IdCursorPagination
from wangjian.platform.inbox import selectors, services
from wangjian.platform.inbox.models import Message


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "urgent",
            "subject_type",
            "subject_id",
            "url",
            "created_at",
            "read_at",
        ]
        read_only_fields = fields


class MessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's messages, newest first; ``?unread=1``, ``?kind=``, ``?subject_type=``; mark one read."""

    serializer_class = MessageSerializer
    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]
    queryset = Message.objects.none()

    def get_queryset(self):
        qs = selectors.messages_for(self.request.user)
        params = self.request.query_params
        if params.get("unread"):
            qs = qs.filter(read_at__isnull=True)
        for name in ("kind", "subject_type"):
            if params.get(name):
                qs = qs.filter(**{name: params[name]})
        return qs

    @extend_schema(request=None, responses=MessageSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        message = self.get_object()
        services.message_mark_read(message=message, user=request.user)
        message.refresh_from_db()
        return Response(MessageSerializer(message).data)
