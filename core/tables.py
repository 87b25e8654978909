"""Tables of the core lists, and how their rows are written to the page.

django-tables2 writes each cell through its table template (a loop, an ``if`` and the column's attributes per
cell) and finds how to call each column's ``render`` anew for each cell; a date column renders a template of its
own per cell. On a list of 100 rows that was most of the page's time (issue 17, item 13; docs/performance.md).

The tables here keep django-tables2 for what it does once per page (columns, header, sorting, pagination,
export) and write the rows with :func:`rows_html`: what each column needs is worked out once per page (its
accessor, whether it shows a choice's label, how its ``render`` is called, its cell attributes, a date's format),
and each cell is then rendered exactly as django-tables2's template would (``BoundRow.get_cell`` and
``{{ cell }}``; core/tests/test_tables.py compares the two on every record type). A column this path does not
know (a template column, attributes computed per cell) is rendered by django-tables2 itself.
"""

from __future__ import annotations

import html
import re
from functools import partialmethod

import django_tables2 as tables
from django.db import models
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as date_filter
from django.templatetags.l10n import localize as localize_filter
from django.templatetags.l10n import unlocalize as unlocalize_filter
from django.utils import formats
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime
from django_tables2.columns import BooleanColumn, CheckBoxColumn, DateColumn, DateTimeColumn, ManyToManyColumn, library
from django_tables2.rows import BoundPinnedRow
from django_tables2.utils import Accessor, AttributeDict, signature

from core.choices import DatePrecision
from core.collation import collated
from core.indicators import catalogue
from core.models import DeclaredFigure
from core.periods import partial_date

# DateColumn and DateTimeColumn are template columns whose template is only this: written here as a call.
_DATE_TEMPLATE = re.compile(r'^\{\{ value\|date:"([^"]*)"\|default:default \}\}$')
# What AttributeDict.as_html leaves out.
_NOT_ATTRIBUTES = frozenset(AttributeDict.blacklist)
_MISSING = object()


class _Generic(Exception):
    """This cell is left to django-tables2 (``BoundRow.get_cell``)."""


def _has_callable(attrs) -> bool:
    if callable(attrs):
        return True
    return isinstance(attrs, dict) and any(_has_callable(value) for value in attrs.values())


def _escape(value) -> str:
    """django.utils.html.conditional_escape, without its handling of lazy arguments on every call."""
    return value if isinstance(value, SafeData) else html.escape(str(value))


def _attributes_html(attrs: dict) -> str:
    """``AttributeDict(attrs).as_html()`` for attributes without callables."""
    return " ".join(
        f'{_escape(key)}="{_escape(value)}"'
        for key, value in attrs.items()
        if value is not None and key not in _NOT_ATTRIBUTES
    )


def _resolve(accessor: Accessor, bits: tuple[str, ...], record):
    """``accessor.resolve(record)``, by plain attribute access along model instances (a model has no item
    lookup, so django-tables2's first try fails on each); anything else is left to the accessor."""
    current = record
    for bit in bits:
        if not isinstance(current, models.Model):
            return accessor.resolve(record)
        try:
            current = getattr(current, bit)
        except AttributeError:
            return accessor.resolve(record)
        if callable(current):
            if getattr(current, "alters_data", False):
                return accessor.resolve(record)
            if not getattr(current, "do_not_call_in_templates", False):
                current = current(*accessor.callable_args, **accessor.callable_kwargs)
        if current is None:
            break
    return current


def _default_display(model, name: str, field) -> bool:
    """Whether ``model.get_<name>_display`` is Django's own (not one the model writes itself)."""
    for klass in model.__mro__:
        if f"get_{name}_display" in klass.__dict__:
            found = klass.__dict__[f"get_{name}_display"]
            return isinstance(found, partialmethod) and found.keywords.get("field") is field
    return False


