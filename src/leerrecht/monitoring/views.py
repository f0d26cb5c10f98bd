"""Figures pages (issue 6). Policy users see aggregates only (counts under 5 suppressed);
case workers also see the per-child lists of their own scope, audited once per view."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from leerrecht.accounts.models import Role
from leerrecht.monitoring import reports, selectors
from leerrecht.monitoring.exports import CONTENT_TYPES, FORMATS, csv_chunks, filename
from leerrecht.monitoring.exports import render as render_export
from leerrecht.monitoring.figures.periods import SchoolYear
from leerrecht.privacy.audit import audit_note, processing
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.query import user_sees_children
from leerrecht.registry.models import Organisation, OrganisationKind

ACTIVITY = "monitoring"


def _date_param(request: HttpRequest, name: str = "date") -> dt.date:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return timezone.localdate()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise Http404(_("Onbekende datum."))


def _scope_param(request: HttpRequest) -> selectors.Scope:
    if "scope" not in request.GET:
        return selectors.scope_default(request.user)
    try:
        return selectors.scope_parse(request.GET.get("scope", ""))
    except ValueError:
        raise Http404(_("Onbekende selectie.")) from None


def _aggregate(user, scope: selectors.Scope | None = None) -> bool:
    """Per-child figures only for a selection within the user's own work (ADR 0111); any
    other selection gives the same numbers as every role, aggregated and suppressed."""
    if scope is None:
        return not user_sees_children(user)
    return not selectors.scope_within_user(user, scope)


def _deny_unknown_roles(user) -> None:
    if user.role in (Role.OPERATOR, Role.PRIVACY_OFFICER) and not user.is_superuser:
        raise Http404


def _respond(
    request,
    built,
    *,
    stem: str,
    template: str,
    context: dict,
    personal: bool,
    object_type: str,
    count: int | None = None,
    children: list[int] = (),
) -> HttpResponse:
    fmt = request.GET.get("format", "")
    if fmt and fmt not in FORMATS:
        raise Http404(_("Onbekend formaat."))
    if personal:
        audit_note(
            request,
            action=AuditEvent.Action.EXPORT if fmt else AuditEvent.Action.READ,
            object_type=object_type,
            object_id=request.GET.get("scope", "") or "regio",
            fields=["naam", "leeftijd", "school", "verzuim", "casus"],
            children=children,
            detail=f"{built.report.title}; {count if count is not None else ''} kinderen; "
            f"{fmt or 'scherm'}",
        )
    if fmt == "csv":  # long lists: streamed in chunks
        response = StreamingHttpResponse(csv_chunks(built.report), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{filename(stem, fmt)}"'
        return response
    if fmt:
        response = HttpResponse(render_export(built.report, fmt), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{filename(stem, fmt)}"'
        return response
    query = request.GET.copy()
    exports = []
    for f in FORMATS:
        query["format"] = f
        exports.append({"format": f.upper(), "url": f"{request.path}?{query.urlencode()}"})
    return render(
        request,
        template,
        {
            "built": built,
            "report": built.report,
            "charts": built.charts,
            "exports": exports,
            "aggregate": not personal,
            **context,
        },
    )


def _crumbs(label: str) -> list[dict]:
    return [
        {"label": _("Cijfers"), "url": reverse("monitoring:dashboard")},
        {"label": label, "url": ""},
    ]


@processing(ACTIVITY)
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Home page of policy users: the three headline figures, aggregated."""
    _deny_unknown_roles(request.user)
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "figures": _dashboard_figures(request.user),
            "breadcrumbs": [{"label": _("Cijfers"), "url": ""}],
            "sees_children": user_sees_children(request.user),
        },
    )


