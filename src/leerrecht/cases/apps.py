from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "leerrecht.cases"
    label = "cases"

    def ready(self) -> None:
        from leerrecht.cases import jobs  # noqa: F401 - registers the job handler
