"""Test set-up shared by every app: browser detection, reference units, users with roles."""

import abc
import copy
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
    # The tests that read the demo data first, one after the other, so that it is loaded once (DemoData); then the
    # browser walks, one after the other, so that Chromium is started once (BrowserSession); then the tests that
    # share one world (SharedWorld). A pytest-xdist worker runs the tests it is given in this order, so each kind
    # comes one after the other on each worker too.
    items.sort(key=lambda item: (not _uses_demo(item), not _uses_browser(item), not _shares_world(item)))
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


@pytest.fixture(autouse=True)
def _language_reset():
    """Each test ends in the settings' language: a request in English (its cookie) leaves English active in the
    thread, and a later test on the same worker would read its own words in English."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def world(_shared_world, db, request):
    """A small unit tree: two provinces (one with a legacy predecessor), departments, a central body,
    and a user for every role. Built once for a run of tests that ask for it (SharedWorld), each getting its own
    copy of the Python objects; built afresh for a test that runs outside a transaction or with the demo data."""
    from core.testing.world import build_world

    if _shared_world.atomic is not None and _shares_world(request.node):
        return copy.deepcopy(_shared_world.world)
    return build_world()


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_use_migrations, django_db_keepdb,
    django_db_createdb, django_db_modify_db_settings,
):  # fmt: skip
    """pytest-django's test databases, each copied from a template migrated once for every process of every run
    with the same migrations (core.testing.databases); with ``--reuse-db`` or ``--no-migrations``, pytest-django's
    own set-up."""
    from django.test.utils import setup_databases, teardown_databases

    from core.testing.databases import setup_databases as setup_from_templates

    if not django_db_use_migrations or django_db_keepdb:
        from pytest_django.fixtures import _disable_migrations

        if not django_db_use_migrations:
            _disable_migrations()
        # As pytest-django: --reuse-db keeps the database it finds, unless --create-db asks for a new one.
        with django_db_blocker.unblock():
            config = setup_databases(verbosity=0, interactive=False, keepdb=django_db_keepdb and not django_db_createdb)
    else:
        with django_db_blocker.unblock():
            config = setup_from_templates()
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=0)


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


# Without transitions and animations (prefers-reduced-motion, which Bootstrap honours): nothing a walk checks moves,
# and Chromium draws fewer frames.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--force-prefers-reduced-motion",
]


class BrowserSession:
    """Debian's Chromium driven by Playwright, started for the first browser walk and kept while the next test is
    one too (collection puts them together), then stopped: Playwright's synchronous API runs an event loop in this
    thread while it is started, and a test that is not a browser walk must not find one running. Starting it takes
    more than a second; each walk gets fresh browser contexts (cookies, storage), closed when it ends."""

    def __init__(self):
        self.playwright = None
        self.browser = None

    def open(self):
        if self.browser is None:
            from playwright.sync_api import sync_playwright

            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        return self.browser

    def close_contexts(self):
        if self.browser is not None:
            for context in list(self.browser.contexts):
                context.close()

    def close(self):
        if self.browser is None:
            return
        browser, playwright, self.browser, self.playwright = self.browser, self.playwright, None, None
        try:
            browser.close()
        finally:
            playwright.stop()


_BROWSER = pytest.StashKey[BrowserSession]()


def _uses_browser(item) -> bool:
    return item is not None and "browser" in getattr(item, "fixturenames", ())


@pytest.fixture
def browser(request):
    """A Chromium browser (Playwright) for a walk through the pages; open pages in your own contexts
    (``browser.new_context(...)``): they are closed when the test ends."""
    session = request.config.stash.setdefault(_BROWSER, BrowserSession())
    instance = session.open()
    yield instance
    session.close_contexts()


class OuterTransaction(abc.ABC):
    """Rows written into the test database once and kept in a transaction that stays open while the tests that
    read them run one after the other (each in its own savepoint, as usual, so what a test writes is undone),
    then rolled back before any other test, which starts from an empty database as before. Collection puts the
    tests of each kind together (pytest_collection_modifyitems); pytest_runtest_teardown opens and closes. Only
    for tests that run in a transaction (not ``transaction=True``, not the live server)."""

    def __init__(self, blocker):
        self.blocker = blocker
        self.atomic = None

    @abc.abstractmethod
    def load(self) -> None:
        """Write the rows, inside the open transaction."""

    def open(self):
        if self.atomic is not None:
            return
        from django.db import transaction

        with self.blocker.unblock():
            atomic = transaction.atomic()
            atomic._from_testcase = True  # as Django's TestCase marks its own: a durable block inside still works
            atomic.__enter__()
            self.atomic = atomic
            try:
                self.load()
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


class DemoData(OuterTransaction):
    """The reference data and the demo data set: loading takes seconds (more on PostgreSQL), so it is done once
    for a run of demo tests, not once per test."""

    lines: list[str] = []

    def load(self):
        from django.core.management import call_command

        call_command("load_reference_data", stdout=io.StringIO())
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        self.lines = out.getvalue().splitlines()


class SharedWorld(OuterTransaction):
    """The ``world`` of most tests: its units, users and memberships, with their history and audit rows, are
    about sixty inserts, which cost more than many a test itself. Each test gets a deep copy of the objects,
    so that what it changes on them goes with its savepoint."""

    world = None

    def load(self):
        from core.testing.world import build_world

        self.world = build_world()


_DEMO_DATA = pytest.StashKey[DemoData]()
_SHARED_WORLD = pytest.StashKey[SharedWorld]()


def _uses_demo(item) -> bool:
    return item is not None and "demo" in getattr(item, "fixturenames", ())


def _in_a_transaction(item) -> bool:
    """Whether the test runs inside a transaction that is rolled back (not ``transaction=True``, not a live
    server, whose threads read what is committed)."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return False
    return not {"transactional_db", "live_server", "django_db_reset_sequences"} & set(item.fixturenames)


