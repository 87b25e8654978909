"""The record types of the agreements app (core.records), every part named by import."""

from django.utils.translation import gettext_lazy as _

from agreements import filtersets, forms, pages, services, tables, todo, views
from agreements.models import Agreement, AgreementReport, Consultation
from core.records import GENERIC_PARTS, Inline, RecordType, register
from partners.registries import PARTNERS, RELATIONSHIPS

AGREEMENTS = register(
    RecordType(
        model=Agreement,
        form_class=forms.AgreementForm,
        filterset_class=filtersets.AgreementFilterSet,
        table_class=tables.AgreementTable,
        create_verb=services.agreement_create,
        update_verb=services.agreement_update,
        detail_template="agreements/agreement_detail.html",
        detail_context=pages.agreement_detail_context,
        natural_key=("owner", "title"),
        bulk_fields=("kind", "planned_year", "notes"),
        inlines=(
            Inline(forms.ImplementationFormSet, _("Implementation plan"), "items"),
            Inline(forms.EvaluationFormSet, _("Evaluations"), "evaluations"),
            Inline(forms.DocumentFormSet, _("Documents"), "documents"),
        ),
        list_prefetch=("partners",),
        actions={"act": views.AgreementActView},
        todo=todo.AGREEMENT_TODOS,
        overview=todo.AGREEMENT_TALLIES,
    )
)
CONSULTATIONS = register(
    RecordType(
        model=Consultation,
        form_class=forms.ConsultationForm,
        filterset_class=filtersets.ConsultationFilterSet,
        table_class=tables.ConsultationTable,
        **GENERIC_PARTS,
        actions={"reply": views.ReplyView},
        bulk_fields=("notes",),
        todo=todo.CONSULTATION_TODOS,
    )
)
AGREEMENT_REPORTS = register(
    RecordType(
        model=AgreementReport,
        form_class=forms.AgreementReportForm,
        filterset_class=filtersets.AgreementReportFilterSet,
        table_class=tables.AgreementReportTable,
        **GENERIC_PARTS,
        natural_key=("owner", "period"),
        bulk_fields=("place", "signer_name"),
    )
)

# An agreement appears on the pages of its relationship and of its foreign parties (issue 3: "the agreements that
# establish or renew it"). Registered from here, since partners does not depend on agreements.
RELATIONSHIPS.related += (
    (_("International agreements"), lambda record, user: Agreement.objects.restrict(user).filter(relationship=record)),
)
PARTNERS.related += (
    (_("International agreements"), lambda record, user: Agreement.objects.restrict(user).filter(partners=record)),
)
