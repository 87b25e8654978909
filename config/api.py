"""``/api/v1/``: each app with an API registers its viewsets on ``core.api.router`` in its ``api/urls.py``."""

from importlib import import_module

from core.api.router import router

# Apps whose api/urls.py registers resources; each later app adds itself here.
API_APPS = ("core", "partners", "agreements", "activities", "reports")


def api_urlpatterns() -> list:
    extra = []
    for app in API_APPS:
        extra += getattr(import_module(f"{app}.api.urls"), "urlpatterns", [])
    return [*extra, *router.urls]
