"""Imports in the words of the screens (issue 18, item 6): reading a sheet, validating it whole, writing it whole.

A sheet is read as people write it and as the product's own lists export it:

- a column is named by its key (``owner``: the fixed form that scripts use, CONTRACT.md) or by the label the
  screens show ("Đơn vị quản lý", "Managing unit"), compared folded (core.text.fold). A column that the list shows
  but an import does not write (an agreement's status, which only its procedure changes) is left aside and named on
  the preview; any other column is refused, listing the columns read;
- a choice is its code or its label, in Vietnamese or English, with or without diacritics ("dia phuong nuoc
  ngoai" for ``locality``);
- a related record is written by its key (a unit ``da-nang``, a country ``KR``), by its name as the screens write it
  ("Đà Nẵng", "Quảng Nam (cũ)", "da nang"), by another of its names where it is reference data (a country's English
  name, a field's aliases), a partner by any spelling the resolver knows (partners.resolve), and a record without a
  key of its own (a relationship) by its id or its name on its list; always among the rows the user may choose on
  the record's form, so an import sees no more than the form does;
- an error names the row and the column and says what is allowed: every label of a choice; for a long list, the
  closest names and where the whole list is. Nothing is written unless every row is valid.

A row with an id (or whose natural key finds a record) updates that record. A cell that reads what the list shows
for the stored record keeps the stored value: so the list's own export (core.tables.export_values, whose last
column is the id) imports back with nothing changed, whatever the list writes in a column (a relationship "Đà Nẵng
– Yongin", a masked e-mail address, a date known only to its year). A row that would change nothing is counted
apart and not written.

:func:`template_columns` describes the blank workbook each import page offers (core.tabular.write_template): the
headers in the screen's words, the values each list column allows, with drop-down lists.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from types import SimpleNamespace
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rapidfuzz import fuzz, process

from core.files import discards_upload
from core.jobs import job_kind
from core.services import frozen_refusals
from core.tabular import TemplateColumn, same_value
from core.text import after_label, fold

if TYPE_CHECKING:
    from core.records import RecordType

# A list of allowed values longer than this is not written out in an error: the closest values are, with where
# the whole list is.
MAX_LISTED = 30
# A list longer than this is not put in the import template (the partner catalogue of a large deployment): the
# column's note says how to write a value instead.
MAX_OPTIONS = 5000
CLOSEST = 3
CLOSEST_CUTOFF = 60.0
# The resolver's score from which a written name is taken to mean a partner: the whole name, its core without
# generic words ("Thành phố Yongin"), or a Vietnamese exonym (partners.resolve). Below it (a typo, the name of the
# partner's region) the import offers the candidates rather than guess.
SURE_SPELLING = 98.0
EXACT_SPELLING = 100.0  # the resolver's score of a name or spelling written out whole
_BARE_LABEL = re.compile(r"\s*\([^()]*\)\s*$")
_MISSING = object()


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def contract_line(self) -> str:
        """The fixed form that scripts read from ``import_records`` (CONTRACT.md), in any language."""
        return f"row {self.row}, column {self.column}: {self.message}"

    def __str__(self) -> str:
        # The column as the template's and the list's header writes it ("Loại", not "loại").
        return _("row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": capfirst(self.column),
            "message": after_label(self.message, self.column),
        }


@dataclass
class ImportPlan:
    """The result of validating a whole file: what would be created and updated, the rows that change nothing, the
    columns left aside (shown on the list, not written by an import), and every error."""

    creates: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class CellError(Exception):
    """A cell that cannot be read; ``message`` says what is allowed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _flat_choices(choices) -> list[tuple[str, str]]:
    flat = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            flat += _flat_choices(label)
        elif value not in ("", None):
            flat.append((str(value), str(label)))
    return flat


def _listing(values) -> str:
    return "; ".join(values)


def _closest(folded: str, names: dict[str, str]) -> list[str]:
    """The names closest to ``folded``: ``names`` maps folded names to names as shown."""
    found = process.extract(folded, list(names), scorer=fuzz.ratio, limit=CLOSEST * 2, score_cutoff=CLOSEST_CUTOFF)
    return list(dict.fromkeys(names[match] for match, _score, _index in found))[:CLOSEST]


