from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "leerrecht.registry"
    label = "registry"
