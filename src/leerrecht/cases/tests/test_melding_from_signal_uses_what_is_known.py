"""'Melding maken' on a signal opens the melding the protocol asks for (JOURNEYS.md, school:
a DUO verzuimmelding for 16 hours in 4 weeks [seed 001, 1.2], the sick-absence form for a
sickness signal [seed 004, route 1]), with the pupil and the signal already filled in and
linked - no extra internal melding, no question about what is already known."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from leerrecht.attendance.models import AttendanceImport, SignalHit
from leerrecht.cases.models import Melding, MeldingKind

pytestmark = pytest.mark.django_db


def _hit(student, signal: str, leads_to: list[str]) -> SignalHit:
    imp = AttendanceImport.objects.create(
        original_name="v.csv", sha256="1" * 64, protocol="haaglanden-po", status="done"
    )
    return SignalHit.objects.create(
        student=student,
        signal=signal,
        first_date=dt.date(2026, 11, 10),
        details={"value": 17.0, "run_start": "2026-11-06"},
        protocol="haaglanden-po",
        leads_to=leads_to,
        attendance_import=imp,
    )


def test_statutory_signal_leads_to_the_prefilled_duo_melding(student, coordinator, login):
    hit = _hit(student, "unauthorised_16h_4w", ["report_duo", "report_leerplicht"])
    client = login(coordinator)
    response = client.get(reverse("cases:melding_from_signal"), {"hit": hit.pk})
    assert response.status_code == 302
    assert response.url == reverse("cases:melding_duo_new") + "?" + urlencode({"hit": hit.pk})
    form = client.get(response.url).context["form"]
    assert form.initial["student"] == student
    assert (form.initial["signal_hit_id"], form.initial["duo_kind"]) == (hit.pk, "16_uur")


def test_sickness_signal_leads_to_the_sick_absence_form_linked_to_the_signal(
    student, coordinator, login
):
    hit = _hit(student, "sick_spell_7th_day", ["jgz"])
    client = login(coordinator)
    response = client.get(reverse("cases:melding_from_signal"), {"hit": hit.pk})
    assert response.status_code == 302
    page = client.get(response.url)
    assert page.context["form"].initial["student"] == student
    client.post(
        response.url,
        {
            "student": student.pk,
            "reported_on": "2026-11-20",
            "reasons": ["2"],
            "signal_hit_id": hit.pk,
            "acties-TOTAL_FORMS": "0",
            "acties-INITIAL_FORMS": "0",
        },
    )
    melding = Melding.objects.get()
    assert melding.kind == MeldingKind.SICKNESS
    assert (melding.signal_hit_id, melding.signal_id) == (hit.pk, "sick_spell_7th_day")
    assert melding.signal_first_date == hit.first_date
    assert not Melding.objects.filter(kind=MeldingKind.SIGNAL).exists()
