"""The consent table of docs/privacy.md, checked cell by cell (issue 12).

The table is read from the document (the contract), so a cell changed there without the
code, or the other way round, fails. Every cell (role x category x consent state) is
checked against the rule itself and, for one child per consent state, on the surfaces
that show the category:
* web: the attendance overview (sick and authorised hours), the report page (report
  content, medical notes);
* exports: the thuiszitters list as CSV (the reason "geoorloofd geen onderwijs (ziek,
  verlof)" rests on sick and authorised hours; the case's cause is report content);
* API: `/api/v1/meldingen/{id}` for every role that can hold a token (report content).
Medical notes appear in no export and no API response, whatever the cell says.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from tests.security.test_cross_scope_probe_matrix import _verify_second_factor
from tests.security.world import ROLE_ORGANISATION, case_for, invite, region, user_for

from leerrecht.accounts.models import Role, User
from leerrecht.attendance.models import AttendanceImport, AttendanceSummary
from leerrecht.cases.models import MedicalNote
from leerrecht.cases.services import consent_record, melding_create_sickness
from leerrecht.privacy.consent import Category, ConsentState, audience_of, category_visible_to
from leerrecht.registry.models import Organisation

DOC = Path(__file__).resolve().parents[2] / "docs" / "privacy.md"
STATE_COLUMNS = {"given": ConsentState.GIVEN, "refused": ConsentState.REFUSED}
STATE_COLUMNS["not asked"] = ConsentState.NOT_ASKED

NOTE = "MELDING-INHOUD-4471"
MEDICAL = "MEDISCH-GEHEIM-9902"
SICK_HOURS, AUTHORISED_HOURS = Decimal("41.50"), Decimal("23.50")
REASON = "geoorloofd geen onderwijs (ziek, verlof)"
CAUSE_LABEL = "thuissituatie / systeem"


def _table() -> dict[tuple[str, str, ConsentState], bool]:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("### Consent table") :]
    section = section[section.index("| role |") :]
    rows = []
    for line in section.splitlines():
        if not line.startswith("|"):
            break
        rows.append(line)
    header = [c.strip() for c in rows[0].strip("|").split("|")]
    cells = {}
    for line in rows[1:]:
        values = [c.strip() for c in line.strip("|").split("|")]
        if set(values[0]) <= {"-"}:
            continue
        row = dict(zip(header, values, strict=True))
        for column, state in STATE_COLUMNS.items():
            assert row[column] in ("visible", "redacted"), line
            cells[(row["role"], row["category"], state)] = row[column] == "visible"
    return cells


TABLE = _table()


def test_the_table_has_every_role_category_and_state_once():
    expected = {(r, c.value, s) for r in Role.values for c in Category for s in ConsentState}
    assert set(TABLE) == expected


@pytest.mark.parametrize("cell", sorted(TABLE), ids=lambda c: "-".join(map(str, c)))
def test_the_rule_gives_every_cell(cell):
    role, category, state = cell
    kind = {"municipality_org": "municipality"}.get(ROLE_ORGANISATION[role], "")
    kind = kind or ROLE_ORGANISATION[role]
    user = User(role=role, organisation=Organisation(kind=kind), is_active=True)
    assert category_visible_to(audience_of(user), Category(category), state) == TABLE[cell]


# --------------------------------------------------------------------------- surfaces


def _world(state: ConsentState):
    reg = region("A", surname="Toestemming")
    student = reg.student
    coordinator = user_for(reg, Role.SCHOOL_COORDINATOR)
    officer = user_for(reg, Role.LEERPLICHT_OFFICER)
    melding = melding_create_sickness(
        user=coordinator,
        student=student,
        reported_on=dt.date.today() - dt.timedelta(days=30),
        reasons=["2"],
        note=NOTE,
    )
    if state != ConsentState.NOT_ASKED:
        consent_record(
            user=coordinator,
            melding=melding,
            status="given" if state == ConsentState.GIVEN else "refused",
            asked_on=melding.reported_on,
            purposes=["leerplicht", "jgz", "swv", "care", "mdo"],
            parent_name="ouder",
        )
    case = case_for(student, owner=officer, authorised_absence=True, cause="home")
    melding.case = case
    melding.save(update_fields=["case"])
    invite(case, user_for(reg, Role.CARE_WORKER))
    MedicalNote.objects.create(
        student=student,
        melding=melding,
        case=case,
        note=MEDICAL,
        diagnosis_known=True,
        diagnosis=MEDICAL,
        written_by=user_for(reg, Role.YOUTH_DOCTOR),
        written_on=melding.reported_on,
    )
    today = dt.date.today()
    imp = AttendanceImport.objects.create(
        original_name="verzuim.csv", sha256="0" * 64, protocol="haaglanden-po", status="done"
    )
    zero = Decimal(0)
    AttendanceSummary.objects.create(
        student=student,
        attendance_import=imp,
        as_of=today - dt.timedelta(days=1),
        school_year_start=dt.date(today.year if today.month >= 8 else today.year - 1, 8, 1),
        school_days=60,
        scheduled_hours=Decimal(300),
        attended_hours=Decimal(300) - SICK_HOURS - AUTHORISED_HOURS,
        unauthorised_hours=zero,
        sick_hours=SICK_HOURS,
        authorised_hours=AUTHORISED_HOURS,
        absence_rate=Decimal("0.2167"),
        tier=3,
        last20_scheduled_hours=Decimal(100),
        last20_attended_hours=zero,
        last20_percent_attended=Decimal(0),
        absent_streak_days=30,
        absent_since=today - dt.timedelta(days=42),
        streak_sick_hours=SICK_HOURS,
        streak_authorised_hours=AUTHORISED_HOURS,
    )
    return reg, melding


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    _verify_second_factor(client, user)
    return client


def _hours_shown(body: str, hours: Decimal) -> bool:
    number = f"{hours.normalize():f}"
    return bool(re.search(rf"\b{re.escape(number)}|\b{re.escape(number.replace('.', ','))}", body))


def _expected(role: str, category: Category, state: ConsentState) -> bool:
    return TABLE[(role, category.value, state)]


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(ConsentState), ids=str)
def test_every_cell_on_the_web_and_in_exports(state):
    reg, melding = _world(state)
    failures = []
    for role in Role.values:
        client = _client(user_for(reg, role))
        overview = client.get(reverse("attendance:student_overview", args=[reg.student.pk]))
        page = overview.content.decode() if overview.status_code == 200 else ""
        report = client.get(reverse("cases:melding_detail", args=[melding.pk]))
        report_page = report.content.decode() if report.status_code == 200 else ""
        export = client.get(reverse("monitoring:thuiszitters"), {"format": "csv"})
        csv = export.getvalue().decode() if export.status_code == 200 else ""
        seen = {
            ("web", Category.SICK_ABSENCE): _hours_shown(page, SICK_HOURS),
            ("web", Category.AUTHORISED_ABSENCE): _hours_shown(page, AUTHORISED_HOURS),
            ("web", Category.MELDING_CONTENT): NOTE in report_page,
            ("web", Category.MEDICAL_NOTES): MEDICAL in report_page,
        }
        for (surface, category), shown in seen.items():
            if shown != _expected(role, category, state):
                failures.append(f"{role} {category} {state} on {surface}: shown={shown}")
        named = [line for line in csv.splitlines() if reg.student.full_name in line]
        if named:  # the export names the child to this role: check the child's own row
            csv = "\n".join(named)
            both = _expected(role, Category.SICK_ABSENCE, state) and _expected(
                role, Category.AUTHORISED_ABSENCE, state
            )
            if (REASON in csv) != both:
                failures.append(f"{role} sick/authorised reason {state} in export")
            if (CAUSE_LABEL in csv) != _expected(role, Category.MELDING_CONTENT, state):
                failures.append(f"{role} report content (cause) {state} in export")
        if MEDICAL in export.getvalue().decode():
            failures.append(f"{role} medical note in export")
    assert failures == []


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(ConsentState), ids=str)
def test_every_cell_on_the_api(state):
    from leerrecht.api.scopes import PERSONAL_DATA_SCOPES, TOKEN_ROLES, aggregate_only
    from leerrecht.api.services import api_token_create

    reg, melding = _world(state)
    organisations = {"school": reg.school, "swv": reg.swv, "leerplicht": reg.leerplicht}
    organisations["jgz"] = reg.jgz
    checked = []
    for kind, roles in TOKEN_ROLES.items():
        organisation = organisations.get(str(kind))
        for role in roles if organisation is not None else ():
            if aggregate_only(kind=kind, role=role):
                continue
            _, token = api_token_create(
                organisation=organisation,
                name=f"consent {role}",
                role=role,
                scopes=sorted(PERSONAL_DATA_SCOPES),
            )
            response = Client().get(
                f"/api/v1/meldingen/{melding.pk}", HTTP_AUTHORIZATION=f"Bearer {token}"
            )
            body = response.getvalue().decode()
            assert response.status_code == 200, (role, body)
            assert MEDICAL not in body
            shown = response.json()["redacted"] is False and NOTE in body
            assert shown == _expected(role, Category.MELDING_CONTENT, state), (role, state)
            checked.append(role)
    assert len(checked) >= 5
