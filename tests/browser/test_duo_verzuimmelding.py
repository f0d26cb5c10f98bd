"""Browser journey (issue 17): a school coordinator makes a complete legal verzuimmelding
from a 16-hour signal, exports it, imports the gemeente's answer and sees the status change."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
from django.urls import reverse

from leerrecht.accounts.models import Role
from leerrecht.accounts.tests.factories import TEST_PASSWORD, UserFactory
from leerrecht.attendance.models import SignalHit
from leerrecht.attendance.services import attendance_import_create
from leerrecht.cases.models import Melding
from leerrecht.registry.tests.factories import (
    EnrolmentFactory,
    GuardianFactory,
    MunicipalityFactory,
    OrganisationFactory,
    StudentFactory,
)

from .conftest import sign_in


def test_coordinator_reports_a_16_hour_signal_to_duo_and_reads_the_answer(page, tmp_path):
    den_haag = MunicipalityFactory(den_haag=True)
    school = OrganisationFactory(school=True, municipality=den_haag, name="Basisschool De Parel")
    student = StudentFactory(residence_municipality=den_haag, given_names="Sanne")
    EnrolmentFactory(student=student, school=school, start=dt.date(2020, 8, 17))
    GuardianFactory(student=student, name="M. Jansen", relation="moeder", phone="06-11122233")
    coordinator = UserFactory(role=Role.SCHOOL_COORDINATOR, organisation=school)
    # 20 school days up to the last weekday before today; 6 h unauthorised on the last three.
    last = np.busday_offset(np.datetime64(dt.date.today(), "D"), -1, roll="backward")
    days = [np.busday_offset(last, -k).astype(dt.date) for k in range(19, -1, -1)]
    rows = [f"{student.source_id},{d},6,{6 if i >= 17 else 0},0,0" for i, d in enumerate(days)]
    path = tmp_path / "verzuim.csv"
    path.write_text(
        "student_id,date,scheduled_hours,unauthorised_hours,sick_hours,authorised_hours\n"
        + "\n".join(rows)
        + "\n"
    )
    attendance_import_create(user=None, file=path, original_name="v.csv", run_inline=True)
    hit = SignalHit.objects.get(student=student, signal="unauthorised_16h_4w")

    sign_in(page, coordinator, TEST_PASSWORD)
    # "Melding maken" on a statutory signal opens the DUO melding itself, pre-filled.
    page.goto(f"{reverse('cases:melding_from_signal')}?hit={hit.pk}")
    page.wait_for_selector("#duo-deadline")
    assert page.input_value("input[name=hours]") in ("18", "18.0")
    assert page.input_value("input[name=absence_days]") == "3"
    assert page.input_value("input[name=contact_phone]") == "06-11122233"
    page.fill("textarea[name=suspected_reason]", "Spijbelen met vrienden")
    page.fill("textarea[name=school_action]", "Gesprek met ouders gevoerd")
    page.check("input[name=municipality_action_wanted][value=true]")
    page.fill("textarea[name=municipality_action_note]", "Graag een gesprek met leerplicht")
    page.fill("input[name=lesson_location]", "Hoofdgebouw")
    page.fill("input[name=reporter_phone]", "070-1234567")
    page.click("main button[type=submit]")
    page.wait_for_selector("#duo-export-json")
    melding = Melding.objects.get(kind="duo")

    with page.expect_download() as download:
        page.click("#duo-export-json")
    record = json.loads(download.value.path().read_text("utf-8"))["meldingen"][0]
    assert record["kenmerk"] == f"LR-{melding.pk}"
    assert record["verzuimuren"] == 18.0 and record["verzuimdagen"] == 3
    assert record["actie_gemeente_gewenst"] == "ja" and record["melder_telefoon"] == "070-1234567"
    assert record["status"] == "Geregistreerd"

    answer = tmp_path / "antwoord.csv"
    answer.write_text(
        "kenmerk;status;reden;toelichting;contact\n"
        f"LR-{melding.pk};Afgesloten;Leerling gaat weer naar school;Weer op school;J. Bakker\n"
    )
    page.goto(reverse("cases:duo_feedback"))
    page.set_input_files("input[name=file]", str(answer))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(reverse("cases:melding_detail", args=[melding.pk]))
    shown = page.inner_text("#duo-answer")
    assert "Afgesloten" in shown and "Leerling gaat weer naar school" in shown
    assert page.js_errors == []
