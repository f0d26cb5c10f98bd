"""Children missing from the own registration (issue 7) appear in the worklist."""

from __future__ import annotations

import datetime as dt

import pytest

from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.reconciliation.models import ReconciliationTask
from leerrecht.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_open_list_task_of_own_organisation_is_on_the_worklist(login):
    office = OrganisationFactory(leerplicht=True)
    other = OrganisationFactory(leerplicht=True)
    officer = UserFactory(leerplicht=True, organisation=office)
    ReconciliationTask.objects.create(
        organisation=office,
        kind=ReconciliationTask.Kind.MISSING_REGISTRATION,
        title="Lina Bouzid (12-03-2013) staat op de SWV-lijst, niet in eigen registratie",
        due_date=dt.date(2026, 11, 30),
    )
    ReconciliationTask.objects.create(
        organisation=other,
        kind=ReconciliationTask.Kind.MISSING_REGISTRATION,
        title="Sem de Boer staat op een lijst van een ander",
        due_date=dt.date(2026, 11, 30),
    )

    page = login(officer).get("/casussen/").content.decode()

    assert "Lina Bouzid (12-03-2013)" in page
    assert "Sem de Boer" not in page
