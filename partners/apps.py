from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Foreign partners")

    def ready(self) -> None:
        # Record types (navigation, search, import, export), served files, indicator computations, synthetic data.
        from partners import files, indicators, registries, synthetic  # noqa: F401
