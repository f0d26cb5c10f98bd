"""The protocol studio in the beheer workspace (/functioneel-beheer/protocollen/<name>/…):
version history with what changed, the draft form, publication with an effective date,
TOML export and import, and the simulator (docs/adr/0190, 0191). Functional
administrators only; everyone else gets a 404."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerrecht.accounts.models import Role
from leerrecht.beheer.views import _crumbs, operator_only
from leerrecht.engine.presets import preset_names
from leerrecht.jobs.models import Job
from leerrecht.jobs.services import job_enqueue
from leerrecht.privacy.audit import audit_note, processing
from leerrecht.privacy.models import AuditEvent
from leerrecht.protocols import selectors
from leerrecht.protocols.forms import DraftForm, ImportForm, PublishForm, SimulateForm
from leerrecht.protocols.jobs import JOB_KIND
from leerrecht.protocols.labels import change_rows, loader_message_text
from leerrecht.protocols.services import (
    ProtocolFileError,
    ProtocolVersionConflict,
    ProtocolVersionError,
    protocol_draft_create,
    protocol_draft_update,
    protocol_version_import,
    protocol_version_publish,
)
from leerrecht.protocols.simulation import simulation_view

ACTIVITY = "protocolbeheer"


def _known(name: str) -> str:
    if name not in preset_names():
        raise Http404
    return name


def _trail(name: str, *items: tuple[str, str]) -> list[dict]:
    title = selectors.protocol_current_preset(preset_name=name, on=_today()).title
    return _crumbs(
        (_("Protocollen"), reverse("beheer:protocols")),
        (title, reverse("beheer:protocol_detail", args=[name])),
        *items,
    )


def _today():
    from django.utils import timezone

    return timezone.localdate()


@processing(ACTIVITY, kind="protocols.protocolversion")
@operator_only
def versions(request: HttpRequest, name: str) -> HttpResponse:
    """The history: every version with who, when, why and what changed."""
    name = _known(name)
    rows = []
    for version in selectors.protocol_versions(preset_name=name):
        found = selectors.protocol_version_changes(version=version)
        rows.append(
            {
                "version": version,
                "previous": found.previous,
                "changes": change_rows(
                    found.changes,
                    selectors.protocol_version_preset(version=found.previous)
                    if found.previous
                    else None,
                    selectors.protocol_version_preset(version=version),
                )
                if found.previous
                else [],
            }
        )
    current = selectors.protocol_version_current(preset_name=name, on=_today())
    return render(
        request,
        "protocols/versions.html",
        {
            "name": name,
            "rows": rows,
            "current": current,
            "draft": selectors.protocol_draft(preset_name=name),
            "import_form": ImportForm(),
            "breadcrumbs": _trail(name, (_("Versies"), "")),
        },
    )


@processing(ACTIVITY, kind="protocols.protocolversion", write=AuditEvent.Action.CREATE)
@operator_only
@require_POST
def draft_create(request: HttpRequest, name: str) -> HttpResponse:
    name = _known(name)
    try:
        protocol_draft_create(preset_name=name, author=request.user)
    except ProtocolVersionError as exc:
        messages.error(request, str(exc))
        return redirect("beheer:protocol_versions", name=name)
    return redirect("beheer:protocol_draft", name=name)


@processing(ACTIVITY, kind="protocols.protocolversion")
@operator_only
def draft(request: HttpRequest, name: str) -> HttpResponse:
    """Edit the draft: thresholds, deadlines and targets; publish it with a date."""
    name = _known(name)
    version = selectors.protocol_draft(preset_name=name)
    if version is None:
        return redirect("beheer:protocol_versions", name=name)
    preset = selectors.protocol_version_preset(version=version)
    form = DraftForm(
        request.POST or None,
        preset=preset,
        prefix="concept",
        initial={"revision": version.content_digest},
    )
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            protocol_draft_update(
                version=version,
                author=request.user,
                content=form.content(version.content),
                reason=form.cleaned_data["reason"],
                expected_digest=form.cleaned_data["revision"],
            )
        except ProtocolVersionConflict as exc:
            # Show the draft as it is now (a 409): the user applies the change again.
            messages.error(request, str(exc))
            version.refresh_from_db()
            preset = selectors.protocol_version_preset(version=version)
            form = DraftForm(
                preset=preset, prefix="concept", initial={"revision": version.content_digest}
            )
            status = 409
        except ProtocolVersionError as exc:
            form.refuse(str(exc), from_loader=isinstance(exc, ProtocolFileError))
        else:
            messages.success(request, _("Het concept is opgeslagen."))
            return redirect("beheer:protocol_draft", name=name)
    based_on = version.based_on
    changes = []
    if based_on is not None:
        found = selectors.protocol_version_changes(version=version)
        changes = change_rows(
            found.changes, selectors.protocol_version_preset(version=based_on), preset
        )
    return render(
        request,
        "protocols/draft.html",
        {
            "name": name,
            "version": version,
            "form": form,
            "groups": form.bound_groups(),
            "changes": changes,
            "publish_form": PublishForm(prefix="publiceren", initial={"effective_from": _today()}),
            "breadcrumbs": _trail(name, (_("Concept"), "")),
        },
        status=status,
    )


@processing(ACTIVITY, kind="protocols.protocolversion")
@operator_only
@require_POST
def publish(request: HttpRequest, name: str) -> HttpResponse:
    name = _known(name)
    version = selectors.protocol_draft(preset_name=name)
    if version is None:
        raise Http404
    form = PublishForm(request.POST, prefix="publiceren")
    if not form.is_valid():
        messages.error(request, _("Kies de datum vanaf wanneer de nieuwe versie geldt."))
        return redirect("beheer:protocol_draft", name=name)
    try:
        published = protocol_version_publish(
            version=version,
            actor=request.user,
            effective_from=form.cleaned_data["effective_from"],
            reason=form.cleaned_data["reason"],
        )
    except ProtocolVersionError as exc:
        messages.error(request, str(exc))
        return redirect("beheer:protocol_draft", name=name)
    messages.success(
        request,
        _("Versie %(n)s is gepubliceerd en geldt vanaf %(d)s.")
        % {"n": published.number, "d": published.effective_from.strftime("%d-%m-%Y")},
    )
    return redirect("beheer:protocol_versions", name=name)


@processing(ACTIVITY, kind="protocols.protocolversion", read=AuditEvent.Action.EXPORT)
@operator_only
def export(request: HttpRequest, name: str, number: int) -> HttpResponse:
    name = _known(name)
    version = selectors.protocol_version_get(preset_name=name, number=number)
    if version is None:
        raise Http404
    response = HttpResponse(version.content, content_type="application/toml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-versie-{number}.toml"'
    return response


@processing(ACTIVITY, kind="protocols.protocolversion", write=AuditEvent.Action.IMPORT)
@operator_only
@require_POST
def import_version(request: HttpRequest, name: str) -> HttpResponse:
    name = _known(name)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Kies een bestand en geef een reden."))
        return redirect("beheer:protocol_versions", name=name)
    upload = form.cleaned_data["file"]
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        messages.error(
            request, _("%(file)s: het bestand is geen UTF-8-tekst.") % {"file": upload.name}
        )
        return redirect("beheer:protocol_versions", name=name)
    try:
        protocol_version_import(
            preset_name=name,
            author=request.user,
            text=text,
            file=upload.name,
            reason=form.cleaned_data["reason"],
        )
    except ProtocolVersionError as exc:
        detail = loader_message_text(str(exc)) if isinstance(exc, ProtocolFileError) else str(exc)
        messages.error(request, _("Niets ingelezen. %(detail)s") % {"detail": detail})
        return redirect("beheer:protocol_versions", name=name)
    messages.success(request, _("Het bestand is ingelezen als concept."))
    return redirect("beheer:protocol_draft", name=name)


def _simulation_choices(name: str) -> list[tuple[str, str]]:
    choices = []
    for version in selectors.protocol_versions(preset_name=name):
        state = _("concept") if version.is_draft else _("gepubliceerd")
        choices.append(
            (f"v{version.pk}", _("Versie %(n)s (%(s)s)") % {"n": version.number, "s": state})
        )
    for other in preset_names():
        # its own shipped file only while no version is stored (before setup seeded it)
        if other != name or not choices:
            title = selectors.protocol_current_preset(preset_name=other, on=_today()).title
            choices.append((f"p{other}", title))
    return choices


def _ref(value: str) -> dict:
    return {"version": int(value[1:])} if value.startswith("v") else {"preset": value[1:]}


def _simulate_page(request, *, name: str, result_url: str, crumbs: list[dict]) -> HttpResponse:
    """Start a simulation (background job) and follow its progress; `result_url` is the
    result page's URL name (beheer or the policy page)."""
    choices = _simulation_choices(name)
    draft_version = selectors.protocol_draft(preset_name=name)
    current = selectors.protocol_version_current(preset_name=name, on=_today())
    current_ref = f"v{current.pk}" if current else f"p{name}"
    initial = {
        "candidate": f"v{draft_version.pk}" if draft_version else current_ref,
        "current": current_ref,
    }
    form = SimulateForm(request.POST or None, choices=choices, initial=initial)
    job = None
    if request.method == "POST" and form.is_valid():
        job = job_enqueue(
            kind=JOB_KIND,
            payload={
                "name": name,
                "result_url": result_url,
                "candidate": _ref(form.cleaned_data["candidate"]),
                "current": _ref(form.cleaned_data["current"]),
                "labels": {
                    "candidate": dict(choices)[form.cleaned_data["candidate"]],
                    "current": dict(choices)[form.cleaned_data["current"]],
                },
            },
            user=request.user,
        )
        if job.finished and job.status == Job.Status.DONE:
            return redirect(job.result["url"])
    return render(
        request,
        "protocols/simulate.html",
        {"name": name, "form": form, "job": job, "breadcrumbs": crumbs},
    )


