from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "leerrecht.api"
    label = "api"
