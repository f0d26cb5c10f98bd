"""Every page a user can reach, in a phone-sized browser: nothing wider than the screen at
390 and 320 px, no console errors (a CSP violation is one), and only Dutch product text
(issue 15).

The pages come from tests/browser/site_map.py, which tests/architecture/
test_every_page_scanned.py checks against the URL configuration (ADR 0131). One demo region
(300 pupils, its demo accounts, signals, cases and a reconciliation) is loaded once; each
role signs in through the real login and second-factor pages (scanned on the way) and
visits its pages. The same page loads serve all checks.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse
from tests.security.probes import all_endpoints

from leerrecht.registry.services.demo import DEMO_PASSWORD

from .conftest import screenshot, sign_in
from .site_map import EXEMPT, FORM_RESULTS, PAGES, POST_ONLY, SIGN_IN, scanned_names

pytestmark = pytest.mark.browser

# Identifiers and English that must never reach a user (issue 15): snake_case words, model
# labels ("registry.student"), and a short list of English words seen in earlier versions.
SNAKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
ENGLISH = re.compile(
    r"\b(?:tier|tiers|hits?|value|page|None|True|False|seed|issue|peer|unknown|pending|"
    r"queued|running|failed|Choose|Can add|Can change|Full name|signal list)\b"
)

# Visible text plus the attributes people hear or see (labels, titles, placeholders,
# options); code elements (tokens, trace ids) are data, not language.
TEXT_JS = """() => {
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!el || el.closest('code, script, style, svg title, [hidden]')) continue;
    parts.push(walker.currentNode.textContent);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], option')) {
    for (const a of ['aria-label', 'title', 'placeholder']) {
      if (el.getAttribute(a)) parts.push(el.getAttribute(a));
    }
  }
  return parts.join('\\n');
}"""


def _model_labels() -> re.Pattern:
    """Model labels such as "registry.student" (what the audit log used to show)."""
    from django.apps import apps

    labels = sorted(m._meta.label_lower for m in apps.get_models())
    return re.compile(r"\b(?:" + "|".join(map(re.escape, labels)) + r")\b")


# Detail pages reached from the first page of a role (a case, a melding, a pupil), on top of
# the site map's pages: what that role's own data looks like.
DETAIL_LINKS = re.compile(r"^/(?:casussen/\d+|casussen/meldingen/\d+|verzuim/leerling/\d+)/$")


# The innermost elements that stick out to the right: what to fix when a page is too wide.
WIDEST_JS = """(width) => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right <= width + 0.5 || [...el.children].some(c =>
        c.getBoundingClientRect().right > width + 0.5)) continue;
    if (el.closest('.lr-table-wrap:not(.lr-table-wrap--stack)')) continue;  // scrolls inside
    out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
             (el.className && typeof el.className === 'string' ? '.' +
              el.className.trim().split(/\\s+/).join('.') : '') + ' ' + Math.round(r.right));
  }
  return out.slice(0, 3).join(', ');
}"""


# Pages whose screenshots (1366 and 390 px) land in test-artifacts/ for people to look at:
# the lists, data lists and forms this scan's fixes touched.
SCREENSHOTS = {
    "cases:worklist",
    "cases:case_list",
    "cases:melding_list",
    "cases:melding_detail",
    "attendance:signals",
    "attendance:import_detail",
    "web:student_detail",
    "reconciliation:result",
    "privacy:subject_access",
    "monitoring:school_consultation",
    "beheer:api_tokens",
}


def _screenshots(page, name: str) -> None:
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot(page, f"{name}-1366")
    page.set_viewport_size({"width": 390, "height": 844})


def _overflow(page, url: str) -> list[str]:
    """Wider than the screen at 390 px, and at 320 px (the smallest phones)?"""
    problems = []
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 844})
        scroll, client = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll > client:
            culprits = page.evaluate(WIDEST_JS, client)
            problems.append(f"{url}: {scroll} px wide on a {client} px screen: {culprits}")
    page.set_viewport_size({"width": 390, "height": 844})
    return problems


def _problems_on(page, url: str, console: list[str], *, go: bool = True) -> list[str]:
    """Overflow, console errors (CSP violations among them) and untranslated text."""
    problems = []
    if go:
        console.clear()
        response = page.goto(url)
        if response is None or response.status >= 400:
            problems.append(f"{url}: HTTP {response.status if response else '?'}")
    problems += _overflow(page, url)
    problems += [f"{url}: console: {m}" for m in console]
    text = page.evaluate(TEXT_JS)
    for pattern in (SNAKE, ENGLISH, _model_labels()):
        for word in sorted(set(pattern.findall(text))):
            line = next((ln.strip() for ln in text.splitlines() if word in ln), "")
            problems.append(f"{url}: untranslated {word!r} in {line[:120]!r}")
    return problems


def _sign_in_scanning(page, user, console: list[str]) -> list[str]:
    """Sign in through the login and second-factor pages, scanning both on the way."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    problems = _problems_on(page, reverse("accounts:login"), console)
    page.fill("#id_username", user.username)
    page.fill("#id_password", DEMO_PASSWORD)
    console.clear()
    page.click("button[type=submit]")
    page.wait_for_url("**/account/tweede-factor/**")
    problems += _problems_on(page, page.url, console, go=False)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.fill("input[name=token]", f"{code:0{device.digits}d}")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return problems