class Reader:
    """How the cells of one column are read into the value its form field takes, and how the template describes it.
    This one passes text on: the form parses and checks it as the web form does."""

    many = False

    def __init__(self, header: str, form_field: forms.Field):
        self.header = header
        self.form_field = form_field

    def read(self, text: str):
        return text

    def options(self) -> list[str] | None:
        """The values the template lists for the column (a drop-down list unless the column takes several)."""
        return None

    def note(self) -> str:
        form_field = self.form_field
        if isinstance(form_field, forms.DateTimeField):
            note = _("A date and time, written dd/mm/yyyy hh:mm.")
        elif isinstance(form_field, forms.DateField):
            note = _("A date, written dd/mm/yyyy.")
        elif isinstance(form_field, forms.IntegerField):
            note = _("A whole number.")
        elif isinstance(form_field, forms.DecimalField | forms.FloatField):
            note = _("A number.")
        elif isinstance(form_field, forms.EmailField):
            note = _("An e-mail address.")
        elif isinstance(form_field, forms.URLField):
            note = _("A web address.")
        elif getattr(form_field, "max_length", None):
            note = _("Text of at most %(count)s characters.") % {"count": form_field.max_length}
        else:
            note = _("Text.")
        return self._with_help(note)

    def _with_help(self, note: str) -> str:
        help_text = strip_tags(str(self.form_field.help_text or "")).strip()
        return f"{note} {help_text}" if help_text else note

    @property
    def text(self) -> bool:
        """Whether the template keeps the column's cells as text (dates, so that Excel does not read them)."""
        return isinstance(self.form_field, forms.DateField)


class ChoiceReader(Reader):
    """A choice: its code, or its label in any language of the site, folded; a label's explanation in parentheses
    may be left out ("Đoàn ra" for "Đoàn ra (outgoing_delegations)")."""

    def __init__(self, header: str, form_field: forms.ChoiceField, translations: dict[str, forms.ChoiceField]):
        super().__init__(header, form_field)
        self.choices = _flat_choices(form_field.choices)
        self.codes = {code for code, _label in self.choices}
        labels = list(self.choices)
        for language, each in translations.items():
            with translation.override(language):
                labels += _flat_choices(each.choices)
        # The whole label first, then without its explanation: "Tỉnh" is the province, not "Tỉnh (Nhật Bản)".
        whole: dict[str, set[str]] = defaultdict(set)
        bare: dict[str, set[str]] = defaultdict(set)
        for code, label in labels:
            for tier, spelling in ((whole, code), (whole, label), (bare, _BARE_LABEL.sub("", label))):
                if fold(spelling):
                    tier[fold(spelling)].add(code)
        self.tiers = (whole, bare)

    def read(self, text: str):
        if not text:
            return ""
        if text in self.codes:
            return text
        for tier in self.tiers:
            codes = tier.get(fold(text), set())
            if len(codes) == 1:
                return next(iter(codes))
            if codes:
                break
        raise CellError(
            _("“%(value)s” is not one of the allowed values: %(allowed)s.")
            % {"value": text[:80], "allowed": _listing(self.options())}
        )

    def options(self) -> list[str]:
        return [label for _code, label in self.choices]

    def note(self) -> str:
        options = self.options()
        if len(options) <= MAX_LISTED:
            note = _("One of: %(values)s.") % {"values": _listing(options)}
        else:
            note = _("One of the values listed on the sheet “%(sheet)s”.") % {"sheet": _("Allowed values")}
        return self._with_help(note)

    @property
    def text(self) -> bool:
        return False


class BooleanReader(Reader):
    """Yes or no, in any language of the site; an empty cell is no, or not known where the field may be left so
    (a nullable yes/no: a delegation whose plan the document does not state)."""

    def __init__(self, header: str, form_field: forms.BooleanField):
        super().__init__(header, form_field)
        self.unknown = None if isinstance(form_field, forms.NullBooleanField) else False
        # What exports write (yes/no in the reader's language, True/False where a list shows a bare boolean) and
        # what people type ("x", "đúng", "sai").
        self.yes, self.no = {"1", "x", "true", "yes", "y", "dung"}, {"0", "false", "no", "n", "sai"}
        for language in _languages():
            with translation.override(language):
                self.yes.add(fold(_("yes")))
                self.no.add(fold(_("no")))

    def read(self, text: str):
        folded = fold(text)
        if not folded:
            return self.unknown
        if folded in self.no:
            return False
        if folded in self.yes:
            return True
        raise CellError(
            _("“%(value)s” is not one of the allowed values: %(allowed)s.")
            % {"value": text[:80], "allowed": _listing(self.options())}
        )

    def options(self) -> list[str]:
        return [capfirst(_("yes")), capfirst(_("no"))]

    def note(self) -> str:
        if self.unknown is None:
            return self._with_help(_("Yes or no; an empty cell is not known."))
        return self._with_help(_("Yes or no; an empty cell is no."))

    @property
    def text(self) -> bool:
        return False


