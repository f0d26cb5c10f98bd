from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "leerrecht.accounts"
    label = "accounts"
