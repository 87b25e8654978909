from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Record types, the audit of logins, the report-rendering job kind (a Celery worker needs it too), the
        # check that every file field is served through its policy, and the Vietnamese collation of SQLite.
        from core import checks, collation, files, registries, report_kinds, signals  # noqa: F401
