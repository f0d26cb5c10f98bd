"""The pieces every endpoint shares: the API class, token auth with scopes and rate limiting,
the declared audit of every call, and pagination."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections.abc import Callable
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import BeforeValidator, ConfigDict, create_model
from pydantic.alias_generators import to_camel

from leerrecht.api.problems import ApiProblem, InvalidParam, Problem, problem_response
from leerrecht.api.services import RateDecision, api_rate_limit_hit, api_token_authenticate
from leerrecht.privacy.audit import audit_declare, processing_of

logger = logging.getLogger(__name__)

# 1.1.0: query parameters in lowerCamelCase (the 1.0 snake_case names still work, answered
# with a Deprecation header, until 2.0.0), absence-event imports, DUO melding export and
# status feedback (docs/adr/0150).
API_VERSION = "1.1.0"
API_PREFIX = "/api/v1/"

# Query parameter names of version 1.0 and their lowerCamelCase names since 1.1.0.
DEPRECATED_QUERY_NAMES = {
    old: to_camel(old)
    for old in (
        "page_size",
        "source_id",
        "date_of_birth",
        "residence_municipality",
        "student_id",
        "first_date_from",
        "first_date_to",
        "duo_status",
        "reported_from",
        "reported_to",
    )
}
# RFC 9745: the moment the old names were deprecated (release of 1.1.0, 2026-12-03 UTC).
DEPRECATED_SINCE = "@1796256000"

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date_only(value: Any) -> Any:
    if isinstance(value, str) and not _ISO_DATE.match(value):
        raise ValueError("gebruik een ISO-datum: JJJJ-MM-DD")
    if not isinstance(value, str | dt.date):
        raise ValueError("gebruik een ISO-datum: JJJJ-MM-DD")
    return value


# A date as ISO 8601 text only (no timestamps, no other notations).
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]


# --- authentication, scopes, rate limiting ----------------------------------------------


class ScopeMissing(Exception):
    def __init__(self, scope: str) -> None:
        super().__init__(scope)
        self.scope = scope


class RateLimited(Exception):
    def __init__(self, decision: RateDecision) -> None:
        super().__init__("rate limited")
        self.decision = decision


class TokenAuth(HttpBearer):
    """`Authorization: Bearer lr_<prefix>_<secret>`; the token must carry one of `scopes`."""

    def __init__(self, *scopes: str) -> None:
        super().__init__()
        self.scopes = scopes

    def authenticate(self, request: HttpRequest, token: str):
        api_token = api_token_authenticate(raw=token)
        if api_token is None:
            request.api_presented_prefix = [*token.split("_"), "", ""][1][:16]
            return None
        # The token acts as its service account: organisation + role = the data scope.
        request.user = api_token.account
        request.api_token = api_token
        decision = api_rate_limit_hit(token=api_token)
        request.api_rate = decision
        if not decision.allowed:
            raise RateLimited(decision)
        if not any(api_token.has_scope(scope) for scope in self.scopes):
            raise ScopeMissing(" of ".join(self.scopes))
        return api_token


def auth(*scopes: str) -> TokenAuth:
    return TokenAuth(*scopes)


# --- audit --------------------------------------------------------------------------------


def declared_processing(run: Callable) -> Callable:
    """Operation wrapper (installed on the whole API, before authentication): hands the
    operation's `@processing` declaration to the request's one audit entry, so refused
    calls (401, 403, 404, 429) are logged under it too (docs/adr/0103)."""
    operation = getattr(run, "__self__", None)
    declaration = processing_of(getattr(operation, "view_func", None))

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs):
        audit_declare(request, declaration)
        return run(request, *args, **kwargs)

    return wrapper


def finish_response(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Headers every API response carries."""
    response["API-Version"] = API_VERSION
    if getattr(request, "api_deprecated_params", None):
        response["Deprecation"] = DEPRECATED_SINCE
        response["Link"] = '</api/v1/openapi.json>; rel="deprecation"; type="application/json"'
    decision: RateDecision | None = getattr(request, "api_rate", None)
    if decision is not None:
        response["RateLimit-Limit"] = str(decision.limit)
        response["RateLimit-Remaining"] = str(decision.remaining)
        response["RateLimit-Reset"] = str(decision.reset_seconds)
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def accept_deprecated_query_names(run: Callable) -> Callable:
    """View decorator: a query parameter sent under its 1.0 name is read as its new name
    (and the answer carries `Deprecation`), for clients written against version 1.0."""

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs):
        renamed = {
            old: new
            for old, new in DEPRECATED_QUERY_NAMES.items()
            if old in request.GET and new not in request.GET
        }
        if renamed:
            query = request.GET.copy()
            for old, new in renamed.items():
                query.setlist(new, query.pop(old))
            request.GET = query
            request.api_deprecated_params = sorted(renamed)
        return run(request, *args, **kwargs)

    return wrapper


