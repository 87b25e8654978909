"""The record types of the partners app: lists, pages, forms, import and export (core.records). Every part is
named here by import; who sees and changes the records is each model's policy (partners.models)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.overview import Tally
from core.records import GENERIC_PARTS, Inline, RecordType, register
from core.services import record_create, record_update
from partners import filtersets, forms, pages, services, tables, views
from partners.choices import RelationshipStatus
from partners.models import Contact, Interaction, Partner, PartnerAlias, Relationship

PARTNERS = register(
    RecordType(
        model=Partner,
        form_class=forms.PartnerForm,
        filterset_class=filtersets.PartnerFilterSet,
        table_class=tables.PartnerTable,
        create_verb=record_create,
        update_verb=record_update,
        detail_template="partners/partner_detail.html",
        detail_context=pages.partner_detail_context,
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
        filterset_class=filtersets.PartnerAliasFilterSet,
        table_class=tables.PartnerAliasTable,
        **GENERIC_PARTS,
        natural_key=("partner", "name"),
        trash=False,
        list_related=("partner",),
    )
)
RELATIONSHIPS = register(
    RecordType(
        model=Relationship,
        form_class=forms.RelationshipForm,
        filterset_class=filtersets.RelationshipFilterSet,
        table_class=tables.RelationshipTable,
        create_verb=services.relationship_create,
        update_verb=services.relationship_update,
        detail_template="partners/relationship_detail.html",
        detail_context=pages.relationship_detail_context,
        natural_key=("owner", "partner", "kind"),
        bulk_fields=("kind", "status", "notes"),
        actions={"status": views.RelationshipStatusView},
        # The national overview counts each province's relationships at any stage but ended (core.overview).
        overview=(
            Tally(
                key="relationships",
                label=_("partner relationships"),
                condition=lambda today: ~Q(status=RelationshipStatus.ENDED),
            ),
        ),
    )
)
INTERACTIONS = register(
    RecordType(
        model=Interaction,
        form_class=forms.InteractionForm,
        filterset_class=filtersets.InteractionFilterSet,
        table_class=tables.InteractionTable,
        **GENERIC_PARTS,
        bulk_fields=("kind", "source"),
        list_related=("relationship__owner", "relationship__partner"),
    )
)
CONTACTS = register(
    RecordType(
        model=Contact,
        form_class=forms.ContactForm,
        filterset_class=filtersets.ContactFilterSet,
        table_class=tables.ContactTable,
        **GENERIC_PARTS,
        bulk_fields=("organisation", "language"),
    )
)
