"""A closed case leaves nothing to do (JOURNEYS.md, invariants: "a closed case has none"):
no deadline on any worklist and no reminder to report the statutory melding again
(seed 001, 1.2: the monthly vervolgmelding is due only while the absence continues)."""

from __future__ import annotations

import datetime as dt

import pytest

from leerrecht.cases.models import CaseStatus
from leerrecht.cases.selectors import melding_report_again_on, protocol_current, worklist_for_user
from leerrecht.cases.services import case_transition

pytestmark = pytest.mark.django_db
AFTER_A_MONTH = dt.date(2026, 12, 10)  # the duo_melding fixture was made on 2-11-2026


def _close(case, user):
    case_transition(
        user=user,
        case_id=case.pk,
        expected_version=case.version,
        to_status=CaseStatus.CLOSED,
        on=dt.date(2026, 11, 30),
        reason="back_at_school",
    )


def test_open_case_keeps_the_monthly_report_reminder(open_case, duo_melding, coordinator):
    rows = worklist_for_user(coordinator, today=AFTER_A_MONTH)
    assert [r.melding for r in rows if r.report_again_on] == [duo_melding]


def test_closing_the_case_stops_the_report_again_reminder(open_case, duo_melding, coordinator, lpa):
    _close(open_case, lpa)
    duo_melding.refresh_from_db()
    assert melding_report_again_on(duo_melding, protocol_current()) is None
    assert worklist_for_user(coordinator, today=AFTER_A_MONTH) == []
    assert worklist_for_user(lpa, today=AFTER_A_MONTH) == []
