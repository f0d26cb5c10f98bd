from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "leerrecht.privacy"
    label = "privacy"
