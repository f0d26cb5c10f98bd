"""Start Django for CLI commands that use the database."""

from __future__ import annotations

import os

from leerrecht.cli.errors import fail


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerrecht.config.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        fail(f"configuration: {exc}")
