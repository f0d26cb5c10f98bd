"""Write-side of the API: tokens, rate-limit counting, idempotent writes."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from leerrecht.accounts.models import User
from leerrecht.api.models import ApiIdempotencyRecord, ApiRateWindow, ApiToken
from leerrecht.api.scopes import scope_problems
from leerrecht.registry.models import Organisation

TOKEN_PREFIX = "lr"  # noqa: S105 - the public marker of a token, not a secret
DEFAULT_RATE_LIMIT_PER_MINUTE = 120


class ApiTokenError(ValueError):
    """The token cannot be created as asked; the message says why."""


def _hash_secret(secret: str) -> str:
    # The secret is 256 random bits, so a plain SHA-256 is enough (no dictionary to guess from).
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(
    *,
    organisation: Organisation,
    name: str,
    role: str,
    scopes: list[str],
    created_by: User | None = None,
    rate_limit_per_minute: int | None = None,
) -> tuple[ApiToken, str]:
    """Create a token; returns it with the plaintext value, which is shown once only."""
    name = name.strip()
    if not name:
        raise ApiTokenError("a token needs a name")
    scopes = sorted(set(scopes))
    problems = scope_problems(kind=organisation.kind, role=role, scopes=scopes)
    if problems:
        raise ApiTokenError("; ".join(problems))
    with transaction.atomic():
        prefix = secrets.token_hex(4)
        while ApiToken.objects.filter(prefix=prefix).exists():
            prefix = secrets.token_hex(4)
        secret = secrets.token_urlsafe(32)
        account = User(
            username=f"api-token-{prefix}",
            first_name="API-token",
            last_name=name[:150],
            organisation=organisation,
            role=role,
        )
        account.set_unusable_password()
        account.save()
        token = ApiToken.objects.create(
            organisation=organisation,
            name=name,
            role=role,
            prefix=prefix,
            secret_hash=_hash_secret(secret),
            scopes=scopes,
            account=account,
            created_by=created_by,
            rate_limit_per_minute=rate_limit_per_minute,
            expires_at=timezone.now() + _lifetime(),
        )
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


def _lifetime() -> dt.timedelta:
    return dt.timedelta(days=settings.LEERRECHT_API_TOKEN_LIFETIME_DAYS)


def api_token_expires_at(*, token: ApiToken) -> dt.datetime:
    """When the token stops working (tokens from before expiry existed: created + lifetime)."""
    return token.expires_at or token.created_at + _lifetime()


def api_token_rotate(*, token: ApiToken, created_by: User | None = None) -> tuple[ApiToken, str]:
    """A new token with the same organisation, name, role, scopes and limit, and a fresh
    lifetime; the old one is revoked in the same transaction. Returns the new plaintext."""
    with transaction.atomic():
        old = ApiToken.objects.select_for_update().get(pk=token.pk)
        if old.revoked_at is not None:
            raise ApiTokenError("a revoked token cannot be rotated")
        new, plaintext = api_token_create(
            organisation=old.organisation,
            name=old.name,
            role=old.role,
            scopes=list(old.scopes),
            created_by=created_by,
            rate_limit_per_minute=old.rate_limit_per_minute,
        )
        api_token_revoke(token=old)
    return new, plaintext


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token for good (its service account is deactivated too)."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            User.objects.filter(pk=token.account_id).update(is_active=False)
    return token


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The active token for a presented value, or None."""
    parts = (raw or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = (
        ApiToken.objects.select_related("account", "organisation")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, _hash_secret(parts[2])):
        return None
    if not token.account.is_active:
        return None
    now = timezone.now()
    if api_token_expires_at(token=token) <= now:
        return None
    # Writing last_used_at once a minute is precise enough and spares the database.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int


def api_rate_limit_hit(*, token: ApiToken, now: dt.datetime | None = None) -> RateDecision:
    """Count one request against the token's fixed one-minute window."""
    now = now or timezone.now()
    limit = token.rate_limit_per_minute or getattr(
        settings, "LEERRECHT_API_RATE_LIMIT_PER_MINUTE", DEFAULT_RATE_LIMIT_PER_MINUTE
    )
    window_start = now.replace(second=0, microsecond=0)
    window, created = ApiRateWindow.objects.get_or_create(token=token, window_start=window_start)
    if created:
        ApiRateWindow.objects.filter(
            token=token, window_start__lt=window_start - dt.timedelta(minutes=5)
        ).delete()
    ApiRateWindow.objects.filter(pk=window.pk).update(count=F("count") + 1)
    count = ApiRateWindow.objects.values_list("count", flat=True).get(pk=window.pk)
    reset = 60 - now.second
    return RateDecision(
        allowed=count <= limit, limit=limit, remaining=max(limit - count, 0), reset_seconds=reset
    )


class IdempotencyConflict(Exception):
    """The key was used before with a different request, or that request still runs."""


def request_fingerprint(*, method: str, path: str, body: object) -> str:
    payload = json.dumps([method, path, body], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def api_idempotent_write(
    *,
    organisation: Organisation,
    key: str,
    method: str,
    path: str,
    fingerprint: str,
    perform: Callable[[], tuple[int, dict]],
) -> tuple[int, dict, bool]:
    """Run `perform` once per (organisation, key); later calls replay its outcome.

    Returns (status, body, replayed). The record and the write commit together, so a failed
    write leaves no record and can be retried with the same key.
    """
    existing = ApiIdempotencyRecord.objects.filter(organisation=organisation, key=key).first()
    if existing is not None:
        return _replay(existing, fingerprint)
    try:
        with transaction.atomic():
            record = ApiIdempotencyRecord.objects.create(
                organisation=organisation,
                key=key,
                method=method,
                path=path[:255],
                fingerprint=fingerprint,
            )
            status, body = perform()
            body = json.loads(json.dumps(body, cls=DjangoJSONEncoder))
            record.status_code = status
            record.response_body = body
            record.save(update_fields=["status_code", "response_body"])
    except IntegrityError:
        existing = ApiIdempotencyRecord.objects.filter(organisation=organisation, key=key).first()
        if existing is None:
            raise
        return _replay(existing, fingerprint)
    return status, body, False


def _replay(record: ApiIdempotencyRecord, fingerprint: str) -> tuple[int, dict, bool]:
    if record.fingerprint != fingerprint:
        raise IdempotencyConflict(
            "Deze Idempotency-Key is eerder gebruikt voor een ander verzoek. "
            "Gebruik een nieuwe sleutel voor een nieuw verzoek."
        )
    if not record.status_code:
        raise IdempotencyConflict("Een verzoek met deze Idempotency-Key wordt nog verwerkt.")
    return record.status_code, record.response_body, True
