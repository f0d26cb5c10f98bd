"""Read-only admin for operators; case history is never editable here."""

from django.contrib import admin

from leerrecht.cases.models import CaseEvent


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "case", "kind", "actor_name")
    list_filter = ("kind",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
