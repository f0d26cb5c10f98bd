"""THE rules of the case workflow (like Signalen's ``workflow.py``).

One home for: which status changes are allowed (escalation included: no service sets a
status without `transition_check`), the consent rule for opening a case (one predicate,
`consent_allows_case`), the default route and first phase of a new case, and the domain
error types that services raise and views map to HTTP status codes by TYPE
(`CaseConflictError` -> 409, every other `CaseError` -> 400).

Deadlines (when something is due) live in `cases/deadlines.py`; who may see what lives in
`cases/query.py` on top of `privacy/query.py`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerrecht.cases.deadlines import Protocol
from leerrecht.cases.models import DUO_OPEN_STATUSES, CaseStatus, MeldingKind
from leerrecht.privacy.consent import melding_consent_given

CONFLICT_MESSAGE = gettext_lazy(
    "Iemand anders heeft deze casus intussen gewijzigd. Uw wijziging is niet opgeslagen: "
    "bekijk de nieuwe versie en voer uw wijziging zo nodig opnieuw in."
)

# Explicit state machine (issue 4.5). Reopening a closed case is allowed: a student can
# drop out again; the history shows both periods.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.OPEN: frozenset({CaseStatus.ESCALATED, CaseStatus.ON_HOLD, CaseStatus.CLOSED}),
    CaseStatus.ESCALATED: frozenset({CaseStatus.OPEN, CaseStatus.ON_HOLD, CaseStatus.CLOSED}),
    CaseStatus.ON_HOLD: frozenset({CaseStatus.OPEN, CaseStatus.ESCALATED, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset({CaseStatus.OPEN}),
}

# Signals about unauthorised absence (statutory/leerplicht reports); every other signal is
# about authorised absence (sickness, < 50%, 4 weeks away) and needs consent
# (seeds/000 casus 1 "toestemming ouders").
UNAUTHORISED_SIGNALS = frozenset(
    {"unauthorised_16h_4w", "preventive_10h_4w", "late_9x", "thuiszitter_inspectie"}
)

# The route for a child without a school (preset key, see engine/presets/*.toml [routes.*]).
ROUTE_WITHOUT_ENROLMENT = "without_enrolment"
ROUTE_SICKNESS = "sickness"  # seed 004, 1 "Het routeboek ziekteverzuim"


class CaseError(Exception):
    """A problem the user can fix; the text is Dutch and shown as is (HTTP 400)."""


class CaseConflictError(CaseError):
    """Someone else changed the same thing first (HTTP 409)."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or str(CONFLICT_MESSAGE))


class CaseTransitionError(CaseError):
    """A status change that `ALLOWED_TRANSITIONS` does not allow."""


class ConsentRequiredError(CaseError):
    """Opening a case about authorised absence without the parents' consent."""


# --------------------------------------------------------------------------- transitions


def transition_allowed(*, old: str, new: str) -> bool:
    return new in ALLOWED_TRANSITIONS.get(old, frozenset())


def transition_check(*, old: str, new: str) -> None:
    """Raise `CaseTransitionError` unless old -> new is an allowed status change."""
    if not transition_allowed(old=old, new=new):
        raise CaseTransitionError(
            _("Van '%(old)s' naar '%(new)s' is niet toegestaan.")
            % {
                "old": dict(CaseStatus.choices).get(old, old),
                "new": dict(CaseStatus.choices).get(new, new),
            }
        )


def transitions_from(status: str) -> list[tuple[str, str]]:
    """(status, Dutch label) pairs a case in `status` may move to, in display order."""
    allowed = ALLOWED_TRANSITIONS.get(status, frozenset())
    return [(s, label) for s, label in CaseStatus.choices if s in allowed]


# --------------------------------------------------------------------------- consent


def melding_needs_consent(melding) -> bool:
    """Authorised absence needs the parents' consent; unauthorised absence never does
    (the legal basis of leerplicht is the Leerplichtwet, not consent)."""
    return bool(melding.authorised_absence)


def consent_allows_case(melding) -> bool:
    """THE consent rule for opening a case from a report (seeds/000 casus 1: "als ouders
    niet akkoord gaan, doet de leerrechtorganisatie niets")."""
    return not melding_needs_consent(melding) or melding_consent_given(melding)


def consent_require_for_case(melding) -> None:
    if not consent_allows_case(melding):
        raise ConsentRequiredError(
            _(
                "Er is (nog) geen toestemming van ouders. Bij geoorloofd verzuim wordt "
                "zonder toestemming geen casus gestart."
            )
        )


def melding_awaits_report_again(melding) -> bool:
    """A statutory report is repeated monthly while the absence continues (seeds/001, 1.2);
    a closed case means it no longer does (docs/adr/0115)."""
    return (
        melding.kind == MeldingKind.DUO
        and melding.absence_continues
        and melding.duo_status in DUO_OPEN_STATUSES
        and not (melding.case_id and melding.case.status == CaseStatus.CLOSED)
    )


# --------------------------------------------------------------------------- routes


def route_default(protocol: Protocol, *, has_school: bool, sickness: bool = False) -> str:
    """The route a new case starts on: the preset's default, the route for children
    without a school when the child has none, or the sick-absence route for a
    sick-absence melding - each when the preset has that route."""
    if not has_school and ROUTE_WITHOUT_ENROLMENT in protocol.routes:
        return ROUTE_WITHOUT_ENROLMENT
    if sickness and ROUTE_SICKNESS in protocol.routes:
        return ROUTE_SICKNESS
    return protocol.default_route


def phase_initial(protocol: Protocol, route_key: str) -> str:
    """The first phase of a new case on a route."""
    route = protocol.route(route_key)
    # Haaglanden: phase 1 is prevention for everyone; a case starts at the signal (phase 2).
    if route.steps[0].due is None and len(route.steps) > 1 and route.steps[0].key == "phase_1":
        return route.steps[1].key
    return route.steps[0].key
