"""Database-level protection of the audit log (docs/adr/0030).

The triggers themselves are created by migration privacy 0002 (per vendor). This module
holds the two things the triggers need from the application:

- `audit_purge_window(cutoff)`: the one privileged path that may delete audit rows, used
  only by `leerrecht purge`. On PostgreSQL it sets the transaction-local setting
  `leerrecht.audit_purge_before`; on SQLite it fills a context variable that the SQL
  function `leerrecht_audit_purge_before()` returns. In both, the trigger additionally
  refuses rows younger than one year, whatever the cutoff.
- SQLite helpers registered on every new connection (`connection_created`), including the
  whole-database wipe of `manage.py flush` (used by transactional tests), which on
  SQLite is a `DELETE FROM` per table; on PostgreSQL it is TRUNCATE, which row triggers
  do not see. Both are the database owner's administrative wipe, not an application path.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from contextvars import ContextVar

from django.db import connection as default_connection
from django.db import transaction
from django.utils import timezone

# ISO text (UTC, "YYYY-MM-DD HH:MM:SS") below which audit rows may be deleted; "" = none.
_purge_before: ContextVar[str] = ContextVar("leerrecht_audit_purge_before", default="")
_flushing: ContextVar[bool] = ContextVar("leerrecht_audit_flushing", default=False)

AUDIT_TABLE = "privacy_auditevent"
# Audit rows younger than this can never be deleted, whatever the purge asks (hard floor).
MINIMUM_AUDIT_RETENTION_DAYS = 365


def _utc_text(moment: dt.datetime) -> str:
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


@contextlib.contextmanager
def audit_purge_window(*, cutoff: dt.datetime, using=None) -> Iterator[None]:
    """Inside this block (one transaction), audit rows older than `cutoff` may be deleted."""
    connection = using or default_connection
    with transaction.atomic(using=connection.alias):
        token = _purge_before.set(_utc_text(cutoff))
        try:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT set_config('leerrecht.audit_purge_before', %s, true)",
                        [cutoff.astimezone(dt.UTC).isoformat()],
                    )
            yield
            # Close the window before the transaction ends (on error, the rollback of this
            # atomic block reverts the transaction-local setting by itself).
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('leerrecht.audit_purge_before', '', true)")
        finally:
            _purge_before.reset(token)


def audit_delete_older_than(*, cutoff: dt.datetime, using=None) -> int:
    """Delete audit rows older than `cutoff`, through the privileged window. Returns count."""
    connection = using or default_connection
    with audit_purge_window(cutoff=cutoff, using=connection), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {AUDIT_TABLE} WHERE occurred_at < %s",
            [cutoff],
        )
        return cursor.rowcount


def _sqlite_purge_before() -> str:
    return _purge_before.get()


def _sqlite_flushing() -> int:
    return 1 if _flushing.get() else 0


def sqlite_connection_prepare(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: register the SQL functions the SQLite triggers call,
    and mark `flush` as the administrative wipe it is."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("leerrecht_audit_purge_before", 0, _sqlite_purge_before)
    raw.create_function("leerrecht_audit_flushing", 0, _sqlite_flushing)
    ops = connection.ops
    if getattr(ops, "_leerrecht_flush_wrapped", False):
        return
    original = ops.execute_sql_flush

    def execute_sql_flush(sql_list):
        token = _flushing.set(True)
        try:
            return original(sql_list)
        finally:
            _flushing.reset(token)

    ops.execute_sql_flush = execute_sql_flush
    ops._leerrecht_flush_wrapped = True


def audit_triggers_installed(using=None) -> set[str]:
    """Names of the append-only triggers present on the audit table."""
    connection = using or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [AUDIT_TABLE],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [AUDIT_TABLE],
            )
        else:
            return set()
        return {row[0] for row in cursor.fetchall()}
