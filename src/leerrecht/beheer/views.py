"""The beheer workspace: the functional administrator's pages inside the product.

The Django admin (/beheer/) stays for platform operators; the functional administrator
(role "functioneel beheerder") works here: users and roles, organisations and their
sector, imports and background jobs, retention runs (dry run, then confirm), API tokens
and the region's protocols (read-only, with a deadline preview). docs/adr/0130.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerrecht.accounts.models import Role, User
from leerrecht.accounts.services import AccountChangeRefused, user_change_role
from leerrecht.api.models import ApiToken
from leerrecht.api.services import (
    ApiTokenError,
    api_token_create,
    api_token_expires_at,
    api_token_revoke,
    api_token_rotate,
)
from leerrecht.beheer import selectors
from leerrecht.beheer.forms import (
    SCOPE_LABELS,
    ApiTokenCreateForm,
    RetentionConfirmForm,
    UserFilterForm,
    UserRoleForm,
)
from leerrecht.privacy.audit import audit_note, audit_outside_request, processing
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.retention import retention_plan, retention_purge


def operator_only(view):
    """Only the functional administrator; everyone else gets the same 404 as a page that
    does not exist."""

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.role != Role.OPERATOR:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _crumbs(*items: tuple[str, str]) -> list[dict]:
    trail = [{"label": _("Beheer"), "url": reverse("beheer:index")}]
    trail += [{"label": label, "url": url} for label, url in items]
    trail[-1]["url"] = ""
    return trail


@processing("authenticatie")
@operator_only
def index(request: HttpRequest) -> HttpResponse:
    jobs = selectors.job_list(limit=200)
    context = {
        "user_count": selectors.user_list().count(),
        "organisation_count": selectors.organisation_list().count(),
        "failed_jobs": sum(1 for j in jobs if j.status == j.Status.FAILED),
        "open_jobs": sum(1 for j in jobs if not j.finished),
        "active_tokens": selectors.api_token_list().filter(revoked_at=None).count(),
        "protocols": selectors.protocol_summaries(),
        "breadcrumbs": [{"label": _("Beheer"), "url": ""}],
    }
    return render(request, "beheer/index.html", context)


@processing("authenticatie", kind="accounts.user", read=AuditEvent.Action.SEARCH)
@operator_only
def users(request: HttpRequest) -> HttpResponse:
    form = UserFilterForm(request.GET or None)
    query = role = ""
    if form.is_valid():
        query, role = form.cleaned_data["q"].strip(), form.cleaned_data["rol"]
    page = Paginator(selectors.user_list(query=query, role=role), 50).get_page(
        request.GET.get("pagina")
    )
    audit_note(
        request,
        action=AuditEvent.Action.SEARCH,
        fields=["naam", "gebruikersnaam", "rol", "organisatie"],
        detail=f"gebruikerslijst pagina {page.number}: {page.paginator.count} accounts",
    )
    return render(
        request,
        "beheer/users.html",
        {"form": form, "page": page, "breadcrumbs": _crumbs((_("Gebruikers en rollen"), ""))},
    )


@processing("authenticatie", kind="accounts.user")
@operator_only
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a user's role and organisation through the accounts service, which refuses
    what the rules do not allow and audits the change (or the refusal) with before and
    after: that is this request's one audit entry; a page view without a change is one
    read entry."""
    account = get_object_or_404(User.objects.select_related("organisation"), pk=pk)
    initial = {"role": account.role, "organisation": account.organisation}
    form = UserRoleForm(request.POST or None, initial=initial)
    changed_or_refused = False
    if request.method == "POST" and form.is_valid():
        changed_or_refused = True
        data = form.cleaned_data
        try:
            user_change_role(
                actor=request.user,
                user=account,
                role=data["role"],
                organisation=data["organisation"],
                change_organisation=True,
                reason=data["reason"],
            )
        except AccountChangeRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("De rol en organisatie van %(name)s zijn opgeslagen.")
                % {"name": account.get_full_name() or account.username},
            )
            return redirect("beheer:users")
    if not changed_or_refused:
        audit_note(
            request,
            obj=account,
            fields=["naam", "gebruikersnaam", "rol", "organisatie"],
        )
    return render(
        request,
        "beheer/user_edit.html",
        {
            "account": account,
            "form": form,
            "breadcrumbs": _crumbs(
                (_("Gebruikers en rollen"), reverse("beheer:users")),
                (account.get_full_name() or account.username, ""),
            ),
        },
    )


