"""Which synthetic demo region is loaded (leerrecht.registry.services.demo)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoDataset(models.Model):
    """The demo region currently loaded: at most one row.

    `fingerprint` identifies the generated files (manifest.json); loading the same files
    again is a no-op. `usernames` lists the demo accounts: only those may use
    `leerrecht demo-otp`. The attendance files stay on disk (paths below) for the
    attendance import.
    """

    fingerprint = models.CharField(_("vingerafdruk"), max_length=64, unique=True)
    loaded_at = models.DateTimeField(_("geladen op"), auto_now_add=True)
    manifest = models.JSONField(_("manifest"))
    usernames = models.JSONField(_("demo-accounts"), default=list)
    attendance_path = models.CharField(_("aanwezigheidsbestand"), max_length=500)
    calendar_path = models.CharField(_("schoolkalender"), max_length=500)

    class Meta:
        verbose_name = _("demoregio")
        verbose_name_plural = _("demoregio's")

    def __str__(self) -> str:
        return f"demo {self.fingerprint[:12]}"
