"""List rows name children by BSN; a page showing them records those children in its
audit entry, so a subject-access search by child finds it (docs/adr/0103)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from leerrecht.reconciliation.selectors import student_ids_of_records
from leerrecht.registry.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_rows_with_a_known_bsn_name_their_child_and_others_name_nobody():
    known = StudentFactory()
    StudentFactory()  # not on the list
    rows = [
        SimpleNamespace(bsn=known.bsn),
        SimpleNamespace(bsn=""),  # a row without BSN
        SimpleNamespace(bsn="000000012"),  # a BSN of nobody in the registry
        None,  # a pair with one side missing
    ]
    assert student_ids_of_records(records=rows) == [known.pk]
    assert student_ids_of_records(records=[]) == []


def test_the_worklist_entry_names_the_children_of_its_reconciliation_tasks(login):
    import datetime as dt

    from django.urls import reverse

    from leerrecht.accounts.tests.factories import UserFactory
    from leerrecht.privacy.models import AuditEvent
    from leerrecht.reconciliation.models import ListImport, ListRecord, ReconciliationTask

    officer = UserFactory(leerplicht=True)
    child = StudentFactory()
    upload = ListImport.objects.create(
        organisation=officer.organisation, source_name="SWV", source_kind="swv", filename="a.csv"
    )
    record = ListRecord.objects.create(
        list_import=upload, line=2, bsn=child.bsn, surname=child.surname
    )
    ReconciliationTask.objects.create(
        organisation=officer.organisation,
        kind=ReconciliationTask.Kind.choices[0][0],
        title=f"{child.surname} staat op 'SWV' maar niet in de eigen registratie",
        record=record,
        due_date=dt.date(2026, 12, 10),
    )

    page = login(officer).get(reverse("cases:worklist"))

    assert page.status_code == 200 and child.surname in page.content.decode()
    entry = AuditEvent.objects.about_children([child.pk]).get()
    assert entry.object_type == "cases.worklist"
