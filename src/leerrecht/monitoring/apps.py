from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "leerrecht.monitoring"
    label = "monitoring"