def _simulation_page(request, *, job_id: int, crumbs: list[dict]) -> HttpResponse:
    job = get_object_or_404(
        Job.objects.filter(kind=JOB_KIND, created_by=request.user, status=Job.Status.DONE),
        pk=job_id,
    )
    context = simulation_view(job=job, user=request.user)
    audit_note(
        request,
        action=AuditEvent.Action.READ,
        obj=job,
        children=context["shown_student_ids"],
        detail=context["audit_detail"],
    )
    return render(request, "protocols/simulation.html", {**context, "breadcrumbs": crumbs})


@processing(ACTIVITY, kind="jobs.job", write=AuditEvent.Action.CREATE)
@operator_only
def simulate(request: HttpRequest, name: str) -> HttpResponse:
    name = _known(name)
    return _simulate_page(
        request,
        name=name,
        result_url="beheer:protocol_simulation",
        crumbs=_trail(name, (_("Simuleren"), "")),
    )


@processing(ACTIVITY, kind="jobs.job")
@operator_only
def simulation(request: HttpRequest, name: str, job_id: int) -> HttpResponse:
    name = _known(name)
    return _simulation_page(request, job_id=job_id, crumbs=_trail(name, (_("Simulatie"), "")))


# Who compares protocols on the region's data outside the beheer workspace: policy
# (counts only) and the roles that carry out the protocol, who also see by name who
# enters or drops out, within their own scope (privacy/query.py).
COMPARE_ROLES = frozenset({Role.POLICY, Role.LEERPLICHT_OFFICER, Role.LEERRECHT_CONSULTANT})


