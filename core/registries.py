"""The record types of core: declared figures (a scoped registry) and the reference data."""

from django import forms

from core import filtersets, tables
from core.forms import RecordForm
from core.models import Country, Currency, DeclaredFigure, Field, ForeignSubdivision, Unit
from core.records import RecordType, register


class DeclaredFigureForm(RecordForm):
    class Meta:
        model = DeclaredFigure
        fields = [
            "owner",
            "indicator",
            "period",
            "qualifier",
            "value",
            "value_max",
            "source_document",
            "source_date",
            "quote",
            "notes",
        ]
        widgets = {"quote": forms.Textarea(attrs={"rows": 3}), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        from core.indicators import catalogue

        super().__init__(*args, **kwargs)
        self.fields["indicator"] = forms.ChoiceField(
            label=self.fields["indicator"].label,
            choices=[("", "---------")] + [(code, f"{item.label} ({code})") for code, item in catalogue().items()],
        )


class UnitForm(RecordForm):
    class Meta:
        model = Unit
        fields = [
            "key",
            "code",
            "name",
            "full_name",
            "name_en",
            "kind",
            "parent",
            "is_legacy",
            "valid_from",
            "valid_to",
        ]


class CountryForm(RecordForm):
    class Meta:
        model = Country
        fields = ["iso2", "iso3", "numeric", "name_vi", "name_en", "official_name_vi", "aliases"]


class ForeignSubdivisionForm(RecordForm):
    class Meta:
        model = ForeignSubdivision
        fields = ["code", "country", "name", "name_vi", "kind", "parent", "aliases", "note"]


class FieldForm(RecordForm):
    class Meta:
        model = Field
        fields = ["code", "name_vi", "name_en", "aliases"]


class CurrencyForm(RecordForm):
    class Meta:
        model = Currency
        fields = ["code", "numeric", "name_vi", "name_en", "minor_units"]


DECLARED_FIGURES = register(
    RecordType(
        model=DeclaredFigure,
        slug="declared-figures",
        form_class=DeclaredFigureForm,
        filterset_class=filtersets.DeclaredFigureFilterSet,
        table_class=tables.DeclaredFigureTable,
        columns=(
            "owner",
            "indicator",
            "period",
            "qualifier",
            "value",
            "value_max",
            "source_document",
            "source_date",
            "quote",
            "notes",
        ),
        lookups={"owner": "key"},
        natural_key=("owner", "indicator", "period", "source_document"),
        bulk_fields=("qualifier", "source_document", "notes"),
    )
)
UNITS = register(
    RecordType(
        model=Unit,
        slug="units",
        form_class=UnitForm,
        filterset_class=filtersets.UnitFilterSet,
        table_class=tables.UnitTable,
        columns=(
            "key",
            "code",
            "name",
            "full_name",
            "name_en",
            "kind",
            "parent",
            "is_legacy",
            "valid_from",
            "valid_to",
        ),
        lookups={"parent": "key"},
        natural_key=("key",),
        trash=False,
    )
)
COUNTRIES = register(
    RecordType(
        model=Country,
        slug="countries",
        form_class=CountryForm,
        filterset_class=filtersets.CountryFilterSet,
        table_class=tables.CountryTable,
        columns=("iso2", "iso3", "numeric", "name_vi", "name_en"),
        natural_key=("iso2",),
        trash=False,
        importable=False,
    )
)
FOREIGN_SUBDIVISIONS = register(
    RecordType(
        model=ForeignSubdivision,
        slug="foreign-subdivisions",
        form_class=ForeignSubdivisionForm,
        filterset_class=filtersets.ForeignSubdivisionFilterSet,
        table_class=tables.ForeignSubdivisionTable,
        columns=("code", "country", "name", "name_vi", "kind", "parent"),
        lookups={"country": "iso2", "parent": "code"},
        natural_key=("code",),
        trash=False,
    )
)
FIELDS = register(
    RecordType(
        model=Field,
        slug="fields",
        form_class=FieldForm,
        filterset_class=filtersets.FieldFilterSet,
        table_class=tables.FieldTable,
        columns=("code", "name_vi", "name_en"),
        natural_key=("code",),
        trash=False,
    )
)
CURRENCIES = register(
    RecordType(
        model=Currency,
        slug="currencies",
        form_class=CurrencyForm,
        filterset_class=filtersets.CurrencyFilterSet,
        table_class=tables.CurrencyTable,
        columns=("code", "numeric", "name_vi", "name_en", "minor_units"),
        natural_key=("code",),
        trash=False,
        importable=False,
    )
)
