"""The audit log cannot be altered through the application (issue 5, point 3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from freezegun import freeze_time

from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.privacy.db import audit_delete_older_than, audit_triggers_installed
from leerrecht.privacy.models import AppendOnlyError, AuditEvent
from leerrecht.privacy.services import audit_record

pytestmark = pytest.mark.django_db


def _event(**kwargs) -> AuditEvent:
    defaults = {
        "actor": None,
        "username": "tester",
        "action": "read",
        "activity": "casusbehandeling",
    }
    return audit_record(**(defaults | kwargs))


def test_model_and_queryset_refuse_update_and_delete():
    event = _event()
    event.detail = "gewijzigd"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_both_triggers_are_installed():
    assert {"privacy_auditevent_no_update", "privacy_auditevent_no_delete"} <= (
        audit_triggers_installed()
    )


def test_raw_sql_update_is_refused_by_the_database():
    event = _event()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE privacy_auditevent SET detail = 'weg' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_raw_sql_update_of_every_column_is_refused():
    """Catches a new column that the SQLite trigger does not list yet."""
    event = _event(subject_student_id=7)
    columns = [f.column for f in AuditEvent._meta.concrete_fields if f.column != "user_id"]
    replacement = {
        "id": event.pk + 1000,
        "occurred_at": dt.datetime(2001, 1, 1, tzinfo=dt.UTC),
        "operation_id": "00000000000000000000000000000000",
        "subject_student_id": 8,
        "fields": "[1]",
    }
    for column in columns:
        value = replacement.get(column, "zz")
        with (
            pytest.raises(IntegrityError),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                f'UPDATE privacy_auditevent SET "{column}" = %s WHERE id = %s',
                [value, event.pk],
            )


def test_raw_sql_delete_is_refused_by_the_database():
    event = _event()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM privacy_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_deleting_a_user_keeps_their_audit_entries_with_the_name():
    user = UserFactory(username="vertrokken.medewerker")
    event = _event(actor=user)
    user.delete()
    kept = AuditEvent.objects.get(pk=event.pk)
    assert kept.user_id is None
    assert kept.username == "vertrokken.medewerker"


def test_reassigning_an_entry_to_another_user_is_refused():
    event = _event(actor=UserFactory())
    other = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE privacy_auditevent SET user_id = %s WHERE id = %s", [other.pk, event.pk]
        )


def test_purge_window_deletes_only_rows_older_than_the_cutoff():
    with freeze_time("2015-03-01 10:00:00"):
        old = _event(detail="oud")
    with freeze_time("2020-03-01 10:00:00"):
        middle = _event(detail="midden")
    recent = _event(detail="recent")
    deleted = audit_delete_older_than(cutoff=dt.datetime(2018, 1, 1, tzinfo=dt.UTC))
    assert deleted == 1
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert remaining == {middle.pk, recent.pk}
    assert old.pk not in remaining


def test_purge_window_never_deletes_rows_younger_than_one_year():
    recent = _event(detail="recent")
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    with pytest.raises(IntegrityError):
        audit_delete_older_than(cutoff=tomorrow)
    assert AuditEvent.objects.filter(pk=recent.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_can_still_flush_the_database():
    """`flush` (the whole-database wipe after a transactional test or live_server test) is
    the database owner's path, not the application's: it must not trip the triggers."""
    _event()
    assert AuditEvent.objects.count() == 1
    # The real check is the teardown's flush; raw deletes stay refused meanwhile.
    with pytest.raises(IntegrityError), connection.cursor() as cursor:
        cursor.execute("DELETE FROM privacy_auditevent")
