"""The record types of core: declared figures (a scoped registry) and the reference data.

Reference data (units, countries, foreign subdivisions, fields, currencies) is declared once with
:func:`reference_type`, which derives the form, FilterSet and table from the column list.
"""

from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _

from core import filtersets
from core import tables as core_tables
from core.forms import DeclaredFigureForm, RecordForm
from core.models import Country, Currency, DeclaredFigure, Field, ForeignSubdivision, Unit
from core.records import GENERIC_PARTS, RecordType, register


def reference_type(
    model,
    columns: tuple[str, ...],
    *,
    form_extra: tuple[str, ...] = (),
    filters: tuple[str, ...] = (),
    filterset_class=None,
    table_class=None,
    detail_template: str = "core/record_detail.html",
    **options,
) -> RecordType:
    """Register a reference record type: not owned by a unit, read by all, changed by reference managers. Its list
    shows ``columns`` unless a ``table_class`` writes them for readers (a name rather than a key)."""
    form_class = modelform_factory(model, form=RecordForm, fields=[*columns, *form_extra])
    if filterset_class is None:
        meta = type("Meta", (), {"model": model, "fields": list(filters)})
        filterset_class = type(
            f"{model.__name__}FilterSet", (filtersets.RecordFilterSet,), {"unit": None, "Meta": meta}
        )
    if table_class is None:
        table_class = core_tables.linked_table(model, columns, base=core_tables.LinkedTable)
    return register(
        RecordType(
            model=model,
            form_class=form_class,
            filterset_class=filterset_class,
            table_class=table_class,
            **{**GENERIC_PARTS, "detail_template": detail_template},
            columns=columns,
            trash=False,
            **options,
        )
    )


DECLARED_FIGURES = register(
    RecordType(
        model=DeclaredFigure,
        form_class=DeclaredFigureForm,
        filterset_class=filtersets.DeclaredFigureFilterSet,
        table_class=core_tables.DeclaredFigureTable,
        **GENERIC_PARTS,
        natural_key=("owner", "indicator", "period", "source_document"),
        bulk_fields=("qualifier", "source_document", "notes"),
        related=((_("Other documents stating this figure"), lambda record, user: record.other_sources(user)),),
    )
)
UNITS = reference_type(
    Unit,
    ("name", "full_name", "kind", "code", "key", "parent", "is_legacy", "valid_from", "valid_to"),
    form_extra=("name_en",),
    natural_key=("key",),
    detail_template="core/unit_detail.html",
    filterset_class=filtersets.UnitFilterSet,
)
COUNTRIES = reference_type(
    Country,
    ("name_vi", "name_en", "iso2", "iso3", "numeric", "official_name_vi"),
    form_extra=("aliases",),
    natural_key=("iso2",),
    importable=False,
)
FOREIGN_SUBDIVISIONS = reference_type(
    ForeignSubdivision,
    ("name", "name_vi", "code", "country", "kind", "parent"),
    form_extra=("aliases", "note"),
    natural_key=("code",),
    filterset_class=filtersets.ForeignSubdivisionFilterSet,
)
FIELDS = reference_type(Field, ("name_vi", "name_en", "code"), form_extra=("aliases",), natural_key=("code",))
CURRENCIES = reference_type(
    Currency,
    ("code", "name_vi", "name_en", "numeric", "minor_units"),
    natural_key=("code",),
    importable=False,
)
