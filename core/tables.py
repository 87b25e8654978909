"""Tables of the core lists."""

import django_tables2 as tables
from django.utils import formats
from django_tables2.columns import library

from core.indicators import catalogue
from core.models import DeclaredFigure


class LinkedTable(tables.Table):
    """Base of every list: its first data column links to each record's page, unless the table declares that
    column itself (to link elsewhere, or to show more than the field)."""

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        template_name = "django_tables2/bootstrap5-responsive.html"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        first = next((name for name in cls._meta.fields or () if name != "selection"), None)
        # ``_explicit`` is django-tables2's own mark of a column declared in the class (not made from the model).
        if first is None or cls._meta.model is None or cls.base_columns[first]._explicit:
            return
        field = cls._meta.model._meta.get_field(first)
        cls.base_columns[first] = library.column_for_field(field, accessor=first, linkify=True)


class RecordTable(LinkedTable):
    """A registry's list: with a selection column for bulk actions."""

    selection = tables.CheckBoxColumn(accessor="pk", attrs={"input": {"name": "pk", "form": "bulk-form"}})

    class Meta(LinkedTable.Meta):
        pass


def linked_table(model, fields: tuple[str, ...], *, base: type[LinkedTable] = RecordTable) -> type[LinkedTable]:
    """The table of ``model`` that shows ``fields`` and nothing more (its first column linked to each record)."""
    meta = type("Meta", (base.Meta,), {"model": model, "fields": fields})
    return type(f"{model.__name__}Table", (base,), {"Meta": meta})


def plain_number(value) -> str:
    """A decimal without trailing zeros, grouped as Vietnamese documents write it (1.234.567,5)."""
    if value is None:
        return "—"
    return formats.number_format(value.normalize() if hasattr(value, "normalize") else value, force_grouping=True)


class DeclaredFigureTable(RecordTable):
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
