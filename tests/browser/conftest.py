"""Browser journeys (issue 9): Playwright's sync API driving Debian's Chromium.

One Chromium per test session; every journey gets a fresh context, signs in through the
real login pages (password + TOTP) and runs axe-core on the pages it visits. Serious and
critical axe violations fail the test. A screenshot of each journey lands in
$LEERRECHT_TEST_ARTIFACTS (default test-artifacts/).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

# live_server runs in a thread of this process; Playwright's sync API runs an event loop
# in the main thread, which makes Django's async-safety check fire on ORM calls in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LEERRECHT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("LEERRECHT_AXE", ROOT / "node_modules" / "axe-core" / "axe.min.js"))
ARTIFACTS = Path(os.environ.get("LEERRECHT_TEST_ARTIFACTS", "test-artifacts"))
BLOCKING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test (`pytest -m browser`)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/test.sh, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, transactional_db, settings):
    settings.LEERRECHT_JOBS_EAGER = True
    # bypass_csp: only so the test can inject axe-core; the app's own CSP stays strict.
    context = browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,
        locale="nl-NL",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors
    yield pg
    context.close()


def check_a11y(page, label: str) -> list[dict]:
    """Run axe-core on the current page; fail on serious/critical violations."""
    if not AXE.is_file():
        pytest.fail(f"axe-core not found at {AXE}: run scripts/test.sh (npm ci installs it)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    blocking = [v for v in result["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    for v in result["violations"]:
        targets = [n["target"] for n in v["nodes"][:5]]
        print(f"[axe {label}] {v['impact']}: {v['id']} - {v['help']} {json.dumps(targets)}")
        for n in v["nodes"][:3]:
            print("    ", n.get("failureSummary", "").replace("\n", " | ")[:300])
    assert not blocking, f"axe on {label} ({page.url}): " + "; ".join(
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}x)" for v in blocking
    )
    return result["violations"]


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, user, password: str) -> None:
    """Password, then (when the role asks for it) a real TOTP code from the user's device."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    page.goto("/account/inloggen/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if "/account/tweede-factor/" not in page.url:
        return  # roles without personal data (policy) need no second factor
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.fill("input[name=token]", f"{code:0{device.digits}d}")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/account/" not in page.url, page.content()[:2000]


# The demo region of the page scan and the keyboard walk (one per module that asks for it).
from .demo_region import demo_region  # noqa: E402, F401
