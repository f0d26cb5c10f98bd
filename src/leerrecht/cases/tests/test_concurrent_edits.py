"""Two people editing the same case never silently overwrite each other (issue 4.5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from leerrecht.cases.models import Case, PlanAction
from leerrecht.cases.services import (
    CaseConflictError,
    case_open,
    case_transition,
    case_update,
    plan_action_add,
    plan_action_status_set,
)

pytestmark = pytest.mark.django_db


def test_second_edit_with_a_stale_version_is_refused(open_case, lpa, coordinator):
    version = open_case.version
    case_update(user=lpa, case_id=open_case.pk, expected_version=version, cause="school")
    with pytest.raises(
        CaseConflictError, match="Iemand anders heeft deze casus intussen gewijzigd"
    ):
        case_update(user=coordinator, case_id=open_case.pk, expected_version=version, cause="home")
    assert Case.objects.get(pk=open_case.pk).cause == "school"


def test_stale_close_is_refused_after_someone_else_changed_the_case(open_case, lpa):
    version = open_case.version
    case_update(user=lpa, case_id=open_case.pk, expected_version=version, daytime_activity="home")
    with pytest.raises(CaseConflictError):
        case_transition(
            user=lpa,
            case_id=open_case.pk,
            expected_version=version,
            to_status="closed",
            reason="other",
        )
    assert Case.objects.get(pk=open_case.pk).status == "open"


def test_plan_action_status_conflict(open_case, lpa):
    action = plan_action_add(
        user=lpa, case_id=open_case.pk, who="school", what="rooster", due_on=dt.date(2026, 12, 1)
    )
    plan_action_status_set(user=lpa, action_id=action.pk, expected_version=1, status="done")
    with pytest.raises(CaseConflictError):
        plan_action_status_set(
            user=lpa, action_id=action.pk, expected_version=1, status="cancelled"
        )
    assert PlanAction.objects.get(pk=action.pk).status == "done"


def test_edit_page_shows_a_clear_conflict_message(open_case, lpa, login, leerplicht_org):
    client = login(lpa)
    stale = open_case.version
    case_update(user=lpa, case_id=open_case.pk, expected_version=stale, cause="school")
    response = client.post(
        reverse("cases:case_edit", args=[open_case.pk]),
        {
            "version": stale,
            "regiehouder": leerplicht_org.pk,
            "casusverantwoordelijke": lpa.pk,
            "anchor_date": "2026-09-07",
            "cause": "home",
            "daytime_activity": "",
        },
    )
    assert response.status_code == 409
    assert "Iemand anders heeft deze casus intussen gewijzigd" in response.content.decode()
    assert Case.objects.get(pk=open_case.pk).cause == "school"


def test_only_one_open_case_per_student_second_opening_attaches(
    open_case, student, lpa, leerplicht_org
):
    again, created = case_open(
        user=lpa,
        student=student,
        anchor_date=dt.date(2026, 9, 7),
        regiehouder=leerplicht_org,
        casusverantwoordelijke=lpa,
    )
    assert not created and again.pk == open_case.pk
    assert Case.objects.filter(student=student).count() == 1
