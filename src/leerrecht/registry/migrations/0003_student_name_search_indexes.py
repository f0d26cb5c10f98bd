"""Name search at region size (docs/performance.md, "Web at region size"): on PostgreSQL,
trigram indexes let "contains" searches on names use an index instead of reading every
pupil; the search's third branch (tussenvoegsel, exact) gets an expression index so the
database can combine all three. SQLite (the embedded default) scans, which is fine at the
demo's size."""

from django.db import migrations

INDEXES = (
    "CREATE INDEX IF NOT EXISTS registry_student_surname_trgm "
    "ON registry_student USING gin (UPPER(surname) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS registry_student_given_names_trgm "
    "ON registry_student USING gin (UPPER(given_names) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS registry_student_tussenvoegsel_upper "
    "ON registry_student (UPPER(tussenvoegsel))",
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for sql in INDEXES:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in (
        "registry_student_surname_trgm",
        "registry_student_given_names_trgm",
        "registry_student_tussenvoegsel_upper",
    ):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_demo_dataset")]

    operations = [migrations.RunPython(create, drop)]
