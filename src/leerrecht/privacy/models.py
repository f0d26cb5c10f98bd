"""The audit log: one append-only row per read or write of personal data.

Fields follow the Dutch standard "Logboek dataverwerkingen" (Logius) where they apply:
trace id, operation id, processing activity, data subject, time, status, and who acted
for which organisation.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    """The audit log cannot be altered through the application."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events cannot be updated")

    def delete(self):
        raise AppendOnlyError("audit events cannot be deleted through the application")


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        READ = "read", _("inzien")
        CREATE = "create", _("aanmaken")
        UPDATE = "update", _("wijzigen")
        DELETE = "delete", _("verwijderen")
        EXPORT = "export", _("exporteren")
        SEARCH = "search", _("zoeken")
        LOGIN = "login", _("inloggen")
        IMPORT = "import", _("importeren")

    class Outcome(models.TextChoices):
        OK = "ok", _("gelukt")
        DENIED = "denied", _("geweigerd")
        ERROR = "error", _("fout")

    occurred_at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    trace_id = models.CharField(_("trace-id"), max_length=32, blank=True, db_index=True)
    operation_id = models.UUIDField(_("operatie-id"), default=uuid.uuid4, editable=False)
    # Who. Kept as text as well, so the log survives removal of a user account.
    user = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(_("gebruiker"), max_length=150, blank=True)
    organisation_name = models.CharField(_("organisatie"), max_length=200, blank=True)
    role = models.CharField(_("rol"), max_length=30, blank=True)
    # What and why.
    action = models.CharField(_("handeling"), max_length=10, choices=Action.choices)
    processing_activity = models.CharField(_("verwerkingsactiviteit"), max_length=60)
    subject_student_id = models.BigIntegerField(
        _("betrokkene (leerling-id)"), null=True, blank=True, db_index=True
    )
    object_type = models.CharField(_("objecttype"), max_length=60, blank=True)
    object_id = models.CharField(_("object-id"), max_length=64, blank=True)
    fields = models.JSONField(_("velden"), default=list, blank=True)
    outcome = models.CharField(
        _("uitkomst"), max_length=10, choices=Outcome.choices, default=Outcome.OK
    )
    detail = models.CharField(_("toelichting"), max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted through the application")
