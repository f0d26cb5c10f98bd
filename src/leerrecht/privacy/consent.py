"""THE consent rule: which categories of a child's data a user may see (issue 12).

`privacy.query.students_for_user` decides WHICH children a user sees at all; this module
decides, per user and child, which CATEGORIES of that child's data are shown and which
are redacted. It is the only place that reads consent records for visibility; pages,
exports, API responses and search results ask `categories_visible` / `category_visible`
(or `cases.query`, which builds on them).

Categories (seeds/000 casus 1 "toestemming ouders", casus 2 "jeugdarts"):
* authorised absence (hours with a valid reason other than sickness: leave, appointments);
* sick absence (hours reported sick);
* medical notes (JGZ's record under medical secrecy: never shared with anyone else,
  consent or not; the youth doctor reads them unless the parents refused JGZ);
* melding content (the text and answers of a report about authorised or sick absence).

Unauthorised absence and statutory (DUO) reports are not consent categories: their legal
basis is the Leerplichtwet, so every role with the child in scope sees them.

Consent state per child and recipient: the latest consent record (of any report about
the child, or of the one report being shown) that names the recipient's purpose: given,
refused (refused or withdrawn) or not asked (no record, or asked without an answer yet).

The table (docs/privacy.md shows it; tests/privacy checks every cell on the web, in
exports and on the API):

| audience (role at organisation kind)     | authorised / sick absence | medical notes | melding content |
|------------------------------------------|---------------------------|---------------|-----------------|
| school (mentor, coordinator, director)   | always (own registration) | never         | always          |
| leerplicht (officer, consultant, dir.)   | consent given to leerplicht | never       | consent given to leerplicht, or own report |
| SWV (consultant, director)               | consent given to SWV or MDO | never       | consent given to SWV or MDO, or own report |
| JGZ youth doctor                         | authorised: consent given to JGZ; sick: unless refused | unless refused | unless refused towards JGZ, or own report |
| JGZ (director)                           | as the youth doctor       | never         | as the youth doctor |
| care (care worker, director)             | consent given to care or MDO | never      | consent given to care or MDO, or own report |
| policy, privacy officer, operator        | never (no person scope)   | never         | never           |
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.apps import apps

from leerrecht.accounts.models import Role
from leerrecht.privacy.query import user_reads_medical_details, user_sees_children
from leerrecht.registry.models import OrganisationKind


class Category(StrEnum):
    AUTHORISED_ABSENCE = "authorised_absence"
    SICK_ABSENCE = "sick_absence"
    MEDICAL_NOTES = "medical_notes"
    MELDING_CONTENT = "melding_content"


class ConsentState(StrEnum):
    GIVEN = "given"
    REFUSED = "refused"
    NOT_ASKED = "not_asked"


class Audience(StrEnum):
    """Who the data would go to, as the consent table distinguishes them."""

    SCHOOL = "school"
    LEERPLICHT = "leerplicht"
    SWV = "swv"
    JGZ_DOCTOR = "jgz_doctor"
    JGZ = "jgz"
    CARE = "care"
    NOBODY = "nobody"


# Consent purposes (cases.models.ConsentPurpose values) that release data to an audience.
# MDO/ZAT consent covers the SWV and care members of that meeting.
PURPOSES: dict[Audience, frozenset[str]] = {
    Audience.LEERPLICHT: frozenset({"leerplicht"}),
    Audience.SWV: frozenset({"swv", "mdo"}),
    Audience.JGZ_DOCTOR: frozenset({"jgz"}),
    Audience.JGZ: frozenset({"jgz"}),
    Audience.CARE: frozenset({"care", "mdo"}),
}

# JGZ's own legal task for pupils reported sick (Wet publieke gezondheid; seeds/004 route 1
# "ziekteverzuim"): without an answer yet JGZ sees sick absence and the report; a refusal
# stops that too ("nothing else of a child whose parents refused", JOURNEYS 3).
LEGAL_TASK = frozenset(
    (audience, category)
    for audience in (Audience.JGZ_DOCTOR, Audience.JGZ)
    for category in (Category.SICK_ABSENCE, Category.MELDING_CONTENT)
)

_BY_ORG_KIND = {
    OrganisationKind.SCHOOL: Audience.SCHOOL,
    OrganisationKind.LEERPLICHT: Audience.LEERPLICHT,
    OrganisationKind.SWV: Audience.SWV,
    OrganisationKind.JGZ: Audience.JGZ,
    OrganisationKind.CARE: Audience.CARE,
}


def audience_of(user) -> Audience:
    if not user_sees_children(user) or getattr(user, "organisation", None) is None:
        return Audience.NOBODY
    if user_reads_medical_details(user):
        return Audience.JGZ_DOCTOR
    if user.role == Role.CARE_WORKER:
        return Audience.CARE
    return _BY_ORG_KIND.get(user.organisation.kind, Audience.NOBODY)


def category_visible_to(
    audience: Audience, category: Category, state: ConsentState, *, own_report: bool = False
) -> bool:
    """One cell of the consent table (pure: no database)."""
    if audience == Audience.NOBODY:
        return False
    if category == Category.MEDICAL_NOTES:
        # JGZ's own record under medical secrecy; a refusal to involve JGZ stops it too.
        return audience == Audience.JGZ_DOCTOR and state != ConsentState.REFUSED
    if audience == Audience.SCHOOL:
        return True
    if category == Category.MELDING_CONTENT and own_report:
        return True
    if (audience, category) in LEGAL_TASK:
        return state != ConsentState.REFUSED
    return state == ConsentState.GIVEN


# --------------------------------------------------------------------------- consent state


def _state_of(status: str) -> ConsentState:
    if status == "given":
        return ConsentState.GIVEN
    if status in ("refused", "withdrawn"):
        return ConsentState.REFUSED
    return ConsentState.NOT_ASKED


def _latest_first(consents) -> list:
    return sorted(consents, key=lambda c: (c.asked_on, c.pk), reverse=True)


def _state_for(consents: Iterable, purposes: frozenset[str]) -> ConsentState:
    for consent in _latest_first(consents):
        if purposes & set(consent.purposes or ()):
            return _state_of(consent.status)
    return ConsentState.NOT_ASKED


def consent_states(audience: Audience, student_ids: Iterable[int]) -> dict[int, ConsentState]:
    """Consent state towards `audience` for many children at once (one query)."""
    ids = list(student_ids)
    purposes = PURPOSES.get(audience)
    if not ids or purposes is None:
        return dict.fromkeys(ids, ConsentState.NOT_ASKED)
    consent_model = apps.get_model("cases", "Consent")
    by_student: dict[int, list] = {i: [] for i in ids}
    for consent in consent_model.objects.filter(melding__student_id__in=ids).only(
        "pk", "asked_on", "status", "purposes", "melding__student_id"
    ):
        by_student[consent.melding.student_id].append(consent)
    return {i: _state_for(by_student[i], purposes) for i in ids}


def melding_consent_state(audience: Audience, melding) -> ConsentState:
    purposes = PURPOSES.get(audience)
    if purposes is None:
        return ConsentState.NOT_ASKED
    return _state_for(melding.consents.all(), purposes)


def melding_consent_given(melding) -> bool:
    """The parents' latest answer about this report is yes (for any purpose): the
    condition to open a case about authorised absence (cases/workflow.py)."""
    latest = _latest_first(melding.consents.all())
    return bool(latest) and _state_of(latest[0].status) == ConsentState.GIVEN


# --------------------------------------------------------------------------- per user and child


ABSENCE_CATEGORIES = frozenset({Category.AUTHORISED_ABSENCE, Category.SICK_ABSENCE})


def categories_visible(user, student_ids: Iterable[int]) -> dict[int, frozenset[Category]]:
    """For each child: the categories of absence data and notes `user` may see. The
    caller has already limited `student_ids` to `privacy.query.students_for_user`."""
    audience = audience_of(user)
    states = consent_states(audience, student_ids)
    return {
        student_id: frozenset(
            c
            for c in (*ABSENCE_CATEGORIES, Category.MEDICAL_NOTES)
            if category_visible_to(audience, c, state)
        )
        for student_id, state in states.items()
    }


def category_visible(user, category: Category, *, student_id: int) -> bool:
    return category in categories_visible(user, [student_id])[student_id]


def melding_content_visible(user, melding, *, audience: Audience | None = None) -> bool:
    """Whether `user` may read the content of `melding` (a report about unauthorised
    absence rests on the Leerplichtwet: always, within scope). `audience`: the user's,
    when the caller already has it (checking many reports)."""
    audience = audience_of(user) if audience is None else audience
    if not melding.authorised_absence:
        return audience != Audience.NOBODY
    own = melding.organisation_id is not None and melding.organisation_id == getattr(
        user, "organisation_id", None
    )
    return category_visible_to(
        audience,
        Category.MELDING_CONTENT,
        melding_consent_state(audience, melding),
        own_report=own,
    )
    return category_visible_to(
        audience,
        Category.MELDING_CONTENT,
        melding_consent_state(audience, melding),
        own_report=own,
    )
