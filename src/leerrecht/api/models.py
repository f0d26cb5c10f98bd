"""API tokens, their rate-limit counters and idempotency records (issue 8).

A token belongs to one organisation and acts through its own service account (a User with
the organisation and the role chosen at creation), so every scope rule of the access model
(`leerrecht.privacy.query.students_for_user` and the domain query.py modules built on it)
applies to API calls unchanged, and the audit log names the token's account.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from leerrecht.accounts.models import Role


class ApiToken(models.Model):
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    name = models.CharField(_("naam"), max_length=100)
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices)
    # Public part of the token ("lr_<prefix>_<secret>"), shown in lists and logs.
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    # SHA-256 of the 256-bit random secret; the secret itself is never stored.
    secret_hash = models.CharField(_("hash van het geheim"), max_length=64)
    scopes = models.JSONField(_("rechten"), default=list)
    # The service account the token acts as (organisation + role = the data scope).
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("serviceaccount"),
        on_delete=models.PROTECT,
        related_name="api_token",
    )
    rate_limit_per_minute = models.PositiveIntegerField(
        _("maximaal aantal verzoeken per minuut"),
        null=True,
        blank=True,
        help_text=_("Leeg: de standaardwaarde van de installatie."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt op"), null=True, blank=True)
    # Set at creation from LEERRECHT_API_TOKEN_LIFETIME_DAYS; older tokens without it
    # expire that long after created_at (api.services.api_token_expires_at).
    expires_at = models.DateTimeField(_("verloopt op"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "name", "id"]
        verbose_name = _("API-token")
        verbose_name_plural = _("API-tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])


class ApiRateWindow(models.Model):
    """Fixed-window request counter per token, in the database so that every gunicorn
    worker counts against the same limit (docs/adr/0071)."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "window_start"], name="api_rate_window_unique")
        ]

    def __str__(self) -> str:
        return f"{self.token_id} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class ApiIdempotencyRecord(models.Model):
    """The stored outcome of a write that carried an `Idempotency-Key` header."""

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=255)
    # SHA-256 of method, path and body: the same key with a different request is refused.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    response_body = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="api_idempotency_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
