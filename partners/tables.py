"""Tables of the partners lists. Contacts' personal data is masked for those who may not see it."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import RecordTable, linked_table
from partners.models import Contact, Interaction, Partner, PartnerAlias, Relationship


class PartnerTable(RecordTable):
    name = tables.Column(verbose_name=_("Name"), accessor="name_vi", linkify=True, order_by=("name_vi", "name_en"))

    def render_name(self, record):
        return str(record)

    def value_name(self, record):
        return str(record)

    class Meta(RecordTable.Meta):
        model = Partner
        fields = ("selection", "name", "name_en", "kind", "level", "country", "parent", "owner")


PartnerAliasTable = linked_table(PartnerAlias, ("name", "partner", "language", "source"))


class RelationshipTable(RecordTable):
    partner = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(RecordTable.Meta):
        model = Relationship
        fields = ("selection", "partner", "owner", "kind", "status", "status_since")


class InteractionTable(RecordTable):
    on = tables.Column(linkify=True)

    def render_on(self, record):
        return str(record)

    def render_summary(self, value):
        return value if len(value) <= 160 else f"{value[:157]}…"

    class Meta(RecordTable.Meta):
        model = Interaction
        fields = ("selection", "on", "relationship", "kind", "summary")


class ContactTable(RecordTable):
    """Contacts: email and telephone are personal data, masked by the table as the policy says (core.tables)."""

    class Meta(RecordTable.Meta):
        model = Contact
        fields = ("selection", "person_name", "position", "organisation", "partner", "owner", "email", "phone")
