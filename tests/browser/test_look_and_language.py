"""Every role's main pages in a phone-sized browser: nothing wider than the screen, no
console errors (a CSP violation is one), and only Dutch product text (issue 15).

One demo region (300 pupils, its demo accounts, signals and cases) is loaded once; each
role signs in through the real login and second-factor pages and visits its main pages
at 390 px. The same page loads serve all three checks.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leerrecht.registry.services.demo import DEMO_PASSWORD

from .conftest import sign_in

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


ROLE_PAGES = {
    "leerplicht": [
        "/casussen/",
        "/casussen/meldingen/",
        "/casussen/alle/",
        "/verzuim/",
        "/leerlingen/?q=a",
        "/lijsten/",
        "/cijfers/thuiszitters/",
    ],
    "zorgcoordinator-po": [
        "/casussen/",
        "/verzuim/",
        "/casussen/meldingen/ziekteverzuim/",
        "/casussen/meldingen/duo/",
        "/cijfers/schooloverleg/",
    ],
    "swv": [
        "/casussen/",
        "/cijfers/thuiszitters/",
        "/cijfers/inspectie/",
        "/verzuim/",
        "/casussen/meldingen/",
    ],
    "jeugdarts": ["/casussen/", "/verzuim/"],
    "jeugdteam": ["/casussen/"],
    "beleid": [
        "/cijfers/",
        "/cijfers/thuiszitters/",
        "/cijfers/kwartaaldoelen/",
        "/cijfers/jaartelling/",
    ],
    "privacy": ["/privacy/audit/", "/privacy/inzage/"],
    "beheer": [
        "/functioneel-beheer/",
        "/functioneel-beheer/gebruikers/",
        "/functioneel-beheer/inlezen-en-taken/",
        "/functioneel-beheer/bewaartermijnen/",
        "/functioneel-beheer/organisaties/",
        "/functioneel-beheer/api-tokens/",
        "/functioneel-beheer/protocollen/",
        "/functioneel-beheer/protocollen/haaglanden-po/",
        "/functioneel-beheer/protocollen/drechtsteden-vo/",
    ],
}
# Detail pages reached from the first page of a role (a case, a melding, a pupil).
DETAIL_LINKS = re.compile(r"^/(?:casussen/\d+|casussen/meldingen/\d+|verzuim/leerling/\d+)/$")


@pytest.fixture
def demo_region(transactional_db, settings, tmp_path):
    from leerrecht.attendance.services import attendance_demo_import
    from leerrecht.cases.demo import cases_demo_seed
    from leerrecht.demo import demo_generate
    from leerrecht.registry.services.demo import demo_load

    manifest = demo_generate(
        students=300, seed=1, out_dir=Path(tmp_path) / "demo", without_enrolment=5
    )
    demo_load(manifest_dir=manifest.out_dir)
    attendance_demo_import(data_dir=manifest.out_dir)
    cases_demo_seed(reference_date=manifest.reference_date)
    return manifest


def _problems_on(page, url: str, console: list[str]) -> list[str]:
    console.clear()
    response = page.goto(url)
    problems = []
    if response is None or response.status >= 400:
        problems.append(f"{url}: HTTP {response.status if response else '?'}")
    width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if width[0] > width[1]:
        problems.append(f"{url}: {width[0]} px wide on a {width[1]} px screen")
    problems += [f"{url}: console: {m}" for m in console]
    text = page.evaluate(TEXT_JS)
    for pattern in (SNAKE, ENGLISH, _model_labels()):
        for word in sorted(set(pattern.findall(text))):
            line = next((ln.strip() for ln in text.splitlines() if word in ln), "")
            problems.append(f"{url}: untranslated {word!r} in {line[:120]!r}")
    return problems


def test_every_role_main_pages_fit_a_phone_speak_dutch_and_log_no_errors(
    browser, live_server, demo_region
):
    from leerrecht.accounts.models import User

    problems: list[str] = []
    visited = 0
    for username, urls in ROLE_PAGES.items():
        context = browser.new_context(
            base_url=live_server.url, locale="nl-NL", viewport={"width": 390, "height": 844}
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m, c=console: c.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc, c=console: c.append(str(exc)))
        sign_in(page, User.objects.get(username=username), DEMO_PASSWORD)
        problems += _problems_on(page, urls[0], console)
        hrefs = page.locator("main a[href]").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        )
        details = list(dict.fromkeys(h for h in hrefs if h and DETAIL_LINKS.match(h)))[:2]
        for url in urls[1:] + details:
            problems += _problems_on(page, url, console)
        visited += len(urls) + len(details)
        context.close()
    assert visited >= 30
    assert not problems, "\n".join(problems)
