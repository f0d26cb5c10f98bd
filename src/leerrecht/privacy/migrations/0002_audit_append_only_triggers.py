"""Make the audit log append-only in the database itself (docs/adr/0030).

UPDATE is refused, except the one update Django issues itself when a user account is
deleted (user_id -> NULL; the username text stays). DELETE is refused unless the purge
window is open (leerrecht.privacy.db.audit_purge_window) and the row is older than the
window's cutoff AND older than one year.

SQLite note: a later migration that rebuilds privacy_auditevent (SQLite "table remake")
drops these triggers; it must re-run SQLITE_INSTALL. A test (privacy/tests/
test_audit_append_only.py) fails when the triggers are missing or a column is unprotected.
"""

from django.db import migrations

# Every column except user_id (which may only become NULL).
PROTECTED_COLUMNS = [
    "id",
    "occurred_at",
    "trace_id",
    "operation_id",
    "username",
    "organisation_name",
    "role",
    "action",
    "processing_activity",
    "subject_student_id",
    "object_type",
    "object_id",
    "fields",
    "outcome",
    "detail",
]

_changed = " OR ".join(f'NEW."{c}" IS NOT OLD."{c}"' for c in PROTECTED_COLUMNS)

SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER privacy_auditevent_no_update
    BEFORE UPDATE ON privacy_auditevent
    FOR EACH ROW WHEN NEW."user_id" IS NOT NULL OR {_changed}
    BEGIN SELECT RAISE(ABORT, 'privacy_auditevent is append-only: update refused'); END
    """,
    """
    CREATE TRIGGER privacy_auditevent_no_delete
    BEFORE DELETE ON privacy_auditevent
    FOR EACH ROW WHEN NOT (
        leerrecht_audit_flushing() = 1
        OR (
            OLD."occurred_at" < leerrecht_audit_purge_before()
            AND OLD."occurred_at" < datetime('now', '-365 days')
        )
    )
    BEGIN SELECT RAISE(ABORT, 'privacy_auditevent is append-only: delete refused'); END
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS privacy_auditevent_no_update",
    "DROP TRIGGER IF EXISTS privacy_auditevent_no_delete",
]

POSTGRESQL_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION privacy_auditevent_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        purge_before timestamptz;
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            -- Only "user account deleted" (user_id -> NULL, nothing else) passes.
            IF NEW.user_id IS NULL
               AND (to_jsonb(NEW) - 'user_id') = (to_jsonb(OLD) - 'user_id') THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'privacy_auditevent is append-only: update refused'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        purge_before := NULLIF(current_setting('leerrecht.audit_purge_before', true), '')::timestamptz;
        IF purge_before IS NOT NULL
           AND OLD.occurred_at < purge_before
           AND OLD.occurred_at < now() - interval '365 days' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'privacy_auditevent is append-only: delete refused'
            USING ERRCODE = 'integrity_constraint_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER privacy_auditevent_no_update
    BEFORE UPDATE ON privacy_auditevent
    FOR EACH ROW EXECUTE FUNCTION privacy_auditevent_append_only()
    """,
    """
    CREATE TRIGGER privacy_auditevent_no_delete
    BEFORE DELETE ON privacy_auditevent
    FOR EACH ROW EXECUTE FUNCTION privacy_auditevent_append_only()
    """,
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS privacy_auditevent_no_update ON privacy_auditevent",
    "DROP TRIGGER IF EXISTS privacy_auditevent_no_delete ON privacy_auditevent",
    "DROP FUNCTION IF EXISTS privacy_auditevent_append_only()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_INSTALL, "postgresql": POSTGRESQL_INSTALL}),
            _run({"sqlite": SQLITE_REMOVE, "postgresql": POSTGRESQL_REMOVE}),
        )
    ]
