"""FilterSets of the delegations registry, for the web lists, the API and the exports."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.choices import DelegationStatus, Direction, Funding, VisitorLevel
from activities.models import Delegation, DelegationMember
from core.filtersets import IdFilter, PeriodFilter, RecordFilterSet, YearFilter, YesNoFilter
from core.periods import Period
from partners.filtersets import country_q


def started_in(queryset, period: Period):
    """Delegations that started (departed, or arrived) within ``period``."""
    return queryset.filter(departs_on__gte=period.start, departs_on__lte=period.end)


class DelegationFilterSet(RecordFilterSet):
    direction = django_filters.ChoiceFilter(label=_("Direction"), choices=Direction.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DelegationStatus.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=VisitorLevel.choices)
    funding = django_filters.ChoiceFilter(label=_("Funding"), choices=Funding.choices)
    year = YearFilter(label=_("Year"), field_name="departs_on", lookup_expr="year")
    started_in = PeriodFilter(_("Started in the period"), "filter_started_in")
    in_plan = YesNoFilter(_("In the annual plan"), "filter_in_plan")
    partner = django_filters.CharFilter(label=_("Partner (key)"), field_name="partners__key", distinct=True)
    country = django_filters.CharFilter(label=_("Country"), method="filter_country")

    class Meta:
        model = Delegation
        fields = ["direction", "status", "level", "funding"]

    def filter_started_in(self, queryset, name, period: Period):
        return started_in(queryset, period)

    def filter_in_plan(self, queryset, name, value: bool):
        return queryset.filter(in_annual_plan=value)

    def filter_country(self, queryset, name, value: str):
        """A destination, the country of origin, or the country of a partner met."""
        found = country_q(value, "")
        if not found:
            return queryset
        countries = found.children[0][1]
        return queryset.filter(
            Q(partners__country__in=countries) | Q(countries__in=countries) | Q(origin_country__in=countries)
        ).distinct()


class DelegationMemberFilterSet(RecordFilterSet):
    unit_prefix = "delegation__owner__"
    delegation = IdFilter(label=_("Delegation"), field_name="delegation_id")

    class Meta:
        model = DelegationMember
        fields = []
