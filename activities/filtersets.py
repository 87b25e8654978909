"""FilterSets of the delegations registry, for the web lists, the API and the exports."""

import datetime as dt

import django_filters
from django.db.models import DurationField, ExpressionWrapper, F, Q
from django.utils.translation import gettext_lazy as _

from activities.choices import (  # noqa: I001 - merged above likewise
    AwardDirection,
    AwardStatus,
    ConferenceStatus,
    DelegationStatus,
    Direction,
    EventKind,
    Funding,
    VisitorLevel,
)
from activities.models import Award, Conference, Delegation, DelegationMember, DelegationRules, Event, PressVisit
from core.filtersets import IdFilter, PeriodFilter, RecordFilterSet, YearFilter, YesNoFilter
from core.periods import Period
from partners.filtersets import country_q


def started_in(queryset, period: Period):
    """Delegations that started (departed, or arrived) within ``period``."""
    return queryset.filter(departs_on__gte=period.start, departs_on__lte=period.end)


def in_countries(queryset, value: str, *paths: str):
    """Rows whose country at any of ``paths`` (a destination, the country of origin, a partner's country) is the
    one ``value`` names, by ISO code or by name; every row when ``value`` names none."""
    found = country_q(value, "")
    if not found:
        return queryset
    countries = found.children[0][1]
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path}__in": countries})
    return queryset.filter(condition).distinct()


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
        return in_countries(queryset, value, "partners__country", "countries", "origin_country")


class DelegationMemberFilterSet(RecordFilterSet):
    unit_prefix = "delegation__owner__"
    delegation = IdFilter(label=_("Delegation"), field_name="delegation_id")

    class Meta:
        model = DelegationMember
        fields = []


class DelegationRulesFilterSet(RecordFilterSet):
    class Meta:
        model = DelegationRules
        fields = []


def conference_started_in(queryset, period: Period):
    """Conferences that opened within ``period``."""
    return queryset.filter(starts_on__gte=period.start, starts_on__lte=period.end)


def prime_minister_q() -> Q:
    """The conferences the Prime Minister permits (Decision 06/2020/QĐ-TTg, Art. 3): participants at minister level
    or above, or sensitive topics; as ``Conference.prime_minister_decides`` says it of one."""
    return Q(high_level_participants=True) | Q(sensitive_topics=True)


def applied_late_q() -> Q:
    """Conferences applied for fewer days before the opening than Decision 06/2020/QĐ-TTg asks (40 when the Prime
    Minister permits, else 30), where both dates are known to the day; as ``Conference.applied_late`` says it."""
    known = Q(applied_on__isnull=False, starts_on__isnull=False, date_precision="day")
    prime, local = prime_minister_q(), ~prime_minister_q()
    return known & (
        (prime & Q(lead__lt=dt.timedelta(days=Conference.LEAD_DAYS_PRIME_MINISTER)))
        | (local & Q(lead__lt=dt.timedelta(days=Conference.LEAD_DAYS_LOCAL)))
    )


def with_lead(queryset):
    """``lead``: the time from the application to the opening, as the database counts it."""
    return queryset.annotate(lead=ExpressionWrapper(F("starts_on") - F("applied_on"), output_field=DurationField()))


class ConferenceFilterSet(RecordFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ConferenceStatus.choices)
    year = YearFilter(label=_("Year"), field_name="starts_on", lookup_expr="year")
    started_in = PeriodFilter(_("Opened in the period"), "filter_started_in")
    country = django_filters.CharFilter(
        label=_("Country"), method="filter_country", help_text=_("ISO code or name of the country")
    )
    online = YesNoFilter(_("Online or partly online"), "filter_online")
    prime_minister = YesNoFilter(_("Permitted by the Prime Minister"), "filter_prime_minister")
    applied_late = YesNoFilter(_("Applied for late"), "filter_applied_late")
    partner = django_filters.CharFilter(label=_("Partner (key)"), field_name="partners__key", distinct=True)

    class Meta:
        model = Conference
        fields = ["status"]

    def filter_started_in(self, queryset, name, period: Period):
        return conference_started_in(queryset, period)

    def filter_country(self, queryset, name, value: str):
        """A participants' country, or the country of a partner co-organising."""
        return in_countries(queryset, value, "countries", "partners__country")

    def filter_online(self, queryset, name, value: bool):
        return queryset.filter(online=value)

    def filter_prime_minister(self, queryset, name, value: bool):
        return queryset.filter(prime_minister_q() if value else ~prime_minister_q())

    def filter_applied_late(self, queryset, name, value: bool):
        # A conference with either date unknown was not applied for late, as far as the records tell.
        annotated = with_lead(queryset)
        return annotated.filter(applied_late_q()) if value else annotated.exclude(applied_late_q())


