"""Issue 9: the main journeys through a real browser, with axe-core on every page.

Data comes from the factories; the server is pytest-django's live_server; sign-in goes
through the real login and second-factor pages with a computed TOTP code.
"""

from __future__ import annotations

import datetime as dt

import pytest

from leerrecht.accounts.models import Role
from leerrecht.accounts.tests.factories import TEST_PASSWORD, UserFactory
from leerrecht.registry.tests.factories import (
    EnrolmentFactory,
    GuardianFactory,
    MunicipalityFactory,
    OrganisationFactory,
    StudentFactory,
)

from .conftest import check_a11y, screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def region(transactional_db, settings):
    settings.LEERRECHT_PROTOCOL = "haaglanden-po"  # seed 004: Den Haag ladder
    den_haag = MunicipalityFactory(den_haag=True)
    school = OrganisationFactory(school=True, municipality=den_haag, name="Basisschool De Parel")
    leerplicht = OrganisationFactory(leerplicht=True, served_municipalities=[den_haag])
    student = StudentFactory(
        residence_municipality=den_haag,
        given_names="Sanne",
        surname="Jansen",
        date_of_birth=dt.date(2015, 3, 7),
    )
    EnrolmentFactory(student=student, school=school, start=dt.date(2022, 8, 22), group="6b")
    GuardianFactory(student=student, name="M. Jansen", relation="moeder")
    lpa = UserFactory(role=Role.LEERPLICHT_OFFICER, organisation=leerplicht, first_name="Lotte")
    return {
        "den_haag": den_haag,
        "school": school,
        "leerplicht": leerplicht,
        "student": student,
        "lpa": lpa,
    }


def test_login_with_password_and_totp_lands_on_the_worklist(page, region):
    sign_in(page, region["lpa"], TEST_PASSWORD)
    assert page.url.rstrip("/").endswith("/casussen")
    assert page.locator("h1").first.is_visible()
    assert page.get_by_role("navigation", name="Hoofdmenu").is_visible()
    check_a11y(page, "worklist")
    screenshot(page, "a-worklist")
    assert not page.js_errors


def _signal_hit(student):
    from leerrecht.attendance.models import AttendanceImport, SignalHit

    imp = AttendanceImport.objects.create(
        original_name="verzuim.csv", sha256="0" * 64, protocol="haaglanden-po", status="done"
    )
    return SignalHit.objects.create(
        student=student,
        signal="absent_4w_consecutive",
        first_date=dt.date(2026, 10, 5),
        details={"schooldagen": 20, "ziek_uren": 96},
        protocol="haaglanden-po",
        leads_to=["report_leerplicht"],
        attendance_import=imp,
    )


