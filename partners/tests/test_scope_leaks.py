"""Regression tests of issue 17: what one province holds never shows through another's filters, and a verb on
the shared partner catalogue never changes another unit's records."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from core.models import AuditEntry
from core.testing.world import login
from partners.models import Interaction, Partner, Relationship
from partners.services import partner_merge
from partners.testing.factories import InteractionFactory, PartnerFactory, RelationshipFactory

LEAKY_FILTERS = [
    {"unit": "da-nang", "status": "dormant", "year": "2024"},
    {"status": "dormant"},
    {"year": "2024"},
    {"unit": "da-nang"},
]


@pytest.fixture
def danang_dormant(world):
    """A partner of the national catalogue that only Đà Nẵng has a relationship with: dormant since 2024."""
    partner = PartnerFactory(owner=world.mofa)
    RelationshipFactory(owner=world.danang, partner=partner, status="dormant", status_since=dt.date(2024, 3, 1))
    return partner


@pytest.mark.parametrize("filters", LEAKY_FILTERS)
def test_partner_filters_do_not_tell_what_another_province_holds(client, world, danang_dormant, filters):
    api = APIClient()
    api.force_authenticate(world.other_editor)
    keys = [row["key"] for row in api.get("/api/v1/partners/", filters).json()["results"]]
    assert danang_dormant.key not in keys
    login(client, world.other_editor)
    page = client.get("/partners/", filters).content.decode()
    assert str(danang_dormant) not in page
    export = client.get("/partners/", {**filters, "export": "csv"}).content.decode("utf-8-sig")
    assert danang_dormant.key not in export and str(danang_dormant) not in export
    # Đà Nẵng itself finds it with the same filters.
    api.force_authenticate(world.province_editor)
    assert danang_dormant.key in [row["key"] for row in api.get("/api/v1/partners/", filters).json()["results"]]


def test_the_field_filter_reads_only_relationships_in_scope(world, danang_dormant):
    from core.models import Field

    field = Field.objects.create(code="education", name_vi="Giáo dục", name_en="Education")
    Relationship.objects.get(partner=danang_dormant).fields.add(field)
    api = APIClient()
    api.force_authenticate(world.other_editor)
    assert api.get("/api/v1/partners/", {"field": "education"}).json()["results"] == []
    api.force_authenticate(world.province_editor)
    assert len(api.get("/api/v1/partners/", {"field": "education"}).json()["results"]) == 1


def test_a_merge_never_changes_another_provinces_records(world):
    """Bắc Ninh keeps both partners, but Đà Nẵng has a relationship (with a timeline) with the one removed:
    the merge is refused, and nothing of Đà Nẵng's moves or goes to the trash."""
    kept = PartnerFactory(owner=world.bacninh)
    removed = PartnerFactory(owner=world.bacninh)
    theirs = RelationshipFactory(owner=world.danang, partner=removed)
    RelationshipFactory(owner=world.danang, partner=kept)  # a twin the old merge would have joined it to
    visit = InteractionFactory(owner=world.danang, relationship=theirs)
    with pytest.raises(ValidationError, match="Đà Nẵng"):
        partner_merge(keep=kept, remove=removed, user=world.other_editor)
    theirs = Relationship.all_objects.get(pk=theirs.pk)
    assert (theirs.partner_id, theirs.deleted_at, theirs.deleted_by) == (removed.pk, None, None)
    assert Interaction.objects.get(pk=visit.pk).relationship_id == theirs.pk
    assert Partner.objects.get(pk=removed.pk).merged_into is None


def test_a_merge_of_ones_own_links_still_works(world):
    kept = PartnerFactory(owner=world.bacninh)
    removed = PartnerFactory(owner=world.bacninh)
    mine = RelationshipFactory(owner=world.bacninh, partner=removed)
    partner_merge(keep=kept, remove=removed, user=world.other_editor)
    assert Relationship.objects.get(pk=mine.pk).partner_id == kept.pk


def test_a_refusal_inside_a_verb_is_audited_although_the_verb_rolls_back(world):
    """The refusal's audit entry is written after the verb's transaction ends, so it is not rolled back."""
    kept = PartnerFactory(owner=world.danang)
    removed = PartnerFactory(owner=world.danang)
    before = AuditEntry.objects.filter(action="denied").count()
    with pytest.raises(Exception, match="không|may not"):
        partner_merge(keep=kept, remove=removed, user=world.other_editor)
    denied = AuditEntry.objects.filter(action="denied").order_by("-pk")
    assert denied.count() == before + 1
    assert denied.first().user == world.other_editor and denied.first().object_pk == str(kept.pk)