def compare_roles_only(view):
    """Roles in COMPARE_ROLES; everyone else gets a 404."""

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.role not in COMPARE_ROLES:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _policy_crumbs(*items: tuple[str, str]) -> list[dict]:
    trail = [{"label": _("Protocollen vergelijken"), "url": reverse("protocols:compare")}]
    trail += [{"label": label, "url": url} for label, url in items]
    trail[-1]["url"] = ""
    return trail


@processing(ACTIVITY, kind="jobs.job", write=AuditEvent.Action.CREATE)
@compare_roles_only
def compare(request: HttpRequest) -> HttpResponse:
    """Compare any two protocols (shipped presets, or versions of the region's protocol)
    on the region's stored attendance: counts (suppressed for policy), and names of who
    enters or drops out only within the user's scope."""
    name = _known(settings.LEERRECHT_PROTOCOL)
    return _simulate_page(
        request, name=name, result_url="protocols:comparison", crumbs=_policy_crumbs()
    )


@processing(ACTIVITY, kind="jobs.job")
@compare_roles_only
def comparison(request: HttpRequest, job_id: int) -> HttpResponse:
    return _simulation_page(request, job_id=job_id, crumbs=_policy_crumbs((_("Resultaat"), "")))


__all__ = [
    "compare",
    "comparison",
    "draft",
    "draft_create",
    "export",
    "import_version",
    "publish",
    "simulate",
    "simulation",
    "versions",
]
