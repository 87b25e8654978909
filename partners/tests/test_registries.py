"""Every partners model through the shared mixins of core.testing."""

import datetime as dt

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
    factory = PartnerFactory
    values = {
        "kind": "locality",
        "level": "city",
        "name_vi": "Thành phố Yongin",
        "name_en": "Yongin",
        "notes": "Đối tác của tỉnh",
    }
    shared_reads = True

    def links(self, world, owner):
        return {"owner": owner, "country": country()}

    def form_data(self, world, owner):
        return {**super().form_data(world, owner), "not_a_duplicate": "on"}

    def private_record(self, world, shared):
        since = dt.date(2024, 3, 1)
        return RelationshipFactory(owner=world.danang, partner=shared, status="dormant", status_since=since)


class PartnerRecordTests(RecordTests):
    """A unit's record about a foreign partner: any partner of the shared catalogue will do."""

    def links(self, world, owner):
        return {"owner": owner, "partner": PartnerFactory(owner=world.danang)}


class TestRelationship(PartnerRecordTests):
    record_type = RELATIONSHIPS
    factory = RelationshipFactory
    values = {
        "kind": "twinning",
        "status": "negotiating",
        "status_since": dt.date(2014, 3, 1),
        "notes": "Đang đàm phán",
    }


class TestInteraction(RecordTests):
    record_type = INTERACTIONS
    factory = InteractionFactory
    parent = ("relationship", RelationshipFactory)
    values = {
        "on": dt.date(2013, 6, 15),
        "precision": "day",
        "kind": "visit_in",
        "summary": "Đoàn Yongin thăm Quảng Nam",
        "source": "Báo cáo 2013",
    }


class TestContact(PartnerRecordTests):
    record_type = CONTACTS
    factory = ContactFactory
    values = {
        "person_name": "Lee Ji-eun",
        "position": "Chuyên viên",
        "email": "lee@example.kr",
        "organisation": "Sở Hợp tác quốc tế",
    }


class TestPartnerAlias(ChildRecordTests):
    record_type = PARTNER_ALIASES
    parent = ("partner", PartnerFactory)
    values = {"name": "Sê Koong", "language": "vi", "source": "Báo cáo 2013"}
    shared_reads = True

    def private_record(self, world, shared):
        return None  # a spelling belongs to the catalogue: no unit keeps a record of its own about it

    def make(self, world, owner):
        return PartnerAlias.objects.create(
            partner=PartnerFactory(owner=owner), name=f"Spelling {PartnerAlias.objects.count()}"
        )
