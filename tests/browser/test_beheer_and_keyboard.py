"""The functional administrator's week without the Django admin, and the main journeys by
keyboard only: focus order follows the page and every focus stop is visible (issue 15).
axe runs on the pages as in the other journeys."""

from __future__ import annotations

import pytest
from tests.security.world import case_for, region, user_for

from leerrecht.accounts.models import Role
from leerrecht.accounts.tests.factories import TEST_PASSWORD
from leerrecht.privacy.models import AuditEvent

from .conftest import check_a11y, screenshot, sign_in
from .keyboard import tab_walk, walk_problems

pytestmark = pytest.mark.browser


def _assert_walk_is_orderly_and_visible(walk: list[dict], label: str) -> None:
    problems = walk_problems(walk, label)
    assert not problems, "\n".join(problems)


def test_keyboard_only_sign_in_worklist_and_case(page, transactional_db):
    a = region("A", surname="Aalbers")
    lpa = user_for(a, Role.LEERPLICHT_OFFICER)
    case_for(a.student, owner=lpa)
    page.goto("/account/inloggen/")
    first = tab_walk(page, 1)[0]
    assert "inhoud" in first["text"].lower()  # the skip link comes first
    page.keyboard.press("Enter")  # skip to the content
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type(lpa.username)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/account/tweede-factor/**")
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=lpa, confirmed=True).first() or (
        TOTPDevice.objects.create(user=lpa, name="authenticator", confirmed=True)
    )
    page.locator("input[name=token]").focus()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.keyboard.type(f"{code:0{device.digits}d}")
    page.keyboard.press("Enter")
    page.wait_for_url("**/casussen/**")
    page.goto("/casussen/")  # without the #main the skip link left in the address

    walk = tab_walk(page, 40)
    _assert_walk_is_orderly_and_visible(walk, "worklist")
    texts = [s["text"] for s in walk]
    assert texts[:2] == ["Naar de inhoud", "Leerrecht"]
    assert texts.index("Mijn werkvoorraad") < texts.index("Uitloggen")
    # Open the case with the keyboard: focus its link and press Enter.
    name = a.student.full_name
    for _ in range(60):
        if page.evaluate("document.activeElement.innerText || ''").strip() == name:
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/casussen/*/**")
    walk = tab_walk(page, 60)
    _assert_walk_is_orderly_and_visible(walk, "case")
    assert any(s["tag"] == "select" for s in walk)  # the case's forms are reachable
    check_a11y(page, "case by keyboard")
    assert not page.js_errors


def test_functional_administrator_does_the_job_without_the_django_admin(page, transactional_db):
    a = region("A", surname="Aalbers")
    beheerder = user_for(a, Role.OPERATOR, is_staff=False, is_superuser=False)
    mentor = user_for(a, Role.MENTOR)
    sign_in(page, beheerder, TEST_PASSWORD)
    assert page.url.endswith("/functioneel-beheer/")
    check_a11y(page, "beheer")
    assert "/beheer/" not in page.content()  # no way into the Django admin needed

    # Users and roles: a mentor becomes zorgcoördinator, with a reason for the audit log.
    page.get_by_role("link", name="Gebruikers en rollen").first.click()
    page.get_by_role("link", name=mentor.get_full_name()).click()
    page.select_option("#id_role", Role.SCHOOL_COORDINATOR)
    page.fill("#id_reason", "nieuwe intern begeleider")
    page.get_by_role("button", name="Opslaan").click()
    assert "zijn opgeslagen" in page.inner_text("main")
    mentor.refresh_from_db()
    assert mentor.role == Role.SCHOOL_COORDINATOR
    assert AuditEvent.objects.filter(
        username=beheerder.username, action=AuditEvent.Action.UPDATE, detail__contains="mentor"
    ).exists()

    # The region's protocol, read-only, with its deadline preview.
    page.goto("/functioneel-beheer/protocollen/")
    page.get_by_role("link", name="Haaglanden").first.click()
    assert page.get_by_role("heading", name="Voorbeeld van termijnen").is_visible()
    assert "Opschalingsladder" in page.inner_text("main")
    check_a11y(page, "protocol")

    # Imports and background jobs, then retention: a dry run first, then confirm.
    page.goto("/functioneel-beheer/inlezen-en-taken/")
    assert page.get_by_role("heading", name="Taken op de achtergrond").is_visible()
    page.goto("/functioneel-beheer/bewaartermijnen/")
    assert "Proefrun van vandaag" in page.inner_text("main")

    # An API token for the school's LAS: shown once, then revoked.
    page.goto("/functioneel-beheer/api-tokens/")
    page.fill("#id_name", "LAS-koppeling")
    page.select_option("#id_organisation", str(a.school.pk))
    page.select_option("#id_role", Role.SCHOOL_COORDINATOR)
    page.get_by_label("verzuimbestanden aanleveren").check()
    page.get_by_role("button", name="Token aanmaken").click()
    assert page.locator("code.lr-token").inner_text().startswith("lr_")
    page.get_by_role("button", name="Intrekken LAS-koppeling").click()
    assert "ingetrokken" in page.inner_text("main")
    check_a11y(page, "api tokens")
    screenshot(page, "beheer-api-tokens")

    # "Website bekijken" in the Django admin links to "/": for this role that is the
    # workspace, not a loop back into the admin.
    page.goto("/")
    assert page.url.endswith("/functioneel-beheer/")
    assert not page.js_errors
