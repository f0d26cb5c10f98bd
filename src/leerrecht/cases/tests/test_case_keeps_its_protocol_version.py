"""A publication never moves a running case's deadlines: the case keeps the protocol
version it was opened under until someone chooses "de nieuwe regels toepassen", which is
recorded in the case history and the audit log (docs/adr/0190)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from leerrecht.accounts.models import Role
from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.cases.selectors import case_schedule
from leerrecht.cases.services import CaseError, case_protocol_apply
from leerrecht.privacy.models import AuditEvent
from leerrecht.protocols.editing import toml_value_set
from leerrecht.protocols.services import (
    protocol_draft_create,
    protocol_draft_update,
    protocol_version_publish,
)

pytestmark = pytest.mark.django_db


def _first_contact_due(case) -> dt.date:
    return next(m.due for m in case_schedule(case) if m.key == "first_contact")


@freeze_time("2026-11-20")
def test_case_keeps_its_deadlines_until_the_new_rules_are_applied(open_case, lpa, login):
    assert open_case.protocol_version.number == 1
    before = _first_contact_due(open_case)
    operator = UserFactory(role=Role.OPERATOR, organisation=None)
    draft = protocol_draft_create(preset_name="haaglanden-po", author=operator)
    text = toml_value_set(draft.content, table="norms.first_contact", key="due", value="2 weeks")
    draft = protocol_draft_update(version=draft, author=operator, content=text, reason="ruimer")
    protocol_version_publish(version=draft, actor=operator, effective_from=dt.date(2026, 11, 20))

    open_case.refresh_from_db()
    assert _first_contact_due(open_case) == before  # the publication moved nothing
    client = login(lpa)
    page = client.get(reverse("cases:case_detail", args=[open_case.pk])).content.decode()
    assert "Termijnen volgens protocolversie 1" in page
    assert "Sinds 20-11-2026 geldt protocolversie 2" in page

    response = client.post(
        reverse("cases:case_protocol_apply", args=[open_case.pk]),
        {"protocol-version": open_case.version},
    )
    assert response.status_code == 302
    open_case.refresh_from_db()
    assert open_case.protocol_version.number == 2
    assert _first_contact_due(open_case) == before + dt.timedelta(days=7)
    event = open_case.events.filter(kind="protocol").get()
    assert "versie 1 → versie 2" in event.summary
    audit = AuditEvent.objects.filter(
        processing_activity="casusbehandeling",
        object_id=str(open_case.pk),
        fields=["protocolversie"],
    ).get()
    assert audit.subject_student_id == open_case.student_id and audit.outcome == "ok"
    page = client.get(reverse("cases:case_detail", args=[open_case.pk])).content.decode()
    assert "Termijnen volgens protocolversie 2 (geldig vanaf 20-11-2026)" in page
    assert "De nieuwe regels toepassen" not in page
    with pytest.raises(CaseError, match="volgt de geldende regels"):
        case_protocol_apply(user=lpa, case_id=open_case.pk, expected_version=open_case.version)


@freeze_time("2026-11-20")
def test_the_simulator_shows_how_open_cases_would_move(open_case):
    from leerrecht.engine.presets import preset_parse
    from leerrecht.protocols.jobs import open_case_shifts

    text = toml_value_set(
        open_case.protocol_version.content, table="norms.first_contact", key="due", value="2 weeks"
    )
    candidate = preset_parse(text=text, file="concept")
    shifts = open_case_shifts(preset_name="haaglanden-po", candidate=candidate)
    assert (shifts["cases"], shifts["moved"], shifts["refused"]) == (1, 1, 0)
    assert shifts["milestones"] == [
        {
            "label": "Eerste contact binnen één week",
            "earlier": 0,
            "later": 1,
            "dropped": 0,
            "new": 0,
            "days": 7,
        }
    ]
    assert _first_contact_due(open_case) == dt.date(2026, 11, 9)  # the case itself is unchanged
