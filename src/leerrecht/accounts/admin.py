"""Platform operators manage accounts in the Django admin (docs/adr/0120).

Role and organisation changes go through accounts.services.user_change_role (audited with
before and after, refused for one's own account); the second factor's secret is never
shown: a device can be looked at (without its key) or deleted, which makes the user enrol
again on their next sign-in.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from leerrecht.accounts.models import User
from leerrecht.accounts.services import AccountChangeRefused, user_change_role
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.services import audit_record

# Fields nobody changes on their own account (self-service escalation).
_SELF_LOCKED = ("role", "organisation", "is_staff", "is_superuser", "is_active")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "get_full_name", "organisation", "role", "is_active")
    list_filter = ("role", "organisation__kind", "is_active")
    search_fields = ("username", "first_name", "last_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Persoonlijke gegevens"), {"fields": ("first_name", "last_name", "email")}),
        (_("Rechten"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Leerrecht"), {"fields": ("organisation", "role", "wants_daily_digest")}),
        (_("Belangrijke datums"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Leerrecht"), {"fields": ("organisation", "role")}),
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            readonly += list(_SELF_LOCKED)
        return readonly

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action=AuditEvent.Action.CREATE,
                activity="authenticatie",
                obj=obj,
                fields=["role", "organisation"],
                detail=f"account {obj.username} aangemaakt: rol {obj.role}; organisatie "
                f"{obj.organisation or 'geen'}",
            )
            return
        stored = User.objects.get(pk=obj.pk)
        new_role, new_org = obj.role, obj.organisation
        # Everything but role and organisation is saved here; those two by the service.
        obj.role, obj.organisation = stored.role, stored.organisation
        super().save_model(request, obj, form, change)
        if new_role != stored.role or new_org != stored.organisation:
            try:
                user_change_role(
                    actor=request.user,
                    user=obj,
                    role=new_role,
                    organisation=new_org,
                    change_organisation=True,
                    reason="platformbeheer",
                )
            except AccountChangeRefused as refused:
                messages.error(request, str(refused))


if admin.site.is_registered(TOTPDevice):  # django-otp's own admin shows the key
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Look at or delete (reset) a second factor; never add one, never see its key."""

    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username",)
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
