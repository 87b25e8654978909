"""Tables of the delegations lists."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from activities.models import Award, Conference, Delegation, DelegationMember, DelegationRules, Event, PressVisit
from activities.pages import permitted_by
from core.tables import RecordTable, linked_table


class DelegationTable(RecordTable):
    partners_met = tables.Column(verbose_name=_("Partners met"), accessor="pk", orderable=False)
    person_trips = tables.Column(verbose_name=_("Person-trips"), accessor="pk", orderable=False)

    def render_partners_met(self, record):
        return ", ".join(str(partner) for partner in record.partners.all())

    def value_partners_met(self, record):
        return self.render_partners_met(record)

    def render_person_trips(self, record):
        # The members listed (prefetched with the page), else the number declared.
        # A size the document does not give is unknown, not none: the page says so with a dash.
        listed = len(record.members.all())
        return listed or (record.member_count if record.member_count is not None else "—")

    def value_person_trips(self, record):
        return self.render_person_trips(record)

    class Meta(RecordTable.Meta):
        model = Delegation
        fields = (
            "selection",
            "purpose",
            "direction",
            "owner",
            "leader_name",
            "partners_met",
            "departs_on",
            "person_trips",
            "status",
        )


DelegationMemberTable = linked_table(DelegationMember, ("selection", "name", "position", "organisation", "delegation"))


DelegationRulesTable = linked_table(
    DelegationRules,
    (
        "selection",
        "owner",
        "source",
        "leader_trips_per_year",
        "members_per_delegation",
        "days_per_trip",
        "countries_per_trip",
        "trips_per_year",
    ),
)


class ConferenceTable(RecordTable):
    # Who permits it follows from the two flags (Decision 06/2020/QĐ-TTg, Art. 3); the list says it in words.
    permitted_by = tables.Column(verbose_name=_("Permitted by"), accessor="pk", orderable=False)
    applied_late = tables.Column(verbose_name=_("Application"), accessor="pk", orderable=False)

    def render_permitted_by(self, record):
        return permitted_by(record)

    def value_permitted_by(self, record):
        return self.render_permitted_by(record)

    def render_applied_late(self, record):
        if record.lead_days is None:
            return "—"
        return _("Late") if record.applied_late else _("On time")

    def value_applied_late(self, record):
        return self.render_applied_late(record)

    class Meta(RecordTable.Meta):
        model = Conference
        fields = (
            "selection",
            "title",
            "owner",
            "organiser",
            "starts_on",
            "place",
            "foreign_participants",
            "permitted_by",
            "applied_late",
            "status",
        )


PressVisitTable = linked_table(
    PressVisit,
    ("selection", "agency", "owner", "country", "reporter_count", "starts_on", "places", "permit_number"),
)


class EventTable(RecordTable):
    countries_taking_part = tables.Column(verbose_name=_("Countries taking part"), accessor="pk", orderable=False)
    partners_named = tables.Column(verbose_name=_("Partners"), accessor="pk", orderable=False)

    def render_countries_taking_part(self, record):
        # The countries named (prefetched with the page), else the number declared; unknown is a dash, not none.
        named = ", ".join(str(country) for country in record.countries.all())
        if named:
            return named
        return record.country_count if record.country_count is not None else "—"

    def value_countries_taking_part(self, record):
        return self.render_countries_taking_part(record)

    def render_partners_named(self, record):
        return ", ".join(str(partner) for partner in record.partners.all()) or "—"

    def value_partners_named(self, record):
        return self.render_partners_named(record)

    class Meta(RecordTable.Meta):
        model = Event
        fields = (
            "selection",
            "name",
            "kind",
            "owner",
            "starts_on",
            "place",
            "countries_taking_part",
            "partners_named",
        )


class AwardTable(RecordTable):
    direction = tables.Column(verbose_name=_("Received or proposed"))
    awarded_by = tables.Column(verbose_name=_("Awarding state or organisation"), accessor="pk", orderable=False)

    def render_awarded_by(self, record):
        parts = [str(record.awarding_country) if record.awarding_country else "", record.awarding_organisation]
        return " · ".join(part for part in parts if part) or "—"

    def value_awarded_by(self, record):
        return self.render_awarded_by(record)

    class Meta(RecordTable.Meta):
        model = Award
        fields = (
            "selection",
            "name",
            "award_class",
            "direction",
            "count",
            "awarded_by",
            "owner",
            "decided_on",
            "status",
        )
