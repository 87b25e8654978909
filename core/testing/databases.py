"""Test databases migrated once and copied for each test process (issue 18: `.ci/run` under six minutes).

Applying every migration takes about ten seconds of CPU, most of it Django rendering model states, and each test
process paid it: two pytest-xdist workers per database, and the browser walks' own process. The schema that the
migrations give is now built once per set of migrations (a *template*) and each process copies it:

- PostgreSQL: a database ``test_<name>_schema_<key>`` migrated once, each worker's database created from it
  (``CREATE DATABASE … TEMPLATE``, a file copy in the server);
- SQLite: a file ``var/test-schema-<key>.sqlite3`` migrated once, copied into each worker's in-memory database with
  SQLite's backup API.

``key`` is a digest of every migration file of every installed app and of Django's version, so any change to a
migration (or a new one) builds a new template, and the template is what ``migrate`` gives, RunPython steps
included (the ``vi_icu`` collation, the trigram indexes): nothing is declared twice. Whoever needs a template first
builds it under a lock (an advisory lock on PostgreSQL, a file lock on SQLite); the others wait and copy it. Older
templates are dropped when a new one is built. ``--reuse-db`` and ``--no-migrations`` keep pytest-django's own
set-up.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import sys
from pathlib import Path

import django
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.migrations.loader import MigrationLoader

TEMPLATE_DIR = Path(settings.BASE_DIR) / "var"


def schema_key() -> str:
    """A digest of every migration file on disk and of Django's version: the template's name."""
    loader = MigrationLoader(None, ignore_no_migrations=True, load=False)
    loader.load_disk()
    digest = hashlib.sha256(django.get_version().encode())
    for app_label, name in sorted(loader.disk_migrations):
        # load_disk imported each migration's module.
        module = sys.modules[loader.disk_migrations[app_label, name].__module__]
        digest.update(f"{app_label}.{name}".encode())
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:12]


def _migrate(connection, name: str) -> None:
    """Apply every migration to the database ``name`` with this connection, as Django's create_test_db does."""
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        call_command("migrate", verbosity=0, interactive=False, database=connection.alias, run_syncdb=True)
        call_command("createcachetable", database=connection.alias)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


def _use(connection, test_name: str) -> None:
    """Point the connection (and the settings) at the test database, as Django's create_test_db does."""
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    connection.ensure_connection()


def _postgresql(connection, key: str) -> str:
    quote = connection.ops.quote_name
    test_name = connection.creation._get_test_db_name()
    template = f"test_{connection.settings_dict['NAME']}_schema_{key}"[:63]
    building = f"{template[:54]}_building"
    lock = int(key[:15], 16)
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock])
        try:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            if cursor.fetchone() is None:
                prefix = template.removesuffix(key)
                cursor.execute(
                    # Not another set of migrations' template being built at this moment (in another checkout).
                    "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s AND datname NOT LIKE %s",
                    [f"{prefix}%", template, "%\\_building"],
                )
                for (older,) in cursor.fetchall():
                    with contextlib.suppress(Exception):  # in use by a run of other migrations: left for later
                        cursor.execute(f"DROP DATABASE IF EXISTS {quote(older)}")
                # One left by a build that was stopped half-way.
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(building)}")
                cursor.execute(f"CREATE DATABASE {quote(building)}")
                _migrate(connection, building)
                cursor.execute(f"ALTER DATABASE {quote(building)} RENAME TO {quote(template)}")
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(test_name)}")
            cursor.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(template)}")
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock])
    return test_name


def _sqlite(connection, key: str) -> str:
    TEMPLATE_DIR.mkdir(exist_ok=True)
    template = TEMPLATE_DIR / f"test-schema-{key}.sqlite3"
    with open(TEMPLATE_DIR / "test-schema.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            # Older templates, and files of builds stopped half-way.
            for older in TEMPLATE_DIR.glob("test-schema-*.*"):
                older.unlink(missing_ok=True)
            building = template.with_suffix(f".building-{os.getpid()}")
            _migrate(connection, str(building))
            building.replace(template)
    test_name = connection.creation._get_test_db_name()
    _use(connection, test_name)
    source = sqlite3.connect(template)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    return test_name


def setup_databases() -> list[tuple]:
    """Each test database copied from its template; what ``django.test.utils.teardown_databases`` takes."""
    old_config = []
    key = schema_key()
    for connection in connections.all():
        original = connection.settings_dict["NAME"]
        if connection.vendor == "postgresql":
            _use(connection, _postgresql(connection, key))
        elif connection.vendor == "sqlite" and connection.is_in_memory_db():
            _sqlite(connection, key)
        else:
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        old_config.append((connection, original, True))
    return old_config
