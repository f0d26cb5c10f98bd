"""Attendance imports and what they produce: signal hits and per-student summaries.

- `AttendanceImport`: one uploaded attendance file (web or `leerrecht import-attendance`),
  validated and stored as canonical Parquet; its signals are computed in a background job.
- `SignalHit`: one signal of the region's protocol preset for one student, first day on
  which it held (SIGNALS.md). Unique on (student, signal, first_date, protocol), so
  computing the same data again stores nothing new.
- `AttendanceSummary`: the latest attendance figures per student (school-year totals,
  attendance tier, share attended over the last 20 school days, current run of days
  without attendance), read by monitoring and the thuiszitter lists (docs/attendance.md).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AttendanceImport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        RUNNING = "running", _("bezig")
        DONE = "done", _("klaar")
        FAILED = "failed", _("mislukt")

    # Explicit allowed transitions (services.attendance_import_run).
    TRANSITIONS = {
        Status.QUEUED: {Status.RUNNING, Status.FAILED},
        Status.RUNNING: {Status.DONE, Status.FAILED},
        Status.FAILED: {Status.QUEUED},
        Status.DONE: {Status.QUEUED},  # only attendance_import_rerun (registry reloaded)
    }

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geüpload door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # NULL = a system import (demo data, operator on the command line without --as-user).
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendance_imports",
    )
    original_name = models.CharField(_("bestandsnaam"), max_length=255)
    sha256 = models.CharField(_("SHA-256 van het bestand"), max_length=64)
    calendar_sha256 = models.CharField(
        _("SHA-256 van de schoolkalender"), max_length=64, blank=True
    )
    # Paths relative to settings.DATA_DIR.
    parquet_path = models.CharField(_("canoniek bestand"), max_length=255, blank=True)
    calendar_path = models.CharField(_("schoolkalender"), max_length=255, blank=True)
    row_count = models.PositiveIntegerField(_("regels"), default=0)
    student_count = models.PositiveIntegerField(_("leerlingen in bestand"), default=0)
    first_date = models.DateField(_("eerste datum"), null=True, blank=True)
    last_date = models.DateField(_("laatste datum"), null=True, blank=True)
    protocol = models.CharField(_("protocol"), max_length=100)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Counts of the run: signals_new, signals_existing, students_matched, unknown_students,
    # unknown_sample (first source ids), out_of_scope_students, summaries.
    result = models.JSONField(default=dict, blank=True)
    message = models.TextField(_("melding"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    # Set by services.attendance_import_create (not stored): True when the same file was
    # imported before and the existing import is returned unchanged.
    reused = False

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("verzuimimport")
        verbose_name_plural = _("verzuimimports")
        constraints = [
            # Idempotency (docs/adr/0051): the same file (+ calendar, + protocol) once per
            # organisation, and once for system imports (organisation NULL).
            models.UniqueConstraint(
                fields=["organisation", "sha256", "calendar_sha256", "protocol"],
                condition=models.Q(organisation__isnull=False),
                name="attendance_import_unique_file_per_org",
            ),
            models.UniqueConstraint(
                fields=["sha256", "calendar_sha256", "protocol"],
                condition=models.Q(organisation__isnull=True),
                name="attendance_import_unique_file_system",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.original_name} ({self.created_at:%d-%m-%Y})"
            if self.created_at
            else self.original_name
        )

    @property
    def parquet_file(self) -> Path | None:
        return Path(settings.DATA_DIR) / self.parquet_path if self.parquet_path else None

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class SignalHit(models.Model):
    """One signal for one student, stored once per (student, signal, first_date, protocol)."""

    student = models.ForeignKey(
        "registry.Student", on_delete=models.CASCADE, related_name="signal_hits"
    )
    signal = models.CharField(_("signaal"), max_length=60, db_index=True)
    first_date = models.DateField(_("eerste dag"), db_index=True)
    # Engine detail columns: value (window total / rate), spell_length, tier.
    details = models.JSONField(_("details"), default=dict, blank=True)
    protocol = models.CharField(_("protocol"), max_length=100)
    # What the protocol says follows (engine.presets.LEADS_TO): report_duo, report_leerplicht,
    # jgz, swv_list, open_case.
    leads_to = models.JSONField(_("leidt tot"), default=list, blank=True)
    attendance_import = models.ForeignKey(
        AttendanceImport, on_delete=models.PROTECT, related_name="signal_hits"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-first_date", "student_id", "signal"]
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        constraints = [
            models.UniqueConstraint(
                fields=["student", "signal", "first_date", "protocol"],
                name="signal_hit_unique_occurrence",
            )
        ]

    def __str__(self) -> str:
        return f"{self.signal} {self.first_date} ({self.student_id})"


class AttendanceSummary(models.Model):
    """Latest attendance figures of one student (from the newest import holding them).

    Hours are totals of the school year (1 August) that contains `as_of`, the last school
    day of the student in the file. `tier` is the attendance tier (1/2/3, seed 002) with the
    protocol's (or the catalogue's default) cut-offs. `last20_*` cover the 20 school days
    ending at `as_of`. `absent_streak_days` = school days without any attended hour, counted
    back from `as_of` (any reason), with `absent_since` (its first day) and `streak_*_hours`
    (its hours by reason) - the thuiszitter lists read these.
    """

    student = models.OneToOneField(
        "registry.Student", on_delete=models.CASCADE, related_name="attendance_summary"
    )
    attendance_import = models.ForeignKey(
        AttendanceImport, on_delete=models.PROTECT, related_name="summaries"
    )
    as_of = models.DateField(_("stand per"))
    school_year_start = models.DateField(_("begin schooljaar"))
    school_days = models.PositiveIntegerField(_("schooldagen dit schooljaar"))
    scheduled_hours = models.DecimalField(_("geroosterde uren"), max_digits=8, decimal_places=2)
    attended_hours = models.DecimalField(_("aanwezige uren"), max_digits=8, decimal_places=2)
    unauthorised_hours = models.DecimalField(
        _("ongeoorloofd afwezig (uren)"), max_digits=8, decimal_places=2
    )
    sick_hours = models.DecimalField(_("ziek (uren)"), max_digits=8, decimal_places=2)
    authorised_hours = models.DecimalField(
        _("geoorloofd afwezig (uren)"), max_digits=8, decimal_places=2
    )
    absence_rate = models.DecimalField(
        _("verzuimpercentage schooljaar"), max_digits=5, decimal_places=4
    )
    tier = models.PositiveSmallIntegerField(_("aanwezigheidsniveau"))
    last20_scheduled_hours = models.DecimalField(max_digits=8, decimal_places=2)
    last20_attended_hours = models.DecimalField(max_digits=8, decimal_places=2)
    last20_percent_attended = models.DecimalField(
        _("% aanwezig laatste 20 schooldagen"), max_digits=5, decimal_places=1, null=True
    )
    absent_streak_days = models.PositiveIntegerField(_("schooldagen aaneengesloten afwezig"))
    # The current streak (NULL / 0 when absent_streak_days = 0): first day and hours by reason.
    absent_since = models.DateField(_("aaneengesloten afwezig sinds"), null=True, blank=True)
    streak_unauthorised_hours = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    streak_sick_hours = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    streak_authorised_hours = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("verzuimoverzicht")
        verbose_name_plural = _("verzuimoverzichten")
        indexes = [models.Index(fields=["tier"]), models.Index(fields=["absent_streak_days"])]

    def __str__(self) -> str:
        return f"{self.student_id} per {self.as_of}"


class AbsenceCode(models.Model):
    """One code of a school's own absence code list (its LAS registers absence with these
    codes). The category decides which canonical column a registration counts in
    (engine.absences, docs/attendance.md "Absence registrations")."""

    class Category(models.TextChoices):
        ONGEOORLOOFD = "ongeoorloofd", _("ongeoorloofd")
        ZIEK = "ziek", _("ziek")
        GEOORLOOFD = "geoorloofd", _("geoorloofd")
        TE_LAAT = "te_laat", _("te laat")
        UITGESTUURD_ZIEK = "uitgestuurd_ziek", _("ziek naar huis gestuurd")
        VRIJSTELLING = "vrijstelling", _("vrijstelling")
        NIET_MEETELLEN = "niet_meetellen", _("niet meetellen")

    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="absence_codes",
    )
    code = models.CharField(_("code"), max_length=20)
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)
    category = models.CharField(_("categorie"), max_length=20, choices=Category.choices)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("verzuimcode")
        verbose_name_plural = _("verzuimcodes")
        ordering = ["organisation", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="absence_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.get_category_display()})"
