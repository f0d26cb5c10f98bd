"""Places and organisations: RMC regions, municipalities, and the parties that act.

One `Organisation` table holds every party a user can belong to (school, SWV, leerplicht
office, JGZ, municipality, care team, operator). The kind decides which fields apply and
which children the organisation may see (leerrecht.privacy.query).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class RmcRegion(models.Model):
    """One of the 39 RMC regions (seed 003, Bijlage 6)."""

    name = models.CharField(_("naam"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("RMC-regio")
        verbose_name_plural = _("RMC-regio's")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A municipality, identified by its CBS code (GM0518 = 's-Gravenhage)."""

    cbs_code = models.CharField(
        _("CBS-code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^GM\d{4}$", _("Een CBS-code ziet eruit als GM0518."))],
    )
    name = models.CharField(_("naam"), max_length=100)
    rmc_region = models.ForeignKey(
        RmcRegion, verbose_name=_("RMC-regio"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self) -> str:
        return f"{self.name} ({self.cbs_code})"


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", _("school")
    SWV = "swv", _("samenwerkingsverband")
    LEERPLICHT = "leerplicht", _("leerplicht")
    JGZ = "jgz", _("jeugdgezondheidszorg")
    MUNICIPALITY = "municipality", _("gemeente")
    CARE = "care", _("jeugdteam / wijkteam / SMW")
    OPERATOR = "operator", _("beheer")


class SchoolType(models.TextChoices):
    PO = "po", _("primair onderwijs")
    SO = "so", _("speciaal onderwijs")
    VO = "vo", _("voortgezet onderwijs")
    VSO = "vso", _("voortgezet speciaal onderwijs")
    MBO = "mbo", _("middelbaar beroepsonderwijs")


class Sector(models.TextChoices):
    PO = "po", _("po")
    VO = "vo", _("vo")


class Organisation(models.Model):
    kind = models.CharField(_("soort"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("naam"), max_length=200)
    # School: BRIN number (4 characters), optionally with a 2-digit location suffix.
    brin = models.CharField(
        _("BRIN"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{2}[A-Z]{2}(\d{2})?$", _("Een BRIN ziet eruit als 12AB."))],
    )
    school_type = models.CharField(
        _("schoolsoort"), max_length=3, choices=SchoolType.choices, blank=True
    )
    # School: where it is. Municipality organisation: which municipality it is.
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    # School: the SWV it belongs to (a po school to a po SWV, vo to a vo SWV).
    swv = models.ForeignKey(
        "self",
        verbose_name=_("samenwerkingsverband"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member_schools",
        limit_choices_to={"kind": OrganisationKind.SWV},
    )
    # SWV: po or vo.
    sector = models.CharField(_("sector"), max_length=2, choices=Sector.choices, blank=True)
    # Leerplicht office: municipalities it serves.
    served_municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("bediende gemeenten"), blank=True, related_name="served_by"
    )
    # JGZ: schools it serves.
    served_schools = models.ManyToManyField(
        "self",
        verbose_name=_("bediende scholen"),
        blank=True,
        symmetrical=False,
        related_name="served_by_jgz",
        limit_choices_to={"kind": OrganisationKind.SCHOOL},
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        constraints = [
            models.UniqueConstraint(
                fields=["brin"],
                condition=~models.Q(brin=""),
                name="organisation_unique_brin",
            ),
            models.UniqueConstraint(fields=["kind", "name"], name="organisation_unique_kind_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == OrganisationKind.SCHOOL:
            missing = [
                label
                for label, value in (
                    (_("BRIN"), self.brin),
                    (_("schoolsoort"), self.school_type),
                    (_("gemeente"), self.municipality_id),
                )
                if not value
            ]
            if missing:
                raise ValidationError(
                    _("Een school heeft nodig: %(fields)s.")
                    % {"fields": ", ".join(str(m) for m in missing)}
                )
        if self.kind == OrganisationKind.SWV and not self.sector:
            raise ValidationError(_("Een samenwerkingsverband is po of vo."))
