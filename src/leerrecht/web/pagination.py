"""One way to split a long list into pages (ADR 0133): `?pagina=N`, the other query
parameters (the filters) kept in every page link, rendered by web/_pagination.html."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_PARAM = "pagina"


def paginate(
    request: HttpRequest, items: QuerySet | Sequence, *, per_page: int | None = None
) -> dict:
    """The page of `items` the request asks for, as template context: `page`, `page_range`
    (numbers with "…" for the gaps); `per_page` defaults to LEERRECHT_PAGE_SIZE and `query` (the filters, without the page number)."""
    size = per_page or settings.LEERRECHT_PAGE_SIZE
    page: Page = Paginator(items, size).get_page(request.GET.get(PAGE_PARAM))
    query = request.GET.copy()
    query.pop(PAGE_PARAM, None)
    return {
        "page": page,
        "page_range": list(
            page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
        ),
        "query": query.urlencode(),
    }
