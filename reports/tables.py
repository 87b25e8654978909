import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import LinkedTable, RecordTable
from reports.models import Report, ReportingRegime, Submission, day_month


class SubmissionTable(RecordTable):
    """The register's rows: who reported, when sent and received, days late, status and flags."""

    days_late = tables.Column(verbose_name=_("Days late"), accessor="pk", orderable=False)
    status = tables.Column(verbose_name=_("Status"), accessor="pk", orderable=False)
    flags = tables.Column(verbose_name=_("Flags"), accessor="pk", orderable=False)

    def render_days_late(self, record):
        # Not sent: nothing to count, shown as a dash rather than zero.
        late = record.days_late
        return "—" if late is None else late

    def value_days_late(self, record):
        return self.render_days_late(record)

    def render_status(self, record):
        return record.get_status_display()

    def value_status(self, record):
        return self.render_status(record)

    def render_flags(self, record):
        return "; ".join(record.flag_labels()) or "—"

    def value_flags(self, record):
        return self.render_flags(record)

    class Meta(RecordTable.Meta):
        model = Submission
        fields = ("selection", "owner", "reporting_period", "sent_on", "received_on", "days_late", "status", "flags")


class ReportTable(RecordTable):
    """Reports: the unit, the regime and period, the status and the revision. The regime and period names the report
    and opens it (the unit opens the unit)."""

    reporting_period = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(RecordTable.Meta):
        model = Report
        fields = ("selection", "owner", "reporting_period", "status", "revision", "issued_on")


class ReportingRegimeTable(LinkedTable):
    """The regimes as a reader knows them: by name (which opens the regime), to whom, how often, and the days of
    the year as documents write them (15/12). The key is for the API and commands, shown on the regime's page."""

    name_vi = tables.Column(verbose_name=_("Name"), linkify=True)

    def render_data_from(self, value):
        return day_month(value)

    def render_half_year_cutoff(self, value):
        return day_month(value)

    def render_year_cutoff(self, value):
        return day_month(value)

    # An export reads as the page does.
    value_data_from = render_data_from
    value_half_year_cutoff = render_half_year_cutoff
    value_year_cutoff = render_year_cutoff

    class Meta(LinkedTable.Meta):
        model = ReportingRegime
        fields = ("name_vi", "recipient", "frequency", "data_from", "half_year_cutoff", "year_cutoff")