# --- the API class ------------------------------------------------------------------------

# Error responses every operation documents (plus 404 with path parameters).
_COMMON_ERRORS = {
    "400": "Bad request: a parameter or the body is invalid (see invalid_params).",
    "401": "No token, or an unknown or revoked one.",
    "403": "The token lacks the scope this operation needs.",
    "429": "Too many requests with this token; retry after Retry-After seconds.",
}


class LeerrechtAPI(NinjaAPI):
    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        return finish_response(request, response)

    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        # Paths are relative to the server URL, which holds the major version
        # (API Design Rules /core/uri-version).
        schema = super().get_openapi_schema(path_prefix="", path_params=path_params)
        schema["servers"] = [{"url": API_PREFIX.rstrip("/"), "description": "This installation"}]
        schema["info"]["contact"] = {
            "name": settings.LEERRECHT_API_CONTACT_NAME,
            "email": settings.LEERRECHT_API_CONTACT_EMAIL,
            "url": settings.LEERRECHT_API_CONTACT_URL,
        }
        _with_version_headers(schema)
        _with_date_formats(schema)
        return _with_problem_responses(schema)


_VERSION_HEADER = {
    "API-Version": {
        "description": "The full version of the API (API Design Rules /core/version-header).",
        "schema": {"type": "string", "example": API_VERSION},
    }
}


def _with_version_headers(schema: dict) -> None:
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for code, response in operation.get("responses", {}).items():
                if str(code)[0] in "23":
                    response.setdefault("headers", {}).update(_VERSION_HEADER)


def _with_date_formats(schema: dict) -> None:
    """An optional date (`anyOf: [{format: date}, {type: null}]`) names its format on the
    property itself too, where the API Design Rules linter looks for it."""
    for component in schema.get("components", {}).get("schemas", {}).values():
        for prop in component.get("properties", {}).values():
            formats = {alt.get("format") for alt in prop.get("anyOf", ())} - {None}
            if formats == {"date"}:
                prop["format"] = "date"


