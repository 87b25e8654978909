"""The record types of the partners app: lists, pages, forms, import and export (core.records)."""

from django.utils.translation import gettext_lazy as _

from core.records import Inline, RecordType, register
from partners import forms, views
from partners.models import Contact, Interaction, Partner, PartnerAlias, Relationship

PARTNERS = register(
    RecordType(
        model=Partner,
        natural_key=("key",),
        bulk_fields=("kind", "level", "notes"),
        inlines=(Inline(forms.PartnerAliasFormSet, _("Spellings met in documents"), "aliases"),),
        actions={"merge": views.PartnerMergeView},
        list_related=("country",),
    )
)
# The spelling's own form: the one named PartnerAliasForm is the row of a partner's inline formset.
PARTNER_ALIASES = register(
    RecordType(
        model=PartnerAlias,
        form_class=forms.PartnerAliasRecordForm,
        natural_key=("partner", "name"),
        trash=False,
        list_related=("partner",),
    )
)
RELATIONSHIPS = register(
    RecordType(
        model=Relationship,
        natural_key=("owner", "partner", "kind"),
        bulk_fields=("kind", "status", "notes"),
        actions={"status": views.RelationshipStatusView},
    )
)
INTERACTIONS = register(
    RecordType(
        model=Interaction,
        bulk_fields=("kind", "source"),
        list_related=("relationship__owner", "relationship__partner"),
    )
)
CONTACTS = register(
    RecordType(
        model=Contact,
        bulk_fields=("organisation", "language"),
    )
)
