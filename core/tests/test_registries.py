"""Every core model through the shared mixins."""

from core.models import Country, Unit
from core.registries import COUNTRIES, CURRENCIES, DECLARED_FIGURES, FIELDS, FOREIGN_SUBDIVISIONS, UNITS
from core.testing.factories import DeclaredFigureFactory
from core.testing.mixins import RecordTests, ReferenceTests


class TestDeclaredFigure(RecordTests):
    record_type = DECLARED_FIGURES
    factory = DeclaredFigureFactory
    values = {
        "indicator": "outgoing_delegations",
        "period": "2012",
        "qualifier": "exact",
        "value": "189",
        "source_document": "Báo cáo tổng kết 2013",
        "quote": "giảm 25 đoàn",
    }


class TestUnit(ReferenceTests):
    record_type = UNITS
    sample = {"key": "ha-noi", "name": "Hà Nội", "kind": "municipality"}
    changes = {"full_name": "Thành phố Hà Nội", "code": "01"}


class TestCountry(ReferenceTests):
    record_type = COUNTRIES
    sample = {"iso2": "LA", "iso3": "LAO", "name_en": "Laos", "name_vi": "Lào", "aliases": ["CHDCND Lào"]}
    changes = {"official_name_vi": "Cộng hòa Dân chủ Nhân dân Lào"}


class TestForeignSubdivision(ReferenceTests):
    record_type = FOREIGN_SUBDIVISIONS
    sample = {
        "code": "LA-XE",
        "name": "Xékong",
        "name_vi": "Sê Kông",
        "country": lambda world: Country.objects.create(iso2="LA", name_en="Laos", name_vi="Lào"),
    }
    changes = {"aliases": ["Sê Koong", "Xekong"], "kind": "province"}


class TestField(ReferenceTests):
    record_type = FIELDS
    sample = {"code": "education_training", "name_vi": "Giáo dục và đào tạo", "name_en": "Education"}
    changes = {"name_en": "Education and training"}


class TestCurrency(ReferenceTests):
    record_type = CURRENCIES
    sample = {"code": "LAK", "name_en": "Lao kip", "name_vi": "Kíp Lào"}
    changes = {"numeric": "418", "minor_units": 2}


def test_units_are_not_deletable_through_the_registry():
    assert UNITS.trash is False
    assert Unit._meta.get_field("parent").remote_field.on_delete.__name__ == "PROTECT"
