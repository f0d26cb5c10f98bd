from django.apps import AppConfig


class ProtocolsConfig(AppConfig):
    name = "leerrecht.protocols"
    label = "protocols"

    def ready(self) -> None:
        from leerrecht.protocols import jobs  # noqa: F401 - registers the simulation job
