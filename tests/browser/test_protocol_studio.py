"""Protocol studio journey (issue 19): the functional administrator lowers the report
threshold from 16 to 10 hours and gives first contact two weeks instead of one,
simulates on the stored attendance and sees the difference per school, publishes with an
effective date; a case opened before keeps its deadlines until leerplicht applies the new
rules; the version history and the audit log show the change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from tests.security.world import case_for, region, user_for

from leerrecht.accounts.models import Role
from leerrecht.accounts.tests.factories import TEST_PASSWORD, UserFactory
from leerrecht.cases.selectors import case_schedule
from leerrecht.privacy.models import AuditEvent
from leerrecht.protocols.tests.conftest import region_with_attendance

from .conftest import check_a11y, screenshot, sign_in

pytestmark = pytest.mark.browser
BASE = "/functioneel-beheer/protocollen/haaglanden-po"


def _first_contact_due(page) -> str:
    row = page.locator("#termijnen tr", has_text="Eerste contact binnen één week")
    return row.locator("td").nth(1).inner_text()


def test_lower_threshold_simulate_publish_and_apply_to_a_case(page, tmp_path, transactional_db):
    region_with_attendance(tmp_path)
    a = region("A", surname="Aalbers")
    lpa = user_for(a, Role.LEERPLICHT_OFFICER)
    case = case_for(a.student, owner=lpa)
    operator = UserFactory(role=Role.OPERATOR, organisation=None, first_name="Bea")
    today = timezone.localdate()

    due = next(m.due for m in case_schedule(case) if m.key == "first_contact")
    before = f"{due:%d-%m-%Y}"

    sign_in(page, operator, TEST_PASSWORD)
    page.goto(f"{BASE}/versies/")
    page.get_by_role("button", name="Nieuw concept maken").click()
    page.fill("#id_concept-signal_unauthorised_16h_4w_more_than_hours", "10")
    page.fill("#id_concept-norm_first_contact_due", "2")
    page.fill("#id_concept-reason", "Eerder melden en ruimer eerste contact")
    page.get_by_role("button", name="Concept opslaan").click()
    changes = page.inner_text("main")
    assert "meer dan (uur)" in changes and "Eerste contact binnen één week — termijn" in changes
    check_a11y(page, "protocol concept")

    page.get_by_role("link", name="Dit concept simuleren op het eigen verzuim").click()
    page.get_by_role("button", name="Simulatie starten").click()
    page.wait_for_url("**/simulatie/**")
    school = page.locator('table[data-dimension="school"] tr', has_text="Meer dan 16 uur")
    rows = {
        r.locator("td").first.inner_text(): r.locator("td").all_inner_texts() for r in school.all()
    }
    assert rows["De Linde"][2:] == ["12", "15", "+3"]
    assert rows["Het Baken"][2:] == ["12", "15", "+3"]
    check_a11y(page, "simulatie")
    screenshot(page, "protocol-simulatie")

    page.goto(f"{BASE}/concept/")
    page.fill("#id_publiceren-effective_from", today.isoformat())
    page.fill("#id_publiceren-reason", "Besluit OOGO")
    page.get_by_role("button", name="Publiceren", exact=True).click()
    history = page.inner_text("main")
    assert f"Versie 2 is gepubliceerd en geldt vanaf {today:%d-%m-%Y}" in history
    assert "Gewijzigd ten opzichte van versie 1" in history and "Besluit OOGO" in history
    page.context.clear_cookies()

    sign_in(page, lpa, TEST_PASSWORD)
    page.goto(f"/casussen/{case.pk}/")
    assert "Termijnen volgens protocolversie 1" in page.inner_text("#termijnen")
    assert _first_contact_due(page) == before  # the publication moved nothing
    assert f"Sinds {today:%d-%m-%Y} geldt protocolversie 2" in page.inner_text("#termijnen")
    page.get_by_role("button", name="De nieuwe regels toepassen").click()
    assert "Termijnen volgens protocolversie 2" in page.inner_text("#termijnen")
    moved = dt.datetime.strptime(before, "%d-%m-%Y").date() + dt.timedelta(days=7)
    assert _first_contact_due(page) == f"{moved:%d-%m-%Y}"
    assert not page.js_errors

    audit = AuditEvent.objects.order_by("pk")
    published = audit.filter(
        processing_activity="protocolbeheer", detail__contains="gepubliceerd, geldig vanaf"
    )
    assert published.get().detail.startswith("haaglanden-po versie 2 gepubliceerd")
    applied = audit.filter(processing_activity="casusbehandeling", fields=["protocolversie"])
    assert applied.get().subject_student_id == a.student.pk
