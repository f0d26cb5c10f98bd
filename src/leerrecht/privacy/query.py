"""The one place that decides which children a user may see (issue 5).

Every selector, view, export, search, API endpoint and background job that returns
personal data starts from `students_for_user`. Domains add their own rules on top in
their `query.py` (e.g. consent for authorised absence in leerrecht.cases.query), but
never widen this scope.

The scope depends on the role AND on the kind of organisation the user acts for; a role
at an organisation of the wrong kind sees nobody (least privilege, docs/adr/0031):

| role                                   | organisation kind | sees                           |
|----------------------------------------|-------------------|--------------------------------|
| mentor, school_coordinator             | school            | students enrolled there today  |
| swv_consultant                         | swv               | students of its member schools |
| leerplicht_officer, leerrecht_consult. | leerplicht        | residents of served municip.   |
| youth_doctor                           | jgz               | students of its served schools |
| care_worker                            | any               | children of cases invited to   |
| process_director                       | as its org kind   | as above; at care: invited     |
| policy, privacy_officer, operator      | any               | nobody                         |
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from leerrecht.accounts.models import Role
from leerrecht.registry.models import Organisation, OrganisationKind, Student

# Roles that never see individual children, whatever their organisation.
NO_PERSON_ROLES = frozenset({Role.POLICY.value, Role.OPERATOR.value, Role.PRIVACY_OFFICER.value})

# For each role: the organisation kinds at which it has a scope (None = any kind).
ROLE_ORGANISATION_KINDS: dict[str, frozenset[str] | None] = {
    Role.MENTOR.value: frozenset({OrganisationKind.SCHOOL.value}),
    Role.SCHOOL_COORDINATOR.value: frozenset({OrganisationKind.SCHOOL.value}),
    Role.SWV_CONSULTANT.value: frozenset({OrganisationKind.SWV.value}),
    Role.LEERPLICHT_OFFICER.value: frozenset({OrganisationKind.LEERPLICHT.value}),
    Role.LEERRECHT_CONSULTANT.value: frozenset({OrganisationKind.LEERPLICHT.value}),
    Role.YOUTH_DOCTOR.value: frozenset({OrganisationKind.JGZ.value}),
    Role.CARE_WORKER.value: None,
    Role.PROCESS_DIRECTOR.value: frozenset(
        {
            OrganisationKind.SCHOOL.value,
            OrganisationKind.SWV.value,
            OrganisationKind.LEERPLICHT.value,
            OrganisationKind.JGZ.value,
            OrganisationKind.CARE.value,
        }
    ),
}


def _current_enrolment_at(schools: QuerySet[Organisation] | list, *, on: dt.date) -> Q:
    return Q(enrolments__school__in=schools, enrolments__start__lte=on) & (
        Q(enrolments__end__isnull=True) | Q(enrolments__end__gte=on)
    )


def _invited_cases(user) -> Q | None:
    """Children of cases `user` takes part in (active participation); None without cases app."""
    if not apps.is_installed("leerrecht.cases"):
        return None
    try:
        apps.get_model("cases", "CaseParticipant")
    except LookupError:
        return None
    return Q(cases__participants__user=user, cases__participants__active=True)


_KINDS_WITH_A_SCOPE = frozenset(
    {
        OrganisationKind.SCHOOL,
        OrganisationKind.SWV,
        OrganisationKind.LEERPLICHT,
        OrganisationKind.JGZ,
        OrganisationKind.CARE,
    }
)


def role_sees_children(role: str, organisation_kind: str | None) -> bool:
    """Whether `role` acting for an organisation of `organisation_kind` has a person
    scope at all (the table above). Pure: used for users and for API tokens alike."""
    if organisation_kind is None or role in NO_PERSON_ROLES or role not in ROLE_ORGANISATION_KINDS:
        return False
    if role == Role.CARE_WORKER or organisation_kind == OrganisationKind.CARE:
        return True  # the children of the cases they are invited to
    allowed_kinds = ROLE_ORGANISATION_KINDS[role]
    if allowed_kinds is not None and organisation_kind not in allowed_kinds:
        return False
    return organisation_kind in _KINDS_WITH_A_SCOPE


def _scope_condition(user, *, on: dt.date) -> Q | None:
    """The filter on Student for `user`, or None when they see nobody."""
    organisation = user.organisation
    if not role_sees_children(user.role, organisation.kind if organisation else None):
        return None
    kind = organisation.kind
    if user.role == Role.CARE_WORKER or kind == OrganisationKind.CARE:
        # Care workers see only the children of cases they were invited to.
        return _invited_cases(user)
    if kind == OrganisationKind.SCHOOL:
        return _current_enrolment_at([organisation], on=on)
    if kind == OrganisationKind.SWV:
        return _current_enrolment_at(
            Organisation.objects.filter(swv=organisation, kind=OrganisationKind.SCHOOL), on=on
        )
    if kind == OrganisationKind.LEERPLICHT:
        return Q(residence_municipality__in=organisation.served_municipalities.all())
    if kind == OrganisationKind.JGZ:
        return _current_enrolment_at(
            organisation.served_schools.filter(kind=OrganisationKind.SCHOOL), on=on
        )
    return None


def students_for_user(user, *, on: dt.date | None = None) -> QuerySet[Student]:
    """Students `user` may see personal data of, per role and organisation."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Student.objects.none()
    condition = _scope_condition(user, on=on or timezone.localdate())
    if condition is None:
        return Student.objects.none()
    if not _crosses_to_many(condition):
        # On the child's own row (leerplicht: where the child lives): a plain filter, which
        # the database combines with the caller's (a name search in a region of 200,000).
        return Student.objects.filter(condition)
    # Across enrolments or cases: by id through a subquery, so callers can add joins and
    # .distinct() freely without duplicated rows.
    return Student.objects.filter(pk__in=Student.objects.filter(condition).values("pk"))


def students_filter(user, *, via: str, on: dt.date | None = None) -> Q:
    """The same scope as `students_for_user`, as a filter on a model that points to the
    child through `via` (e.g. ``Case.objects.filter(students_filter(user, via="student"))``).
    A condition on the child's own row is applied through the join, so the database does
    not collect every child of a region first; other conditions use students_for_user."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    condition = _scope_condition(user, on=on or timezone.localdate())
    if condition is None:
        return Q(pk__in=[])
    if _crosses_to_many(condition):
        return Q(**{f"{via}__in": students_for_user(user, on=on)})
    return _prefixed(condition, via)


def _prefixed(condition: Q, via: str) -> Q:
    """`condition` (lookups on Student) with every lookup read through `via`."""
    out = Q()
    out.connector, out.negated = condition.connector, condition.negated
    out.children = [
        _prefixed(child, via) if isinstance(child, Q) else (f"{via}__{child[0]}", child[1])
        for child in condition.children
    ]
    return out


def _crosses_to_many(condition: Q) -> bool:
    """Whether a lookup of `condition` follows a to-many relation of Student."""
    for child in condition.children:
        if isinstance(child, Q):
            if _crosses_to_many(child):
                return True
            continue
        field = Student._meta.get_field(child[0].split("__")[0])
        if field.one_to_many or field.many_to_many:
            return True
    return False


def student_get_for_user(user, pk) -> Student:
    """The student with `pk` if `user` may see them; Http404 otherwise (never 403)."""
    return get_object_or_404(students_for_user(user), pk=pk)


def user_sees_children(user) -> bool:
    """THE answer to "may this user see individual children?": the role has a person
    scope at the kind of organisation the user acts for (the table above). Every view,
    selector, export and API endpoint asks this; the ones that say no get aggregates only
    (or a 404 where a page is about one child)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    organisation = getattr(user, "organisation", None)
    return role_sees_children(user.role, organisation.kind if organisation else None)


# Roles that can ever see individual children (e.g. to be invited to a case).
CHILD_ROLES = frozenset(ROLE_ORGANISATION_KINDS) - NO_PERSON_ROLES


def user_reads_medical_details(user) -> bool:
    """Medical details stay with JGZ (seed 000, casus 2 "jeugdarts": medical secrecy)."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.YOUTH_DOCTOR
        and user.organisation is not None
        and user.organisation.kind == OrganisationKind.JGZ
    )
