from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("International agreements")

    def ready(self) -> None:
        # Record types (navigation, search, import, export), served files, indicator computations, synthetic data.
        from agreements import files, indicators, registries, synthetic  # noqa: F401
        from core.context_processors import register_page

        register_page("agreements", _("Needing attention"), "agreements:attention")
