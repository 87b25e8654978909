"""The record types name every part by import (core.records.RecordType): a part left out fails at import, a
part that does not fit fails the system check, and nothing falls back silently."""

import dataclasses

import pytest
from django.core import checks

from agreements.registries import AGREEMENTS, CONSULTATIONS
from agreements.services import agreement_create, agreement_update
from agreements.tables import AgreementTable, ConsultationTable
from core.records import RecordType, plural_slug, record_types
from core.registries import COUNTRIES
from core.services import record_create, record_update
from partners import pages, views
from partners.forms import PartnerAliasRecordForm
from partners.registries import INTERACTIONS, PARTNER_ALIASES, RELATIONSHIPS
from partners.services import relationship_create, relationship_update
from partners.tables import PartnerTable, RelationshipTable


def test_every_record_type_finds_the_parts_of_its_own_model():
    for record_type in record_types().values():
        model = record_type.model
        assert record_type.form_class._meta.model is model, record_type.slug
        assert record_type.filterset_class._meta.model is model, record_type.slug
        assert record_type.table_class._meta.model is model, record_type.slug
        assert record_type.namespace == model._meta.app_label


def test_the_services_and_pages_a_declaration_names_are_the_ones_used():
    assert (RELATIONSHIPS.create_verb, RELATIONSHIPS.update_verb) == (relationship_create, relationship_update)
    assert (AGREEMENTS.create_verb, AGREEMENTS.update_verb) == (agreement_create, agreement_update)
    assert (CONSULTATIONS.create_verb, CONSULTATIONS.update_verb) == (record_create, record_update)
    assert RELATIONSHIPS.detail_context is pages.relationship_detail_context
    assert RELATIONSHIPS.detail_template == "partners/relationship_detail.html"
    assert (INTERACTIONS.detail_context, INTERACTIONS.detail_template) == (None, "core/record_detail.html")
    assert PARTNER_ALIASES.form_class is PartnerAliasRecordForm
    assert RELATIONSHIPS.actions == {"status": views.RelationshipStatusView}


def test_the_columns_leave_out_files_and_keep_the_forms_order():
    assert "attachment" not in INTERACTIONS.columns
    assert INTERACTIONS.columns == tuple(name for name in INTERACTIONS.form_class._meta.fields if name != "attachment")


def test_the_slug_is_the_models_name_in_plural_and_the_paths_of_the_contract_hold():
    assert [plural_slug(name) for name in ("PartnerAlias", "Currency", "Country", "Field", "Box", "Day")] == [
        "partner-aliases",
        "currencies",
        "countries",
        "fields",
        "boxes",
        "days",
    ]
    assert set(record_types()) == {
        "units",
        "countries",
        "foreign-subdivisions",
        "fields",
        "currencies",
        "declared-figures",
        "partners",
        "partner-aliases",
        "relationships",
        "interactions",
        "contacts",
        "agreements",
        "consultations",
        "agreement-reports",
        "delegations",
        "delegation-members",
        "delegation-rules",
        "events",
        "awards",
        "conferences",
        "press-visits",
        "reporting-regimes",
        "reporting-periods",
        "submissions",
        "reports",
    }


def test_a_relation_is_written_by_the_related_record_types_natural_key_or_else_by_id():
    types = record_types()
    assert types["partners"].lookups == {
        "owner": "key",
        "country": "iso2",
        "subdivision": "code",
        "parent": "key",
        "fields": "code",
    }
    assert types["agreements"].lookups == {"owner": "key", "partners": "key", "fields": "code", "relationship": "id"}
    assert types["relationships"].lookups["lead_organisation"] == "key"
    assert types["foreign-subdivisions"].lookups == {"country": "iso2", "parent": "code"}
    assert types["interactions"].lookups == {"relationship": "id"}
    assert types["fields"].lookups == {}


def test_a_declaration_that_leaves_a_part_out_fails_at_once():
    parts = {name: getattr(RELATIONSHIPS, name) for name in ("model", "form_class", "filterset_class", "table_class")}
    with pytest.raises(TypeError, match="create_verb"):
        RecordType(**parts, update_verb=record_update, detail_template="core/record_detail.html")


def test_a_part_that_does_not_fit_fails_the_system_check(monkeypatch):
    from core import records

    wrong = dataclasses.replace(
        INTERACTIONS, form_class=PartnerAliasRecordForm, update_verb="record_update", detail_template="no/such.html"
    )
    monkeypatch.setitem(records._REGISTRY, "interactions", wrong)
    errors = [error for error in checks.run_checks() if error.id == "core.E001"]
    assert [error.msg for error in errors] == [
        "record type 'interactions': form_class is not made for Interaction",
        "record type 'interactions': update_verb is not callable",
        "record type 'interactions': detail_template 'no/such.html' does not exist",
    ]


def test_every_record_type_passes_the_check_and_its_api_path_is_its_slug():
    from core.api.router import router

    assert [error for error in checks.run_checks() if error.id.startswith("core.E")] == []
    routes = {prefix: viewset for prefix, viewset, _basename in router.registry}
    for slug, record_type in record_types().items():
        if slug in routes:
            assert routes[slug].record_type is record_type


def test_a_list_links_its_first_column_unless_the_table_declares_it():
    assert AgreementTable.base_columns["title"].link is not None
    assert ConsultationTable.base_columns["body"].link is not None
    assert COUNTRIES.table_class.base_columns["name_vi"].link is not None
    assert AgreementTable.base_columns["kind"].link is None
    # Declared columns keep what they say: the partner's name reads both names, a relationship links to itself.
    assert str(PartnerTable.base_columns["name"].accessor) == "name_vi"
    assert RelationshipTable.base_columns["partner"].link is not None
