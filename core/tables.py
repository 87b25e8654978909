"""Tables of the core lists."""

import django_tables2 as tables
from django.utils import formats

from core.indicators import catalogue
from core.models import DeclaredFigure


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
