"""Settings for the test suite: SQLite in memory unless DATABASE_URL names PostgreSQL."""

from .base import *  # noqa: F403
from .base import DATABASES, env

SECRET_KEY = "test-only-not-secret"  # noqa: S105 - tests only; never deployed
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
TWO_FACTOR_REQUIRED_FOR_ADMINS = True
AXES_ENABLED = True
# A scoped query that skips its policy while a request or a job is served fails the test (core.policy).
SCOPE_TRIPWIRE = True
# Tests write partners with bulk_create and roll them back within the same second: the resolver asks every time.
RESOLVER_RECHECK_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "core.storage.PrivateInMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A commit need not wait for the disk in a throw-away test database: the tests that commit (the live server's,
    # transaction=True) and the flush after each of them stop waiting for it. Never in production settings.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
    # The same backend, flushing by DELETE instead of TRUNCATE after each test that commits (its docstring says why).
    DATABASES["default"]["ENGINE"] = "core.testing.postgresql"
# Tests close their connections as before: the live server's threads must not keep the test database in use.
DATABASES["default"]["CONN_MAX_AGE"] = 0
if not env("DATABASE_URL", default=""):
    # In memory, shared between threads so that the live server of the browser tests sees it.
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }
