from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "leerrecht.cases"
    label = "cases"
