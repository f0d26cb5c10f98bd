from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "leerrecht.web"
    label = "web"
