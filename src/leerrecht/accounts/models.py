"""Users belong to one organisation and act in one role (DOMAIN.md, "Who uses it")."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MENTOR = "mentor", _("mentor / docent")
    SCHOOL_COORDINATOR = "school_coordinator", _("zorgcoördinator / intern begeleider")
    LEERPLICHT_OFFICER = "leerplicht_officer", _("leerplichtambtenaar")
    LEERRECHT_CONSULTANT = "leerrecht_consultant", _("thuiszitters- / leerrechtconsulent")
    SWV_CONSULTANT = "swv_consultant", _("consulent samenwerkingsverband")
    YOUTH_DOCTOR = "youth_doctor", _("jeugdarts / jeugdverpleegkundige")
    CARE_WORKER = "care_worker", _("jeugdteam / wijkteam / SMW")
    PROCESS_DIRECTOR = "process_director", _("procesregisseur")
    POLICY = "policy", _("beleid / management")
    PRIVACY_OFFICER = "privacy_officer", _("privacy officer (FG)")
    OPERATOR = "operator", _("functioneel beheerder")


# Roles that must sign in with a second factor: every role that works with personal data
# (children's, or the audit log's and accounts' for the privacy officer and operators).
# Whether a user sees individual children is `privacy.query.user_sees_children`.
SECOND_FACTOR_ROLES = frozenset(
    {
        Role.MENTOR,
        Role.SCHOOL_COORDINATOR,
        Role.LEERPLICHT_OFFICER,
        Role.LEERRECHT_CONSULTANT,
        Role.SWV_CONSULTANT,
        Role.YOUTH_DOCTOR,
        Role.CARE_WORKER,
        Role.PROCESS_DIRECTOR,
        Role.PRIVACY_OFFICER,
        Role.OPERATOR,
    }
)


class User(AbstractUser):
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices, default=Role.POLICY)
    wants_daily_digest = models.BooleanField(
        _("dagelijkse e-mail met wat vandaag moet"), default=False
    )

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def needs_second_factor(self) -> bool:
        return self.role in SECOND_FACTOR_ROLES


class LoginFailure(models.Model):
    """One failed sign-in, counted per typed username and per client address (throttling).

    The username is stored as typed (lower-cased), whether or not such an account exists,
    so the lockout behaves the same for existing and unknown names. Rows are removed on a
    successful sign-in of that name and by `leerrecht purge` after a day.
    """

    username = models.CharField(_("gebruikersnaam"), max_length=150, db_index=True)
    client_address = models.GenericIPAddressField(_("adres"), null=True, blank=True)
    occurred_at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("mislukte inlogpoging")
        verbose_name_plural = _("mislukte inlogpogingen")
        indexes = [models.Index(fields=["client_address", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.username} {self.occurred_at:%Y-%m-%d %H:%M}"
