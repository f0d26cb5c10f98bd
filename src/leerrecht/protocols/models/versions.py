"""A region's protocol as versioned data (docs/adr/0190).

A `ProtocolVersion` is the full TOML text of one preset at one moment, validated by the
one preset loader (`engine.presets.preset_parse`), with who wrote it and why. Version 1 of
each preset is the shipped file. A draft is edited until it is published with an
effective-from date; a published version never changes again. Cases keep the version
under which their deadlines were set (`cases.Case.protocol_version`).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProtocolVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        PUBLISHED = "published", _("gepubliceerd")

    # Explicit allowed transitions (services.protocol_version_publish).
    TRANSITIONS = {Status.DRAFT: {Status.PUBLISHED}, Status.PUBLISHED: set()}

    preset_name = models.CharField(_("protocol"), max_length=60, db_index=True)
    number = models.PositiveIntegerField(_("versie"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # NULL on a published version: the shipped file, in force from the start.
    effective_from = models.DateField(_("geldig vanaf"), null=True, blank=True)
    content = models.TextField(_("inhoud (TOML)"))
    reason = models.TextField(_("reden van de wijziging"), blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gepubliceerd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["preset_name", "-number"]
        verbose_name = _("protocolversie")
        verbose_name_plural = _("protocolversies")
        constraints = [
            models.UniqueConstraint(
                fields=["preset_name", "number"], name="protocol_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["preset_name"],
                condition=models.Q(status="draft"),
                name="protocol_one_draft_per_preset",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.preset_name} v{self.number} ({self.status})"

    @property
    def label(self) -> str:
        """How messages name this version: the protocol and its number."""
        return f"{self.preset_name} versie {self.number}"

    @property
    def content_digest(self) -> str:
        """Short digest of the content: a form carries it to notice a concurrent edit."""
        return hashlib.sha256(self.content.encode()).hexdigest()[:16]

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT
