"""`students_for_user` per role: who sees which child (issue 5, point 1)."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time
from tests.security.world import PersonFactory as StudentFactory
from tests.security.world import case_for, invite, region, school_in, user_for

from leerrecht.accounts.models import Role
from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.privacy.query import (
    student_get_for_user,
    students_for_user,
    user_reads_medical_details,
)
from leerrecht.registry.tests.factories import EnrolmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_frozen")]


@pytest.fixture
def _frozen():
    with freeze_time("2026-11-23 10:00:00"):
        yield


@pytest.fixture
def a():
    return region("A", surname="Aalbers")


@pytest.fixture
def b():
    return region("B", surname="Bosman")


def _ids(user):
    return set(students_for_user(user).values_list("pk", flat=True))


@pytest.mark.parametrize(
    "role",
    [
        Role.MENTOR,
        Role.SCHOOL_COORDINATOR,
        Role.SWV_CONSULTANT,
        Role.LEERPLICHT_OFFICER,
        Role.LEERRECHT_CONSULTANT,
        Role.YOUTH_DOCTOR,
        Role.PROCESS_DIRECTOR,
    ],
)
def test_person_roles_see_their_region_and_not_the_other(a, b, role):
    user = user_for(a, role)
    assert _ids(user) == {a.student.pk}
    with pytest.raises(Exception) as raised:
        student_get_for_user(user, b.student.pk)
    assert raised.type.__name__ == "Http404"


@pytest.mark.parametrize("role", [Role.POLICY, Role.PRIVACY_OFFICER, Role.OPERATOR])
def test_roles_without_person_scope_see_nobody(a, b, role):
    assert _ids(user_for(a, role)) == set()


def test_school_sees_only_current_enrolments(a):
    left = StudentFactory(residence_municipality=a.municipality)
    EnrolmentFactory(
        student=left, school=a.school, start=dt.date(2020, 8, 17), end=dt.date(2026, 7, 17)
    )
    coming = StudentFactory(residence_municipality=a.municipality)
    EnrolmentFactory(student=coming, school=a.school, start=dt.date(2027, 1, 4))
    mentor = user_for(a, Role.MENTOR)
    assert _ids(mentor) == {a.student.pk}
    # On a date in the past, the student who left was still there.
    assert left.pk in set(
        students_for_user(mentor, on=dt.date(2026, 1, 15)).values_list("pk", flat=True)
    )


def test_leerplicht_follows_residence_not_school(a, b):
    # Lives in B, goes to school in A: B's leerplicht sees them, A's does not.
    commuter = StudentFactory(residence_municipality=b.municipality)
    EnrolmentFactory(student=commuter, school=a.school)
    assert commuter.pk not in _ids(user_for(a, Role.LEERPLICHT_OFFICER))
    assert commuter.pk in _ids(user_for(b, Role.LEERPLICHT_OFFICER))
    # The school and its SWV and JGZ do see them.
    for role in (Role.MENTOR, Role.SWV_CONSULTANT, Role.YOUTH_DOCTOR):
        assert commuter.pk in _ids(user_for(a, role))


def test_leerplicht_sees_residents_without_any_enrolment(a):
    not_enrolled = StudentFactory(residence_municipality=a.municipality)
    assert not_enrolled.pk in _ids(user_for(a, Role.LEERPLICHT_OFFICER))
    assert not_enrolled.pk not in _ids(user_for(a, Role.MENTOR))


def test_swv_sees_all_member_schools_and_no_other(a, b):
    second_school = school_in(a.municipality, swv=a.swv)
    pupil = StudentFactory(residence_municipality=b.municipality)
    EnrolmentFactory(student=pupil, school=second_school)
    assert _ids(user_for(a, Role.SWV_CONSULTANT)) == {a.student.pk, pupil.pk}


def test_care_worker_sees_only_children_of_cases_they_were_invited_to(a, b):
    care = user_for(a, Role.CARE_WORKER)
    assert _ids(care) == set()
    case = case_for(a.student, owner=user_for(a, Role.LEERPLICHT_OFFICER))
    participation = invite(case, care)
    assert _ids(care) == {a.student.pk}
    # Another care worker of the same team is not invited.
    assert _ids(user_for(a, Role.CARE_WORKER, first_name="Collega")) == set()
    # Ending the participation ends the access.
    type(participation).objects.filter(pk=participation.pk).update(active=False)
    assert _ids(care) == set()


def test_invitation_does_not_widen_the_scope_of_other_roles(a, b):
    case = case_for(b.student, owner=user_for(b, Role.LEERPLICHT_OFFICER))
    mentor_a = user_for(a, Role.MENTOR)
    invite(case, mentor_a)
    assert b.student.pk not in _ids(mentor_a)


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        (Role.MENTOR, "leerplicht"),
        (Role.LEERPLICHT_OFFICER, "school"),
        (Role.YOUTH_DOCTOR, "school"),
        (Role.SWV_CONSULTANT, "jgz"),
    ],
)
def test_role_at_an_organisation_of_the_wrong_kind_sees_nobody(a, role, kind):
    user = UserFactory(role=role, organisation=getattr(a, kind))
    assert _ids(user) == set()


def test_inactive_and_organisationless_users_see_nobody(a):
    assert _ids(UserFactory(role=Role.MENTOR, organisation=a.school, is_active=False)) == set()
    assert _ids(UserFactory(role=Role.MENTOR, organisation=None)) == set()


def test_scope_is_composable_with_other_filters(a):
    extra = StudentFactory(residence_municipality=a.municipality)
    EnrolmentFactory(student=extra, school=a.school)
    EnrolmentFactory(student=extra, school=a.school, start=dt.date(2019, 8, 1))
    scoped = students_for_user(user_for(a, Role.MENTOR))
    # Two enrolments do not duplicate the child.
    assert scoped.count() == 2
    assert scoped.filter(surname=extra.surname).filter(pk=extra.pk).count() == 1


def test_only_jgz_youth_doctors_read_medical_details(a):
    readers = [role for role in Role.values if user_reads_medical_details(user_for(a, role))]
    assert readers == [Role.YOUTH_DOCTOR]
    # A youth doctor role outside a JGZ organisation does not.
    assert not user_reads_medical_details(
        UserFactory(role=Role.YOUTH_DOCTOR, organisation=a.school)
    )
