"""`leerrecht screenshots`: PNGs of every role's main pages of a running demo server.

Signs in as each demo account (documented password, TOTP from the public demo secret)
through the real login pages with Debian's Chromium, and saves each role's main pages at
a laptop width (1366 px) and a phone width (390 px) as ROLE-PAGE-WIDTH.png, e.g.
leerplicht-werkvoorraad-1366.png. Detail pages (a case) are the first one linked from
the role's first page.

It drives a server started with the README run command (scripts/run.sh or
`leerrecht serve`); it does not touch that server's database.
"""

from __future__ import annotations

import base64
import os
import re
import time
from pathlib import Path

import typer

from leerrecht.cli.errors import fail

DEFAULT_OUT = Path("docs/screenshots")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _totp_code(username: str, *, at: float | None = None) -> str:
    """The current 6-digit code of a demo account's authenticator (public demo secret)."""
    from django_otp.oath import TOTP

    from leerrecht.registry.services.demo import demo_totp_secret

    totp = TOTP(base64.b32decode(demo_totp_secret(username)), step=30, t0=0, digits=6)
    if at is not None:
        totp.time = at
    return f"{totp.token():06d}"


def _sign_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/account/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    if "/account/inloggen/" in page.url:
        fail(
            f"cannot sign in as {username!r} at {base_url}: is the demo loaded (`leerrecht setup --demo`)?"
        )
    for _attempt in range(2):
        if "/account/tweede-factor/" not in page.url:
            return
        page.fill("input[name=token]", _totp_code(username))
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        if "/account/tweede-factor/" in page.url:
            # A code is accepted once: wait for the next 30-second step and try again.
            time.sleep(31 - time.time() % 30)
    if "/account/" in page.url:
        fail(f"the second factor of {username!r} was not accepted at {base_url}")


def _shot(page, out: Path, name: str) -> Path:
    path = out / name
    page.screenshot(path=str(path), full_page=True)
    typer.echo(f"{path}  ({page.url})")
    return path


def screenshots(
    out: Path = typer.Option(DEFAULT_OUT, "--out", help="Folder for the PNG files."),  # noqa: B008 - Typer idiom
    base_url: str = typer.Option(
        "http://127.0.0.1:8000", "--base-url", help="Address of the running Leerrecht server."
    ),
    chromium: str = typer.Option(
        os.environ.get("LEERRECHT_CHROMIUM", "/usr/bin/chromium"),
        "--chromium",
        help="Chromium executable (env LEERRECHT_CHROMIUM).",
    ),
    width: int = typer.Option(
        0, help="One viewport width in pixels (default: 1366 and 390, a laptop and a phone)."
    ),
) -> None:
    """Save PNGs of every role's main pages of a running demo server (1366 and 390 px)."""
    from leerrecht.cli.django_setup import django_setup

    django_setup()  # only for the demo TOTP secrets; the server's database is not touched
    from leerrecht.registry.services.demo import DEMO_PASSWORD

    if not Path(chromium).is_file():
        fail(f"Chromium not found at {chromium}: apt-get install chromium, or pass --chromium")
    base_url = base_url.rstrip("/")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"cannot create {out}: {exc.strerror or exc}")

    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=chromium, headless=True, args=CHROMIUM_ARGS
            )
            try:
                _capture(browser, out=out, base_url=base_url, password=DEMO_PASSWORD, width=width)
            finally:
                browser.close()
    except PlaywrightError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        fail(f"browser error against {base_url}: {first}")


# (account, [(page name, path or "first:<regex>" = first link on the previous page)])
PAGES: list[tuple[str, list[tuple[str, str]]]] = [
    ("leerplicht", [("werkvoorraad", "/casussen/"), ("casus", r"first:^/casussen/\d+/$")]),
    (
        "zorgcoordinator-po",
        [("werkvoorraad", "/casussen/"), ("ziekteverzuim", "/casussen/meldingen/ziekteverzuim/")],
    ),
    ("swv", [("thuiszitters", "/cijfers/thuiszitters/"), ("inspectie", "/cijfers/inspectie/")]),
    ("jeugdarts", [("werkvoorraad", "/casussen/")]),
    ("jeugdteam", [("werkvoorraad", "/casussen/")]),
    ("beleid", [("cijfers", "/cijfers/"), ("jaartelling", "/cijfers/jaartelling/")]),
    ("privacy", [("auditlog", "/privacy/audit/")]),
    (
        "beheer",
        [
            ("beheer", "/functioneel-beheer/"),
            ("protocol", "/functioneel-beheer/protocollen/haaglanden-po/"),
        ],
    ),
]
WIDTHS = (1366, 390)


def _first_link(page, pattern: str) -> str | None:
    hrefs = page.locator("main a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    return next((h for h in hrefs if h and re.match(pattern, h)), None)


def _capture(browser, *, out: Path, base_url: str, password: str, width: int) -> None:
    widths = (width,) if width else WIDTHS
    for username, pages in PAGES:
        context = browser.new_context(viewport={"width": widths[0], "height": 900}, locale="nl-NL")
        page = context.new_page()
        _sign_in(page, base_url, username, password)
        paths: list[tuple[str, str]] = []
        for name, target in pages:
            if target.startswith("first:"):
                found = _first_link(page, target.removeprefix("first:"))
                if found is None:
                    typer.echo(f"no link for {name} on {page.url}: skipped", err=True)
                    continue
                target = found
            page.goto(f"{base_url}{target}")
            page.wait_for_load_state("networkidle")
            paths.append((name, target))
        for w in widths:
            page.set_viewport_size({"width": w, "height": 900})
            for name, target in paths:
                page.goto(f"{base_url}{target}")
                page.wait_for_load_state("networkidle")
                _shot(page, out, f"{username}-{name}-{w}.png")
        context.close()
