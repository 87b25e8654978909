"""The record types of the agreements app (core.records)."""

from django.utils.translation import gettext_lazy as _

from agreements import filtersets, forms, pages, tables
from agreements.models import Agreement, AgreementReport, Consultation
from agreements.services import agreement_create, agreement_update
from core.records import Inline, RecordType, register
from partners.registries import PARTNERS, RELATIONSHIPS

AGREEMENTS = register(
    RecordType(
        model=Agreement,
        slug="agreements",
        namespace="agreements",
        form_class=forms.AgreementForm,
        filterset_class=filtersets.AgreementFilterSet,
        table_class=tables.AgreementTable,
        columns=tuple(forms.AgreementForm.Meta.fields),
        lookups={"owner": "key", "partners": "key", "fields": "code", "relationship": "id"},
        natural_key=("owner", "title"),
        bulk_fields=("kind", "planned_year", "notes"),
        inlines=(
            Inline(forms.ImplementationFormSet, _("Implementation plan"), "items"),
            Inline(forms.EvaluationFormSet, _("Evaluations"), "evaluations"),
            Inline(forms.DocumentFormSet, _("Documents"), "documents"),
        ),
        create_verb=agreement_create,
        update_verb=agreement_update,
        list_prefetch=("partners",),
        detail_template="agreements/agreement_detail.html",
        detail_context=pages.agreement_detail_context,
    )
)
CONSULTATIONS = register(
    RecordType(
        model=Consultation,
        slug="consultations",
        namespace="agreements",
        form_class=forms.ConsultationForm,
        filterset_class=filtersets.ConsultationFilterSet,
        table_class=tables.ConsultationTable,
        columns=tuple(forms.ConsultationForm.Meta.fields),
        lookups={"agreement": "id"},
        bulk_fields=("notes",),
    )
)
AGREEMENT_REPORTS = register(
    RecordType(
        model=AgreementReport,
        slug="agreement-reports",
        namespace="agreements",
        form_class=forms.AgreementReportForm,
        filterset_class=filtersets.AgreementReportFilterSet,
        table_class=tables.AgreementReportTable,
        columns=tuple(forms.AgreementReportForm.Meta.fields),
        lookups={"owner": "key"},
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
