"""The signal list and the per-student absence overview are scoped and audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.attendance.services import attendance_import_create
from leerrecht.attendance.tests.helpers import (
    SEVENTEEN_HOURS,
    student_rows,
    write_csv,
)
from leerrecht.privacy.models import AuditEvent
from leerrecht.registry.tests.factories import EnrolmentFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path, coordinator, enrolled):
    """S-1 (17 unauthorised hours) at the coordinator's school; X-1 at another school."""
    own = enrolled("S-1", given_names="Sanne", surname="Jansen")
    other = StudentFactory(
        source_id="X-1", without_bsn=True, given_names="Xander", surname="Elders"
    )
    EnrolmentFactory(student=other)
    path = write_csv(
        tmp_path / "v.csv",
        student_rows("S-1", unauthorised=SEVENTEEN_HOURS),
        student_rows("X-1", unauthorised=SEVENTEEN_HOURS),
    )
    attendance_import_create(user=None, file=path, original_name="v.csv")  # system import
    return own, other


def test_signal_list_shows_only_students_in_scope_with_dutch_label(login, coordinator, imported):
    own, _other = imported

    response = login(coordinator).get(reverse("attendance:signals"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Sanne Jansen" in body
    assert "Xander" not in body
    assert "Meer dan 16 uur ongeoorloofd verzuim in 4 schoolweken" in body
    assert "10-11-2026" in body
    assert reverse("attendance:student_overview", args=[own.pk]) in body
    assert (
        AuditEvent.objects.filter(
            user=coordinator, processing_activity="signalering", object_type="attendance.signalhit"
        ).count()
        == 1
    )


def test_signal_list_filters_by_signal(login, coordinator, imported):
    response = login(coordinator).get(reverse("attendance:signals"), {"signal": "late_9x"})

    body = response.content.decode()
    assert "Sanne Jansen" not in body
    assert "Geen signalen" in body


def test_student_overview_shows_hours_per_school_week(login, coordinator, imported):
    own, _ = imported

    response = login(coordinator).get(reverse("attendance:student_overview", args=[own.pk]))

    assert response.status_code == 200
    weeks = response.context["weeks"]
    assert len(weeks) == 4  # 26 Oct .. 20 Nov 2026 = ISO weeks 44..47
    assert [w.week_number for w in weeks] == [47, 46, 45, 44]
    # days 10..12 of the file: Fri 6 Nov (6 h, week 45), Mon 9 and Tue 10 Nov (6 + 5 h, week 46)
    assert [w.unauthorised_hours for w in weeks] == [0, 11, 6, 0]
    assert [w.scheduled_hours for w in weeks] == [30, 30, 30, 30]
    assert weeks[1].attended_hours == 19
    assert AuditEvent.objects.filter(
        user=coordinator, subject_student_id=own.pk, processing_activity="signalering"
    ).exists()


def test_student_overview_outside_scope_is_not_found(login, coordinator, imported):
    _, other = imported

    response = login(coordinator).get(reverse("attendance:student_overview", args=[other.pk]))

    assert response.status_code == 404


def test_leerplicht_sees_signals_of_residents(login, imported):
    _own, other = imported
    officer = UserFactory(leerplicht=True)
    officer.organisation.served_municipalities.set([other.residence_municipality])

    body = login(officer).get(reverse("attendance:signals")).content.decode()

    assert "Xander Elders" in body
    assert "Sanne Jansen" not in body


def test_each_signal_offers_melding_maken_that_opens_the_prefilled_melding(
    login, coordinator, imported
):
    from leerrecht.attendance.models import SignalHit

    own, _other = imported
    hit = SignalHit.objects.get(student=own)
    client = login(coordinator)

    body = client.get(reverse("attendance:signals")).content.decode()
    link = f"{reverse('cases:melding_from_signal')}?hit={hit.pk}"
    assert link in body
    assert "Melding maken" in body

    # A statutory signal opens the DUO melding the protocol asks for, pre-filled.
    form = client.get(link, follow=True)
    assert form.status_code == 200
    assert own.full_name in form.content.decode()
