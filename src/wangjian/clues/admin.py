"""Admin views for support staff; officers work through the clue pages, which enforce the transition table."""

from django.contrib import admin

from wangjian.clues.models import Clue, Delivery, Escalation, NotificationAddress


@admin.register(Clue)
class ClueAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "domain", "state", "department", "station", "feedback_due", "gap")
    list_filter = ("state", "domain", "source_kind", "gap", "bureau")
    search_fields = ("number", "title", "entity_name", "entity_uscc")
    readonly_fields = [f.name for f in Clue._meta.concrete_fields]  # states change only through the services

    def has_add_permission(self, request):
        return False


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ("clue", "level", "raised_at", "answer_due", "answered_at", "automatic")


@admin.register(NotificationAddress)
class NotificationAddressAdmin(admin.ModelAdmin):
    list_display = ("label", "user", "department", "station", "is_active")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("key", "status", "attempts", "sent_at", "error")
    list_filter = ("status",)
