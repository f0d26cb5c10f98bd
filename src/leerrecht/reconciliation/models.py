"""Imported lists, reconciliations, the review queue, absolute verzuim runs and tasks.

Every row here is personal data owned by the uploader's organisation; access goes through
leerrecht.reconciliation.query, and every read or write is audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    SWV = "swv", _("samenwerkingsverband")
    SCHOOL = "school", _("school")
    LEERPLICHT = "leerplicht", _("ander leerplichtbureau")
    INSPECTIE = "inspectie", _("Inspectie-formulier")
    OWN = "own", _("eigen registratie")
    BRP = "brp", _("basisregistratie personen (BRP)")
    OTHER = "other", _("anders")


class ListKind(models.TextChoices):
    LIST = "list", _("lijst met kinderen")
    REGISTER = "register", _("uittreksel bevolkingsregister")


class SourceMapping(models.Model):
    """The remembered column mapping of one source, per organisation."""

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    source_name = models.CharField(_("bron"), max_length=120)
    kind = models.CharField(max_length=10, choices=ListKind.choices, default=ListKind.LIST)
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_name", "kind"], name="source_mapping_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.kind})"


class ListImport(models.Model):
    class State(models.TextChoices):
        UPLOADED = "uploaded", _("geüpload, kolommen nog koppelen")
        IMPORTED = "imported", _("ingelezen")

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    source_name = models.CharField(_("bron"), max_length=120)
    source_kind = models.CharField(_("soort bron"), max_length=12, choices=SourceKind.choices)
    kind = models.CharField(max_length=10, choices=ListKind.choices, default=ListKind.LIST)
    filename = models.CharField(_("bestand"), max_length=200)
    # The uploaded file, kept only until the columns are mapped and the rows imported.
    content = models.BinaryField(blank=True, default=b"")
    state = models.CharField(max_length=10, choices=State.choices, default=State.UPLOADED)
    row_count = models.PositiveIntegerField(default=0)
    # Row-level problems found on import: [[line, column, reason], ...] (the rows took part
    # without the bad field, or were left out when nothing was left; ADR 0140).
    problems = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ingelezen lijst")
        verbose_name_plural = _("ingelezen lijsten")

    def __str__(self) -> str:
        return f"{self.source_name} ({self.filename})"


class ListRecord(models.Model):
    list_import = models.ForeignKey(ListImport, on_delete=models.CASCADE, related_name="records")
    line = models.PositiveIntegerField(_("regel"))
    bsn = models.CharField(max_length=9, blank=True, db_index=True)
    education_number = models.CharField(max_length=9, blank=True)
    given_names = models.CharField(max_length=200, blank=True)
    tussenvoegsel = models.CharField(max_length=30, blank=True)
    surname = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=120, blank=True)
    school = models.CharField(max_length=200, blank=True)
    external_id = models.CharField(max_length=64, blank=True)
    extra = models.JSONField(default=dict, blank=True)  # register fields (address, dates ...)

    class Meta:
        ordering = ["list_import", "line"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.given_names, self.tussenvoegsel, self.surname) if p)


class Reconciliation(models.Model):
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    list_a = models.ForeignKey(ListImport, on_delete=models.CASCADE, related_name="+")
    list_b = models.ForeignKey(ListImport, on_delete=models.CASCADE, related_name="+")
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.list_a_id} <> {self.list_b_id} ({self.created_at:%d-%m-%Y})"


class MatchProposal(models.Model):
    class Review(models.TextChoices):
        AUTO = "auto", _("zeker")
        PENDING = "pending", _("te beoordelen")
        CONFIRMED = "confirmed", _("bevestigd")
        REJECTED = "rejected", _("afgewezen")

    reconciliation = models.ForeignKey(
        Reconciliation, on_delete=models.CASCADE, related_name="proposals"
    )
    record_a = models.ForeignKey(ListRecord, on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey(ListRecord, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    method = models.CharField(max_length=20)
    review = models.CharField(max_length=10, choices=Review.choices)
    reasons = models.JSONField(default=list)  # evidence for (Dutch)
    against = models.JSONField(default=list, blank=True)  # evidence against (Dutch)
    status_a = models.CharField(max_length=60, blank=True)
    status_b = models.CharField(max_length=60, blank=True)
    status_conflict = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "id"]

    def __str__(self) -> str:
        return f"{self.record_a_id} <> {self.record_b_id} ({self.score:.2f})"

    @property
    def is_match(self) -> bool:
        return self.review in (self.Review.AUTO, self.Review.CONFIRMED)


class MatchDecision(models.Model):
    """A person's confirm/reject of a proposed pair, reused on every later import."""

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    fingerprint_low = models.CharField(max_length=32)
    fingerprint_high = models.CharField(max_length=32)
    confirmed = models.BooleanField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fingerprint_low", "fingerprint_high"],
                name="match_decision_unique",
            )
        ]

    def __str__(self) -> str:
        return "bevestigd" if self.confirmed else "afgewezen"


class AbsoluteVerzuimRun(models.Model):
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    register = models.ForeignKey(ListImport, on_delete=models.CASCADE, related_name="+")
    reference_date = models.DateField(_("peildatum"))
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"absoluut verzuim {self.reference_date:%d-%m-%Y}"


class AbsoluteVerzuimCandidate(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("te beoordelen")
        CONFIRMED = "confirmed", _("bevestigd: route zonder inschrijving gestart")
        DISMISSED = "dismissed", _("geen absoluut verzuim")

    run = models.ForeignKey(AbsoluteVerzuimRun, on_delete=models.CASCADE, related_name="candidates")
    record = models.ForeignKey(ListRecord, on_delete=models.CASCADE, related_name="+")
    kept = models.BooleanField()
    code = models.CharField(max_length=40)
    reason = models.CharField(max_length=300)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The case opened on the route without enrolment when the candidate was confirmed.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-kept", "record__surname", "id"]

    def __str__(self) -> str:
        return f"{self.record_id}: {self.code}"


class ReconciliationTask(models.Model):
    """A worklist task that comes out of reconciliation (until the case workflow takes it)."""

    class Kind(models.TextChoices):
        MISSING_REGISTRATION = "missing_registration", _("kind ontbreekt in eigen registratie")
        ROUTE_WITHOUT_ENROLMENT = (
            "route_without_enrolment",
            _("route zonder inschrijving: brief met verzoek tot inschrijving"),
        )

    class State(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("afgehandeld")

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=300)
    record = models.ForeignKey(
        ListRecord, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reconciliation = models.ForeignKey(
        Reconciliation, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    candidate = models.ForeignKey(
        AbsoluteVerzuimCandidate,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
    )
    due_date = models.DateField(_("uiterlijk"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=6, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title
