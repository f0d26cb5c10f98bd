"""Children and their relation to schools and the population register."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from leerrecht.registry.models.organisations import Municipality, Organisation, OrganisationKind
from leerrecht.registry.validators import bsn_problem, education_number_problem


def validate_bsn(value: str) -> None:
    problem = bsn_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_bsn")


def validate_education_number(value: str) -> None:
    problem = education_number_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_education_number")


class Student(models.Model):
    """A child of compulsory school age (or just around it) known to the region."""

    bsn = models.CharField(
        _("BSN"), max_length=9, blank=True, validators=[validate_bsn], db_index=True
    )
    education_number = models.CharField(
        _("onderwijsnummer"), max_length=9, blank=True, validators=[validate_education_number]
    )
    given_names = models.CharField(_("voornamen"), max_length=200)
    tussenvoegsel = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("achternaam"), max_length=200)
    date_of_birth = models.DateField(_("geboortedatum"))
    residence_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("woongemeente"),
        on_delete=models.PROTECT,
        related_name="residents",
    )
    # The id schools use in their attendance exports (student_id of SIGNALS.md).
    source_id = models.CharField(_("leerling-id in bronbestand"), max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["surname", "given_names"]
        verbose_name = _("leerling")
        verbose_name_plural = _("leerlingen")
        constraints = [
            models.UniqueConstraint(
                fields=["bsn"], condition=~models.Q(bsn=""), name="student_unique_bsn"
            ),
            models.CheckConstraint(
                condition=~models.Q(bsn="", education_number=""),
                name="student_has_bsn_or_education_number",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.tussenvoegsel, self.surname) if p)

    @property
    def initials(self) -> str:
        initials = "".join(f"{n[0]}." for n in self.given_names.split() if n)
        return " ".join(p for p in (initials, self.tussenvoegsel, self.surname) if p)


class Guardian(models.Model):
    """A parent or carer and how to reach them."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardians")
    name = models.CharField(_("naam"), max_length=200)
    relation = models.CharField(_("relatie"), max_length=50, blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("ouder/verzorger")
        verbose_name_plural = _("ouders/verzorgers")

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    """Inschrijving: the student is registered at the school from `start` to `end`."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="enrolments")
    school = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="enrolments",
        limit_choices_to={"kind": OrganisationKind.SCHOOL},
    )
    start = models.DateField(_("ingeschreven vanaf"))
    end = models.DateField(_("uitgeschreven per"), null=True, blank=True)
    group = models.CharField(_("groep/klas"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("inschrijving")
        verbose_name_plural = _("inschrijvingen")
        indexes = [models.Index(fields=["school", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="enrolment_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} @ {self.school}"


class ResidentRegisterEntry(models.Model):
    """A child in the population register (BRP) extract, to find absolute verzuim."""

    class DepartureReason(models.TextChoices):
        MOVED = "moved", _("verhuisd naar andere gemeente")
        EMIGRATED = "emigrated", _("geëmigreerd")
        DECEASED = "deceased", _("overleden")

    bsn = models.CharField(_("BSN"), max_length=9, validators=[validate_bsn])
    given_names = models.CharField(_("voornamen"), max_length=200)
    tussenvoegsel = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("achternaam"), max_length=200)
    date_of_birth = models.DateField(_("geboortedatum"))
    address = models.CharField(_("adres"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="register_entries"
    )
    settled_on = models.DateField(_("datum vestiging"))
    departed_on = models.DateField(_("datum vertrek"), null=True, blank=True)
    departure_reason = models.CharField(
        _("reden vertrek"), max_length=20, choices=DepartureReason.choices, blank=True
    )
    has_starting_qualification = models.BooleanField(_("startkwalificatie behaald"), default=False)

    class Meta:
        verbose_name = _("BRP-inschrijving")
        verbose_name_plural = _("BRP-inschrijvingen")
        constraints = [
            models.UniqueConstraint(
                fields=["bsn", "municipality", "settled_on"], name="register_unique_stay"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bsn} ({self.municipality.cbs_code})"


class ExemptionArticle(models.TextChoices):
    """Leerplichtwet articles under which a child is exempt (vrijstelling)."""

    ART_5A = "5a", _("art. 5 onder a: lichamelijk of psychisch niet geschikt")
    ART_5B = "5b", _("art. 5 onder b: bedenkingen tegen richting")
    ART_5C = "5c", _("art. 5 onder c: ingeschreven op school in het buitenland")
    ART_3A = "3a", _("art. 3a: vervangende leerplicht")
    ART_3B = "3b", _("art. 3b: vervangende leerplicht")
    ART_11 = "11", _("art. 11: verlof wegens gewichtige omstandigheden")
    ART_15 = "15", _("art. 15: andere vorm van onderwijs (kwalificatieplicht)")


class Exemption(models.Model):
    """Vrijstelling. Art. 5a needs a declaration by a designated physician or psychologist,
    at most 3 months old when the exemption starts (seed 001, step 5d)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="exemptions")
    article = models.CharField(_("artikel"), max_length=3, choices=ExemptionArticle.choices)
    start = models.DateField(_("vanaf"))
    end = models.DateField(_("tot en met"), null=True, blank=True)
    declaration_date = models.DateField(_("datum verklaring"), null=True, blank=True)

    class Meta:
        verbose_name = _("vrijstelling")
        verbose_name_plural = _("vrijstellingen")

    def __str__(self) -> str:
        return f"{self.get_article_display()} ({self.start})"

    def clean(self) -> None:
        if self.end and self.start and self.end < self.start:
            raise ValidationError(_("De einddatum ligt voor de begindatum."))
        if self.article == ExemptionArticle.ART_5A:
            if not self.declaration_date:
                raise ValidationError(
                    _(
                        "Een vrijstelling op grond van art. 5a vraagt een verklaring van een arts of psycholoog."
                    )
                )
            if self.start and (self.start - self.declaration_date).days > 92:
                raise ValidationError(
                    _(
                        "De verklaring mag bij de start van de vrijstelling hoogstens 3 maanden oud zijn."
                    )
                )


class Suspension(models.Model):
    """Schorsing; `pending_removal` = in afwachting van verwijdering (seed 000, casus 1)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="suspensions")
    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    start = models.DateField(_("vanaf"))
    end = models.DateField(_("tot en met"), null=True, blank=True)
    pending_removal = models.BooleanField(_("in afwachting van verwijdering"), default=False)

    class Meta:
        verbose_name = _("schorsing")
        verbose_name_plural = _("schorsingen")

    def __str__(self) -> str:
        return f"{self.student} {self.start}"
