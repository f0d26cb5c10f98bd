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

    def about_children(self, student_ids) -> AuditEventQuerySet:
        """Every entry about these children: as the subject, or among the children a list
        or search showed (docs/adr/0103)."""
        ids = [int(i) for i in student_ids]
        condition = models.Q(subject_student_id__in=ids)
        for student_id in ids:
            condition |= models.Q(subject_student_ids__contains=f",{student_id},")
        return self.filter(condition)


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
    # Lists and searches: the ids of every child shown, as ",12,34," (one LIKE finds a
    # child on SQLite and PostgreSQL alike). NULL when the entry names at most one child.
    # NULL, not "": adding a nullable column keeps SQLite's append-only triggers (no
    # table remake, docs/adr/0030).
    subject_student_ids = models.TextField(  # noqa: DJ001
        _("getoonde leerlingen (id's)"), null=True, blank=True
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

    @staticmethod
    def ids_as_text(ids) -> str:
        return "," + ",".join(str(int(i)) for i in ids) + ","

    @property
    def shown_student_ids(self) -> list[int]:
        return [int(i) for i in (self.subject_student_ids or "").split(",") if i]
