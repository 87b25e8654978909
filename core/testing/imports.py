"""Helpers of the shared import tests (core.testing.mixins): files written as people write them (issue 18, item 6)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils.text import capfirst
from openpyxl import Workbook
from unidecode import unidecode

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_file(rows: list[list], name: str = "import.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def upload(client, url: str, file) -> object:
    """The import page's answer to ``file`` (its preview, or its errors)."""
    return client.post(url, {"file": file, "attest_not_secret": "on"})


def free_text(record_type, values: dict, *, on_list: bool = False) -> str | None:
    """A column of ``values`` that takes any text (a note, a source), where a value may start with "-": the last one,
    since the test data write the free text last. ``on_list``: one the list shows (and so exports), else one that
    does not name the record (its natural key)."""
    form_fields = record_type.form_class.base_fields
    listed = set(record_type.table_class.base_columns)
    for name in reversed(list(values)):
        model_field = record_type.model._meta.get_field(name)
        if (
            name in record_type.columns
            and (name in listed if on_list else name not in record_type.natural_key)
            and type(form_fields.get(name)) is forms.CharField
            and isinstance(model_field, models.CharField | models.TextField)
            and not model_field.choices
            and isinstance(values[name], str)
        ):
            return name
    return None


def screen_words(record_type, form: forms.ModelForm, fields: dict, *, plain: bool = False) -> dict[str, str]:
    """``fields`` (a record's values, saved records for its relations) as a person writes them in the template: the
    screen's header for each column; a choice by its label, a related record by its name as the screens write it,
    a date dd/mm/yyyy, yes or no. ``plain``: labels and names without diacritics, as typed on a keyboard without
    Vietnamese input."""

    def name_of(value) -> str:
        text = str(value)
        return unidecode(text) if plain else text

    cells = {}
    for name, value in fields.items():
        if name not in record_type.columns:
            continue
        form_field = form.fields[name]
        if isinstance(form_field, forms.ModelChoiceField):
            items = value if isinstance(value, list) else [value]
            cell = "; ".join(name_of(item) for item in items)
        elif isinstance(form_field, forms.ChoiceField):
            cell = name_of(dict(form_field.choices)[value])
        elif isinstance(value, bool):
            cell = name_of("Có" if value else "Không")
        elif isinstance(value, dt.date):
            cell = f"{value:%d/%m/%Y}"
        else:
            cell = str(value)
        cells[capfirst(record_type.header(name))] = cell
    return cells


def stored_as_given(record, fields: dict) -> dict:
    """The fields of ``record`` that differ from ``fields`` (empty when the import wrote them all)."""
    differ = {}
    for name, value in fields.items():
        stored = getattr(record, name)
        if isinstance(stored, models.Manager):
            same = set(stored.all()) == set(value)
        elif isinstance(stored, Decimal):
            same = stored == Decimal(str(value))
        else:
            same = stored == value
        if not same:
            differ[name] = (stored, value)
    return differ