class _Call:
    """A function called as django-tables2's ``call_with_appropriate`` calls it, its signature read once."""

    def __init__(self, function):
        self.function = function
        self.arguments, self.catch_all = signature(function)

    def __call__(self, kwargs: dict):
        if self.catch_all:
            return self.function(**kwargs)
        if all(name in kwargs for name in self.arguments):
            return self.function(**{name: kwargs[name] for name in self.arguments})
        return None


class _Link:
    """A column's ``LinkTransform`` (``linkify``) with its attributes and URL rule worked out once."""

    def __init__(self, link, bound_column):
        self.link = link
        self.generic = (
            _has_callable(link.attrs or {})
            or "href" in (link.attrs or {})
            or link.reverse_args.get("viewname") is not None
        )
        self.attrs = _attributes_html(link.attrs or {}) if not self.generic else ""
        self.url = _Call(link.url) if link.url and callable(link.url) else None
        self.accessor = Accessor(link.accessor if link.accessor is not None else bound_column.name)
        self.bits = self.accessor.bits

    def __call__(self, content, kwargs: dict):
        if self.generic:
            return self.link(content, **kwargs)
        if self.url is not None:
            url = self.url(kwargs)
        else:
            record = kwargs["record"]
            target = _resolve(self.accessor, self.bits, record)
            if not hasattr(target, "get_absolute_url"):
                if not hasattr(record, "get_absolute_url"):
                    return self.link(content, **kwargs)  # django-tables2 says what is wrong
                target = record
            url = target.get_absolute_url()
        if url is None:
            return content
        attrs = f'{self.attrs} href="{_escape(url)}"' if self.attrs else f'href="{_escape(url)}"'
        return mark_safe(f"<a {attrs}>{_escape(content)}</a>")  # noqa: S308 - both parts escaped


