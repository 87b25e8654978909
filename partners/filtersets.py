"""FilterSets of the partners app: one per model, for the web lists, the API and the exports."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filtersets import IdFilter, PeriodFilter, RecordFilterSet, YearFilter, find_unit, unit_portfolio_q
from core.models import Country, Field
from core.periods import Period
from core.text import fold
from partners.choices import (
    FORMAL_STATUSES,
    InteractionKind,
    LocalityLevel,
    PartnerKind,
    RelationshipKind,
    RelationshipStatus,
)
from partners.indicators import established_in, with_status_on
from partners.models import Contact, Interaction, Partner, PartnerAlias, Relationship


def country_q(value: str, prefix: str) -> Q:
    """A country by ISO code or by name without diacritics ("han quoc", "KR")."""
    text = (value or "").strip()[:100]
    folded = fold(text)
    countries = Country.objects.filter(Q(iso2__iexact=text) | Q(iso3__iexact=text) | Q(search_text__contains=folded))
    return Q(**{f"{prefix}country__in": list(countries.values_list("pk", flat=True)[:20])}) if folded else Q()


class CountryFilterMixin(django_filters.FilterSet):
    country = django_filters.CharFilter(
        label=_("Country"), method="filter_country", help_text=_("ISO code or name of the country")
    )
    field = django_filters.CharFilter(
        label=_("Field of cooperation"), method="filter_field", help_text=_("Code of the field")
    )

    country_prefix = ""

    def filter_country(self, queryset, name, value):
        return queryset.filter(country_q(value, self.country_prefix))

    def filter_field(self, queryset, name, value: str):
        return queryset.filter(fields__in=Field.objects.filter(code=value.strip()[:64])).distinct()


class PartnerFilterSet(CountryFilterMixin, RecordFilterSet):
    """Partners by country, kind, level, the status of their relationships, field, unit and year."""

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PartnerKind.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=LocalityLevel.choices)
    status = django_filters.ChoiceFilter(
        label=_("Relationship status"), choices=RelationshipStatus.choices, method="filter_status"
    )
    year = YearFilter(label=_("Year"), method="filter_year", help_text=_("A relationship step in it"))

    class Meta:
        model = Partner
        fields = ["kind", "level"]

    def filter_field(self, queryset, name, value: str):
        fields = Field.objects.filter(code=value.strip()[:64])
        held = self.visible(Relationship).filter(fields__in=fields).values("partner_id")
        return queryset.filter(Q(fields__in=fields) | Q(pk__in=held)).distinct()

    def filter_unit(self, queryset, name, value):
        # A unit's partners: those it keeps and those it has a relationship with (its own, its units'
        # below and its predecessors').
        unit = find_unit(value)
        if unit is None:
            return queryset.none()
        held = self.visible(Relationship).filter(unit_portfolio_q(unit)).values("partner_id")
        return queryset.filter(unit_portfolio_q(unit) | Q(pk__in=held))

    def filter_status(self, queryset, name, value):
        return queryset.filter(pk__in=self.visible(Relationship).filter(status=value).values("partner_id"))

    def filter_year(self, queryset, name, value):
        steps = self.visible(Relationship).filter(status_history__on__year=int(value))
        return queryset.filter(pk__in=steps.values("partner_id"))


class RelationshipFilterSet(CountryFilterMixin, RecordFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=RelationshipKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RelationshipStatus.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=LocalityLevel.choices, field_name="partner__level")
    partner = django_filters.CharFilter(label=_("Partner (key)"), field_name="partner__key")
    year = YearFilter(label=_("Year"), method="filter_year", help_text=_("A step of the status history in it"))

    established_in = PeriodFilter(_("Established in"), "filter_established_in")
    in_force_at_end_of = PeriodFilter(_("In force at the end of"), "filter_in_force")
    status_at_end_of = PeriodFilter(_("Not ended at the end of"), "filter_not_ended")

    country_prefix = "partner__"

    class Meta:
        model = Relationship
        fields = ["kind", "status"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(status_history__on__year=int(value)).distinct()

    def filter_established_in(self, queryset, name, period: Period):
        return established_in(queryset, period)

    def filter_in_force(self, queryset, name, period: Period):
        return with_status_on(queryset, period.end).filter(status_then__in=FORMAL_STATUSES)

    def filter_not_ended(self, queryset, name, period: Period):
        annotated = with_status_on(queryset, period.end)
        return annotated.filter(status_then__isnull=False).exclude(status_then=RelationshipStatus.ENDED)


class InteractionFilterSet(RecordFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InteractionKind.choices)
    year = YearFilter(label=_("Year"), field_name="on", lookup_expr="year")
    partner = django_filters.CharFilter(label=_("Partner (key)"), field_name="relationship__partner__key")
    relationship = IdFilter(label=_("Relationship"), field_name="relationship_id")

    class Meta:
        model = Interaction
        fields = ["kind"]


class ContactFilterSet(RecordFilterSet):
    partner = django_filters.CharFilter(label=_("Partner (key)"), field_name="partner__key")

    class Meta:
        model = Contact
        fields = []


class PartnerAliasFilterSet(RecordFilterSet):
    unit_prefix = "partner__owner__"
    partner = django_filters.CharFilter(label=_("Partner (key)"), field_name="partner__key")

    class Meta:
        model = PartnerAlias
        fields = ["language"]
