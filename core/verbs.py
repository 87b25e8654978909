"""Verbs declared once (DESIGN.md, "Verbs with side effects"): a verb's name, the service that does it, its
label, the values it takes and how its button looks. The web page's form and buttons, the API's serializer
and action, and the transition tests are all built from one declaration, so they cannot drift apart.

The values a verb takes are declared once, as a Django form (the web page's); the API's serializer is built
from that form's fields by :func:`serializer_for`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from rest_framework import serializers


@dataclass(frozen=True)
class Verb:
    """One verb on a record: ``service(<record keyword>=record, user=..., request=..., **values)``.

    ``inputs`` is the form of the values it takes; ``required`` names those it cannot do without even where the
    form leaves them optional (a step's date, on a form shared by the steps). ``style`` is the button's class;
    ``confirm`` the question asked before an irreversible step.
    """

    name: str
    service: Callable
    label: Promise
    inputs: type[forms.Form]
    takes: tuple[str, ...] | None = None
    required: tuple[str, ...] = ()
    style: str = "btn-primary"
    confirm: Promise | None = None

    @property
    def slug(self) -> str:
        """The verb in a URL: ``submit_for_consultation`` is ``submit-for-consultation``."""
        return self.name.replace("_", "-")

    @property
    def fields(self) -> tuple[str, ...]:
        """The values the verb takes: ``takes`` where the form serves several verbs, else every field of it."""
        return tuple(self.inputs.base_fields) if self.takes is None else self.takes

    def form(self, data=None, **kwargs) -> forms.Form:
        """The verb's form, with only the fields it takes."""
        form = self.inputs(data, **kwargs)
        for name in list(form.fields):
            if name not in self.fields:
                del form.fields[name]
        return form

    @property
    def takes_dates(self) -> bool:
        """Whether the verb's form asks for a date (its page then says how to write one)."""
        return any(isinstance(self.inputs.base_fields[name], forms.DateField) for name in self.fields)

    @cached_property
    def serializer_class(self) -> type[serializers.Serializer]:
        return serializer_for(self.inputs, self.fields, name=f"{self.name.title().replace('_', '')}Values")

    def run(self, record, *, keyword: str, user, values: dict, request=None):
        """Call the service with the values given (empty ones left out), refusing a missing required value."""
        from django.core.exceptions import ValidationError

        kwargs = {name: values[name] for name in self.fields if values.get(name) not in (None, "")}
        missing = [name for name in self.required if name not in kwargs]
        if missing:
            # Each message names its field: the page shows them above the page, away from the fields.
            raise ValidationError(
                {
                    name: (
                        _("%(field)s: give the date for this step.")
                        if isinstance(self.inputs.base_fields[name], forms.DateField)
                        else _("%(field)s: this value is needed for this step.")
                    )
                    % {"field": self.inputs.base_fields[name].label}
                    for name in missing
                }
            )
        return self.service(**{keyword: record}, user=user, request=request, **kwargs)


def verb_table(verbs: Iterable[Verb]) -> dict[str, Verb]:
    """Verbs by name, in the order declared (the order of the page's buttons)."""
    from core.history import register_reason

    table = {}
    for verb in verbs:
        if verb.name in table:
            raise ValueError(f"verb {verb.name!r} is declared twice")
        table[verb.name] = verb
        register_reason(verb.name, verb.label)  # the history names the step as its button does
    return table


def serializer_for(form_class: type[forms.Form], names: Iterable[str], *, name: str) -> type[serializers.Serializer]:
    """A serializer with the fields ``names`` of ``form_class``, same types, limits, choices and requirements."""
    attrs = {}
    for field_name in names:
        field = form_class.base_fields[field_name]
        # A value with a default (a model field's) may be left out: the service's default then applies.
        options = {"required": field.required and field.initial in (None, ""), "label": field.label}
        if isinstance(field, forms.DateField):
            attrs[field_name] = serializers.DateField(**options)
        elif isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
            choices = [(value, label) for value, label in field.choices if value != ""]
            attrs[field_name] = serializers.ChoiceField(choices=choices, allow_blank=not field.required, **options)
        elif isinstance(field, forms.IntegerField):
            attrs[field_name] = serializers.IntegerField(
                min_value=field.min_value, max_value=field.max_value, **options
            )
        elif isinstance(field, forms.CharField):
            attrs[field_name] = serializers.CharField(
                max_length=field.max_length, allow_blank=not field.required, **options
            )
        else:
            raise TypeError(f"{form_class.__name__}.{field_name}: no API field for {type(field).__name__}")
    return type(name, (serializers.Serializer,), attrs)
