from django.contrib import admin

from wangjian.complaints.models import (
    Complaint,
    ComplaintEvent,
    ComplaintImport,
    ComplaintRejectedRow,
    Mediation,
)


class MediationInline(admin.TabularInline):
    model = Mediation
    extra = 0
    raw_id_fields = ("recorded_by",)


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "bureau", "state", "received_on", "respondent_name", "accept_due")
    list_filter = ("kind", "state", "channel")
    # the person's name and phone are not searched: the admin's list would show who complained
    search_fields = ("number", "source_number", "respondent_name", "respondent_uscc")
    raw_id_fields = ("entity", "presence", "handler", "split_from", "clue", "import_batch")
    inlines = [MediationInline]


@admin.register(ComplaintEvent)
class ComplaintEventAdmin(admin.ModelAdmin):
    list_display = ("complaint", "action", "from_state", "to_state", "actor_name", "at")
    raw_id_fields = ("complaint", "actor")


class RejectedRowInline(admin.TabularInline):
    model = ComplaintRejectedRow
    extra = 0


@admin.register(ComplaintImport)
class ComplaintImportAdmin(admin.ModelAdmin):
    list_display = ("file_name", "bureau", "total_rows", "created_count", "rejected_count", "started_at")
    raw_id_fields = ("user",)
    inlines = [RejectedRowInline]
