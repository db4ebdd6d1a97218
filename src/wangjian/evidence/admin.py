"""Read-only admin: evidence and its ledger are changed only through the services."""

from django.contrib import admin

from wangjian.evidence.models import BureauKey, EvidenceCapture, LedgerCheckpoint, LedgerEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EvidenceCapture)
class EvidenceCaptureAdmin(ReadOnlyAdmin):
    list_display = ("id", "started_at", "url", "status", "failure_reason", "bureau", "case_ref")
    list_filter = ("status", "mode", "bureau")
    search_fields = ("url", "title", "case_ref")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("bureau", "seq", "time", "action", "capture_id_ref", "user_name", "reason")
    list_filter = ("action", "bureau")


@admin.register(LedgerCheckpoint)
class LedgerCheckpointAdmin(ReadOnlyAdmin):
    list_display = ("bureau", "number", "seq", "time", "key_fingerprint")


@admin.register(BureauKey)
class BureauKeyAdmin(ReadOnlyAdmin):
    list_display = ("bureau", "fingerprint", "created")
