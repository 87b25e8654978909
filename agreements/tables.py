"""Tables of the agreements lists."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementReport, Consultation
from core.tables import RecordTable, linked_table


class AgreementTable(RecordTable):
    parties = tables.Column(verbose_name=_("Foreign parties"), accessor="pk", orderable=False)

    def render_parties(self, record):
        return ", ".join(str(partner) for partner in record.partners.all())

    def value_parties(self, record):
        return self.render_parties(record)

    def render_planned_year(self, value):
        # A year is not a quantity: no thousands separator (2014, not 2.014).
        return str(value)

    class Meta(RecordTable.Meta):
        model = Agreement
        fields = ("selection", "title", "kind", "owner", "parties", "status", "signed_on", "planned_year")


ConsultationTable = linked_table(
    Consultation, ("selection", "body", "body_name", "agreement", "sent_on", "due_on", "reply_on", "opinion")
)


AgreementReportTable = linked_table(AgreementReport, ("selection", "period", "owner", "number", "issued_on"))