def _spelling_resolver(model):
    """The partners app's resolver, for a partner column: it knows every spelling met in documents. Imported here,
    not at load time, because partners builds on core (as core.demo does)."""
    try:
        from partners.models import Partner
        from partners.resolve import resolve
    except ImportError:  # a deployment without the partners app
        return None
    return resolve if model is Partner else None


class RelationReader(Reader):
    """A related record, among the rows the form offers the user: by the key scripts write (``lookup``: a unit's
    key, a country's ISO code) or, for a record without a key of its own, its id; else by its name as the screens
    write it (``str``), by another of its names if it is reference data (its ``search_fields``), and a partner by
    any spelling the resolver knows. A name that fits several rows is refused, naming them."""

    def __init__(self, header: str, form_field: forms.ModelChoiceField, lookup: str):
        super().__init__(header, form_field)
        self.many = isinstance(form_field, forms.ModelMultipleChoiceField)
        self.queryset = form_field.queryset
        self.model = self.queryset.model
        self.lookup = lookup
        self.resolver = _spelling_resolver(self.model)
        self.found: dict[str, object] = {}

    # -- reading ------------------------------------------------------------------------------------
    def read(self, text: str):
        if not self.many:
            return self.one(text) if text else ""
        found = []
        for part in filter(None, (part.strip() for part in text.split(";"))):
            # The list joins several records with commas (an agreement's foreign parties), and a name may hold a
            # comma ("Sê Koong, Lào"): the pieces are taken when each names a record and the whole is no name.
            pieces = [piece.strip() for piece in part.split(",") if piece.strip()]
            if len(pieces) > 1 and not self.names_whole(part):
                try:
                    found += [self.one(piece) for piece in pieces]
                    continue
                except CellError:
                    pass
            found.append(self.one(part))
        return list(dict.fromkeys(found))

    def names_whole(self, text: str) -> bool:
        """Whether ``text`` is, as it stands, the name of a row (not a name with a qualifier)."""
        if self.resolver is not None:
            best = self.resolver(text, limit=1, among=self.queryset)
            return bool(best) and best[0].score >= EXACT_SPELLING
        return any(fold(text) in tier for tier in self.tiers)

    def one(self, text: str):
        if text not in self.found:
            try:
                self.found[text] = self.find(text)
            except CellError as error:
                self.found[text] = error
        result = self.found[text]
        if isinstance(result, CellError):
            raise result
        return result

    def find(self, text: str):
        if self.lookup != "id":
            keys = list(self.queryset.filter(**{f"{self.lookup}__iexact": text}).values_list("pk", flat=True)[:2])
            if len(keys) == 1:
                return keys[0]
        if text.isdigit() and (self.lookup == "id" or self.resolver is not None):
            if self.queryset.filter(pk=int(text)).exists():
                return int(text)
            if self.lookup == "id":
                # Another province's record and one that does not exist read the same.
                raise CellError(
                    _("There is no %(what)s with ID “%(id)s” among those you may choose.")
                    % {"what": self.model._meta.verbose_name, "id": text[:20]}
                )
        if self.resolver is not None:
            return self._by_spelling(text)
        return self._by_name(text)

    def _by_name(self, text: str):
        folded = fold(text)
        for tier in self.tiers:
            found = tier.get(folded)
            if found and len(found) == 1:
                return next(iter(found))
            if found:
                raise self._ambiguous(text, [self.by_pk[pk] for pk in found])
        raise self._unknown(text, _closest(folded, self.folded_names))

    def _by_spelling(self, text: str):
        candidates = self.resolver(text, limit=10, among=self.queryset)
        sure = [candidate for candidate in candidates if candidate.score >= SURE_SPELLING]
        if sure:
            best = [candidate for candidate in sure if candidate.score == sure[0].score]
            if len(best) == 1:
                return best[0].partner.pk
            raise self._ambiguous(text, [candidate.partner for candidate in best])
        closest = [str(candidate.partner) for candidate in candidates if candidate.score >= CLOSEST_CUTOFF]
        raise self._unknown(text, list(dict.fromkeys(closest))[:CLOSEST], listed=False)

    # -- what the user may choose -------------------------------------------------------------------
    @cached_property
    def by_pk(self) -> dict:
        # The relations a record's name is written with ("Đà Nẵng – Yongin"), joined rather than read row by row.
        joined = [item.name for item in self.model._meta.concrete_fields if item.many_to_one]
        return {row.pk: row for row in self.queryset.select_related(*joined)}

    @cached_property
    def names(self) -> dict:
        return {pk: str(row) for pk, row in self.by_pk.items()}

    @cached_property
    def folded_names(self) -> dict[str, str]:
        return {fold(name): name for name in self.names.values() if fold(name)}

    @cached_property
    def tiers(self) -> list[dict[str, set]]:
        """Folded names to rows, in order of trust: the name as the screens write it, then (for reference data,
        which every user reads) the row's other names."""
        shown: dict[str, set] = defaultdict(set)
        for pk, name in self.names.items():
            shown[fold(name)].add(pk)
        tiers = [shown]
        if not getattr(self.model.policy, "watched", True):
            other: dict[str, set] = defaultdict(set)
            fields = [name for name in getattr(self.model, "search_fields", ()) if self._is_name(name)]
            for row in self.by_pk.values():
                for name in fields:
                    value = getattr(row, name)
                    for each in value if isinstance(value, list) else [value]:
                        if isinstance(each, str) and fold(each):
                            other[fold(each)].add(row.pk)
            tiers.append(other)
        return tiers

    def _is_name(self, name: str) -> bool:
        try:
            model_field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        # Names and codes; not prose (a text field), which would match by accident.
        return isinstance(model_field, models.CharField | models.JSONField)

    @property
    def page(self) -> str:
        return capfirst(str(self.model._meta.verbose_name_plural))

    @property
    def key_label(self) -> str:
        if self.lookup == "id":
            return "ID"
        return str(self.model._meta.get_field(self.lookup).verbose_name)

    def _ambiguous(self, text: str, rows: list[models.Model]) -> CellError:
        shown = []
        # By name, then by key: rows of one name come from a set, in no order of their own.
        for row in sorted(rows, key=lambda row: (str(row), str(getattr(row, self.lookup, row.pk))))[:MAX_LISTED]:
            key = getattr(row, self.lookup, None) if self.lookup != "id" else None
            label, key = (self.key_label, key) if key else ("ID", row.pk)
            shown.append(f"{row} ({label}: {key})")
        return CellError(
            _("“%(value)s” matches several %(what)s: %(candidates)s. Write the %(key)s of the one meant.")
            % {
                "value": text[:80],
                "what": str(self.model._meta.verbose_name_plural),
                "candidates": _listing(shown),
                "key": self.key_label,
            }
        )

    def _unknown(self, text: str, closest: list[str], *, listed: bool = True) -> CellError:
        values = {"value": text[:80], "what": str(self.model._meta.verbose_name_plural), "page": self.page}
        if listed and len(self.names) <= MAX_LISTED:
            if not self.names:
                return CellError(_("“%(value)s” cannot be chosen: there are no %(what)s you may choose.") % values)
            values["allowed"] = _listing(sorted(self.names.values()))
            return CellError(_("“%(value)s” is not among the %(what)s you may choose: %(allowed)s.") % values)
        if self.options() is not None:
            values["sheet"] = _("Allowed values")
            where = _("The whole list is on the sheet “%(sheet)s” of the import template and on the page “%(page)s”.")
        else:
            where = _("Look it up on the page “%(page)s”.")
        if closest:
            values["closest"] = _listing(closest)
            message = _("“%(value)s” is not among the %(what)s you may choose. The closest: %(closest)s.") % values
        else:
            message = _("“%(value)s” is not among the %(what)s you may choose, and no name is close to it.") % values
        return CellError(f"{message} {where % values}")

    # -- the template -------------------------------------------------------------------------------
    def options(self) -> list[str] | None:
        if self.queryset.count() > MAX_OPTIONS:
            return None
        return list(dict.fromkeys(self.names.values()))

    def note(self) -> str:
        values = {"what": self.header, "key": self.key_label}
        if self.resolver is not None:
            note = _(
                "Write the %(what)s by any of its names or spellings met in documents (with or without diacritics) "
                "or by its %(key)s."
            )
        elif self.lookup == "id":
            note = _("Write the %(what)s by its name as its list shows it, or by its ID.")
        else:
            note = _(
                "Write the %(what)s by its name as the screens show it (with or without diacritics) or by its %(key)s."
            )
        note = note % values
        if self.many:
            note = f"{note} {_('Several values are separated by semicolons (;).')}"
        return self._with_help(note)

    @property
    def text(self) -> bool:
        return False


