"""The record types of the activities app, each part named by import (docs/decisions.md, issue 17)."""

from django.utils.translation import gettext_lazy as _

from activities import filtersets, forms, pages, services, tables, views
from activities.importing import DelegationImporter
from activities.models import Award, Conference, Delegation, DelegationMember, DelegationRules, Event, PressVisit
from activities.todo import DELEGATION_TODOS
from core.records import GENERIC_PARTS, Inline, RecordType, register
from core.services import record_create, record_update
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
        # One sheet, one row a member, written in bulk (issue 19, item 8).
        importer=DelegationImporter,
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

# A unit's caps on its delegations abroad (activities.workflow): set by its approvers, checked at each approval.
DELEGATION_RULES = register(
    RecordType(
        model=DelegationRules,
        form_class=forms.DelegationRulesForm,
        filterset_class=filtersets.DelegationRulesFilterSet,
        table_class=tables.DelegationRulesTable,
        **GENERIC_PARTS,
        slug="delegation-rules",
        natural_key=("owner",),
    )
)

# The delegations that met a partner appear on its page.
PARTNERS.related += (
    (_("Delegations"), lambda record, user: Delegation.objects.restrict(user).filter(partners=record)),
)

# Events with foreign participation and awards (issue 19, items 5 and 6): written without side effects, shown on
# the generic page; each lists its partners on the partner's page.
EVENTS = register(
    RecordType(
        model=Event,
        form_class=forms.EventForm,
        filterset_class=filtersets.EventFilterSet,
        table_class=tables.EventTable,
        **GENERIC_PARTS,
        bulk_fields=("kind", "place"),
        list_prefetch=("countries", "partners"),
    )
)
AWARDS = register(
    RecordType(
        model=Award,
        form_class=forms.AwardForm,
        filterset_class=filtersets.AwardFilterSet,
        table_class=tables.AwardTable,
        create_verb=record_create,
        update_verb=record_update,
        # The generic page, with the award's own labels (pages.award_detail_context).
        detail_template="activities/award_detail.html",
        detail_context=pages.award_detail_context,
        bulk_fields=("status", "notes"),
        list_related=("awarding_country",),
    )
)
PARTNERS.related += (
    (_("Events"), lambda record, user: Event.objects.restrict(user).filter(partners=record)),
    (_("Awards"), lambda record, user: Award.objects.restrict(user).filter(partners=record)),
)

# International conferences and workshops (issue 19, item 3; Decision 06/2020/QĐ-TTg): written by the generic verbs,
# whose full_clean refuses a permission dated before its application; the page says who permits the conference and
# whether the application went in late.
CONFERENCES = register(
    RecordType(
        model=Conference,
        form_class=forms.ConferenceForm,
        filterset_class=filtersets.ConferenceFilterSet,
        table_class=tables.ConferenceTable,
        create_verb=record_create,
        update_verb=record_update,
        detail_template="activities/conference_detail.html",
        detail_context=pages.conference_detail_context,
        bulk_fields=("status", "notes"),
        list_prefetch=("countries", "partners"),
    )
)
# Foreign press visits (issue 19, item 4; Decree 88/2012/NĐ-CP): written without side effects, shown on the generic
# page.
PRESS_VISITS = register(
    RecordType(
        model=PressVisit,
        form_class=forms.PressVisitForm,
        filterset_class=filtersets.PressVisitFilterSet,
        table_class=tables.PressVisitTable,
        **GENERIC_PARTS,
        bulk_fields=("notes",),
        list_related=("country",),
    )
)
PARTNERS.related += (
    (_("International conferences"), lambda record, user: Conference.objects.restrict(user).filter(partners=record)),
)
