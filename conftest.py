"""Test set-up shared by every app: browser detection, reference units, users with roles."""

import io
import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"


def _has_chromium() -> bool:
    return bool(shutil.which(CHROMIUM) or os.path.exists(CHROMIUM))


def pytest_configure(config):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    config.addinivalue_line("markers", "browser: drives Debian's Chromium with Playwright")
    # Here rather than at collection: with pytest-xdist the workers collect, and an error there loses its message.
    if os.environ.get("CI") == "true" and not _has_chromium():
        raise pytest.UsageError(f"CI=true but {CHROMIUM} is missing: the browser tests must run in CI")


def pytest_collection_modifyitems(config, items):
    # The tests that read the demo data first, one after the other, so that it is loaded once (DemoData). A
    # pytest-xdist worker runs the tests it is given in this order, so its demo tests come one after the other too.
    items.sort(key=lambda item: not _uses_demo(item))
    if _has_chromium():
        return
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
    the test database, so torn down before it. Only this process's test database: with pytest-xdist each
    worker has its own (test_..._gw0, test_..._gw1), and another worker's sessions are left alone."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


class DemoData:
    """The reference data and the demo data set, loaded into the test database once and kept in a transaction
    that stays open while the tests asking for ``demo`` run one after the other (each in its own savepoint, as
    usual, so what a test writes is undone), then rolled back before any other test: a test without ``demo``
    starts from an empty database, as before. Loading takes seconds (more on PostgreSQL), so it is done once
    for a run of demo tests, not once per test; collection puts the demo tests together, first. Only for tests
    that run in a transaction (not ``transaction=True``, not the live server)."""

    def __init__(self, blocker):
        self.blocker = blocker
        self.atomic = None
        self.lines: list[str] = []

    def open(self):
        if self.atomic is not None:
            return
        from django.core.management import call_command
        from django.db import transaction

        with self.blocker.unblock():
            atomic = transaction.atomic()
            atomic._from_testcase = True  # as Django's TestCase marks its own: a durable block inside still works
            atomic.__enter__()
            self.atomic = atomic
            try:
                call_command("load_reference_data", stdout=io.StringIO())
                out = io.StringIO()
                call_command("load_demo", stdout=out)
                self.lines = out.getvalue().splitlines()
            except BaseException:
                self.close()
                raise

    def close(self):
        if self.atomic is None:
            return
        from django.db import transaction

        atomic, self.atomic = self.atomic, None
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


_DEMO_DATA = pytest.StashKey[DemoData]()


def _uses_demo(item) -> bool:
    return item is not None and "demo" in getattr(item, "fixturenames", ())


@pytest.fixture(scope="session")
def _demo_data(request, django_db_setup, django_db_blocker):
    """Session-scoped, so set up before the test's own transaction (``db``) and opened around it."""
    data = DemoData(django_db_blocker)
    request.config.stash[_DEMO_DATA] = data
    data.open()
    yield data
    data.close()
    del request.config.stash[_DEMO_DATA]


@pytest.fixture
def demo(_demo_data, db):
    """The reference data and the demo data set built from the seed facts, as ``make run`` loads them (the
    load_reference_data and load_demo commands); what load_demo printed, line by line. Loaded once for the tests
    that ask for it, run one after the other (DemoData)."""
    assert _demo_data.atomic is not None, "the demo data is loaded before each run of demo tests"
    return list(_demo_data.lines)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Once a test's own transaction is rolled back: keep the demo data for a next test that asks for it, roll it
    back before one that does not (or load it again after other tests, if the order put some in between)."""
    try:
        return (yield)
    finally:
        data = item.config.stash.get(_DEMO_DATA, None)
        if data is not None:
            if _uses_demo(nextitem):
                data.open()
            else:
                data.close()
