"""On PostgreSQL: the unaccent and pg_trgm extensions and trigram indexes on the folded search
columns, so that substring search stays fast. SQLite has no such index; its scan is fine at the
sizes of one province."""

from django.db import migrations

TABLES = ["core_unit", "core_country", "core_foreignsubdivision", "core_declaredfigure"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_trgm ON {table} USING gin (search_text gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_units_reference_audit_jobs")]

    operations = [migrations.RunPython(create, drop)]