def _dashboard_figures(user) -> str:
    """The dashboard's figures as HTML. They are aggregates that are the same for everyone
    with the same role at the same organisation, so they are computed once per
    LEERRECHT_FIGURES_CACHE_SECONDS and shared (the page says when they were computed):
    at region size they take seconds (docs/performance.md, "Web at region size")."""
    today = timezone.localdate()
    key = (
        f"dashboard:{user.role}:{user.organisation_id}:{user.is_superuser}:"
        f"{today.isoformat()}:{translation.get_language()}"
    )
    seconds = settings.LEERRECHT_FIGURES_CACHE_SECONDS
    cached = cache.get(key) if seconds else None  # (computed at, html)
    # Older than the cache time: one request computes them again while the others keep
    # getting the previous figures (the page says from when), so no burst of recomputation.
    if cached is not None and (
        timezone.now() - cached[0] < dt.timedelta(seconds=seconds)
        or not cache.add(f"{key}:busy", 1, timeout=120)
    ):
        return mark_safe(cached[1])  # noqa: S308 - rendered by our own template
    stock = reports.build_thuiszitters(user=user, on=today, scope=selectors.Scope(), aggregate=True)
    kpi = reports.build_kpi(user=user, scope=selectors.Scope(), as_of=today, aggregate=True)
    telling = reports.build_telling(user=user, year=None, aggregate=True)  # own region
    computed_at = timezone.now()
    html = render_to_string(
        "monitoring/_dashboard_figures.html",
        {
            "computed_at": timezone.localtime(computed_at),
            "stock": stock,
            "kpi": kpi,
            "telling": telling,
            "definition_chart": stock.charts[0],
            "kpi_table": kpi.report.sections[0],
            "telling_chart": telling.charts[0] if telling.charts else None,
        },
    )
    if seconds:
        cache.set(key, (computed_at, html), 2 * seconds)
        cache.delete(f"{key}:busy")
    return mark_safe(html)  # noqa: S308 - rendered by our own template with autoescape


@processing(ACTIVITY)
@login_required
def thuiszitters(request: HttpRequest) -> HttpResponse:
    _deny_unknown_roles(request.user)
    on, scope = _date_param(request), _scope_param(request)
    aggregate = _aggregate(request.user, scope)
    built = reports.build_thuiszitters(user=request.user, on=on, scope=scope, aggregate=aggregate)
    counted = built.extra["counted"]
    return _respond(
        request,
        built,
        stem="thuiszitters",
        template="monitoring/thuiszitters.html",
        context={
            "on": on,
            "scope": scope,
            "scopes": selectors.scope_choices(request.user),
            "sees_children": user_sees_children(request.user),
            "counted": counted,
            "breadcrumbs": _crumbs(_("Thuiszitters")),
        },
        personal=not aggregate,
        object_type="monitoring.thuiszitters",
        count=len(counted),
        children=[r.student_id for r in counted if r.student_id],
    )


@processing(ACTIVITY)
@login_required
def kpi(request: HttpRequest) -> HttpResponse:
    _deny_unknown_roles(request.user)
    on, scope = _date_param(request), _scope_param(request)
    aggregate = _aggregate(request.user, scope)
    built = reports.build_kpi(user=request.user, scope=scope, as_of=on, aggregate=aggregate)
    return _respond(
        request,
        built,
        stem="kwartaaldoelen",
        template="monitoring/report.html",
        context={
            "on": on,
            "scope": scope,
            "scopes": selectors.scope_choices(request.user),
            "show_filters": True,
            "breadcrumbs": _crumbs(_("Kwartaaldoelen")),
        },
        personal=not aggregate,
        object_type="monitoring.kpi",
    )


@processing(ACTIVITY)
@login_required
def telling(request: HttpRequest) -> HttpResponse:
    _deny_unknown_roles(request.user)
    raw = request.GET.get("year", "")
    try:
        year = SchoolYear.parse(raw) if raw else SchoolYear.of(timezone.localdate()).previous()
    except ValueError:
        raise Http404(_("Onbekend schooljaar.")) from None
    built = reports.build_telling(user=request.user, year=year, aggregate=True)
    return _respond(
        request,
        built,
        stem="jaartelling",
        template="monitoring/report.html",
        context={"year": year, "show_year": True, "breadcrumbs": _crumbs(_("Jaartelling"))},
        personal=False,
        object_type="monitoring.telling",
    )


