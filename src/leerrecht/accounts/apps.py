from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "leerrecht.accounts"
    label = "accounts"


class PlatformAdminConfig(admin_apps.AdminConfig):
    """The Django admin (/beheer/) as the platform operators' tool (docs/adr/0120)."""

    default = False  # named explicitly in INSTALLED_APPS
    default_site = "leerrecht.accounts.admin_site.PlatformAdminSite"
