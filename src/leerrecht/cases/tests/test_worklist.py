"""Mijn werkvoorraad: due/overdue across my cases, sorted by urgency, with filters;
stagnation; a new signal joins the open case; monthly re-report; daily digest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.cases.jobs import digest_send
from leerrecht.cases.models import Case
from leerrecht.cases.selectors import worklist_for_user
from leerrecht.cases.services import (
    case_deadlines_refresh,
    case_open,
    melding_create_duo,
    melding_create_from_signal,
)
from leerrecht.registry.tests.factories import EnrolmentFactory, OrganisationFactory, StudentFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


def _case(student, lpa, org, anchor):
    case, _ = case_open(
        user=lpa,
        student=student,
        anchor_date=anchor,
        regiehouder=org,
        casusverantwoordelijke=lpa,
        opened_on=TODAY,
    )
    return case


@freeze_time("2026-11-23 09:00")
def test_most_overdue_case_comes_first(student, lpa, leerplicht_org, den_haag, school):
    late = StudentFactory(residence_municipality=den_haag, surname="Zwart")
    EnrolmentFactory(student=late, school=school)
    _case(student, lpa, leerplicht_org, anchor=dt.date(2026, 11, 2))
    _case(late, lpa, leerplicht_org, anchor=dt.date(2026, 8, 24))  # 13 weeks ago
    rows = worklist_for_user(lpa, today=TODAY)
    assert [r.student.surname for r in rows] == ["Zwart", "Jansen"]
    assert rows[0].overdue
    directors = next(m for m in rows[0].due_items if m.key == "directors")
    assert directors.status(TODAY) == "due_today"  # at the latest 13 weeks = today
    assert {m.key for m in rows[0].due_items} >= {
        "peer_consultation",
        "management",
        "advisory_table",
    }


@freeze_time("2026-11-23 09:00")
def test_filters_overdue_and_school(student, lpa, leerplicht_org, den_haag):
    other_school = OrganisationFactory(school=True, municipality=den_haag)
    fresh = StudentFactory(residence_municipality=den_haag)
    EnrolmentFactory(student=fresh, school=other_school)
    _case(student, lpa, leerplicht_org, anchor=dt.date(2026, 8, 24))
    _case(fresh, lpa, leerplicht_org, anchor=dt.date(2026, 11, 20))
    assert [r.student for r in worklist_for_user(lpa, today=TODAY, overdue_only=True)] == [student]
    assert [r.student for r in worklist_for_user(lpa, today=TODAY, school_id=other_school.pk)] == [
        fresh
    ]


@freeze_time("2026-11-23 09:00")
def test_case_without_activity_for_configured_days_is_stagnating(open_case, lpa):
    # haaglanden-po: case_settings.stagnation_days = 21. The last activity is moved back
    # by hand; in the product only the history writer sets it, and it refreshes the stored
    # deadlines the worklist sorts by (docs/adr/0170), as done here.
    def last_activity_days_ago(days: int) -> None:
        Case.objects.filter(pk=open_case.pk).update(
            last_activity_at=timezone.now() - dt.timedelta(days=days)
        )
        case_deadlines_refresh(case_id=open_case.pk)

    last_activity_days_ago(21)
    rows = worklist_for_user(lpa, today=TODAY, stagnating_only=True)
    assert [r.case for r in rows] == [open_case]
    assert rows[0].stagnating
    last_activity_days_ago(20)
    assert worklist_for_user(lpa, today=TODAY, stagnating_only=True) == []


def test_signal_for_student_with_open_case_is_attached_not_a_second_case(open_case, student, lpa):
    melding = melding_create_from_signal(
        user=lpa,
        student=student,
        signal_id="unauthorised_16h_4w",
        first_date=dt.date(2026, 11, 16),
        window_summary={"uren": 17},
    )
    assert melding.case == open_case
    assert Case.objects.filter(student=student).count() == 1
    assert open_case.events.filter(kind="melding_attached").exists()


def test_statutory_report_reminds_school_to_report_again_monthly(student, coordinator):
    melding_create_duo(
        user=coordinator,
        student=student,
        duo_kind="lrv",
        reported_on=dt.date(2026, 10, 20),
        period_start=dt.date(2026, 9, 21),
    )
    assert worklist_for_user(coordinator, today=dt.date(2026, 11, 19)) == []
    rows = worklist_for_user(coordinator, today=dt.date(2026, 11, 20))
    assert rows[0].report_again_on == dt.date(2026, 11, 20)  # seed 001, 1.2: every month


def test_digest_goes_only_to_users_who_opted_in(open_case, lpa):
    Case.objects.filter(pk=open_case.pk).update(anchor_date=dt.date(2026, 8, 1))
    assert digest_send(today=TODAY) == 0
    lpa.wants_daily_digest = True
    lpa.save()
    UserFactory(wants_daily_digest=True)  # nothing due: no mail
    assert digest_send(today=TODAY) == 1
    assert mail.outbox[0].to == ["lpa@example.org"]
    assert f"Casus {open_case.pk}" in mail.outbox[0].body
    assert "Jansen" not in mail.outbox[0].body  # no names in e-mail


def test_worklist_page_and_digest_opt_in(open_case, lpa, login):
    client = login(lpa)
    response = client.get(reverse("cases:worklist"), {"te_laat": "1"})
    assert response.status_code == 200
    assert "Mijn werkvoorraad" in response.content.decode()
    client.post(reverse("cases:digest_settings"), {"wants_daily_digest": "on"})
    lpa.refresh_from_db()
    assert lpa.wants_daily_digest


def test_home_page_sends_case_workers_to_the_worklist(lpa, login):
    response = login(lpa).get("/")
    assert response.url == reverse("cases:worklist")
