import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import RecordTable
from reports.models import Report, Submission


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
