"""A real Monday for every role (issue 13): one journey through the nine demo roles in
Debian's Chromium, asserting what each user sees.

The school uploads attendance with a sick spell and more than 16 unauthorised hours, sees
both signals, makes the DUO melding and the sick-absence melding with consent; leerplicht
and JGZ find them on their worklists; leerplicht opens a case, records the first contact
and the plan, invites the jeugdteam (who then sees the case), escalates per Den Haag's
ladder and closes the case; the policy dashboard, the leerplicht list and the SWV's
Inspectie form count the child once; the privacy officer finds the trail; the operator
reaches the management pages. Every menu item of every role answers without an error.

Lean on purpose (the whole suite must stay well under 25 minutes): one live server, one
browser, one context per role, menu items checked through the context's HTTP client.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from tests.journeys.world import ROLES, world_build

from leerrecht.accounts.tests.factories import TEST_PASSWORD
from leerrecht.cases.deadlines import protocol_load

from .conftest import check_a11y, screenshot, sign_in

pytestmark = pytest.mark.browser

TODAY = dt.date.today()


def _school_days(n: int, last: dt.date) -> list[dt.date]:
    days, d = [], last
    while len(days) < n:
        if d.weekday() < 5:
            days.append(d)
        d -= dt.timedelta(days=1)
    return days[::-1]


def _attendance_csv(path, source_id: str) -> None:
    """40 school days up to last Friday: present, 8 days sick (days 2-9), present again,
    then absent without a valid reason for the last 22 school days (so > 16 hours in 4
    weeks, and more than 4 weeks at home)."""
    last = TODAY - dt.timedelta(days=(TODAY.weekday() - 4) % 7 or 7)
    lines = ["leerling,datum,lesuren,ongeoorloofd,ziek,geoorloofd"]
    for i, day in enumerate(_school_days(40, last)):
        sick = 6 if 2 <= i <= 9 else 0
        truant = 6 if i >= 18 else 0
        lines.append(f"{source_id},{day.isoformat()},6,{truant},{sick},0")
    path.write_text("\n".join(lines) + "\n", "utf-8")


@pytest.fixture
def world(transactional_db, settings):
    settings.LEERRECHT_PROTOCOL = "haaglanden-po"
    settings.LEERRECHT_JOBS_EAGER = True
    w = world_build()
    w.sanne = w.pupil(given_names="Sanne", surname="Jansen", born=dt.date(2015, 3, 7))
    return w


class Session:
    """One signed-in role: its own browser context (cookies) and page."""

    def __init__(self, browser, base_url: str, user):
        self.context = browser.new_context(
            base_url=base_url,
            bypass_csp=True,
            locale="nl-NL",
            viewport={"width": 1366, "height": 900},
        )
        self.context.set_default_timeout(20_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.user = user
        sign_in(self.page, user, TEST_PASSWORD)

    def main(self) -> str:
        main = self.page.locator("main")
        if main.count() == 0:
            pytest.fail(
                f"{self.user.username}: no page content at {self.page.url}: "
                f"{self.page.content()[:1500]}"
            )
        return main.inner_text()

    def go(self, path: str) -> str:
        self.page.goto(path)
        self.page.wait_for_load_state("networkidle")
        return self.main()

    def menu_works(self) -> list[str]:
        """Every main-menu item answers below 400 (fetched with the session's cookies)."""
        nav = self.page.get_by_role("navigation", name="Hoofdmenu")
        hrefs = nav.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert hrefs, "empty main menu"
        for href in hrefs:
            response = self.context.request.get(href)
            assert response.status < 400, (
                f"{self.user.username}: menu item {href} -> {response.status}"
            )
        return hrefs

    def add_item(self, kind: str, fields: dict, selects: dict | None = None, checks=()) -> None:
        """Fill and send one of the case page's 'toevoegen' forms."""
        form = self.page.locator(f"form[action*='/toevoegen/{kind}/']").first
        if not form.is_visible():
            form.locator("xpath=ancestor::details[1]/summary").click()
        for name, value in (selects or {}).items():
            form.locator(f"[name='{kind}-{name}']").select_option(value)
        for name, value in fields.items():
            form.locator(f"[name='{kind}-{name}']").fill(value)
        for name in checks:
            form.locator(f"[name='{kind}-{name}']").check()
        # The forms post with htmx: wait for the answer, so no request is still running
        # when the next step starts (SQLite in the test server locks tables meanwhile).
        with self.page.expect_response(lambda r: f"/toevoegen/{kind}/" in r.url) as answer:
            form.locator("button[type=submit]").click()
        assert answer.value.status < 400, answer.value.status
        self.page.wait_for_load_state("networkidle")

    def close(self) -> None:
        assert not self.errors, self.errors
        self.context.close()


def test_a_monday_for_every_role(browser, live_server, world, tmp_path):
    w = world
    url = live_server.url
    today = TODAY.isoformat()
    # Everyone signs in first: the test thread touches the database (TOTP devices) only
    # before the journey starts, never while the server answers a page.
    sessions = {name: Session(browser, url, w.users[name]) for name in ROLES}

    def as_role(name: str) -> Session:
        return sessions[name]

    # --- School (po): upload, both signals, DUO melding, sick-absence melding with consent.
    school = as_role("zorgcoordinator-po")
    upload = tmp_path / "verzuim.csv"
    _attendance_csv(upload, w.sanne.source_id)
    school.go("/verzuim/inlezen/")
    assert "leerlingnummer" in school.main().lower() or "leerling" in school.main().lower()
    school.page.locator("main input[type=file]").first.set_input_files(str(upload))
    school.page.locator("main form button[type=submit]").first.click()
    school.page.wait_for_load_state()
    school.go("/verzuim/")
    rows = school.page.locator("main table tbody tr").filter(has_text="Sanne Jansen")
    signals = "\n".join(rows.all_inner_texts())
    assert "Meer dan 16 uur ongeoorloofd verzuim in 4 schoolweken" in signals, signals
    assert "7e schooldag aaneengesloten ziek (M@ZL)" in signals, signals
    assert "jeugdgezondheidszorg" in signals.lower() or "JGZ" in signals, signals
    # Each signal names the first day of absence and the day the threshold was crossed.
    assert "verzuim vanaf" in signals and "drempel bereikt" in signals, signals
    check_a11y(school.page, "school signals")

    # "Melding maken" on the statutory signal opens the DUO melding with the pupil known.
    rows.filter(has_text="Meer dan 16 uur").get_by_role("link", name="Melding maken").click()
    school.page.wait_for_url("**/casussen/meldingen/duo/?hit=*")
    form = school.page.locator("main form")
    assert form.locator("[name=student]").input_value() == str(w.sanne.pk)
    form.locator("[name=duo_kind][value='16_uur']").check()
    form.locator("[name=reported_on]").fill(today)
    form.locator("[name=period_start]").fill((TODAY - dt.timedelta(weeks=4)).isoformat())
    form.locator("[name=hours]").fill("24")
    # Reported later than 5 school days after the absence began: the form asks why.
    form.locator("[name=note]").fill("Later gemeld: eerst het gesprek met de ouders gevoerd.")
    sent = form.evaluate("f => Object.fromEntries(new FormData(f))")
    form.locator("button[type=submit]").click()
    school.page.wait_for_url("**/casussen/meldingen/*/")
    assert "16 uur in 4 weken" in school.main()
    duo_url = school.page.url
    # The same form sent again (a double click, a resubmit): nothing twice, and the user
    # lands on the melding with a Dutch message (ADR 0114).
    again = school.context.request.post("/casussen/meldingen/duo/", form=sent)
    assert again.url.endswith(duo_url.replace(url, "")), again.url
    assert "Dit formulier was al verstuurd" in again.text()
    assert school.go("/casussen/meldingen/").count("Sanne Jansen") == 1

    school.go("/casussen/meldingen/ziekteverzuim/")
    form = school.page.locator("main form")
    form.locator("[name=student]").select_option(str(w.sanne.pk))
    form.locator("[name=reported_on]").fill(today)
    form.locator("[name=reasons][value='2']").check()
    form.locator("[name=discussed_with_parents]").check()
    form.locator("button[type=submit]").first.click()
    school.page.wait_for_url("**/casussen/meldingen/*/")
    sick_url = school.page.url
    consent = school.page.locator("form[action$='/toestemming/']")
    if not consent.is_visible():
        school.page.get_by_text("Toestemming vastleggen").first.click()
    consent.locator("input[name=status][value=given]").check()
    consent.locator("input[name=asked_on]").fill(today)
    consent.locator("select[name=guardian]").select_option(index=1)
    consent.locator("input[name=purposes][value=jgz]").check()
    consent.locator("input[name=purposes][value=leerplicht]").check()
    consent.locator("button[type=submit]").click()
    school.page.wait_for_load_state()
    assert re.search(r"toestemming", school.main(), re.I)
    screenshot(school.page, "journey-school-melding")

    # --- Leerplicht and JGZ find the new meldingen on their worklists.
    lpa = as_role("leerplicht")
    worklist = lpa.go("/casussen/")
    assert worklist.count("Sanne Jansen") >= 2, worklist[:3000]
    assert "nieuwe melding" in worklist
    check_a11y(lpa.page, "leerplicht worklist")
    doctor = as_role("jeugdarts")
    jgz_list = doctor.go("/casussen/")
    assert "Sanne Jansen" in jgz_list and "nieuwe melding" in jgz_list, jgz_list[:3000]
    doctor.go(sick_url.replace(url, ""))
    assert "Sanne" in doctor.main()

    # --- Leerplicht opens the case on the DUO melding, first contact, plan, jeugdteam.
    lpa.go(duo_url.replace(url, ""))
    opener = lpa.page.locator("form[action$='/casus-openen/']")
    opener.locator("input[name=anchor_date]").fill((TODAY - dt.timedelta(weeks=9)).isoformat())
    opener.locator("select[name=regiehouder]").select_option(str(w.leerplicht.pk))
    # Only people who can hold this case are offered (ADR 0112; the jeugdarts is offered
    # for the sick-absence route and refused by the form on the others).
    owners = opener.locator("select[name=casusverantwoordelijke] option").evaluate_all(
        "els => els.map(e => e.value)"
    )
    assert str(w.users["leerplicht"].pk) in owners
    for name in ("beleid", "privacy", "beheer", "jeugdteam"):
        assert str(w.users[name].pk) not in owners, name
    opener.locator("select[name=casusverantwoordelijke]").select_option(
        str(w.users["leerplicht"].pk)
    )
    opener.locator("button[type=submit]").click()
    lpa.page.wait_for_url(re.compile(r".*/casussen/\d+/$"))
    case_path = lpa.page.url.replace(url, "")
    assert "Volgende termijn" in lpa.main()
    lpa.add_item(
        "contact",
        {"occurred_on": today, "outcome": "Opbouwrooster afgesproken"},
        selects={"kind": "home_visit"},
        checks=("with_student", "with_parents"),
    )
    lpa.add_item(
        "actie",
        {
            "who": "mentor",
            "what": "Dagelijks bellen",
            "due_on": (TODAY + dt.timedelta(weeks=2)).isoformat(),
        },
    )
    lpa.add_item(
        "betrokkene", {"role": "jeugdteam"}, selects={"participant": str(w.users["jeugdteam"].pk)}
    )
    text = lpa.go(case_path)
    assert "Opbouwrooster afgesproken" in text and "Dagelijks bellen" in text
    # Den Haag's ladder (seed 004, Bijlage 1): four steps, the first one is due by now.
    assert "Stap 2 - Managementafstemming" in text
    check_a11y(lpa.page, "case")
    screenshot(lpa.page, "journey-case")

    team = as_role("jeugdteam")
    team_list = team.go("/casussen/")
    assert "Sanne Jansen" in team_list, team_list[:2000]

    # The whole ladder of the child's municipality, step by step, from the preset (seed 004,
    # Bijlage 1: Den Haag 1-2-3-4); each recorded step shows on the case page.
    ladder = protocol_load("haaglanden-po").ladder_for(w.sanne.residence_municipality.cbs_code)
    assert [s.number for s in ladder] == [1, 2, 3, 4]
    for step in ladder:
        lpa.go(case_path)
        lpa.add_item("opschaling", {"taken_on": today}, selects={"step": step.key})
        assert step.label in lpa.go(case_path), step.key
    status = lpa.page.locator(f"form[action$='{case_path}status/']")
    if not status.is_visible():
        status.locator("xpath=ancestor::details[1]/summary").click()
    status.locator("[name='status-to_status']").select_option("closed")
    status.locator("[name='status-on']").fill(today)
    status.locator("[name='status-reason']").select_option("back_at_school")
    status.locator("button[type=submit]").click()
    lpa.page.wait_for_load_state()
    closed = lpa.go(case_path)
    assert "afgesloten" in closed.lower() and "Volgende termijn" not in closed
    lpa.go("/casussen/")  # the closed case left the worklist
    assert lpa.page.locator(f"main a[href='{case_path}']").count() == 0

    # --- Figures: the child is counted once, the same number for every role.
    lpa_figures = lpa.go(f"/cijfers/thuiszitters/?date={today}")
    assert lpa_figures.count("Sanne Jansen") == 1, lpa_figures[:3000]
    swv = as_role("swv")
    inspectie = swv.go(f"/cijfers/inspectie/?date={today}")
    assert len(re.findall(r"TZ-[0-9A-F]{8}", inspectie)) == 1, inspectie[:3000]
    swv_figures = swv.go(f"/cijfers/thuiszitters/?date={today}")
    assert swv_figures.count("Sanne Jansen") == 1
    policy = as_role("beleid")
    dashboard = policy.go("/cijfers/")
    assert "Sanne" not in dashboard and "<5" in dashboard, dashboard[:3000]
    check_a11y(policy.page, "policy dashboard")

    # --- Privacy officer: the trail of the case; operator: the management pages.
    fg = as_role("privacy")
    audit = fg.go(f"/privacy/audit/?user={w.users['leerplicht'].username}")
    assert "leerplicht" in audit.lower()
    operator = as_role("beheer")
    operator.go("/")
    assert operator.page.get_by_role("navigation", name="Hoofdmenu").is_visible()

    # --- Every role: the main page, every menu item, screenshots at desktop and phone width.
    for name in ROLES:
        session = as_role(name)
        session.go("/")
        session.menu_works()
        for width, height in ((1366, 900), (390, 844)):
            session.page.set_viewport_size({"width": width, "height": height})
            session.page.reload()
            screenshot(session.page, f"role-{name}-{width}")
        session.close()
