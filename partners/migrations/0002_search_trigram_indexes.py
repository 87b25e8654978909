"""On PostgreSQL: trigram indexes on the folded search columns of the partners tables (as core's 0002),
so that search without diacritics stays fast over thousands of partners."""

from django.db import migrations

TABLES = [
    "partners_partner",
    "partners_partneralias",
    "partners_relationship",
    "partners_interaction",
    "partners_contact",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
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
    dependencies = [("partners", "0001_partners_aliases_relationships_interactions_contacts"), ("core", "0002_search_trigram_indexes")]

    operations = [migrations.RunPython(create, drop)]
