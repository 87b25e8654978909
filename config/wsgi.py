"""WSGI entry point for gunicorn (and for runserver, which serves ``WSGI_APPLICATION``).

What start-up loads (settings, apps, models, the URL configuration and every view it imports) lives as long as
the process, yet Python's cyclic garbage collector walked all of it in each full collection: that was behind most
of the slowest requests (issue 17, item 13; docs/performance.md). Once loaded it is frozen (``gc.freeze()``), out
of the collector's sight. With ``gunicorn --preload`` this runs once in the master and the workers inherit the
frozen objects (and share their memory pages, which the collector no longer writes to).
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()


def _freeze_start_up() -> None:
    """Load what the first requests would (the URL configuration, which imports every view, and its table of
    names for ``reverse``), then freeze it."""
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 - read for its side effect of loading every view and URL name
    gc.collect()
    gc.freeze()


_freeze_start_up()
