"""Tables of the delegations lists."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from activities.models import Delegation, DelegationMember
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
