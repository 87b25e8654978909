"""The record types of the reports app, each part named by import (docs/decisions.md, issue 17)."""

from core.records import GENERIC_PARTS, RecordType, register
from core.registries import reference_type
from reports import filtersets, forms, pages, services, tables, todo, views
from reports.importing import SubmissionImporter
from reports.models import Report, ReportingPeriod, ReportingRegime, Submission

# Who reports what to whom and when (Decree 09/2019/NĐ-CP, Art. 7 and 12): shipped as reference data, their dates
# changed by those who manage reference data.
REPORTING_REGIMES = reference_type(
    ReportingRegime,
    ("key", "name_vi", "name_en", "recipient", "frequency", "data_from", "half_year_cutoff", "year_cutoff"),
    form_extra=("reporting_level", "basis", "deadline_days", "grace_days", "lock_days"),
    natural_key=("key",),
    table_class=tables.ReportingRegimeTable,
    importable=False,
)
# A period of a regime with its dates, worked out from the regime when first needed; the receiving body moves a
# deadline here. A cut-off after the deadline is refused (ReportingPeriod.clean and its constraints).
REPORTING_PERIODS = reference_type(
    ReportingPeriod,
    ("regime", "period", "data_from", "data_to", "deadline", "on_time_until", "locks_on"),
    form_extra=("request_document",),
    natural_key=("regime", "period"),
    filterset_class=filtersets.ReportingPeriodFilterSet,
    importable=False,
)
# The register of reports received: imported from registers kept outside the product (reports.importing), or
# written one row at a time by the receiving body.
SUBMISSIONS = register(
    RecordType(
        model=Submission,
        form_class=forms.SubmissionForm,
        filterset_class=filtersets.SubmissionFilterSet,
        table_class=tables.SubmissionTable,
        **GENERIC_PARTS,
        bulk_fields=("received_on", "note"),
        list_related=("owner", "reporting_period__regime"),
        importer=SubmissionImporter,
        # The reports a province owes, and the units the receiving body has not heard from (reports.todo).
        todo=todo.SUBMISSION_TODOS,
    )
)

# A unit's report to a regime for a period (issue 20, items 2 and 3): drafted from the regime's outline, its
# figures filled in from the registries; reviewed, approved, sent and frozen through its steps (reports.verbs).
REPORTS = register(
    RecordType(
        model=Report,
        form_class=forms.ReportForm,
        filterset_class=filtersets.ReportFilterSet,
        table_class=tables.ReportTable,
        create_verb=services.report_create,
        update_verb=services.report_update,
        detail_template="reports/report_detail.html",
        detail_context=pages.report_detail_context,
        list_related=("owner", "reporting_period__regime"),
        actions={"act": views.ReportActView, "figure": views.ReportFigureView, "document": views.ReportDocumentView},
        importable=False,
        # The leader's reports to approve, the returned ones, those the receiving body has to receive.
        todo=todo.REPORT_TODOS,
    )
)
