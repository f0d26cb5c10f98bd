from django.apps import AppConfig


class ReconciliationConfig(AppConfig):
    name = "leerrecht.reconciliation"
    label = "reconciliation"

    def ready(self) -> None:
        from leerrecht.reconciliation import jobs  # noqa: F401 - registers the job handlers
