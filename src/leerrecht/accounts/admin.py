"""Operators manage user accounts: organisation, role, active, and reset of the second factor."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from leerrecht.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "get_full_name", "organisation", "role", "is_active")
    list_filter = ("role", "organisation__kind", "is_active")
    search_fields = ("username", "first_name", "last_name", "email")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Leerrecht"), {"fields": ("organisation", "role", "wants_daily_digest")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Leerrecht"), {"fields": ("organisation", "role")}),
    )
