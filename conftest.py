"""Test set-up shared by every app: browser detection, reference units, users with roles."""

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"


def pytest_configure(config):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    config.addinivalue_line("markers", "browser: drives Debian's Chromium with Playwright")


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI=true but {CHROMIUM} is missing: the browser tests must run in CI")
    skip = pytest.mark.skip(reason=f"browser tests skipped: {CHROMIUM} not found (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    skipped = terminalreporter.stats.get("skipped", [])
    if any("browser tests skipped" in str(getattr(report, "longrepr", "")) for report in skipped):
        terminalreporter.write_line("NOTE: browser tests were skipped because Chromium is not installed.", yellow=True)


@pytest.fixture
def world(db):
    """A small unit tree: two provinces (one with a legacy predecessor), departments, a central body,
    and a user for every role."""
    from core.testing.world import build_world

    return build_world()


@pytest.fixture(scope="session", autouse=True)
def _close_live_server_sessions(django_db_setup, django_db_blocker):
    """On PostgreSQL, end the sessions that live-server threads leave open, so that the test database
    can be dropped at the end of the run (otherwise pytest warns that it is still in use). Set up after
    the test database, so torn down before it."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def demo(db):
    """The reference data and the demo data set built from the seed facts; the loader's log lines."""
    import io

    from django.core.management import call_command

    from core.testing.world import load_demo_data

    call_command("load_reference_data", stdout=io.StringIO())
    return load_demo_data()