class PressVisitFilterSet(RecordFilterSet):
    year = YearFilter(label=_("Year"), field_name="starts_on", lookup_expr="year")
    started_in = PeriodFilter(_("Started in the period"), "filter_started_in")
    country = django_filters.CharFilter(
        label=_("Country"), method="filter_country", help_text=_("ISO code or name of the country")
    )

    class Meta:
        model = PressVisit
        fields = []

    def filter_started_in(self, queryset, name, period: Period):
        return queryset.filter(starts_on__gte=period.start, starts_on__lte=period.end)

    def filter_country(self, queryset, name, value: str):
        return queryset.filter(country_q(value, ""))


def event_started_in(queryset, period: Period):
    """Events that started within ``period`` (a festival known only to its year starts on its 1 January)."""
    return queryset.filter(starts_on__gte=period.start, starts_on__lte=period.end)


def award_decided_in(queryset, period: Period):
    """Awards granted, or proposed, within ``period`` (the date of the decision or of the proposal)."""
    return queryset.filter(decided_on__gte=period.start, decided_on__lte=period.end)


def foreign_state_q() -> Q:
    """Awards of a foreign state: received from it, or proposed to it for the unit's own people. The others the unit
    proposes are Viet Nam's, for foreigners (the summaries' "kiến nghị tặng … cho các tổ chức, cá nhân người nước
    ngoài"); a proposal that names no awarding state is taken as one of these."""
    return Q(awarding_country__isnull=False) & ~Q(awarding_country__iso2="VN")


class EventFilterSet(RecordFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EventKind.choices)
    year = YearFilter(label=_("Year"), field_name="starts_on", lookup_expr="year")
    started_in = PeriodFilter(_("Started in the period"), "filter_started_in")
    country = django_filters.CharFilter(
        label=_("Country"), method="filter_country", help_text=_("ISO code or name of the country")
    )
    partner = django_filters.CharFilter(label=_("Partner (key)"), field_name="partners__key", distinct=True)

    class Meta:
        model = Event
        fields = ["kind"]

    def filter_started_in(self, queryset, name, period: Period):
        return event_started_in(queryset, period)

    def filter_country(self, queryset, name, value: str):
        """A country taking part, or the country of a partner."""
        return in_countries(queryset, value, "countries", "partners__country")


class AwardFilterSet(RecordFilterSet):
    direction = django_filters.ChoiceFilter(label=_("Received or proposed"), choices=AwardDirection.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AwardStatus.choices)
    year = YearFilter(label=_("Year"), field_name="decided_on", lookup_expr="year")
    decided_in = PeriodFilter(_("Granted or proposed in the period"), "filter_decided_in")
    country = django_filters.CharFilter(
        label=_("Country"), method="filter_country", help_text=_("ISO code or name of the country")
    )
    partner = django_filters.CharFilter(label=_("Partner (key)"), field_name="partners__key", distinct=True)
    foreign_state = YesNoFilter(_("Awarded by a foreign state"), "filter_foreign_state")

    class Meta:
        model = Award
        fields = ["direction", "status"]

    def filter_foreign_state(self, queryset, name, value: bool):
        return queryset.filter(foreign_state_q() if value else ~foreign_state_q())

    def filter_decided_in(self, queryset, name, period: Period):
        return award_decided_in(queryset, period)

    def filter_country(self, queryset, name, value: str):
        """The awarding state, or the country of a partner."""
        return in_countries(queryset, value, "awarding_country", "partners__country")
