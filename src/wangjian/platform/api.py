"""The platform's REST base: viewsets scoped to the user's bureaus, writes checked like the pages'.

Reads for anyone who can see the row's bureau (``org.selectors.scope``); writes only for
who may manage it (``org.selectors.can_manage``) — the same rule as ``platform.generic``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, views, viewsets
from rest_framework.response import Response

from wangjian.core.audit import acting
from wangjian.core.errors import NotFoundError, ValidationFailed
from wangjian.org.selectors import can_manage, scope
from wangjian.org.services import password_change
from wangjian.platform.calendar_api import CalendarViewSet
from wangjian.platform.clocks.api import ClockViewSet, DeadlinePolicyViewSet
from wangjian.platform.inbox.api import MessageViewSet
from wangjian.platform.numbering.api import IssuedNumberViewSet, NumberFormatViewSet
from wangjian.platform.workitems.api import WorkItemViewSet


class PasswordSerializer(serializers.Serializer):
    old_password = serializers.CharField()
    new_password = serializers.CharField()


class PasswordView(views.APIView):
    """Change one's own password (``org.services.password_change``, as the page does)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=PasswordSerializer, responses={204: None})
    def post(self, request):
        data = PasswordSerializer(data=request.data)
        if not data.is_valid():
            raise ValidationFailed(
                "请填写原密码和新密码", "Give the old and the new password", detail=data.errors
            )
        with acting(request.user, via="api"):
            password_change(user=request.user, **data.validated_data)
        return Response(status=204)


class ScopedPermission(permissions.BasePermission):
    """Reads for anyone who can see the bureau; writes only for who may manage it (same rule as the UI)."""

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return view.can_change(request.user, obj)


class ScopedModelViewSet(viewsets.ModelViewSet):
    """A model viewset whose queryset is scoped to the user's bureaus and whose writes are checked."""

    permission_classes = [permissions.IsAuthenticated, ScopedPermission]
    bureau_field = "bureau"

    def get_queryset(self):
        return scope(super().get_queryset(), self.request.user, self.bureau_field)

    def bureau_of(self, obj):
        for part in self.bureau_field.split("__"):
            obj = getattr(obj, part)
        return obj

    def can_change(self, user, obj) -> bool:
        return can_manage(user, self.bureau_of(obj))

    def _check_target_bureau(self, serializer) -> None:
        """The bureau a row is written to must be one the user manages (no forged payloads)."""
        data = serializer.validated_data
        parts = self.bureau_field.split("__")
        if parts[0] not in data:
            return  # a partial update that does not move the row
        bureau = data
        for part in parts:
            bureau = bureau.get(part) if isinstance(bureau, dict) else getattr(bureau, part, None)
        if not can_manage(self.request.user, bureau):
            raise PermissionDenied(
                "只有该局办公室管理员可以写入 / only that bureau's office administrator may write"
            )

    def perform_create(self, serializer):
        if self.bureau_field.split("__")[0] not in serializer.validated_data:
            raise PermissionDenied("缺少所属局 / the bureau is required")
        self._check_target_bureau(serializer)
        self.perform_save(serializer)

    def perform_update(self, serializer):
        self._check_target_bureau(serializer)
        self.perform_save(serializer)

    def perform_save(self, serializer) -> None:
        """Where a model's writes have rules of their own, a viewset calls the app's service here (as the page does)."""
        serializer.save()


@csrf_exempt  # nothing is written: a POST to a wrong address is a 404, not a CSRF page
def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any other address under ``/api/``: the API's 404 in its error shape, not the site's HTML page.

    An id the router's pattern refuses (``/api/org/bureaus/1.5/``) or a misspelt path is answered as
    a missing row is: a client reading JSON gets JSON.
    """
    error = NotFoundError("没有该接口或对象", "No such endpoint or object")
    return JsonResponse({"error": error.as_dict()}, status=error.http_status)


def register(router) -> None:
    """The platform's endpoints (a view without a viewset goes in ``urls.py``: ``/api/leads/``)."""
    router.register("clocks", ClockViewSet, basename="clock")
    router.register("clock-policies", DeadlinePolicyViewSet, basename="clock-policy")
    router.register("inbox", MessageViewSet, basename="message")
    router.register("tasks", WorkItemViewSet, basename="workitem")
    router.register("numbers", IssuedNumberViewSet, basename="issued-number")
    router.register("number-formats", NumberFormatViewSet, basename="number-format")
    router.register("calendar", CalendarViewSet, basename="calendar")
