"""The children a list or search showed (docs/adr/0103), and the SQLite append-only
trigger extended to the new column (docs/adr/0030).

The column is nullable without a default, so SQLite adds it with ALTER TABLE (no table
remake): the delete trigger stays; the update trigger is re-created to list the new
column. PostgreSQL's trigger compares whole rows and needs no change.
"""

import importlib

from django.db import migrations, models

_0002 = importlib.import_module("leerrecht.privacy.migrations.0002_audit_append_only_triggers")

PROTECTED_COLUMNS = [*_0002.PROTECTED_COLUMNS, "subject_student_ids"]


def _update_trigger(columns: list[str]) -> list[str]:
    changed = " OR ".join(f'NEW."{c}" IS NOT OLD."{c}"' for c in columns)
    return [
        "DROP TRIGGER IF EXISTS privacy_auditevent_no_update",
        f"""
        CREATE TRIGGER privacy_auditevent_no_update
        BEFORE UPDATE ON privacy_auditevent
        FOR EACH ROW WHEN NEW."user_id" IS NOT NULL OR {changed}
        BEGIN SELECT RAISE(ABORT, 'privacy_auditevent is append-only: update refused'); END
        """,
    ]


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_audit_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="subject_student_ids",
            field=models.TextField(
                blank=True, null=True, verbose_name="getoonde leerlingen (id's)"
            ),
        ),
        migrations.RunPython(
            _0002._run({"sqlite": _update_trigger(PROTECTED_COLUMNS)}),
            _0002._run({"sqlite": _update_trigger(_0002.PROTECTED_COLUMNS)}),
        ),
    ]