class _ColumnPlan:
    """How the cells of one bound column are rendered, worked out once per page instead of once per cell."""

    def __init__(self, table, bound_column, model):
        column = bound_column.column
        self.bound_column = bound_column
        self.name = bound_column.name
        self.column = column
        self.accessor = Accessor(bound_column.accessor)
        self.bits = self.accessor.bits
        self.empty_values = column.empty_values
        self.many_to_many = isinstance(column, ManyToManyColumn)
        self.localize = column.localize
        path, _separator, self.remainder = self.accessor.rpartition(self.accessor.SEPARATOR)
        self.path = Accessor(path)
        # A field with choices shows its label (django-tables2's get_FOO_display rule); Django's own
        # get_FOO_display is read from the field's choices, translated once per page instead of once per cell.
        field = self.accessor.get_field(model) if model is not None else None
        self.choices = bool(getattr(field, "choices", ()))
        self.labels = None
        if self.choices and field.name == self.remainder and _default_display(field.model, field.name, field):
            self.labels = {
                key: force_str(label, strings_only=True)
                for key, label in dict(make_hashable(field.flatchoices)).items()
            }
            self.field, self.display_model = field, field.model
        self.render = _Call(bound_column.render)
        self.link = _Link(bound_column.link, bound_column) if bound_column.link else None
        self.date_format = self.checkbox = self.booleans = None
        if type(column) in (DateColumn, DateTimeColumn) and bound_column.render == column.render:
            found = _DATE_TEMPLATE.match(column.template_code or "")
            if found and not column.template_name and not column.extra_context:
                self.date_format, self.dates = found.group(1), {}
        if type(column) is CheckBoxColumn and bound_column.render == column.render and column.checked is None:
            extra = column.attrs.get("td__input") or column.attrs.get("input") or {}
            if not _has_callable(extra):
                self.checkbox = (
                    dict({"type": "checkbox", "name": bound_column.name, "value": None}, **extra),
                    "value" in extra,
                )
        if (
            type(column) is BooleanColumn
            and bound_column.render == column.render
            and not self.choices
            and not _has_callable(column.attrs.get("span", {}))
        ):
            # Its cell depends on the truth of the value alone: rendered once for each.
            self.booleans = {}
        # Cell attributes are the same for every row unless one of them is computed from the row.
        self.generic = (
            _has_callable(table.attrs)
            or _has_callable(column.attrs)
            or (isinstance(column, tables.TemplateColumn) and self.date_format is None)
        )
        self.td_attrs = None if self.generic else bound_column.attrs["td"].as_html()

    def value(self, record):
        """The cell's value, as ``BoundRow._get_and_render_with`` finds it."""
        if self.choices:
            penultimate = self.path.resolve(record, quiet=True) if self.path else record
            if isinstance(penultimate, models.Model):
                if self.labels is not None and type(penultimate) is self.display_model:
                    value = getattr(penultimate, self.field.attname)
                    label = self.labels.get(make_hashable(value), _MISSING)
                    return force_str(value, strings_only=True) if label is _MISSING else label
                display = getattr(penultimate, f"get_{self.remainder}_display", None)
                if display:
                    return display()
        try:
            return _resolve(self.accessor, self.bits, record)
        except Exception as exc:  # noqa: BLE001 - django-tables2 decides what a failed lookup shows
            raise _Generic from exc

    def cell(self, row):
        """The cell's content, as ``BoundRow.get_cell`` makes it."""
        record = row.record
        try:
            if not isinstance(record, models.Model):
                raise _Generic
            value = self.value(record)
        except _Generic:
            return row.get_cell(self.name)
        if value in self.empty_values or (self.many_to_many and not value.exists()):
            return self.bound_column.default
        kwargs = {
            "value": value,
            "record": record,
            "column": self.column,
            "bound_column": self.bound_column,
            "bound_row": row,
            "table": row.table,
        }
        if self.date_format is not None:
            # {{ value|date:"<format>"|default:default }}, which the template engine returns as a safe string; the
            # same date (many rows share one) is written once.
            content = self.dates.get(value)
            if content is None:
                shown = date_filter(template_localtime(value), self.date_format) or self.bound_column.default
                content = self.dates[value] = conditional_escape(shown)
        elif self.booleans is not None:
            truth = bool(value)
            if truth not in self.booleans:
                self.booleans[truth] = self.render(kwargs)
            content = self.booleans[truth]
        elif self.checkbox is not None:
            attrs, fixed = self.checkbox
            content = mark_safe(f"<input {_attributes_html(attrs if fixed else {**attrs, 'value': value})} />")  # noqa: S308
        else:
            content = self.render(kwargs)
        return self.link(content, kwargs) if self.link else content

    def shown(self, content, context) -> str:
        """The content as the table template's ``<td>`` shows it: ``{{ cell }}`` (render_value_in_context), or
        ``{{ cell|localize }}`` or ``{{ cell|unlocalize }}`` for a column that says so."""
        if self.localize is not None:
            content = localize_filter(content) if self.localize else unlocalize_filter(content)
        elif isinstance(content, SafeData) and context.autoescape:
            return content
        elif type(content) is str and context.autoescape:
            return html.escape(content)
        return render_value_in_context(content, context)


def rows_html(table, context) -> SafeString:
    """The ``<tr>`` rows of the table's current page, as django-tables2's table template writes them."""
    model = getattr(table.data, "model", None) or table._meta.model
    plans = [_ColumnPlan(table, bound_column, model) for bound_column in table.columns]
    # A row's attributes are its parity's unless the table computes them from the row.
    row_attrs = {} if not _has_callable(table.row_attrs) else None
    out = []
    for row in table.paginated_rows:
        cells = []
        for plan in plans:
            if plan.generic or isinstance(row, BoundPinnedRow):
                # As BoundRow.items(): attributes computed from the cell see its value and record.
                content = row.get_cell(plan.name)
                plan.bound_column.current_value, plan.bound_column.current_record = content, row.record
                attrs = plan.bound_column.attrs["td"].as_html()
            else:
                content, attrs = plan.cell(row), plan.td_attrs
            # Both parts are escaped (as_html, and {{ cell }} as the template engine escapes it).
            cells.append(f"<td {attrs}>{plan.shown(content, context)}</td>")
        if row_attrs is None or isinstance(row, BoundPinnedRow):
            attrs = row.attrs.as_html()
        else:
            parity = row.get_even_odd_css_class()
            attrs = row_attrs.get(parity) or row_attrs.setdefault(parity, row.attrs.as_html())
        out.append(f"<tr {attrs}>{''.join(cells)}</tr>")
    if not out and table.empty_text:
        out.append(format_html('<tr><td colspan="{}">{}</td></tr>', len(plans), table.empty_text))
    return mark_safe("\n".join(out))  # noqa: S308 - every part is escaped above