class Sheet:
    """What an import of ``record_type`` by ``user`` reads: each column's reader, built from the record's form as
    the user gets it (its choices are the user's), and the headers it answers to, in every language of the site."""

    def __init__(self, record_type: RecordType, user):
        self.record_type = record_type
        self.user = user
        self.forms = {}
        for language in _languages():
            with translation.override(language):
                self.forms[language] = record_type.form_class(user=user)
        active = translation.get_language()
        self.form = self.forms[active] if active in self.forms else record_type.form_class(user=user)

    @cached_property
    def readers(self) -> dict[str, Reader]:
        readers = {}
        for name in self.record_type.columns:
            form_field = self.form.fields.get(name)
            if form_field is None:
                continue
            header = self.record_type.header(name)
            if isinstance(form_field, forms.ModelChoiceField):
                lookup = self.record_type.lookups.get(name, "id")
                readers[name] = RelationReader(header, form_field, lookup)
            elif isinstance(form_field, forms.ChoiceField):
                translations = {language: form.fields[name] for language, form in self.forms.items()}
                readers[name] = ChoiceReader(header, form_field, translations)
            elif isinstance(form_field, forms.BooleanField):
                readers[name] = BooleanReader(header, form_field)
            else:
                readers[name] = Reader(header, form_field)
        return readers

    @cached_property
    def headers(self) -> dict[str, str]:
        """Folded header → column: the column's key, its name on the screens (the list's header, the form's label),
        in every language."""
        found = {"id": "id"}
        for language in _languages():
            with translation.override(language):
                found.setdefault(fold(str(self.record_type.model._meta.pk.verbose_name)), "id")
                for name in self.record_type.columns:
                    found.setdefault(fold(name), name)
                    found.setdefault(fold(self.record_type.header(name)), name)
                    form_field = self.forms[language].fields.get(name)
                    if form_field is not None and form_field.label:
                        found.setdefault(fold(str(form_field.label)), name)
        return found

    @cached_property
    def shown_only(self) -> set[str]:
        """Folded headers of the list's columns that an import does not write (an agreement's status)."""
        found = set()
        for language in _languages():
            with translation.override(language):
                table = self.record_type.table_class(self.record_type.model._default_manager.none())
                for column in table.columns:
                    if column.name in ("selection", "actions"):
                        continue
                    for spelling in (column.name, str(column.header)):
                        if fold(spelling) not in self.headers:
                            found.add(fold(spelling))
        return found

    @cached_property
    def defaults(self) -> dict:
        """What a new record takes for a column left out or empty: its model's default, which the web form offers
        too (an agreement's signing known to the day, its effect on the relationship "none")."""
        initial = forms.model_to_dict(self.record_type.model(), fields=list(self.form.fields))
        return {
            name: value
            for name, value in initial.items()
            if name in self.record_type.columns and value not in (None, "", [])
        }

    def needed(self, name: str) -> bool:
        """Whether a new record needs the column: required by its form, with no default."""
        form_field = self.form.fields.get(name)
        return form_field is not None and form_field.required and name not in self.defaults

    def column_for(self, header: str) -> str | None:
        return self.headers.get(fold(header)) if fold(header) else None

    def column_list(self) -> str:
        return ", ".join(capfirst(self.record_type.header(name)) for name in self.record_type.columns)


