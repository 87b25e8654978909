"""The record types of the activities app, each part named by import (docs/decisions.md, issue 17)."""

from django.utils.translation import gettext_lazy as _

from activities import filtersets, forms, pages, services, tables, views
from activities.models import Delegation, DelegationMember
from activities.todo import DELEGATION_TODOS
from core.records import GENERIC_PARTS, Inline, RecordType, register
from partners.registries import PARTNERS

DELEGATIONS = register(
    RecordType(
        model=Delegation,
        form_class=forms.DelegationForm,
        filterset_class=filtersets.DelegationFilterSet,
        table_class=tables.DelegationTable,
        create_verb=services.delegation_create,
        update_verb=services.delegation_update,
        detail_template="activities/delegation_detail.html",
        detail_context=pages.delegation_detail_context,
        bulk_fields=("in_annual_plan", "notes"),
        inlines=(Inline(forms.MemberFormSet, _("Members"), "members"),),
        list_prefetch=("partners", "members"),
        actions={"act": views.DelegationActView},
        todo=DELEGATION_TODOS,
    )
)
# A member on its own: the list of every member, its import and export. Members are edited on their delegation's
# form; this record type writes one member at a time with the generic verbs.
DELEGATION_MEMBERS = register(
    RecordType(
        model=DelegationMember,
        form_class=forms.DelegationMemberRecordForm,
        filterset_class=filtersets.DelegationMemberFilterSet,
        table_class=tables.DelegationMemberTable,
        **GENERIC_PARTS,
        natural_key=("delegation", "name"),
        trash=False,
        list_related=("delegation",),
    )
)

# The delegations that met a partner appear on its page.
PARTNERS.related += (
    (_("Delegations"), lambda record, user: Delegation.objects.restrict(user).filter(partners=record)),
)
