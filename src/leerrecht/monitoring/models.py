"""Stored yearly flow counts (leerplichttelling style) per RMC region or municipality.

Counts computed from the registry are calculated on request; this table holds counts that
come from outside, such as the DUO figures of seed 003, Bijlage 6.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    AV_LRV = "av_lrv", _("absoluut en langdurig relatief verzuim")
    AV = "av", _("absoluut verzuim")
    LRV_START = "lrv_start", _("langdurig relatief verzuim bij start schooljaar")
    LRV_NEW = "lrv_new", _("nieuw langdurig relatief verzuim")
    LRV_LONG = "lrv_3m", _("langdurig relatief verzuim langer dan drie maanden")


class FlowCount(models.Model):
    rmc_region = models.ForeignKey(
        "registry.RmcRegion",
        verbose_name=_("RMC-regio"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    municipality = models.ForeignKey(
        "registry.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    school_year = models.CharField(_("schooljaar"), max_length=7)  # "2017-18"
    measure = models.CharField(_("maat"), max_length=10, choices=Measure.choices)
    value = models.PositiveIntegerField(_("aantal"))
    source = models.CharField(_("bron"), max_length=200)
    imported_at = models.DateTimeField(_("geïmporteerd op"), auto_now=True)

    class Meta:
        verbose_name = _("jaartelling")
        verbose_name_plural = _("jaartellingen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rmc_region__isnull=False, municipality__isnull=True)
                | models.Q(rmc_region__isnull=True, municipality__isnull=False),
                name="flowcount_region_xor_municipality",
            ),
            models.UniqueConstraint(
                fields=["rmc_region", "school_year", "measure"],
                condition=models.Q(rmc_region__isnull=False),
                name="flowcount_unique_region_year_measure",
            ),
            models.UniqueConstraint(
                fields=["municipality", "school_year", "measure"],
                condition=models.Q(municipality__isnull=False),
                name="flowcount_unique_municipality_year_measure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rmc_region or self.municipality} {self.school_year} {self.measure}"