def test_signal_becomes_a_case_with_consent_plan_and_conversation(page, region):
    student, lpa = region["student"], region["lpa"]
    _signal_hit(student)
    today = dt.date.today().isoformat()
    sign_in(page, lpa, TEST_PASSWORD)

    page.goto("/verzuim/")
    check_a11y(page, "signals")
    page.get_by_role("link", name="Melding maken").first.click()
    check_a11y(page, "melding from signal")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/casussen/meldingen/*/")

    # Consent of the mother.
    page.get_by_text("Toestemming vastleggen").click()
    consent = page.locator("form[action$='/toestemming/']")
    consent.locator("input[name=status][value=given]").check()
    consent.locator("input[name=asked_on]").fill(today)
    consent.locator("select[name=guardian]").select_option(index=1)
    consent.locator("input[name=purposes][value=leerplicht]").check()
    consent.locator("button[type=submit]").click()
    page.wait_for_load_state()
    check_a11y(page, "melding detail")

    # Open the case.
    opener = page.locator("form[action$='/casus-openen/']")
    opener.locator("select[name=route]").select_option("with_enrolment")
    opener.locator("input[name=anchor_date]").fill("2026-10-05")
    opener.locator("select[name=regiehouder]").select_option(str(region["leerplicht"].pk))
    opener.locator("select[name=casusverantwoordelijke]").select_option(str(lpa.pk))
    opener.locator("button[type=submit]").click()
    page.wait_for_url("**/casussen/*/")

    # A plan action (htmx swaps the plan section) and a logged conversation.
    page.locator("#plan summary").click()
    plan_form = page.locator("#plan form[action*='/toevoegen/actie/']")
    plan_form.locator("[name='actie-who']").fill("mentor")
    plan_form.locator("[name='actie-what']").fill("Dagelijks bellen")
    plan_form.locator("[name='actie-due_on']").fill("2026-11-27")
    plan_form.locator("button[type=submit]").click()
    page.locator("#plan").get_by_role("cell", name="Dagelijks bellen", exact=True).wait_for()

    page.locator(
        "[id='contacten'] summary, section[aria-labelledby=h-contacten] summary"
    ).first.click()
    contact = page.locator("form[action*='/toevoegen/contact/']")
    contact.locator("[name='contact-kind']").select_option("conversation")
    contact.locator("[name='contact-occurred_on']").fill(today)
    contact.locator("[name='contact-with_student']").check()
    contact.locator("[name='contact-outcome']").fill("Opbouwrooster afgesproken")
    contact.locator("button[type=submit]").click()
    page.get_by_text("Opbouwrooster afgesproken").first.wait_for()

    page.reload()
    body = page.locator("main").inner_text()
    assert "Volgende termijn" in body
    assert "Leidt tot opschalingsstap" in body
    assert "Dagelijks bellen" in body
    check_a11y(page, "case detail")
    screenshot(page, "b-case")
    assert not page.js_errors


def test_policy_compares_thuiszitter_definitions_and_downloads_a_report(page, region):
    policy = UserFactory(policy=True)
    policy.organisation.served_municipalities.set([region["den_haag"]])
    sign_in(page, policy, TEST_PASSWORD)
    page.goto("/cijfers/thuiszitters/")
    check_a11y(page, "thuiszitters")
    text = page.locator("main").inner_text()
    assert "thuiszitter" in text.lower()
    screenshot(page, "c-thuiszitters")
    link = page.locator(".lr-exports a").filter(has_text="XLSX").first
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    assert download.path().stat().st_size > 0
    assert not page.js_errors


def test_upload_a_list_and_reach_the_reconciliation_result(page, region, tmp_path):
    lpa = region["lpa"]
    StudentFactory(
        given_names="Daan",
        surname="Visser",
        date_of_birth=dt.date(2014, 6, 6),
        residence_municipality=region["den_haag"],
    )
    lists = []
    for name, rows in (
        ("a.csv", ["de Vries,Sanne,07-03-2014,thuiszitter", "Visser,Daan,06-06-2014,thuiszitter"]),
        ("b.csv", ["Visser,Daan,06-06-2014,thuiszitter", "Bakker,Lotte,01-01-2015,thuiszitter"]),
    ):
        path = tmp_path / name
        path.write_text("Achternaam,Voornamen,Geboortedatum,Status\n" + "\n".join(rows) + "\n")
        lists.append(path)
    sign_in(page, lpa, TEST_PASSWORD)
    for path, source in zip(lists, ("Leerplicht", "SWV"), strict=True):
        page.goto("/lijsten/")
        upload = page.locator("form[enctype='multipart/form-data']")
        upload.locator("input[type=file]").set_input_files(str(path))
        upload.locator("[name=source_name]").fill(source)
        upload.locator("button[type=submit]").click()
        page.wait_for_url("**/lijsten/lijst/*/kolommen/")
        check_a11y(page, "mapping")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
    page.goto("/lijsten/")
    check_a11y(page, "lists home")
    compare = page.locator("form[action$='/vergelijken/']")
    compare.locator("[name=list_a]").select_option(index=1)
    compare.locator("[name=list_b]").select_option(index=2)
    compare.locator("button[type=submit]").click()
    page.wait_for_url("**/lijsten/vergelijking/*/**")
    page.wait_for_load_state()
    check_a11y(page, "reconciliation result")
    screenshot(page, "d-reconciliation")
    assert (
        "Visser" in page.locator("main").inner_text()
        or "Bakker" in page.locator("main").inner_text()
    )


def test_student_search_finds_a_student_in_scope(page, region):
    sign_in(page, region["lpa"], TEST_PASSWORD)
    page.goto("/leerlingen/")
    check_a11y(page, "student search")
    page.locator("main input[type=search], main input[name=q]").first.fill("Jansen")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Sanne").first.click()
    page.wait_for_load_state()
    assert "Jansen" in page.locator("main").inner_text()
    check_a11y(page, "student detail")
    screenshot(page, "e-student")
