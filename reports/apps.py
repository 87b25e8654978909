from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Record types (navigation, search, import, export), synthetic data, the regimes among the reference data, the
        # register page.
        from core.context_processors import register_page
        from core.reference import register_reference_loader
        from core.services import register_freeze_check
        from reports import registries, synthetic  # noqa: F401
        from reports.freezing import frozen_by_reports
        from reports.regimes import load_regimes

        register_reference_loader("reporting_regimes", load_regimes)
        # The records behind a report sent are changed only by reopening it (issue 20, item 3).
        register_freeze_check(frozen_by_reports)
        register_page("reports", _("Register of reports received"), "reports:register")
        # A province's periods, their dates and where its reports stand (issue 20, item 7).
        register_page("reports", _("Reporting calendar"), "reports:calendar")
        # The figures of a unit and period: what reports quote (in this menu, so the header fits a laptop screen).
        register_page("reports", _("Figures"), "core:figures")
