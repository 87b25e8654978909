"""Every core model through the shared mixins."""

from decimal import Decimal

from core.models import Country, Currency, DeclaredFigure, Field, ForeignSubdivision, Unit
from core.registries import COUNTRIES, CURRENCIES, DECLARED_FIGURES, FIELDS, FOREIGN_SUBDIVISIONS, UNITS
from core.testing.mixins import RecordTests, ReferenceTests


class TestDeclaredFigure(RecordTests):
    record_type = DECLARED_FIGURES
    api_basename = "declaredfigure"
    counter = 0

    def make(self, world, owner):
        TestDeclaredFigure.counter += 1
        return DeclaredFigure.objects.create(
            owner=owner,
            indicator="outgoing_delegations",
            period=str(1990 + self.counter % 30),
            value=Decimal(self.counter),
            source_document=f"Báo cáo {self.counter}",
        )

    def form_data(self, world, owner):
        return {
            "owner": owner.pk,
            "indicator": "outgoing_delegations",
            "period": "2012",
            "qualifier": "exact",
            "value": "189",
            "source_document": "Báo cáo tổng kết 2013",
            "quote": "giảm 25 đoàn",
        }

    def api_data(self, world, owner):
        return {
            "owner": owner.key,
            "indicator": "outgoing_person_trips",
            "period": "2012",
            "qualifier": "exact",
            "value": "764",
            "source_document": "Báo cáo tổng kết 2013",
        }


class TestUnit(ReferenceTests):
    record_type = UNITS
    api_basename = "unit"

    def make(self, world):
        return world.bacninh

    def form_data(self, world, record):
        return {
            "key": record.key,
            "code": "27",
            "name": record.name,
            "full_name": "Tỉnh Bắc Ninh",
            "kind": record.kind,
            "version": record.version,
        }


class TestCountry(ReferenceTests):
    record_type = COUNTRIES
    api_basename = "country"

    def make(self, world):
        return Country.objects.create(iso2="LA", iso3="LAO", numeric="418", name_en="Laos", name_vi="Lào")

    def form_data(self, world, record):
        return {
            "iso2": "LA",
            "iso3": "LAO",
            "numeric": "418",
            "name_en": "Laos",
            "name_vi": "Lào",
            "official_name_vi": "Cộng hòa Dân chủ Nhân dân Lào",
            "aliases": '["CHDCND Lào"]',
            "version": record.version,
        }


class TestForeignSubdivision(ReferenceTests):
    record_type = FOREIGN_SUBDIVISIONS
    api_basename = "foreignsubdivision"

    def make(self, world):
        country = Country.objects.create(iso2="LA", name_en="Laos", name_vi="Lào")
        return ForeignSubdivision.objects.create(code="LA-XE", country=country, name="Xékong", name_vi="Sê Kông")

    def form_data(self, world, record):
        return {
            "code": record.code,
            "country": record.country_id,
            "name": "Xekong",
            "name_vi": "Sê Kông",
            "kind": "province",
            "aliases": '["Sê Koong"]',
            "version": record.version,
        }


class TestField(ReferenceTests):
    record_type = FIELDS
    api_basename = "field"

    def make(self, world):
        return Field.objects.create(code="education_training", name_vi="Giáo dục và đào tạo", name_en="Education")

    def form_data(self, world, record):
        return {
            "code": record.code,
            "name_vi": "Giáo dục - đào tạo",
            "name_en": "Education and training",
            "aliases": "[]",
            "version": record.version,
        }


class TestCurrency(ReferenceTests):
    record_type = CURRENCIES
    api_basename = "currency"

    def make(self, world):
        return Currency.objects.create(code="LAK", name_en="Lao kip", name_vi="Kíp Lào", minor_units=2)

    def form_data(self, world, record):
        return {
            "code": "LAK",
            "numeric": "418",
            "name_en": "Lao kip",
            "name_vi": "Kíp Lào",
            "minor_units": 2,
            "version": record.version,
        }


def test_units_are_not_deletable_through_the_registry():
    assert UNITS.trash is False
    assert Unit._meta.get_field("parent").remote_field.on_delete.__name__ == "PROTECT"
