"""The plain widgets of a list's filter form written without their templates (issue 17, item 13).

A list page shows its FilterSet's form above the rows; Django renders each widget through its template, and a
select through one more template per option and one per option's attributes: on a list of 25 rows that form
was the largest part of what the page costs beyond its rows. :func:`widget_html` writes an input and a select
(with its options) in Python, from the same context (``Widget.get_context``) and with the same escaping, so
that the HTML is the one Django's templates write (core/tests/test_tables.py compares them for every filter of
every record type). Another widget, or a template a project overrides, is left to the form's renderer.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import django.core.exceptions
import django.forms
from django.forms.models import ModelChoiceIteratorValue
from django.template.base import render_value_in_context
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeData

_WIDGETS = Path(django.forms.__file__).resolve().parent / "templates" / "django" / "forms" / "widgets"
_INPUT = "django/forms/widgets/input.html"
_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"
_ATTRS = "django/forms/widgets/attrs.html"
# The templates as Django 5.2 ships them: the Python below writes exactly these, and is used only while the
# templates the form's renderer finds are Django's own, unchanged.
_SOURCES = {
    _INPUT: '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %} '
    'value="{{ widget.value|stringformat:\'s\' }}"{% endif %}{% include "django/forms/widgets/attrs.html" %}>\n',
    _SELECT: '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>{% for group_name, '
    'group_choices, group_index in widget.optgroups %}{% if group_name %}\n  <optgroup label="{{ group_name }}">'
    "{% endif %}{% for option in group_choices %}\n  {% include option.template_name with widget=option %}"
    "{% endfor %}{% if group_name %}\n  </optgroup>{% endif %}{% endfor %}\n</select>\n",
    _OPTION: '<option value="{{ widget.value|stringformat:\'s\' }}"{% include "django/forms/widgets/attrs.html" %}>'
    "{{ widget.label }}</option>\n",
    _ATTRS: "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}{% if value is not "
    "True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}{% endfor %}",
}
_INPUT_ONLY = '{% include "django/forms/widgets/input.html" %}\n'


class _Context:
    """What ``render_value_in_context`` reads of the plain Context the form renderer renders with."""

    autoescape = True
    use_l10n = None
    use_tz = None


_CONTEXT = _Context()


def _shown(value) -> str:
    """``{{ value }}``."""
    return render_value_in_context(value, _CONTEXT)


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}``: a safe string stays as it is, anything else is escaped."""
    text = str(value) if isinstance(value, tuple) else value
    try:
        text = "%s" % (text,)  # noqa: UP031 - the filter's own formatting
    except (ValueError, TypeError):
        return ""
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs: dict) -> str:
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = f' value="{_formatted(widget["value"])}"' if widget["value"] is not None else ""
    return f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}{_attrs(widget["attrs"])}>\n'


def _option(option: dict) -> str:
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>{_shown(option["label"])}</option>\n'
    )


def _select(widget: dict) -> str | None:
    out = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _group_index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                return None
            out.append(f"\n  {_option(option)}")
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


@cache
def _django_own(renderer, template_name: str) -> bool:
    """Whether ``renderer`` finds Django's own, unchanged template for ``template_name``."""
    try:
        template = getattr(renderer.get_template(template_name), "template", None)
    except Exception:  # noqa: BLE001 - any doubt leaves the widget to its template
        return False
    origin = Path(getattr(getattr(template, "origin", None), "name", "") or "")
    return origin.parent == _WIDGETS and getattr(template, "source", None) == (_SOURCES.get(template_name, _INPUT_ONLY))


def _writer(renderer, template_name: str):
    """The Python that writes ``template_name``, where the renderer would render Django's own templates."""
    if template_name == _SELECT:
        needed = (_SELECT, _OPTION, _ATTRS)
        write = _select
    elif template_name != _INPUT and _django_own(renderer, template_name):
        # text.html, number.html, search.html...: each only includes input.html.
        needed = (_INPUT, _ATTRS)
        write = _input
    else:
        return None
    return write if all(_django_own(renderer, name) for name in needed) else None