@dataclass
class _Row:
    number: int
    cells: dict[str, str]
    instance: models.Model | None = None
    # A record the user sees but may not change: its row may only come back as the list shows it.
    read_only: bool = False
    data: dict = field(default_factory=dict)
    read: set[str] = field(default_factory=set)  # the columns read (into ``data``, or into an error)
    errors: list[RowError] = field(default_factory=list)


class Importer:
    """Validates every row with the model's own form (as the web form does), then writes all rows through the
    record services in one transaction, or nothing.

    A record type names its importer (``RecordType.importer``): this one, or a subclass with the same calls
    (:meth:`plan`, :meth:`commit`, the template's columns and guide) for a file of another shape."""

    # Whether :meth:`commit` writes the import's audit entry itself (in its transaction); else the job writes it.
    audited_by_commit = False

    def __init__(self, record_type: RecordType, user):
        self.record_type = record_type
        self.user = user

    def template_columns(self) -> list[TemplateColumn]:
        return template_columns(self.record_type, self.user)

    def template_guide(self) -> list[str]:
        return template_guide(self.record_type)

    def column_list(self) -> str:
        """The columns the import reads, as the import page lists them."""
        return self.sheet.column_list()

    @cached_property
    def sheet(self) -> Sheet:
        return Sheet(self.record_type, self.user)

    def _read(self, row: _Row, name: str) -> None:
        reader = self.sheet.readers.get(name)
        text = row.cells[name]
        row.read.add(name)
        try:
            row.data[name] = reader.read(text) if reader is not None else text
        except CellError as error:
            row.errors.append(RowError(row.number, self.record_type.header(name), error.message))

    def _columns(self, headers: list[str], rows: list[list[str]], plan: ImportPlan) -> dict[int, str]:
        mapping: dict[int, str] = {}
        for index, header in enumerate(headers):
            name = self.sheet.column_for(header)
            if name is None and fold(header) in self.sheet.shown_only:
                plan.ignored.append(header)
            elif name is None and not header and not any(row[index] for row in rows):
                continue  # an empty column
            elif name is None:
                message = _("unknown column; the columns read are: %(columns)s") % {
                    "columns": f"ID, {self.sheet.column_list()}"
                }
                plan.errors.append(RowError(1, header or str(index + 1), message))
            elif name in mapping.values():
                plan.errors.append(RowError(1, header, _("this column is given twice")))
            else:
                mapping[index] = name
        return mapping

    def _find_records(self, rows: list[_Row]) -> None:
        """Each row's record, where it names one: by id (all at once), else by the natural key's cells."""
        manager = self.record_type.model._default_manager
        changeable = manager.restrict(self.user, "change")
        ids = {int(row.cells["id"]) for row in rows if row.cells.get("id", "").isdigit()}
        by_id = changeable.in_bulk(ids) if ids else {}
        # A shared list (the partner catalogue) exports records of other units too: they may come back unchanged.
        seen_only = manager.restrict(self.user, "view").in_bulk(ids - set(by_id)) if ids - set(by_id) else {}
        natural = self.record_type.natural_key
        for row in rows:
            ident = row.cells.get("id", "")
            if ident:
                number = int(ident) if ident.isdigit() else None
                row.instance = by_id.get(number) or seen_only.get(number)
                row.read_only = number in seen_only
                if row.instance is None:
                    row.errors.append(RowError(row.number, "ID", _("no record with this id that you may change")))
            elif natural and all(name in row.cells for name in natural):
                for name in natural:
                    self._read(row, name)
                lookup = {name: row.data.get(name) for name in natural}
                if not row.errors and all(value not in (None, "", []) for value in lookup.values()):
                    row.instance = changeable.filter(**lookup).first()

    def _shown(self, records: list[models.Model]) -> dict[int, dict[str, object]]:
        """What the list shows of each record, by folded header, as its export writes it."""
        from core.tables import export_values

        if not records:
            return {}
        record_type = self.record_type
        shown = set(record_type.table_class.base_columns)
        model = record_type.model
        joined = [item.name for item in model._meta.concrete_fields if item.is_relation and item.name in shown]
        rows = (
            record_type.model._default_manager.restrict(self.user, "view")
            .filter(pk__in=[record.pk for record in records])
            .select_related(*joined, *record_type.list_related)
            .prefetch_related(*record_type.list_prefetch)
        )
        table = record_type.table_class(rows)
        # Personal data shows as the list shows it to this user (masked or not): a masked cell is then unchanged.
        table.request = SimpleNamespace(user=self.user, GET={})
        headers, values = export_values(table)
        pks = [row.record.pk for row in table.rows]
        folded = [fold(header) for header in headers]
        return {pk: dict(zip(folded, row, strict=True)) for pk, row in zip(pks, values, strict=True)}

    def plan(self, headers: list[str], rows: list[list[str]]) -> ImportPlan:
        plan = ImportPlan()
        record_type = self.record_type
        mapping = self._columns(headers, rows, plan)
        if plan.errors:
            return plan
        if not rows:
            plan.errors.append(RowError(2, "*", _("the file has no rows below its header")))
            return plan
        entries = [
            _Row(number=offset + 2, cells={name: row[index] for index, name in mapping.items()})
            for offset, row in enumerate(rows)
        ]
        self._find_records(entries)
        # A column a new record needs, absent from the file: refused once for the whole file, not row by row.
        if any(entry.instance is None for entry in entries):
            for name in record_type.columns:
                if self.sheet.needed(name) and name not in mapping.values():
                    plan.errors.append(RowError(1, record_type.header(name), _("required column is missing")))
            if plan.errors:
                return plan
        shown = self._shown([entry.instance for entry in entries if entry.instance is not None])
        folded_headers = {name: fold(headers[index]) for index, name in mapping.items()}
        form_class = record_type.form_class
        seen: dict[tuple, int] = {}  # a record's id or natural key -> the row that first named it
        natural = record_type.natural_key
        written: list[tuple[int, models.Model | None, models.Model]] = []  # (row, stored record, new values)
        for entry in entries:
            stored = shown.get(entry.instance.pk, {}) if entry.instance is not None else {}
            if entry.read_only:
                changed = [
                    name
                    for name, text in entry.cells.items()
                    if name != "id" and not same_value(text, stored.get(folded_headers[name], _MISSING))
                ]
                if changed:
                    message = _("this record is not one you may change; leave its row as exported or remove it")
                    plan.errors.append(RowError(entry.number, record_type.header(changed[0]), message))
                else:
                    plan.unchanged.append(entry.number)
                continue
            for name, text in entry.cells.items():
                if name == "id" or name in entry.read:
                    continue
                on_list = stored.get(folded_headers[name], _MISSING)
                if on_list is not _MISSING and same_value(text, on_list):
                    continue  # the cell reads what the list shows: the stored value stays
                self._read(entry, name)
            # Two rows of one file naming the same record (by id or natural key) would write it twice, or fail on
            # the unique key half-way: the file is refused with both rows named.
            key = None
            if entry.cells.get("id"):
                key, column = ("id", entry.cells["id"]), "ID"
            elif natural and all(entry.data.get(name) not in (None, "", []) for name in natural):
                key = tuple(str(entry.data[name]) for name in natural)
                column = ", ".join(map(record_type.header, natural))
            if key is not None and not entry.errors:
                if key in seen:
                    message = _("repeats row %(row)s of this file") % {"row": seen[key]}
                    entry.errors.append(RowError(entry.number, column, message))
                seen.setdefault(key, entry.number)
            if entry.errors:
                plan.errors.extend(entry.errors)
                continue
            instance = entry.instance
            if instance is not None and not entry.read:
                plan.unchanged.append(entry.number)  # every cell reads what the list shows of the record
                continue
            # The stored values, before the form writes the row's into the record: leaving a frozen period is refused
            # as entering one is (core.services.ensure_not_frozen).
            before = copy.copy(instance) if instance is not None else None
            form_data = dict(entry.data)
            if instance is None:
                for name, value in self.sheet.defaults.items():
                    if form_data.get(name) in (None, "", []):
                        form_data[name] = value
            else:
                # Columns absent from the file, and cells that read what the list shows, keep the stored values.
                initial = forms.model_to_dict(instance, fields=form_class.base_fields)
                form_data = {**{k: v for k, v in initial.items() if v is not None}, **form_data}
            form = form_class(data=form_data, instance=instance, user=self.user)
            if not form.is_valid():
                for name, messages in form.errors.items():
                    column = record_type.header(name) if name != "__all__" else "*"
                    plan.errors.extend(RowError(entry.number, column, message) for message in messages)
                continue
            if instance is not None and not set(form.changed_data) & set(record_type.columns):
                plan.unchanged.append(entry.number)
                continue
            target = plan.updates if instance is not None else plan.creates
            target.append((entry.number, form))
            written.append((entry.number, before, form.instance))
        self._refuse_frozen(written, plan)
        return plan

    def _refuse_frozen(self, written: list[tuple[int, models.Model | None, models.Model]], plan: ImportPlan) -> None:
        """A row that would create, change or move a record of a frozen period (a report sent counts it: issue 20,
        item 3) is an error of its row, found for the whole file at once; the verbs refuse it again on commit."""
        records = [record for _number, stored, new in written for record in (stored, new) if record is not None]
        refused = dict(zip(map(id, records), frozen_refusals(records), strict=True))
        column = getattr(self.record_type.model, "period_date", "")
        header = self.record_type.header(column) if column in self.record_type.columns else "*"
        for number, stored, new in written:
            message = refused.get(id(stored)) or refused[id(new)]
            if message:
                plan.errors.append(RowError(number, header, message))

    def commit(self, plan: ImportPlan, request=None, progress=None) -> tuple[int, int]:
        """Write the plan; any failure rolls back every row. ``progress`` (core.jobs.Progress) is told each row."""
        if not plan.ok:
            raise ValidationError(_("The file has errors; nothing was written."))
        if progress is not None:
            progress.start(len(plan.creates) + len(plan.updates), _("Writing the records"))
        with transaction.atomic():
            for done, (_row, form) in enumerate(plan.creates + plan.updates, start=1):
                instance = form.save(commit=False)
                if instance.pk is None:
                    self.record_type.create_verb(instance=instance, user=self.user, request=request, m2m=_m2m(form))
                else:
                    self.record_type.update_verb(
                        instance=instance,
                        user=self.user,
                        expected_version=instance.version,
                        request=request,
                        m2m=_m2m(form),
                    )
                if progress is not None:
                    progress.step(done)
        return len(plan.creates), len(plan.updates)


