"""Tables of the core lists."""

import django_tables2 as tables
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from core.indicators import catalogue
from core.models import Country, Currency, DeclaredFigure, Field, ForeignSubdivision, Unit


class RecordTable(tables.Table):
    """Base table: a selection column for bulk actions; the first data column links to the record."""

    selection = tables.CheckBoxColumn(accessor="pk", attrs={"input": {"name": "pk", "form": "bulk-form"}})

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        template_name = "django_tables2/bootstrap5-responsive.html"


class ReferenceTable(tables.Table):
    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        template_name = "django_tables2/bootstrap5-responsive.html"


def plain_number(value) -> str:
    """A decimal without trailing zeros, grouped as Vietnamese documents write it (1.234.567,5)."""
    if value is None:
        return "—"
    return formats.number_format(value.normalize() if hasattr(value, "normalize") else value, force_grouping=True)


class DeclaredFigureTable(RecordTable):
    indicator = tables.Column(linkify=True)
    value = tables.Column()
    value_max = tables.Column()

    def render_indicator(self, value):
        item = catalogue().get(value)
        return f"{item.label}" if item else value

    def render_value(self, value):
        return plain_number(value)

    def render_value_max(self, value):
        return plain_number(value)

    # Exports keep the numbers as numbers, so that Excel can add them up.
    def value_value(self, value):
        return value.normalize() if value is not None else None

    def value_value_max(self, value):
        return value.normalize() if value is not None else None

    class Meta(RecordTable.Meta):
        model = DeclaredFigure
        fields = ("selection", "indicator", "period", "owner", "qualifier", "value", "value_max", "source_document")


class UnitTable(ReferenceTable):
    name = tables.Column(linkify=True)
    root = tables.Column(verbose_name=_("province / body"))

    class Meta(ReferenceTable.Meta):
        model = Unit
        fields = ("name", "full_name", "kind", "code", "key", "root", "is_legacy", "valid_from", "valid_to")


class CountryTable(ReferenceTable):
    name_vi = tables.Column(linkify=True)

    class Meta(ReferenceTable.Meta):
        model = Country
        fields = ("name_vi", "name_en", "iso2", "iso3", "official_name_vi")


class ForeignSubdivisionTable(ReferenceTable):
    name = tables.Column(linkify=True)

    class Meta(ReferenceTable.Meta):
        model = ForeignSubdivision
        fields = ("name", "name_vi", "code", "country", "kind", "parent")


class FieldTable(ReferenceTable):
    name_vi = tables.Column(linkify=True)

    class Meta(ReferenceTable.Meta):
        model = Field
        fields = ("name_vi", "name_en", "code")


class CurrencyTable(ReferenceTable):
    code = tables.Column(linkify=True)

    class Meta(ReferenceTable.Meta):
        model = Currency
        fields = ("code", "name_vi", "name_en", "minor_units")
