"""Read side of the beheer workspace: protocols as tables a person can read, and the
lists the functional administrator keeps an eye on (users, organisations, imports, jobs,
API tokens). Nothing here returns children's personal data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from leerrecht.accounts.models import User
from leerrecht.api.models import ApiToken
from leerrecht.attendance.models import AttendanceImport
from leerrecht.attendance.signal_labels import leads_to_label, signal_label
from leerrecht.cases.deadlines import ProtocolError, protocol_load, schedule_compute
from leerrecht.engine.errors import PresetError
from leerrecht.engine.presets import preset_load, preset_names
from leerrecht.jobs.models import Job
from leerrecht.protocols.selectors import protocol_current_preset
from leerrecht.registry.models import Municipality, Organisation
from leerrecht.web.vocabulary import anchor_label, duration_text, param_label, source_cite


@dataclass
class ProtocolSummary:
    name: str
    title: str
    source: str
    signals: int
    routes: int
    steps: int


@dataclass
class ProtocolPage:
    """A preset as the beheer pages show it: Dutch labels, cited sources, no identifiers."""

    name: str
    title: str
    source: str
    description: str
    signals: list[dict] = field(default_factory=list)
    norms: list[dict] = field(default_factory=list)
    routes: list[dict] = field(default_factory=list)
    ladder: list[dict] = field(default_factory=list)
    ladders: list[dict] = field(default_factory=list)
    settings: list[tuple[str, str]] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)
    preview_from: dt.date | None = None
    problem: str = ""


def protocol_summaries() -> list[ProtocolSummary]:
    out = []
    for name in preset_names():
        try:
            preset = preset_load(name_or_path=name)
        except PresetError:
            continue
        try:
            protocol = protocol_load(name)
            routes = len(protocol.routes)
            steps = len(protocol.escalation_steps)
        except ProtocolError:
            routes = steps = 0
        out.append(
            ProtocolSummary(
                name, preset.title, source_cite(preset.source), len(preset.signals), routes, steps
            )
        )
    return out


def protocol_page(*, name: str, today: dt.date) -> ProtocolPage | None:
    """Everything a preset sets, readable; None for an unknown name."""
    if name not in preset_names():
        return None
    # The version in force today (a published version in the database, else the file).
    preset = protocol_current_preset(preset_name=name, on=today)
    page = ProtocolPage(name, preset.title, source_cite(preset.source), preset.description or "")
    for sig in preset.signals:
        page.signals.append(
            {
                "label": signal_label(sig.id),
                "params": [(param_label(k), v) for k, v in sorted(sig.params.items())],
                "leads_to": [leads_to_label(x) for x in sig.leads_to],
                "note": source_cite(sig.note),
            }
        )
    protocol = preset.protocol
    if protocol is None or not protocol.routes:
        page.problem = "no case tables"
        return page
    _protocol_tables(page, protocol)
    _deadline_preview(page, protocol, today=today)
    return page


def _protocol_tables(page: ProtocolPage, protocol) -> None:
    page.settings = [
        ("stagnatie", f"{protocol.stagnation_days} dagen zonder nieuwe stap"),
        ("opnieuw melden", duration_text(protocol.report_again) or "—"),
    ]
    for norm in protocol.norms:
        page.norms.append(
            {
                "label": norm.label,
                "due": duration_text(norm.due),
                "anchor": anchor_label(norm.anchor),
                "target": None if norm.target is None else round(100 * norm.target),
                "source": source_cite(norm.source),
            }
        )
    for route in protocol.routes.values():
        page.routes.append(
            {
                "title": route.title,
                "source": source_cite(route.source),
                "escalation": route.escalation,
                "steps": [
                    {
                        "label": s.label,
                        "due": duration_text(s.due) or "—",
                        "anchor": anchor_label(s.anchor),
                        "source": source_cite(s.source),
                    }
                    for s in route.steps
                ],
            }
        )
    for step in protocol.escalation_steps:
        page.ladder.append(
            {
                "number": step.number,
                "label": step.label,
                "earliest": duration_text(step.earliest) or "—",
                "due": duration_text(step.due),
                "purpose": step.purpose,
                "participants": step.participants,
            }
        )
    names = dict(Municipality.objects.values_list("cbs_code", "name"))
    for code, (keys, _registered, _participants) in protocol.escalation_by_municipality.items():
        labels = {s.key: s for s in protocol.escalation_steps}
        page.ladders.append(
            {
                "municipality": names.get(code, code),
                "steps": [labels[k].label for k in keys if k in labels],
            }
        )


def _deadline_preview(page: ProtocolPage, protocol, *, today: dt.date) -> None:
    """The dates a case would get if the first worrying absence and the case were today,
    per route (first step), from the same schedule function the case file uses."""
    page.preview_from = today
    for route in protocol.routes.values():
        if not route.steps:
            continue
        milestones = schedule_compute(
            protocol,
            route_key=route.key,
            anchor=today,
            opened=today,
            phase=route.steps[0].key,
            phase_since=today,
            facts={},
            municipality_code=None,
        )
        page.preview.append(
            {
                "route": route.title,
                "milestones": [
                    {"label": m.label, "due": m.due, "earliest": m.earliest} for m in milestones
                ],
            }
        )


def user_list(*, query: str = "", role: str = "") -> QuerySet[User]:
    users = User.objects.select_related("organisation").order_by("last_name", "username")
    users = users.exclude(username__startswith="api-token-")  # service accounts of tokens
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(organisation__name__icontains=query)
        )
    if role:
        users = users.filter(role=role)
    return users


def organisation_list() -> QuerySet[Organisation]:
    return (
        Organisation.objects.select_related("municipality", "swv")
        .annotate(user_count=Count("users", distinct=True))
        .order_by("kind", "name")
    )


def attendance_imports(*, limit: int = 30) -> QuerySet[AttendanceImport]:
    return AttendanceImport.objects.select_related("organisation").order_by("-pk")[:limit]


def job_list(*, limit: int = 30) -> QuerySet[Job]:
    return Job.objects.select_related("created_by").order_by("-created_at")[:limit]


def api_token_list() -> QuerySet[ApiToken]:
    return ApiToken.objects.select_related("organisation", "created_by").order_by(
        "revoked_at", "-created_at"
    )
