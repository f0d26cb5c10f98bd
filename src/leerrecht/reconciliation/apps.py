from django.apps import AppConfig


class ReconciliationConfig(AppConfig):
    name = "leerrecht.reconciliation"
    label = "reconciliation"
