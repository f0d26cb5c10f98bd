from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeheerConfig(AppConfig):
    name = "leerrecht.beheer"
    label = "beheer"
    verbose_name = _("functioneel beheer")
    default_auto_field = "django.db.models.BigAutoField"
