"""The test databases copied from a template (core.testing.databases): fully migrated, named by the migrations."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from core.testing import databases

pytestmark = pytest.mark.django_db


def test_the_test_database_has_every_migration_applied():
    loader = MigrationLoader(connection)
    assert loader.disk_migrations, "no migrations found"
    assert set(loader.disk_migrations) <= set(loader.applied_migrations)
    # The RunPython steps came with the template: PostgreSQL's Vietnamese collation is there.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_collation WHERE collname = 'vi_icu'")
            assert cursor.fetchone()[0] == 1


def test_the_template_is_named_by_the_migrations_it_applies(monkeypatch):
    key = databases.schema_key()
    assert key == databases.schema_key() and len(key) == 12
    # Any change to a migration file (here every file read as one byte longer) names another template.
    original = databases.Path.read_bytes
    monkeypatch.setattr(databases.Path, "read_bytes", lambda path: original(path) + b"\n")
    assert databases.schema_key() != key
