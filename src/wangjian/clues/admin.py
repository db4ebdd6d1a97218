"""Admin views for support staff; officers work through the clue pages, which enforce the transition table."""

from django.contrib import admin

from wangjian.clues.models import Clue


@admin.register(Clue)
class ClueAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "domain", "state", "department", "station", "feedback_due", "gap")
    list_filter = ("state", "domain", "source_kind", "gap", "bureau")
    search_fields = ("number", "title", "entity_name", "entity_uscc")
    readonly_fields = [f.name for f in Clue._meta.concrete_fields]  # states change only through the services

    def has_add_permission(self, request):
        return False