def _with_problem_responses(schema: dict) -> dict:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in problem_schema.pop("$defs", {}).items():
        components[name] = definition
    components["Problem"] = problem_schema
    components.setdefault(
        "InvalidParam",
        InvalidParam.model_json_schema(ref_template="#/components/schemas/{model}"),
    )
    problem_content = {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            wanted = dict(_COMMON_ERRORS)
            if "{" in path:
                wanted["404"] = "Does not exist, or lies outside the token's data scope."
            for code, description in wanted.items():
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():
                if int(code) >= 400:
                    response["content"] = problem_content
                    if code == "429":
                        response["headers"] = {
                            "Retry-After": {
                                "description": "Seconds until the next window.",
                                "schema": {"type": "integer"},
                            }
                        }
    return schema


def install_error_handlers(api: NinjaAPI) -> None:
    def finish(request, response):
        return finish_response(request, response)

    @api.exception_handler(ValidationError)
    def _validation(request, exc: ValidationError):
        params = []
        for error in exc.errors:
            loc = [str(p) for p in error.get("loc", ())]
            name = ".".join(loc[1:] if len(loc) > 1 else loc) or "body"
            params.append({"name": name, "reason": str(error.get("msg", "ongeldig"))})
        names = ", ".join(sorted({p["name"] for p in params}))
        return finish(
            request,
            problem_response(request, 400, f"Ongeldige invoer in: {names}.", invalid_params=params),
        )

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return finish(
            request,
            problem_response(
                request,
                401,
                "Geef een geldig API-token mee: 'Authorization: Bearer lr_<prefix>_<geheim>'.",
                headers={"WWW-Authenticate": 'Bearer realm="leerrecht"'},
            ),
        )

    @api.exception_handler(ScopeMissing)
    def _scope(request, exc: ScopeMissing):
        return finish(
            request,
            problem_response(
                request, 403, f"Dit token heeft de scope '{exc.scope}' niet voor deze resource."
            ),
        )

    @api.exception_handler(RateLimited)
    def _rate(request, exc: RateLimited):
        decision = exc.decision
        return finish(
            request,
            problem_response(
                request,
                429,
                f"Dit token mag {decision.limit} verzoeken per minuut doen; "
                f"probeer het over {decision.reset_seconds} seconden opnieuw.",
                headers={"Retry-After": str(decision.reset_seconds)},
            ),
        )

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return finish(
            request,
            problem_response(request, 404, "Deze resource bestaat niet of valt buiten uw scope."),
        )

    @api.exception_handler(PermissionDenied)
    def _denied(request, exc):
        return finish(request, problem_response(request, 403, str(exc) or "Geen toegang."))

    @api.exception_handler(ApiProblem)
    def _problem(request, exc: ApiProblem):
        return finish(
            request,
            problem_response(
                request,
                exc.status,
                exc.detail,
                invalid_params=exc.invalid_params,
                headers=exc.headers,
            ),
        )

    @api.exception_handler(HttpError)
    def _http_error(request, exc: HttpError):
        return finish(request, problem_response(request, exc.status_code, str(exc)))

    @api.exception_handler(Exception)
    def _unexpected(request, exc):
        logger.exception("API error on %s %s", request.method, request.path)
        trace = getattr(request, "trace_id", "")
        return finish(
            request,
            problem_response(
                request,
                500,
                f"Er ging iets mis. Geef de beheerder deze trace-id: {trace}.",
            ),
        )


# --- pagination ---------------------------------------------------------------------------


class QueryParams(Schema):
    """Query parameters are lowerCamelCase (API Design Rules, /core/query-keys-camel-case):
    a field `page_size` is sent as `pageSize`."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class PageQuery(QueryParams):
    page: int = Field(1, ge=1, le=10_000, description="Page number, from 1.")
    page_size: int = Field(20, ge=1, le=100, description="Results per page.")


class PageLinks(Schema):
    self: str
    next: str | None = None
    previous: str | None = None


class PageBase(Schema):
    count: int = Field(description="Number of results on all pages together.")
    page: int
    page_size: int
    links: PageLinks


def check_query(request: HttpRequest, *schemas: type[Schema]) -> None:
    """Refuse unknown query parameters: a mistyped filter must not silently return all."""
    allowed = {
        field.alias or name for schema in schemas for name, field in schema.model_fields.items()
    }
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise ApiProblem(
            400,
            f"Onbekende parameter(s): {', '.join(repr(u) for u in unknown)}.",
            invalid_params=[{"name": u, "reason": "onbekende parameter"} for u in unknown],
        )


def page_of(item: type, name: str) -> type:
    """A page schema `name` with `results: list[item]`."""
    return create_model(name, __base__=PageBase, results=(list[item], ...))


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return f"{request.path}?{query.urlencode()}"


def paginate(
    request: HttpRequest,
    queryset: QuerySet | list,
    *,
    page: PageQuery,
    serialize: Callable[[Any], Any] = lambda obj: obj,
) -> tuple[dict, list]:
    """(page body, objects on the page). `queryset` must be ordered."""
    count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
    offset = (page.page - 1) * page.page_size
    objects = list(queryset[offset : offset + page.page_size])
    body = {
        "count": count,
        "page": page.page,
        "page_size": page.page_size,
        "links": {
            "self": _page_url(request, page.page),
            "next": _page_url(request, page.page + 1) if offset + page.page_size < count else None,
            "previous": _page_url(request, page.page - 1) if page.page > 1 else None,
        },
        "results": [serialize(obj) for obj in objects],
    }
    return body, objects
