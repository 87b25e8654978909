"""The parts of a list page written in Python (issue 17, item 13): ``{% table_rows table %}``, the rows of its
table (core.tables.rows_html), and ``{{ field|plain_widget }}``, a filter's widget (core.widgets.widget_html)."""

from django import template

from core.tables import rows_html
from core.widgets import widget_html

register = template.Library()


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    return rows_html(table, context)


@register.filter
def plain_widget(bound_field):
    return widget_html(bound_field)