class _PlainWidgets:
    """A form renderer that writes the plain widgets itself and hands anything else to ``renderer``."""

    def __init__(self, renderer):
        self.renderer = renderer

    def __getattr__(self, name):
        return getattr(self.renderer, name)

    def render(self, template_name, context, request=None):
        write = _writer(self.renderer, template_name)
        html = write(context["widget"]) if write is not None else None
        if html is None:
            return self.renderer.render(template_name, context, request=request)
        return html.strip()


def widget_html(bound_field) -> str:
    """``bound_field.as_widget()`` (marked safe by the widget, as it is), its plain widgets written without their
    templates."""
    form = bound_field.form
    renderer = form.renderer
    form.renderer = _PlainWidgets(renderer)
    try:
        return bound_field.as_widget()
    finally:
        form.renderer = renderer


class TypeaheadSelect(django.forms.Select):
    """A choice among rows that may be many (the 4,128 units of the country, the subdivisions of a country): up to
    :attr:`list_limit` rows are a plain select; beyond, the page carries only the chosen row, and
    static/js/typeahead.js turns the select into a search box that asks ``core:options`` for the rows matching what
    is typed (issue 18, item 7). Without script the chosen row stays chosen, and the form still checks whatever is
    posted against its field's queryset (``core.forms.choices_for``).

    ``source`` names the rows in core.options.SOURCES. A choice narrowed by another field of the form (a country's
    subdivisions) names that field's input in ``depends`` and its value in ``depends_value``; the rows written in the
    page are then those of the value, and the script asks again when the other field changes.
    """

    template_name = "core/widgets/typeahead_select.html"
    list_limit = 50

    def __init__(self, attrs=None, choices=(), *, source: str = "", label: str = ""):
        super().__init__(attrs, choices)
        self.source = source
        self.label = label
        self.depends = self.depends_param = self.depends_lookup = ""
        self.depends_value = None
        self.searching = False

    def narrow(self, *, field_name: str, param: str, lookup: str, value) -> None:
        """Write only the rows whose ``lookup`` is ``value`` (the other field's current value), and let the script
        ask again, with ``param``, when the input ``field_name`` changes."""
        self.depends, self.depends_param, self.depends_lookup = field_name, param, lookup
        self.depends_value = getattr(value, "pk", value)

    def _rows(self, queryset):
        value = str(self.depends_value or "").strip()
        if self.depends_lookup and value:
            return queryset.filter(**{self.depends_lookup: int(value)}) if value.isdigit() else queryset.none()
        return queryset

    def optgroups(self, name, value, attrs=None):
        iterator = self.choices
        field = getattr(iterator, "field", None)
        if field is None:  # not a model choice: a plain select
            self.searching = False
            return super().optgroups(name, value, attrs)
        chosen = [str(item) for item in value if item not in (None, "")]
        rows = list(self._rows(iterator.queryset)[: self.list_limit + 1])
        self.searching = len(rows) > self.list_limit
        shown = {str(field.prepare_value(row)) for row in rows}
        if self.searching:
            rows = [row for row in rows if str(field.prepare_value(row)) in chosen]
        missing = [item for item in chosen if item not in shown]
        if missing:
            # The chosen row stays shown when it is not among those written (a long list, another country's row).
            key = field.to_field_name or "pk"
            try:
                rows += list(iterator.queryset.filter(**{f"{key}__in": missing}))
            except (ValueError, TypeError, django.core.exceptions.ValidationError):
                pass  # not a key: the field says so when the form is checked
        options = []
        if field.empty_label is not None:
            options.append(self.create_option(name, "", field.empty_label, not chosen, 0))
        for index, row in enumerate(rows, start=len(options)):
            key = str(field.prepare_value(row))
            options.append(
                self.create_option(
                    name, ModelChoiceIteratorValue(key, row), field.label_from_instance(row), key in chosen, index
                )
            )
        return [(None, options, 0)]

    def use_required_attribute(self, initial):
        # As Select decides (a required select starts with an empty choice), without reading the rows to find it.
        field = getattr(self.choices, "field", None)
        if field is None:
            return super().use_required_attribute(initial)
        return not self.is_hidden and field.empty_label is not None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["typeahead"] = {
            "url": reverse("core:options", kwargs={"source": self.source}),
            "mode": "search" if self.searching else "list",
            "limit": self.list_limit,
            "label": self.label,
            "depends": self.depends,
            "param": self.depends_param,
        }
        return context
