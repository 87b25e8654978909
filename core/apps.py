from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Record types, the audit of logins, and the report-rendering job kind (a Celery worker needs it too).
        from core import documents, registries, signals  # noqa: F401
