from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _seed_shipped_presets(sender, using="default", **kwargs) -> None:
    """Version 1 of every shipped preset exists from setup on (every `migrate`, also for
    a preset added in a release), so no page view ever has to write it (ADR 0193)."""
    from django.db import connections

    from leerrecht.protocols.models import ProtocolVersion
    from leerrecht.protocols.services import protocol_versions_seed

    # not after migrating the protocols app back to zero (no table to seed)
    tables = connections[using].introspection.table_names()
    if using == "default" and ProtocolVersion._meta.db_table in tables:
        protocol_versions_seed()


class ProtocolsConfig(AppConfig):
    name = "leerrecht.protocols"
    label = "protocols"

    def ready(self) -> None:
        from leerrecht.protocols import jobs  # noqa: F401 - registers the simulation job

        post_migrate.connect(_seed_shipped_presets, sender=self)