@processing("leerlingregistratie", kind="registry.organisation")
@operator_only
def organisations(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "beheer/organisations.html",
        {
            "organisations": selectors.organisation_list(),
            "breadcrumbs": _crumbs((_("Organisaties"), "")),
        },
    )


@processing("verzuimregistratie", kind="attendance.attendanceimport")
@operator_only
def imports_and_jobs(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "beheer/jobs.html",
        {
            "imports": selectors.attendance_imports(),
            "jobs": selectors.job_list(),
            "breadcrumbs": _crumbs((_("Inlezen en taken"), "")),
        },
    )


def _plan_digest(plan) -> str:
    """What the dry run showed, as a digest: ids and counts of everything it would remove."""
    text = "|".join(
        [
            ",".join(map(str, plan.case_ids)),
            ",".join(map(str, plan.student_ids)),
            str(plan.audit_count),
            str(plan.login_failure_count),
            str(plan.session_count),
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()


@processing("bewaartermijn", write=AuditEvent.Action.DELETE)
@operator_only
def retention(request: HttpRequest) -> HttpResponse:
    """First a dry run (what would go, and why); removing needs a second, explicit step
    with the digest of that dry run, so nothing else is removed than what was shown."""
    today = timezone.localdate()
    plan = retention_plan(today=today)
    digest = _plan_digest(plan)
    if request.method == "POST":
        form = RetentionConfirmForm(request.POST)
        if form.is_valid() and form.cleaned_data["plan"] == digest:
            with audit_outside_request():  # the purge logs each removal itself
                done = retention_purge(today=today)
            audit_note(
                request,
                action=AuditEvent.Action.DELETE,
                detail=(
                    f"bewaartermijnen uitgevoerd: {done.count('casus')} casussen, "
                    f"{done.count('leerling')} leerlingen, {done.audit_count} auditregels"
                ),
            )
            messages.success(
                request,
                _("Verwijderd: %(cases)s casussen, %(students)s leerlingen, %(audit)s auditregels.")
                % {
                    "cases": done.count("casus"),
                    "students": done.count("leerling"),
                    "audit": done.audit_count,
                },
            )
            return redirect("beheer:retention")
        messages.warning(
            request,
            _(
                "Er is iets veranderd sinds de proefrun; bekijk de nieuwe proefrun en bevestig opnieuw."
            ),
        )
    audit_note(
        request,
        detail=f"proefrun bewaartermijnen: {len(plan.items)} te verwijderen",
    )
    return render(
        request,
        "beheer/retention.html",
        {
            "plan": plan,
            "items": plan.items[:100],
            "counts": {
                "casus": plan.count("casus"),
                "leerling": plan.count("leerling"),
            },
            "form": RetentionConfirmForm(initial={"plan": digest}),
            "breadcrumbs": _crumbs((_("Bewaartermijnen"), "")),
        },
    )


# Tokens that stop working within this many days are marked on the token page, so the
# functional administrator rotates them before a school's link breaks.
TOKEN_EXPIRY_WARNING_DAYS = 30


def _token_audit(request: HttpRequest, token: ApiToken, what: str) -> None:
    """Every change to a token is in the audit log: which token, whose, with what rights."""
    audit_note(
        request,
        action=AuditEvent.Action.UPDATE if what != "aangemaakt" else AuditEvent.Action.CREATE,
        obj=token,
        detail=(
            f"API-token {what}: {token.name} ({token.organisation.name}, rol {token.role}, "
            f"rechten {', '.join(str(SCOPE_LABELS.get(x, x)) for x in token.scopes) or 'geen'}, "
            f"verloopt "
            f"{api_token_expires_at(token=token):%d-%m-%Y})"
        ),
    )


def _tokens_page(request: HttpRequest, form, new_value: str = "", status: int = 200):
    now = timezone.now()
    warn_from = now + dt.timedelta(days=TOKEN_EXPIRY_WARNING_DAYS)
    tokens = []
    for t in selectors.api_token_list():
        expires_at = api_token_expires_at(token=t)
        tokens.append(
            {
                "token": t,
                "scopes": [SCOPE_LABELS.get(s, s) for s in t.scopes],
                "expires_at": expires_at,
                "expired": t.revoked_at is None and expires_at <= now,
                "expires_soon": t.revoked_at is None and now < expires_at <= warn_from,
            }
        )
    return render(
        request,
        "beheer/api_tokens.html",
        {
            "form": form,
            "tokens": tokens,
            "new_value": new_value,
            "warning_days": TOKEN_EXPIRY_WARNING_DAYS,
            "breadcrumbs": _crumbs((_("API-tokens"), "")),
        },
        status=status,
    )


@processing("authenticatie", kind="api.apitoken", write=AuditEvent.Action.CREATE)
@operator_only
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenCreateForm(request.POST or None)
    new_value = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, new_value = api_token_create(
                organisation=data["organisation"],
                name=data["name"],
                role=data["role"],
                scopes=list(data["scopes"]),
                created_by=request.user,
            )
        except ApiTokenError:
            # The service explains in English for operators' logs; users read Dutch.
            form.add_error(
                None,
                _(
                    "Dit token kan niet worden gemaakt: deze combinatie van organisatie, rol "
                    "en rechten is niet toegestaan."
                ),
            )
        else:
            _token_audit(request, token, "aangemaakt")
            messages.success(request, _("Token ‘%(name)s’ is aangemaakt.") % {"name": token.name})
            form = ApiTokenCreateForm()
    return _tokens_page(request, form, new_value)


@processing("authenticatie", kind="api.apitoken")
@operator_only
@require_POST
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = api_token_revoke(token=get_object_or_404(ApiToken, pk=pk))
    _token_audit(request, token, "ingetrokken")
    messages.success(request, _("Token ‘%(name)s’ is ingetrokken.") % {"name": token.name})
    return redirect("beheer:api_tokens")


@processing("authenticatie", kind="api.apitoken", write=AuditEvent.Action.CREATE)
@operator_only
@require_POST
def api_token_rotate_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace a token by a new one with the same rights and a fresh lifetime; the old one
    stops working at once. The new value is shown on this response only (no redirect, so
    it never sits in a session or a message)."""
    old = get_object_or_404(ApiToken, pk=pk)
    try:
        token, new_value = api_token_rotate(token=old, created_by=request.user)
    except ApiTokenError:
        messages.error(request, _("Een ingetrokken token kan niet worden vernieuwd."))
        return redirect("beheer:api_tokens")
    _token_audit(request, token, f"vernieuwd (vervangt token {old.prefix}, nu ingetrokken)")
    messages.success(
        request,
        _("Token ‘%(name)s’ is vernieuwd; het oude token werkt niet meer.") % {"name": token.name},
    )
    return _tokens_page(request, ApiTokenCreateForm(), new_value)


@processing("signalering", kind="protocol")
@operator_only
def protocols(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "beheer/protocols.html",
        {
            "protocols": selectors.protocol_summaries(),
            "breadcrumbs": _crumbs((_("Protocollen"), "")),
        },
    )


@processing("signalering", kind="protocol")
@operator_only
def protocol_detail(request: HttpRequest, name: str) -> HttpResponse:
    page = selectors.protocol_page(name=name, today=timezone.localdate())
    if page is None:
        raise Http404
    return render(
        request,
        "beheer/protocol_detail.html",
        {
            "protocol": page,
            "breadcrumbs": _crumbs(
                (_("Protocollen"), reverse("beheer:protocols")), (page.title, "")
            ),
        },
    )
