"""Tables of the core lists."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

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


class DeclaredFigureTable(RecordTable):
    indicator = tables.Column(linkify=True)
    value = tables.Column(accessor="value", verbose_name=_("value"))

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
