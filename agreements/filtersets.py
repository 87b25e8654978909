"""FilterSets of the agreements app, for the web lists, the API and the exports."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agreements.choices import (
    AgreementKind,
    AgreementStatus,
    ConsultedBody,
    Opinion,
    RelationshipEffect,
    SignatoryLevel,
)
from agreements.indicators import in_force_at, signed_in
from agreements.models import Agreement, AgreementReport, Consultation
from core.filtersets import IdFilter, PeriodFilter, RecordFilterSet, YearFilter, YesNoFilter
from core.periods import Period
from partners.filtersets import country_q


class AgreementFilterSet(RecordFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AgreementKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AgreementStatus.choices)
    signatory_level = django_filters.ChoiceFilter(label=_("Signatory level"), choices=SignatoryLevel.choices)
    year = YearFilter(label=_("Signed in"), field_name="signed_on", lookup_expr="year")
    planned_year = YearFilter(label=_("Planned for"))
    partner = django_filters.CharFilter(label=_("Partner (key)"), field_name="partners__key", distinct=True)
    country = django_filters.CharFilter(label=_("Country"), method="filter_country")

    effect = django_filters.ChoiceFilter(
        label=_("Effect on the relationship"), choices=RelationshipEffect.choices, field_name="relationship_effect"
    )
    signed_in = PeriodFilter(_("Signed in the period"), "filter_signed_in")
    in_force_at_end_of = PeriodFilter(_("In force at the end of"), "filter_in_force")
    expiring_in = PeriodFilter(_("Expiring in the period"), "filter_expiring")

    class Meta:
        model = Agreement
        fields = ["kind", "status", "signatory_level"]

    def filter_country(self, queryset, name, value: str):
        return queryset.filter(country_q(value, "partners__")).distinct()

    def filter_signed_in(self, queryset, name, period: Period):
        return signed_in(queryset, period)

    def filter_in_force(self, queryset, name, period: Period):
        return in_force_at(queryset, period.end)

    def filter_expiring(self, queryset, name, period: Period):
        ids = [row.pk for row in in_force_at(queryset, period.start) if row.ends_on and row.ends_on <= period.end]
        return queryset.filter(pk__in=ids)


class ConsultationFilterSet(RecordFilterSet):
    body = django_filters.ChoiceFilter(label=_("Consulted body"), choices=ConsultedBody.choices)
    opinion = django_filters.ChoiceFilter(label=_("Opinion"), choices=Opinion.choices)
    answered = YesNoFilter(_("Answered"), "filter_answered")
    agreement = IdFilter(label=_("Agreement"), field_name="agreement_id")

    class Meta:
        model = Consultation
        fields = ["body", "opinion"]

    def filter_answered(self, queryset, name, value: bool):
        answered = ~Q(opinion="")
        return queryset.filter(answered) if value else queryset.exclude(answered)


class AgreementReportFilterSet(RecordFilterSet):
    class Meta:
        model = AgreementReport
        fields = ["period"]
