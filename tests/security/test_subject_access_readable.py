"""AVG art. 15 for parents (issue 14, finding 10): the subject-access answer is readable
Dutch in HTML and PDF (what is held, by whom, why, from where, how long, who looked at it),
and the machine-readable JSON stays complete. The old export read "created at",
"last20 scheduled hours", "['jgz']" and "True"."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from tests.security.test_cross_scope_probe_matrix import _verify_second_factor
from tests.security.world import case_for, region, user_for

from leerrecht.accounts.models import Role

pytestmark = pytest.mark.django_db
HEADINGS = (
    "Welke gegevens",
    "Wie deze gegevens gebruikt",
    "Waarom",
    "Waar de gegevens vandaan komen",
    "Hoe lang",
    "Wie heeft ze ingezien",
)
RAW = ("True", "False", "['", "created at", "None", "leerplicht_officer")


@pytest.fixture
def answer():
    a = region("A", surname="Janssen")
    officer = user_for(a, Role.LEERPLICHT_OFFICER)
    case_for(a.student, owner=officer)
    reader = Client()
    reader.force_login(officer)
    _verify_second_factor(reader, officer)
    reader.get(reverse("web:student_detail", args=[a.student.pk]))  # a read to report
    fg = Client()
    privacy_officer = user_for(a, Role.PRIVACY_OFFICER)
    fg.force_login(privacy_officer)
    _verify_second_factor(fg, privacy_officer)
    return a, fg


def test_html_answers_the_parents_questions_in_dutch(answer):
    a, fg = answer
    html = fg.get(reverse("privacy:subject_access", args=[a.student.pk])).content.decode()
    for heading in HEADINGS:
        assert heading in html
    body = html.split("Over dit overzicht", 1)[1]
    for raw in RAW:
        assert raw not in body, raw
    assert "leerplichtambtenaar" in body and a.leerplicht.name in body


def test_pdf_answers_the_parents_questions_in_dutch(answer):
    a, fg = answer
    pdf = fg.get(reverse("privacy:subject_access_pdf", args=[a.student.pk]))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    flat = " ".join(text.split())
    for heading in HEADINGS:
        assert heading in flat
    for raw in RAW:
        assert raw not in flat, raw


def test_json_stays_machine_readable(answer):
    a, fg = answer
    data = fg.get(reverse("privacy:subject_access_json", args=[a.student.pk])).json()
    assert {"betrokkene", "gegevens", "inzage_en_verwerkingen"} <= set(data)
    assert any(e["rol"] == Role.LEERPLICHT_OFFICER for e in data["inzage_en_verwerkingen"])
