"""Read-side of the API app: token listings and the published documents."""

from __future__ import annotations

import json

from django.db.models import Q, QuerySet

from leerrecht.api.models import ApiToken
from leerrecht.registry.models import Organisation


def api_token_list(
    *, organisation: Organisation | None = None, include_revoked: bool = True
) -> QuerySet[ApiToken]:
    tokens = ApiToken.objects.select_related("organisation", "created_by")
    if organisation is not None:
        tokens = tokens.filter(organisation=organisation)
    if not include_revoked:
        tokens = tokens.filter(revoked_at__isnull=True)
    return tokens.order_by("organisation__name", "name", "id")


def organisation_by_reference(*, reference: str) -> Organisation | None:
    """An organisation by id, BRIN or exact name."""
    reference = reference.strip()
    condition = Q(brin=reference.upper()) | Q(name=reference)
    if reference.isdigit():
        condition |= Q(pk=int(reference))
    matches = list(Organisation.objects.filter(condition)[:2])
    return matches[0] if len(matches) == 1 else None


def api_openapi_document() -> str:
    """The OpenAPI document as published in docs/api/openapi.json."""
    from leerrecht.api.v1 import api

    return json.dumps(api.get_openapi_schema(), indent=2, ensure_ascii=False) + "\n"
