from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Foreign-affairs activities")

    def ready(self) -> None:
        # Record types (navigation, search, import, export) and indicator computations.
        from activities import indicators, registries  # noqa: F401
        from core.context_processors import register_page

        register_page("activities", _("Statistics"), "activities:statistics")
        register_page("activities", _("Calendar of activities"), "activities:calendar")
