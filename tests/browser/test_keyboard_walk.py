"""Every role's journey by keyboard only (issue 15, ADR 0135): sign in with Tab and Enter,
walk each main page with Tab (every control reached, every focus stop visible, focus
moving down the page), and do the role's typical task with Enter and Space only.

One demo region and one browser context per role at 1366 px; axe runs on the pages the
tasks end on. Lean: a handful of pages per role, the page scan covers the rest."""

from __future__ import annotations

import re

import pytest

from leerrecht.registry.services.demo import DEMO_PASSWORD

from .conftest import check_a11y
from .keyboard import keyboard_problems, tab_to
from .site_map import PAGES

pytestmark = pytest.mark.browser

# The pages of each role walked with Tab: the role's first pages in the site map.
WALKED = 3


def _sign_in_by_keyboard(page, user) -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.goto("/account/inloggen/")
    tab_to(page, "Gebruikersnaam")
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    _submit(page)
    if "/account/tweede-factor/" in page.url:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        tab_to(page, re.compile("code", re.I))
        page.keyboard.type(f"{code:0{device.digits}d}")
        _submit(page)
    assert "/account/" not in page.url, f"{user.username} is not signed in by keyboard"


def _submit(page, key: str = "Enter") -> None:
    """Press the key and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state()


def _enter_on(page, text) -> None:
    tab_to(page, text)
    _submit(page)


def _leerplicht(page) -> None:
    """Page on through all cases, filter the worklist to what is overdue, open a case."""
    page.goto("/casussen/alle/")
    _enter_on(page, "Volgende")
    assert "pagina=2" in page.url
    page.goto("/casussen/")
    tab_to(page, "te laat")
    page.keyboard.press("Space")
    _enter_on(page, re.compile("^Filteren$"))
    assert "te_laat=1" in page.url
    _open_first_case(page, go=False)


def _school(page) -> None:
    """From a signal to a pre-filled melding."""
    page.goto("/verzuim/")
    _enter_on(page, "Melding maken")
    # The melding form that fits the signal, pre-filled from it.
    assert "/casussen/meldingen/" in page.url and "hit=" in page.url, page.url


def _school_vo(page) -> None:
    """From the worklist to the sick-absence form."""
    page.goto("/casussen/")
    _enter_on(page, "Ziekteverzuim melden")
    assert "/casussen/meldingen/ziekteverzuim/" in page.url


def _open_first_case(page, *, go: bool = True) -> None:
    if go:
        page.goto("/casussen/")
    link = page.locator("main table a").first
    name = link.inner_text().strip()
    _enter_on(page, re.compile("^" + re.escape(name) + "$"))
    assert re.search(r"/casussen/(meldingen/)?\d+/", page.url), page.url


def _beleid(page) -> None:
    page.goto("/cijfers/")
    _enter_on(page, "Kwartaaldoelen")
    assert page.url.endswith("/cijfers/kwartaaldoelen/")


def _privacy(page) -> None:
    """Search the audit log for one user."""
    page.goto("/privacy/audit/")
    tab_to(page, "Gebruiker")
    page.keyboard.type("leerplicht")
    _submit(page)
    assert "leerplicht" in page.url


def _beheer(page) -> None:
    """Give a user another role, make an API token and rotate it: keyboard only."""
    page.goto("/functioneel-beheer/gebruikers/")
    _enter_on(page, "Vincent Zorg")
    tab_to(page, re.compile("^Rol"))
    page.keyboard.type("mentor")  # type-ahead in the focused list
    tab_to(page, "Reden van de wijziging")
    page.keyboard.type("vervanging tijdens verlof")
    _enter_on(page, re.compile("^Opslaan$"))
    assert "zijn opgeslagen" in page.inner_text("main")

    page.goto("/functioneel-beheer/api-tokens/")
    tab_to(page, "Naam (waarvoor is dit token)")
    page.keyboard.type("LAS-koppeling")
    tab_to(page, re.compile("^Organisatie"))
    page.keyboard.type("Basis")
    tab_to(page, "Rol van het token")
    page.keyboard.type("zorg")
    tab_to(page, "verzuimbestanden aanleveren")
    page.keyboard.press("Space")
    _enter_on(page, "Token aanmaken")
    first = page.locator("code.lr-token").inner_text()
    _enter_on(page, "Vernieuwen LAS-koppeling")
    second = page.locator("code.lr-token").inner_text()
    assert first.startswith("lr_") and second.startswith("lr_") and first != second


TASKS = {
    "leerplicht": _leerplicht,
    "zorgcoordinator-po": _school,
    "zorgcoordinator-vo": _school_vo,
    "swv": _open_first_case,
    "jeugdarts": _open_first_case,
    "jeugdteam": _open_first_case,
    "beleid": _beleid,
    "privacy": _privacy,
    "beheer": _beheer,
}


def test_every_role_works_by_keyboard_alone_with_visible_focus(browser, live_server, demo_region):
    from leerrecht.accounts.models import User

    problems: list[str] = []
    for username, task in TASKS.items():
        context = browser.new_context(
            base_url=live_server.url,
            bypass_csp=True,  # only so axe can be injected
            locale="nl-NL",
            viewport={"width": 1366, "height": 900},
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
        _sign_in_by_keyboard(page, User.objects.get(username=username))
        for entry in PAGES[username][:WALKED]:
            url = entry.url(demo_region)
            page.goto(url)
            problems += keyboard_problems(page, f"{username} {url}")
        task(page)
        check_a11y(page, f"{username} after the keyboard task")
        problems += [f"{username}: script error {e}" for e in errors]
        context.close()
    assert not problems, "\n".join(problems)
