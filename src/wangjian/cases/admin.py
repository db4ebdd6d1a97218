from django.contrib import admin

from wangjian.cases.models import Case, CaseEvent, CaseOfficer, CaseSettings


class CaseOfficerInline(admin.TabularInline):
    model = CaseOfficer
    extra = 0
    fk_name = "case"
    raw_id_fields = ("user", "designated_by")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "bureau", "state", "opened_on", "decision_due")
    list_filter = ("state", "procedure", "domain")
    search_fields = ("number", "title", "party_name", "party_uscc")
    raw_id_fields = ("clue", "entity", "presence", "drafted_by", "submitted_by", "approved_by")
    inlines = [CaseOfficerInline]


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    list_display = ("case", "action", "from_state", "to_state", "actor_name", "at")
    raw_id_fields = ("case", "actor")


@admin.register(CaseSettings)
class CaseSettingsAdmin(admin.ModelAdmin):
    list_display = ("bureau", "low_fine_person", "low_fine_organisation")
