"""Every partners model through the shared mixins of core.testing."""

from core.testing.mixins import ChildRecordTests, RecordTests
from partners.models import PartnerAlias
from partners.registries import CONTACTS, INTERACTIONS, PARTNER_ALIASES, PARTNERS, RELATIONSHIPS
from partners.testing.factories import (
    ContactFactory,
    InteractionFactory,
    PartnerFactory,
    RelationshipFactory,
    country,
)


class TestPartner(RecordTests):
    record_type = PARTNERS
    api_basename = "partner"
    shared_reads = True

    def make(self, world, owner):
        return PartnerFactory(owner=owner)

    def values(self):
        return {
            "kind": "locality",
            "level": "city",
            "name_vi": "Thành phố Yongin",
            "name_en": "Yongin",
            "notes": "Đối tác của tỉnh",
        }

    def form_data(self, world, owner):
        return {**self.values(), "owner": owner.pk, "country": country().pk, "not_a_duplicate": "on"}

    def api_data(self, world, owner):
        return {**self.values(), "owner": owner.key, "country": country().iso2}


class TestRelationship(RecordTests):
    record_type = RELATIONSHIPS
    api_basename = "relationship"

    def make(self, world, owner):
        return RelationshipFactory(owner=owner)

    def form_data(self, world, owner):
        partner = PartnerFactory(owner=world.danang)
        return {
            "owner": owner.pk,
            "partner": partner.pk,
            "kind": "twinning",
            "status": "negotiating",
            "status_since": "01/03/2014",
            "notes": "Đang đàm phán",
        }

    def api_data(self, world, owner):
        partner = PartnerFactory(owner=world.danang)
        return {"owner": owner.key, "partner": partner.key, "kind": "twinning", "status": "negotiating", "notes": "x"}


class TestInteraction(RecordTests):
    record_type = INTERACTIONS
    api_basename = "interaction"

    def make(self, world, owner):
        return InteractionFactory(owner=owner)

    def form_data(self, world, owner):
        relationship = RelationshipFactory(owner=owner)
        return {
            "relationship": relationship.pk,
            "on": "15/06/2013",
            "precision": "day",
            "kind": "visit_in",
            "summary": "Đoàn Yongin thăm Quảng Nam",
            "source": "Báo cáo 2013",
        }

    def api_data(self, world, owner):
        relationship = RelationshipFactory(owner=owner)
        return {"relationship": relationship.pk, "on": "2013-06-15", "kind": "visit_in", "summary": "Thăm"}


class TestContact(RecordTests):
    record_type = CONTACTS
    api_basename = "contact"

    def make(self, world, owner):
        return ContactFactory(owner=owner)

    def form_data(self, world, owner):
        partner = PartnerFactory(owner=world.danang)
        return {
            "owner": owner.pk,
            "partner": partner.pk,
            "person_name": "Lee Ji-eun",
            "position": "Chuyên viên",
            "email": "lee@example.kr",
            "organisation": "Sở Hợp tác quốc tế",
        }

    def api_data(self, world, owner):
        partner = PartnerFactory(owner=world.danang)
        return {"owner": owner.key, "partner": partner.key, "person_name": "Lee Ji-eun", "email": "lee@example.kr"}


class TestPartnerAlias(ChildRecordTests):
    record_type = PARTNER_ALIASES
    shared_reads = True

    def make(self, world, owner):
        return PartnerAlias.objects.create(
            partner=PartnerFactory(owner=owner), name=f"Spelling {PartnerAlias.objects.count()}"
        )

    def form_data(self, world, owner):
        partner = PartnerFactory(owner=owner)
        return {"partner": partner.pk, "name": "Sê Koong", "language": "vi", "source": "Báo cáo 2013"}
