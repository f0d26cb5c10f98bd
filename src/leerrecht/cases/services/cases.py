"""Write-side of cases: open, edit, phase, status, and THE one writer of case history.

Rules kept here:
* every change runs in `transaction.atomic()` and locks the case row
  (`select_for_update`); edits of existing rows compare an optimistic `version`, so two
  people editing the same case never silently overwrite each other (`CaseConflictError`);
* status changes go through `workflow.transition_check` (`case_status_set`);
* every change appends exactly one `CaseEvent` through `case_event_record`;
* a case about authorised absence needs the parents' consent (`workflow.consent_allows_case`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerrecht.cases.deadlines import case_protocol, protocol_load
from leerrecht.cases.models import (
    Case,
    CaseEvent,
    CaseParticipant,
    CaseStatus,
    ClosureReason,
    Melding,
)
from leerrecht.cases.selectors import case_deadline_keys, open_case_of
from leerrecht.cases.workflow import (
    CaseConflictError,
    CaseError,
    CaseTransitionError,
    consent_require_for_case,
    phase_initial,
    transition_check,
)
from leerrecht.engine.presets import preset_names
from leerrecht.protocols.selectors import protocol_version_current, protocol_version_preset
from leerrecht.protocols.services import protocol_version_pinned
from leerrecht.registry.protocols import protocol_for_student


def _today() -> dt.date:
    return timezone.localdate()


# --------------------------------------------------------------------------- history


#: Set by `case_history_dated`: the moment a loaded history happened (None: now).
_HISTORY_AT: ContextVar[dt.datetime | None] = ContextVar("case_history_at", default=None)


@contextmanager
def case_history_dated(on: dt.date) -> Iterator[None]:
    """Record case history as having happened on `on` (10:00 local time): for loading a
    history that happened before it was entered (the demo region's caseload)."""
    moment = timezone.make_aware(dt.datetime.combine(on, dt.time(10, 0)))
    token = _HISTORY_AT.set(moment)
    try:
        yield
    finally:
        _HISTORY_AT.reset(token)


def case_event_record(
    *, case: Case, actor, kind: str, summary: str, data: dict | None = None
) -> CaseEvent:
    """THE one writer of case history. Also marks the case as active (stagnation)."""
    event = CaseEvent.objects.create(
        occurred_at=_HISTORY_AT.get() or timezone.now(),
        case=case,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(actor.get_full_name() or actor.username) if getattr(actor, "pk", None) else "",
        kind=kind,
        summary=summary[:500],
        data=data or {},
    )
    Case.objects.filter(pk=case.pk).update(last_activity_at=event.occurred_at)
    case_deadlines_refresh(case_id=case.pk)
    return event


def case_deadlines_refresh(*, case_id: int) -> None:
    """Store the case's earliest open deadline and first stagnating day (the worklist's
    sort keys, docs/adr/0170) from its schedule as it is now. The history writer calls it
    after every change; `leerrecht cases deadlines-refresh` recomputes all open cases
    (after an upgrade, or when a pupil's municipality and so the ladder changed)."""
    case = Case.objects.select_related("student__residence_municipality", "protocol_version").get(
        pk=case_id
    )
    next_due_on, stagnant_from = case_deadline_keys(case)
    Case.objects.filter(pk=case_id).update(
        next_due_on=next_due_on, stagnant_from=stagnant_from, deadlines_at=timezone.now()
    )


def cases_deadlines_refresh(
    *, only_missing: bool = False, progress: Callable[[int, int], None] | None = None
) -> int:
    """`case_deadlines_refresh` for every open case (or only those never computed);
    returns how many. Run after an upgrade (`leerrecht setup` does, only missing) and
    nightly next to the digest (`leerrecht deadlines-refresh`)."""
    open_cases = Case.objects.exclude(status=CaseStatus.CLOSED)
    if only_missing:
        open_cases = open_cases.filter(deadlines_at__isnull=True)
    pks = list(open_cases.order_by("pk").values_list("pk", flat=True))
    for i, pk in enumerate(pks, start=1):
        with transaction.atomic():
            case_deadlines_refresh(case_id=pk)
        if progress:
            progress(i, len(pks))
    return len(pks)


def _lock(case_id: int, *, expected_version: int | None) -> Case:
    case = Case.objects.select_for_update().get(pk=case_id)
    if expected_version is not None and case.version != expected_version:
        raise CaseConflictError()
    return case


def _bump(case: Case, fields: Iterable[str] = ()) -> None:
    case.version += 1
    case.save(update_fields=["version", *fields])


def _lock_open(case_id: int) -> Case:
    case = _lock(case_id, expected_version=None)
    if case.status == CaseStatus.CLOSED:
        raise CaseError(_("Deze casus is afgesloten. Heropen de casus om iets toe te voegen."))
    return case


def case_status_set(case: Case, to_status: str, fields: Iterable[str] = ()) -> str:
    """Change the status of a locked case along `workflow.ALLOWED_TRANSITIONS` (the only
    place a status is assigned). Returns the old status."""
    old = case.status
    transition_check(old=old, new=to_status)
    case.status = to_status
    _bump(case, ["status", *fields])
    return old


# --------------------------------------------------------------------------- cases


@transaction.atomic
def case_open(
    *,
    user,
    student,
    anchor_date: dt.date,
    regiehouder,
    casusverantwoordelijke,
    melding: Melding | None = None,
    procesregisseur=None,
    route: str | None = None,
    opened_on: dt.date | None = None,
    protocol_name: str | None = None,
) -> tuple[Case, bool]:
    """Open a case (or attach to the open one). Returns (case, created)."""
    if melding is not None and melding.student_id != student.pk:
        raise CaseError(_("Deze melding hoort bij een andere leerling."))
    if melding is not None:
        consent_require_for_case(melding)
    existing = open_case_of(student)
    if existing is not None:
        if melding is not None and melding.case_id != existing.pk:
            melding.case = existing
            melding.save(update_fields=["case"])
            case_event_record(
                case=existing,
                actor=user,
                kind="melding_attached",
                summary=_("Melding toegevoegd aan de lopende casus"),
                data={"melding": melding.pk},
            )
        return existing, False
    opened_on = opened_on or _today()
    name = protocol_name or protocol_for_student(student, on=opened_on)
    # The case keeps the version in force on the day it opens (docs/adr/0190).
    pinned = (
        protocol_version_pinned(preset_name=name, on=opened_on) if name in preset_names() else None
    )
    protocol = protocol_version_preset(version=pinned).protocol if pinned else protocol_load(name)
    route_key = route or protocol.default_route
    protocol.route(route_key)  # validates
    try:
        with transaction.atomic():
            case = Case.objects.create(
                student=student,
                protocol=protocol.name,
                protocol_version=pinned,
                route=route_key,
                phase=phase_initial(protocol, route_key),
                phase_since=opened_on,
                anchor_date=anchor_date,
                opened_on=opened_on,
                authorised_absence=bool(melding and melding.authorised_absence),
                regiehouder=regiehouder,
                casusverantwoordelijke=casusverantwoordelijke,
                procesregisseur=procesregisseur,
                last_activity_at=timezone.now(),
            )
    except IntegrityError:
        # Someone opened a case for this student at the same moment.
        raise CaseConflictError(
            _("Voor deze leerling is intussen al een casus geopend. Ga naar die casus.")
        ) from None
    for person, role in (
        (casusverantwoordelijke, _("casusverantwoordelijke")),
        (procesregisseur, _("procesregisseur")),
        (user, _("geopend door")),
    ):
        if person is not None and not case.participants.filter(user=person).exists():
            CaseParticipant.objects.create(
                case=case,
                user=person,
                organisation=person.organisation,
                role=str(role),
                added_on=opened_on,
            )
    if melding is not None:
        melding.case = case
        melding.save(update_fields=["case"])
    case_event_record(
        case=case,
        actor=user,
        kind="opened",
        summary=_("Casus geopend (route: %(route)s)") % {"route": protocol.route(route_key).title},
        data={"melding": melding.pk if melding else None, "anchor": anchor_date.isoformat()},
    )
    return case, True


CASE_EDITABLE_FIELDS = (
    "regiehouder",
    "casusverantwoordelijke",
    "procesregisseur",
    "cause",
    "cause_note",
    "daytime_activity",
    "stagnation_cause",
    "anchor_date",
)


@transaction.atomic
def case_update(*, user, case_id: int, expected_version: int, **changes) -> Case:
    """Change the case's core fields; a stale version raises CaseConflictError."""
    unknown = set(changes) - set(CASE_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    case = _lock(case_id, expected_version=expected_version)
    changed = {}
    for field, value in changes.items():
        old = getattr(case, field)
        if old != value:
            changed[field] = {"old": str(old or ""), "new": str(value or "")}
            setattr(case, field, value)
    if not changed:
        return case
    _bump(case, changed.keys())
    labels = ", ".join(str(Case._meta.get_field(f).verbose_name) for f in changed)
    case_event_record(
        case=case,
        actor=user,
        kind="updated",
        summary=_("Casusgegevens gewijzigd: %(fields)s") % {"fields": labels},
        data=changed,
    )
    participant = changes.get("casusverantwoordelijke") or changes.get("procesregisseur")
    if participant is not None:
        CaseParticipant.objects.get_or_create(
            case=case,
            user=participant,
            defaults={
                "organisation": participant.organisation,
                "role": str(_("casusverantwoordelijke")),
                "added_on": _today(),
            },
        )
    return case


@transaction.atomic
def case_protocol_apply(*, user, case_id: int, expected_version: int) -> Case:
    """ "De nieuwe regels toepassen": the case moves to the protocol version in force
    today, explicitly and recorded in its history; a publication alone never moves a
    running case's deadlines (docs/adr/0190)."""
    case = _lock(case_id, expected_version=expected_version)
    if case.status == CaseStatus.CLOSED:
        raise CaseError(_("Deze casus is afgesloten."))
    newest = protocol_version_current(preset_name=case.protocol, on=_today())
    old = case.protocol_version
    if (
        newest is None
        or (old is not None and newest.pk == old.pk)
        or (old is None and newest.number == 1)
    ):
        raise CaseError(_("Deze casus volgt de geldende regels van het protocol al."))
    route = protocol_version_preset(version=newest).protocol.routes.get(case.route)
    if route is None or route.step(case.phase) is None:
        raise CaseError(
            _(
                "De nieuwe versie van het protocol kent de route of stap van deze casus niet "
                "meer; kies eerst een stap die in beide versies bestaat."
            )
        )
    case.protocol_version = newest
    _bump(case, ["protocol_version"])
    case_event_record(
        case=case,
        actor=user,
        kind="protocol",
        summary=_("Nieuwe regels toegepast: protocol versie %(old)s → versie %(new)s")
        % {"old": old.number if old else 1, "new": newest.number},
        data={"old": old.pk if old else None, "new": newest.pk},
    )
    return case


@transaction.atomic
def case_phase_set(
    *, user, case_id: int, expected_version: int, phase: str, on: dt.date | None = None
) -> Case:
    case = _lock(case_id, expected_version=expected_version)
    route = case_protocol(case).route(case.route)
    step = route.step(phase)
    if step is None:
        raise CaseError(_("Deze stap hoort niet bij de route van deze casus."))
    if case.status == CaseStatus.CLOSED:
        raise CaseError(_("Deze casus is afgesloten."))
    old = case.phase
    case.phase, case.phase_since = phase, on or _today()
    _bump(case, ["phase", "phase_since"])
    case_event_record(
        case=case,
        actor=user,
        kind="phase",
        summary=_("Naar %(step)s") % {"step": step.label},
        data={"old": old, "new": phase, "since": case.phase_since.isoformat()},
    )
    return case


@transaction.atomic
def case_transition(
    *,
    user,
    case_id: int,
    expected_version: int,
    to_status: str,
    on: dt.date | None = None,
    reason: str = "",
    note: str = "",
) -> Case:
    """Move the case along workflow.ALLOWED_TRANSITIONS (closing needs a reason)."""
    case = _lock(case_id, expected_version=expected_version)
    transition_check(old=case.status, new=to_status)
    fields: list[str] = []
    if to_status == CaseStatus.CLOSED:
        if reason not in ClosureReason.values:
            raise CaseError(_("Kies een reden van afsluiting."))
        case.closed_on, case.closure_reason, case.closure_note = on or _today(), reason, note
        fields += ["closed_on", "closure_reason", "closure_note"]
    elif case.status == CaseStatus.CLOSED:
        if open_case_of(case.student) is not None:
            raise CaseTransitionError(_("Deze leerling heeft al een andere open casus."))
        case.closed_on, case.closure_reason, case.closure_note = None, "", ""
        fields += ["closed_on", "closure_reason", "closure_note"]
    old = case_status_set(case, to_status, fields)
    summary = _("Status: %(old)s → %(new)s") % {
        "old": dict(CaseStatus.choices)[old],
        "new": case.get_status_display(),
    }
    if to_status == CaseStatus.CLOSED:
        summary += f" ({case.get_closure_reason_display()})"
    case_event_record(
        case=case,
        actor=user,
        kind="status",
        summary=summary,
        data={"old": old, "new": to_status, "reason": reason, "note": note},
    )
    return case
