"""Locust load test of the web UI at region size (not a test; see docs/performance.md).

    benchmarks/load/run.sh          # private PostgreSQL, demo region, gunicorn, Locust

Virtual users sign in once (password + TOTP, own account each, see accounts.py) and then
do what their role does all day: leerplicht officers open the worklist, search pupils,
open case pages and record contacts; school coordinators search and open pupil pages;
policy staff open the dashboard and export the thuiszitter list. Requests are named by
page so the statistics show p95 per page.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from pathlib import Path

from locust import HttpUser, between, task

ACCOUNTS = json.loads(Path(os.environ.get("LOAD_ACCOUNTS", "accounts.json")).read_text())
_ACCOUNTS_BY_ROLE: dict[str, itertools.cycle] = {}
SURNAMES = ["de", "van", "jan", "bakker", "visser", "smit", "meijer", "mulder", "bos", "vos"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')  # one-time form token
CASE_LINK = re.compile(r'href="/casussen/(\d+)/"')
PUPIL_LINK = re.compile(r'href="/leerlingen/(\d+)/"')


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 code (SHA-1, 6 digits, 30 s), as django-otp's TOTPDevice checks it."""
    counter = int((at or time.time()) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{code % 1_000_000:06d}"


def account(role: str) -> dict:
    if role not in _ACCOUNTS_BY_ROLE:
        _ACCOUNTS_BY_ROLE[role] = itertools.cycle([a for a in ACCOUNTS if a["role"] == role])
    return next(_ACCOUNTS_BY_ROLE[role])


class SignedIn(HttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 3)

    def on_start(self) -> None:
        acc = account(self.role)
        page = self.client.get("/account/inloggen/", name="login")
        self.client.post(
            "/account/inloggen/",
            {
                "username": acc["username"],
                "password": acc["password"],
                "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
            },
            name="login",
        )
        page = self.client.get("/account/tweede-factor/", name="login")
        self.client.post(
            "/account/tweede-factor/",
            {"token": totp(acc["secret"]), "csrfmiddlewaretoken": CSRF.search(page.text).group(1)},
            name="login",
        )
        self.case_ids: list[str] = []

    def search(self) -> None:
        q = random.choice(SURNAMES)
        page = self.client.get(f"/leerlingen/?q={q}", name="search")
        pupils = PUPIL_LINK.findall(page.text)
        if pupils:
            self.client.get(f"/leerlingen/{random.choice(pupils)}/", name="pupil page")


class LeerplichtOfficer(SignedIn):
    role = "leerplicht"
    weight = 5

    @task(4)
    def worklist(self) -> None:
        page = self.client.get("/casussen/", name="worklist")
        self.case_ids = CASE_LINK.findall(page.text) or self.case_ids

    @task(3)
    def search_pupil(self) -> None:
        self.search()

    @task(4)
    def case_page(self) -> None:
        if self.case_ids:
            self.client.get(f"/casussen/{random.choice(self.case_ids)}/", name="case page")

    @task(1)
    def case_update(self) -> None:
        if not self.case_ids:
            return
        pk = random.choice(self.case_ids)
        form = self.client.get(f"/casussen/{pk}/toevoegen/contact/", name="case update form")
        match, token = CSRF.search(form.text), FORM_TOKEN.search(form.text)
        if not match or not token:
            return
        self.client.post(
            f"/casussen/{pk}/toevoegen/contact/",
            {
                "csrfmiddlewaretoken": match.group(1),
                "form_token": token.group(1),
                "contact-kind": "phone",
                "contact-occurred_on": dt.date.today().isoformat(),  # as a date input sends it
                "contact-participants": "leerplichtambtenaar, ouder",
                "contact-summary": "Telefonisch contact (belastingtest).",
            },
            name="case update",
        )


class SchoolCoordinator(SignedIn):
    role = "zorgcoordinator-po"
    weight = 3

    @task(3)
    def search_pupil(self) -> None:
        self.search()

    @task(1)
    def worklist(self) -> None:
        self.client.get("/casussen/", name="worklist")


class SwvConsultant(SignedIn):
    role = "swv"
    weight = 1

    @task
    def worklist(self) -> None:
        self.client.get("/casussen/", name="worklist")


class PolicyStaff(SignedIn):
    role = "beleid"
    weight = 1

    @task(4)
    def dashboard(self) -> None:
        self.client.get("/cijfers/", name="dashboard")

    @task(1)
    def export(self) -> None:
        self.client.get("/cijfers/thuiszitters/?format=csv", name="export")