def _m2m(form: forms.ModelForm) -> dict:
    return {
        model_field.name: form.cleaned_data[model_field.name]
        for model_field in form.instance._meta.many_to_many
        if model_field.name in form.cleaned_data
    }


def template_columns(record_type: RecordType, user) -> list[TemplateColumn]:
    """The columns of ``record_type``'s import template for ``user``: the screen's labels, what to write, and the
    values each list column allows (the user's own choices: the units they may own records in)."""
    sheet = Sheet(record_type, user)
    columns = []
    for name in record_type.columns:
        reader = sheet.readers.get(name)
        if reader is None:
            continue
        options = reader.options()
        columns.append(
            TemplateColumn(
                header=capfirst(record_type.header(name)),
                required=sheet.needed(name),
                note=reader.note(),
                options=options,
                drop_down=not reader.many,
                text=reader.text,
            )
        )
    return columns


def template_guide(record_type: RecordType) -> list[str]:
    """The guide sheet's lines of text, above its table of the columns."""
    return [
        _("Import template: %(records)s") % {"records": record_type.verbose_name_plural},
        _("Fill in the sheet “%(sheet)s”, one record a row, from the second row; leave its first row as it is.")
        % {"sheet": _("Data")},
        _(
            "Write choices as the screens show them (a drop-down list offers them) and names of units, countries and "
            "partners as the screens write them; diacritics and capitals may be left out."
        ),
        _("Columns in red are required for a new record. Each column's header has a note on what to write."),
        _(
            "Nothing is written unless every row is valid: the import page lists each error by row and column, "
            "with the values allowed."
        ),
        _(
            "To change existing records, export the list, change the cells and import it again: its ID column says "
            "which record each row is."
        ),
    ]


@job_kind("import_records", gettext_lazy("Import of records"))
@discards_upload("path")
def import_job(job, progress) -> dict:
    """Import a stored file as a job: validate every row again, then write all or nothing."""
    from django.core.files.storage import default_storage
    from django.urls import reverse

    from core.audit import audit
    from core.choices import AuditAction
    from core.records import record_types
    from core.tabular import read_table

    record_type = record_types()[job.params["slug"]]
    with default_storage.open(job.params["path"], "rb") as handle:
        headers, rows = read_table(handle.read(), job.params["kind"])
    importer = record_type.importer(record_type, job.created_by)
    plan = importer.plan(headers, rows)
    result = {
        "list_url": reverse(f"{record_type.url_base}_list"),
        "errors": [str(error) for error in plan.errors[:500]],
    }
    if plan.ok:
        created, updated = importer.commit(plan, progress=progress)
        detail = {"model": record_type.model._meta.label_lower, "created": created, "updated": updated}
        if not importer.audited_by_commit:
            audit(AuditAction.IMPORT, user=job.created_by, detail=detail)
        result.update(created=created, updated=updated, unchanged=len(plan.unchanged))
    default_storage.delete(job.params["path"])
    return result
