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