def _shares_world(item) -> bool:
    return (
        item is not None
        and "world" in getattr(item, "fixturenames", ())
        and not _uses_demo(item)
        and _in_a_transaction(item)
    )


@pytest.fixture(scope="session")
def _demo_data(request, django_db_setup, django_db_blocker):
    """Session-scoped, so set up before the test's own transaction (``db``) and opened around it."""
    data = DemoData(django_db_blocker)
    request.config.stash[_DEMO_DATA] = data
    data.open()
    yield data
    data.close()
    del request.config.stash[_DEMO_DATA]


@pytest.fixture(scope="session")
def _shared_world(request, django_db_setup, django_db_blocker):
    """Made by the first test asking for ``world`` (which builds its own: its transaction is open already);
    opened after a test for the next one that asks for it."""
    shared = SharedWorld(django_db_blocker)
    request.config.stash[_SHARED_WORLD] = shared
    yield shared
    shared.close()
    del request.config.stash[_SHARED_WORLD]


@pytest.fixture
def demo(_demo_data, db):
    """The reference data and the demo data set built from the seed facts, as ``make run`` loads them (the
    load_reference_data and load_demo commands); what load_demo printed, line by line. Loaded once for the tests
    that ask for it, run one after the other (DemoData)."""
    assert _demo_data.atomic is not None, "the demo data is loaded before each run of demo tests"
    return list(_demo_data.lines)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Once a test's own transaction is rolled back: keep the demo data, the shared world and the browser for a
    next test that asks for them, roll back or stop them before one that does not (or load them again after
    other tests, if the order put some in between). What is closed is closed before anything is opened: the
    outer transactions are never nested."""
    config = item.config
    session = config.stash.get(_BROWSER, None)
    if session is not None and not _uses_browser(nextitem):
        # Before the test's fixtures are torn down, and with them, after the last test, the live server and the
        # test database: a browser still open would keep a connection to it.
        session.close()
    try:
        return (yield)
    finally:
        wanted = [
            (config.stash.get(_DEMO_DATA, None), _uses_demo(nextitem)),
            (config.stash.get(_SHARED_WORLD, None), _shares_world(nextitem)),
        ]
        for data, wanted_next in wanted:
            if data is not None and not wanted_next:
                data.close()
        for data, wanted_next in wanted:
            if data is not None and wanted_next:
                data.open()