def _post_only_answer_405(page) -> list[str]:
    """The routes exempted as POST-only really refuse a GET (the exemption stays true)."""
    problems = []
    for endpoint in all_endpoints():
        if EXEMPT.get(endpoint.ident) != POST_ONLY or endpoint.ident == "accounts:logout":
            continue
        url = endpoint.url({k: "1" for k in endpoint.kwargs})
        status = page.request.get(url, max_redirects=0).status
        if status != 405:
            problems.append(f"{url}: exempted as POST only, but GET answers {status}")
    return problems


def test_every_page_of_every_role_fits_a_phone_speaks_dutch_and_logs_no_errors(
    browser, live_server, demo_region
):
    """Every page of the site map (tests/browser/site_map.py, checked against the URL
    configuration) at 390 and 320 px, signed in as the role that uses it."""
    from leerrecht.accounts.models import User

    problems: list[str] = []
    scanned: set[str] = set()
    for username, pages in PAGES.items():
        context = browser.new_context(
            base_url=live_server.url, locale="nl-NL", viewport={"width": 390, "height": 844}
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m, c=console: c.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc, c=console: c.append(str(exc)))
        user = User.objects.get(username=username)
        if not scanned:
            problems += _sign_in_scanning(page, user, console)
            scanned |= set(SIGN_IN)
        else:
            sign_in(page, user, DEMO_PASSWORD)
        for i, entry in enumerate(pages):
            problems += _problems_on(page, entry.url(demo_region), console)
            scanned.add(entry.name)
            if entry.name in SCREENSHOTS:
                _screenshots(page, f"{username}-{entry.name.replace(':', '-')}")
            if i == 0:
                hrefs = page.locator("main a[href]").evaluate_all(
                    "els => els.map(e => e.getAttribute('href'))"
                )
                for url in list(dict.fromkeys(h for h in hrefs if DETAIL_LINKS.match(h or "")))[:2]:
                    problems += _problems_on(page, url, console)
        for target, (role, start) in FORM_RESULTS.items():
            if role == username:
                problems += _problems_on(page, start.url(demo_region), console)
                console.clear()
                page.locator("main form button[type=submit]").last.click()
                page.wait_for_load_state()
                if resolve(urlsplit(page.url).path).view_name != target:
                    problems.append(f"{start.url(demo_region)}: the form did not lead to {target}")
                problems += _problems_on(page, page.url, console, go=False)
                scanned |= {target, start.name}
        if username == "beheer":
            problems += _post_only_answer_405(page)
        context.close()
    assert scanned == scanned_names()
    assert not problems, "\n".join(problems)
