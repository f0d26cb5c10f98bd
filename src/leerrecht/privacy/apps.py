from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "leerrecht.privacy"
    label = "privacy"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from leerrecht.privacy.db import sqlite_connection_prepare

        connection_created.connect(sqlite_connection_prepare, dispatch_uid="leerrecht_audit_sqlite")
