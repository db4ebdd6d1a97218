"""The joint case group (联合办案组) as the API shows it beside the case: members of any bureau, tasks, journal.

Nest ``JointGroupSerializer(source="group", read_only=True, allow_null=True)`` into the case's serializer;
a list reads it without a query per case when its queryset carries ``GROUP_PREFETCH``.
"""

from __future__ import annotations

from django.db.models import Prefetch
from rest_framework import serializers

from wangjian.cases.models import GroupMember, GroupTask, JointGroup, JournalEntry

GROUP_PREFETCH = (
    "group",
    Prefetch(
        "group__members", queryset=GroupMember.objects.select_related("user__bureau", "user__department")
    ),
    Prefetch("group__tasks", queryset=GroupTask.objects.select_related("owner")),
    "group__journal",
)


class GroupMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.__str__", read_only=True)
    bureau = serializers.CharField(source="user.bureau.name", read_only=True, default="")
    department = serializers.CharField(source="user.department.name", read_only=True, default="")
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = GroupMember
        fields = ["user", "name", "bureau", "department", "role", "role_label", "added_at", "left_at"]
        read_only_fields = fields


class GroupTaskSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.__str__", read_only=True)
    overdue = serializers.BooleanField(read_only=True, help_text="进行中且已过完成期限")

    class Meta:
        model = GroupTask
        fields = ["id", "title", "owner", "owner_name", "due", "state", "overdue", "result", "done_on"]
        read_only_fields = fields


class JournalEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = JournalEntry
        fields = ["id", "at", "author_name", "author_bureau", "text"]
        read_only_fields = fields


class JointGroupSerializer(serializers.ModelSerializer):
    """联合办案组: standing while ``dissolved_at`` is empty; members who left keep their ``left_at``."""

    reason_label = serializers.CharField(source="get_reason_display", read_only=True)
    formed_by_name = serializers.CharField(source="formed_by.__str__", read_only=True, default="")
    members = GroupMemberSerializer(many=True, read_only=True)
    tasks = GroupTaskSerializer(many=True, read_only=True)
    journal = JournalEntrySerializer(many=True, read_only=True)

    class Meta:
        model = JointGroup
        fields = [
            "id",
            "name",
            "reason",
            "reason_label",
            "note",
            "formed_by_name",
            "formed_at",
            "dissolved_at",
            "members",
            "tasks",
            "journal",
        ]
        read_only_fields = fields