@processing(ACTIVITY)
@login_required
def telling_national(request: HttpRequest) -> HttpResponse:
    """The national reference (DUO, seed 003 Bijlage 6) on its own page (docs/adr/0116)."""
    _deny_unknown_roles(request.user)
    built = reports.build_telling_national(user=request.user, aggregate=True)
    return _respond(
        request,
        built,
        stem="jaartelling-landelijk",
        template="monitoring/report.html",
        context={
            "breadcrumbs": _crumbs(_("Landelijke jaartelling")),
        },
        personal=False,
        object_type="monitoring.telling",
    )


@processing(ACTIVITY)
@login_required
def inspectie(request: HttpRequest) -> HttpResponse:
    """The SWV's quarterly anonymised thuiszitters form for the Inspectie."""
    user = request.user
    if not user_sees_children(user):
        raise Http404
    organisation = user.organisation
    if organisation is not None and organisation.kind == OrganisationKind.SWV:
        swv = organisation
    else:
        swvs = Organisation.objects.filter(kind=OrganisationKind.SWV)
        swv_pk = request.GET.get("swv", "")
        if not swv_pk.isdigit():
            return render(
                request,
                "monitoring/choose_swv.html",
                {"swvs": swvs.order_by("name"), "breadcrumbs": _crumbs(_("Inspectie"))},
            )
        swv = get_object_or_404(swvs, pk=int(swv_pk))
    on = _date_param(request)
    built = reports.build_inspectie(user=user, swv=swv, on=on)
    return _respond(
        request,
        built,
        stem=f"inspectie-{swv.name}",
        template="monitoring/report.html",
        context={
            "on": on,
            "show_date": True,
            "print_landscape": True,  # the quarterly form is wide: a landscape page
            "breadcrumbs": _crumbs(_("Opgave Inspectie")),
        },
        personal=True,
        object_type="monitoring.inspectie",
        count=len(built.extra["rows"]),
    )


def _schools_for_user(user):
    schools = Organisation.objects.filter(kind=OrganisationKind.SCHOOL)
    org = user.organisation
    if org is None:
        return schools.none()
    if org.kind == OrganisationKind.SCHOOL:
        return schools.filter(pk=org.pk)
    if org.kind == OrganisationKind.SWV:
        return schools.filter(swv=org)
    if org.kind == OrganisationKind.LEERPLICHT:
        return schools
    if org.kind == OrganisationKind.JGZ:
        return schools.filter(pk__in=org.served_schools.all())
    return schools.none()


@processing(ACTIVITY, kind="registry.organisation")
@login_required
def school_consultation(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not user_sees_children(user):
        raise Http404
    school = get_object_or_404(_schools_for_user(user), pk=pk)
    on = _date_param(request)
    built = reports.build_school_consultation(user=user, school=school, on=on)
    return _respond(
        request,
        built,
        stem=f"schooloverleg-{school.name}",
        template="monitoring/school_consultation.html",
        context={
            "on": on,
            "school": school,
            "show_date": True,
            "breadcrumbs": _crumbs(_("Schooloverleg")),
        },
        personal=True,
        object_type="monitoring.schooloverleg",
        count=len(built.extra["student_ids"]),
        children=list(built.extra["student_ids"]),
    )


@processing(ACTIVITY, kind="registry.organisation")
@login_required
def school_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user_sees_children(user):
        raise Http404
    return render(
        request,
        "monitoring/school_list.html",
        {
            "schools": _schools_for_user(user).order_by("name"),
            "breadcrumbs": _crumbs(_("Schooloverleg")),
        },
    )