class LinkedTable(tables.Table):
    """Base of every list: its first data column links to each record's page, unless the table declares that
    column itself (to link elsewhere, or to show more than the field). Its rows are written by
    :func:`rows_html` (templates/core/table.html). Names sort in Vietnamese alphabetical order, on the page and in
    its export, whichever column the list is sorted by (core.collation)."""

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        template_name = "core/table.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._collate()

    def _collate(self) -> None:
        data = getattr(self, "data", None)
        queryset = getattr(data, "data", None)
        if isinstance(queryset, QuerySet):
            data.data = collated(queryset)

    def _set_order_by(self, value) -> None:
        # django-tables2 orders the queryset by the column's plain field names: collated again after it.
        tables.Table.order_by.fset(self, value)
        self._collate()

    order_by = property(tables.Table.order_by.fget, _set_order_by)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        first = next((name for name in cls._meta.fields or () if name != "selection"), None)
        # ``_explicit`` is django-tables2's own mark of a column declared in the class (not made from the model).
        if first is not None and cls._meta.model is not None and not cls.base_columns[first]._explicit:
            field = cls._meta.model._meta.get_field(first)
            cls.base_columns[first] = library.column_for_field(field, accessor=first, linkify=True)
        _partial_date_columns(cls)


class PartialDateColumn(tables.Column):
    """A date that may be known only to the month or the year (its model's ``partial_dates`` names the field that
    says how far): written as the documents write it, "2013" or "04/2013", never 01/01/2013 (issue 18, item 7)."""

    def __init__(self, *args, precision: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.precision = precision

    def render(self, value, record):
        return partial_date(value, getattr(record, self.precision))


def partial_date_order(field: str, precision: str, *, descending: bool = False) -> list:
    """The order of a date that may be known only to the month or the year, as a list's ``order_by`` terms.

    A partial date stands for its whole span and sorts after every day in it: in ascending order "04/2013" comes
    after 30/04/2013 and before 01/05/2013, and "2013" after 31/12/2013 (and after "12/2013") and before 01/01/2014;
    descending is the exact reverse. A date known to the year says only that it happened by the end of that year,
    so it is not put before days it may follow. The terms are the year, then the month (13 for a year alone), then
    the day (32 for a month or a year alone); empty dates sort last both ways (docs/decisions.md, "Orders are
    total"). The caller adds a unique last term."""
    month = Case(
        When(**{precision: DatePrecision.YEAR}, then=Value(13)),
        default=ExtractMonth(field),
        output_field=IntegerField(),
    )
    day = Case(
        When(**{f"{precision}__in": [DatePrecision.MONTH, DatePrecision.YEAR]}, then=Value(32)),
        default=ExtractDay(field),
        output_field=IntegerField(),
    )
    terms = (ExtractYear(field), month, day)
    return [term.desc(nulls_last=True) if descending else term.asc(nulls_last=True) for term in terms]


def _partial_date_columns(cls) -> None:
    """Each column of a date its model declares partial (``partial_dates``) is written as a partial date unless the
    table writes it its own way, and sorts by :func:`partial_date_order` unless the table sorts it its own way."""
    model = cls._meta.model
    declared = getattr(model, "partial_dates", None) or {}
    for name, column in list(cls.base_columns.items()):
        field_name = str(column.accessor) if column.accessor else name
        precision = declared.get(field_name)
        if precision is None:
            continue
        if not column._explicit and not isinstance(column, PartialDateColumn):
            # No verbose_name: django-tables2 reads the model field's, capitalised, as for the column replaced.
            cls.base_columns[name] = PartialDateColumn(
                accessor=field_name, linkify=bool(column.link), precision=precision
            )
        if not hasattr(cls, f"order_{name}"):
            setattr(cls, f"order_{name}", _partial_date_ordering(field_name, precision))


def _partial_date_ordering(field: str, precision: str):
    def order(table, queryset, is_descending):
        last = "-pk" if is_descending else "pk"
        return queryset.order_by(*partial_date_order(field, precision, descending=is_descending), last), True

    return order


class RecordTable(LinkedTable):
    """A registry's list: with a selection column for bulk actions. The personal fields its model's policy names
    are shown, and exported, as the policy lets the user see them (masked otherwise): a list need not say it."""

    selection = tables.CheckBoxColumn(accessor="pk", attrs={"input": {"name": "pk", "form": "bulk-form"}})

    class Meta(LinkedTable.Meta):
        pass

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        policy = getattr(cls._meta.model, "policy", None)
        for name in getattr(policy, "personal_fields", ()):
            if name not in cls.base_columns:
                continue
            # A plain column: a link column (an email's mailto) would write the value into its link, masked or not.
            cls.base_columns[name] = tables.Column(verbose_name=cls.base_columns[name].verbose_name)
            shown = _personal(name)
            setattr(cls, f"render_{name}", shown)
            setattr(cls, f"value_{name}", shown)


def _personal(name: str):
    def shown(table, record, value):
        user = getattr(getattr(table, "request", None), "user", None)
        return record.policy.shown(user, record, name, value)

    return shown


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


_TYPED = (models.DateField, models.IntegerField, models.DecimalField, models.FloatField)


def _typed_field(table, column) -> models.Field | None:
    """The model field behind ``column`` where an export should carry its value as it is (a date, a number)
    rather than as the screen writes it: a plain path to a date or number field without choices, that the
    table neither renders nor exports its own way."""
    if hasattr(table, f"render_{column.name}") or hasattr(table, f"value_{column.name}"):
        return None
    model = table._meta.model
    found = None
    for part in str(column.accessor).replace("__", ".").split("."):
        if model is None:
            return None
        try:
            found = model._meta.get_field(part)
        except Exception:  # noqa: BLE001 - a property or a method: shown as the screen shows it
            return None
        model = found.related_model
    if not isinstance(found, _TYPED) or isinstance(found, models.DateTimeField) or found.choices:
        return None
    return found


def export_values(table) -> tuple[list[str], list[list]]:
    """The headers and rows of ``table`` as its export carries them: the text on screen, except that dates and
    numbers stay dates and numbers (a spreadsheet then shows them dd/mm/yyyy and 1.234.567, and sorts and sums
    them). A date known only to the month or the year (a model's ``partial_dates``) stays text, as on screen. The
    last column is each record's ID, so that the file, changed or not, imports back onto the records it came from
    (core.importing)."""
    from core.periods import partial_date

    columns = [column for column in table.columns if column.name not in ("selection", "actions")]
    typed = {column.name: _typed_field(table, column) for column in columns}
    headers = [str(column.header) for column in columns] + ["ID"]
    rows = []
    for row in table.rows:
        values = []
        for column in columns:
            field = typed[column.name]
            if field is None:
                values.append(row.get_cell_value(column.name))
                continue
            value = column.accessor.resolve(row.record, quiet=True)
            precision_field = getattr(type(row.record), "partial_dates", {}).get(str(column.accessor))
            if value is not None and precision_field:
                precision = getattr(row.record, precision_field)
                value = value if precision == "day" else partial_date(value, precision)
            values.append(value)
        # Text, not a number: Excel would write 1234 as 1.234.
        rows.append([*values, str(row.record.pk)])
    return headers, rows
