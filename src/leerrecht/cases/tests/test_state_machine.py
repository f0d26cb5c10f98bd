"""Explicit allowed transitions of a case (issue 4.5)."""

from __future__ import annotations

import datetime as dt

import pytest

from leerrecht.cases.models import Case
from leerrecht.cases.services import (
    ALLOWED_TRANSITIONS,
    CaseError,
    CaseTransitionError,
    case_transition,
    escalation_record_add,
    plan_action_add,
)

pytestmark = pytest.mark.django_db


def test_closed_case_can_only_be_reopened():
    assert ALLOWED_TRANSITIONS["closed"] == frozenset({"open"})


def test_closing_needs_a_reason(open_case, lpa):
    with pytest.raises(CaseError, match="reden"):
        case_transition(
            user=lpa, case_id=open_case.pk, expected_version=open_case.version, to_status="closed"
        )


def test_closed_to_escalated_is_refused_and_closed_case_takes_no_additions(open_case, lpa):
    case = case_transition(
        user=lpa,
        case_id=open_case.pk,
        expected_version=open_case.version,
        to_status="closed",
        reason="enrolled",
    )
    with pytest.raises(CaseTransitionError, match="niet toegestaan"):
        case_transition(
            user=lpa, case_id=case.pk, expected_version=case.version, to_status="escalated"
        )
    with pytest.raises(CaseError, match="afgesloten"):
        plan_action_add(user=lpa, case_id=case.pk, who="x", what="y", due_on=dt.date(2026, 12, 1))
    reopened = case_transition(
        user=lpa, case_id=case.pk, expected_version=case.version, to_status="open"
    )
    assert reopened.status == "open" and reopened.closed_on is None


def test_taking_a_ladder_step_escalates_the_case(open_case, lpa):
    escalation_record_add(
        user=lpa, case_id=open_case.pk, step="management", taken_on=dt.date(2026, 11, 2)
    )
    assert Case.objects.get(pk=open_case.pk).status == "escalated"


def test_management_step_does_not_exist_in_rijswijk(open_case, lpa, student):
    from leerrecht.registry.tests.factories import MunicipalityFactory

    student.residence_municipality = MunicipalityFactory(rijswijk=True)
    student.save()
    with pytest.raises(CaseError, match="gemeente"):
        escalation_record_add(
            user=lpa, case_id=open_case.pk, step="management", taken_on=dt.date(2026, 11, 2)
        )


def test_escalation_goes_through_the_state_machine(open_case, lpa, monkeypatch):
    from leerrecht.cases import workflow

    monkeypatch.setitem(workflow.ALLOWED_TRANSITIONS, "open", frozenset({"closed"}))
    with pytest.raises(CaseTransitionError):
        escalation_record_add(
            user=lpa, case_id=open_case.pk, step="management", taken_on=dt.date(2026, 11, 2)
        )
    assert Case.objects.get(pk=open_case.pk).status == "open"
    assert not open_case.escalations.exists()  # nothing half-written
