"""On PostgreSQL: the ICU collation ``vi_icu`` (Vietnamese alphabetical order), which core.collation.collated sorts
lists with. SQLite has no ICU: core.collation registers a collation of the same name on each connection."""

from django.db import migrations

CREATE = "CREATE COLLATION IF NOT EXISTS vi_icu (provider = icu, locale = 'vi-VN')"
DROP = "DROP COLLATION IF EXISTS vi_icu"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_idempotency_reservation")]

    operations = [migrations.RunPython(create, drop)]
