"""/api/v1/figures/thuiszitters: thuiszitter figures, aggregates only (small counts
suppressed with privacy.suppression, as for policy users in the web)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from leerrecht.api.core import IsoDate, QueryParams, auth, check_query
from leerrecht.api.problems import ApiProblem, Problem
from leerrecht.monitoring import selectors
from leerrecht.monitoring.figures import definitions as d
from leerrecht.monitoring.labels import DEFINITION_LABELS
from leerrecht.privacy.audit import audit_note, processing
from leerrecht.privacy.suppression import suppress_small_counts

router = Router(tags=["figures"])


class DefinitionCount(Schema):
    definition: str = Field(description="inspectie, onderzoek, breed_casus1, breed_casus2.")
    label: str
    count: int | str = Field(description='Number of children; "<5" when fewer than 5.')
    source: str


class ThuiszitterFigures(Schema):
    on: dt.date
    scope: str = Field(description="The selection, e.g. gemeente:12; empty = whole region.")
    scope_label: str
    definitions: list[DefinitionCount]


class FigureFilters(QueryParams):
    on: IsoDate | None = Field(None, description="Reference date; default today.")
    scope: str | None = Field(
        None,
        pattern=r"^(gemeente|swv|school|rmc):[0-9]{1,18}$",
        description="gemeente:<id>, swv:<id>, school:<id> or rmc:<id>; default everything.",
    )


@router.get(
    "/figures/thuiszitters",
    response={200: ThuiszitterFigures, 404: Problem},
    auth=auth("figures:read"),
    summary="Thuiszitter figures per definition (aggregate)",
    description="Scope `figures:read`. The number of thuiszitters on a date under the four "
    'definitions; counts under 5 are shown as "<5". No personal data.',
)
@processing("monitoring")
def thuiszitter_figures(request: HttpRequest, filters: Query[FigureFilters]):
    check_query(request, FigureFilters)
    on = filters.on or timezone.localdate()
    try:
        scope = selectors.scope_parse(filters.scope)
    except ValueError:
        raise ApiProblem(
            404,
            "Deze selectie bestaat niet.",
            invalid_params=[{"name": "scope", "reason": "onbekende selectie"}],
        ) from None
    stock = selectors.thuiszitter_stock(user=request.user, on=on, scope=scope)
    counts = stock.comparison.counts
    audit_note(request, detail=f"API {request.get_full_path()} (aggregate)")
    return {
        "on": on,
        "scope": filters.scope or "",
        "scope_label": str(scope.label or ""),
        "definitions": [
            {
                "definition": definition,
                "label": str(DEFINITION_LABELS[definition]),
                "count": suppress_small_counts(counts[definition]),
                "source": d.SOURCES[definition],
            }
            for definition in d.DEFINITIONS
        ],
    }
