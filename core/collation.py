"""Vietnamese alphabetical order for every sorted list (issue 18, item 7): "Chính phủ" before "Chungcheong", "Dương"
before "Đà Nẵng", as a Vietnamese reader looks names up.

Both databases sort with a collation named :data:`COLLATION`:

- on PostgreSQL it is an ICU collation for ``vi-VN``, created by migration ``core.0006_vietnamese_collation``;
- on SQLite it is registered on every connection (``connection_created``) and compares with :func:`sort_key`, which
  follows the same rules in Python (SQLite has no ICU): letters in the order of the Vietnamese alphabet (a ă â b c d
  đ e ê ... o ô ơ ... u ư ...), tone marks second (none, grave, hook, tilde, acute, dot below), lower case before
  upper case third, spaces and punctuation before digits before letters.

:func:`collated` rewrites a queryset's order so that its text fields (through foreign keys too, as Django expands
``order_by("owner")`` into the unit's own order) sort with that collation; lists, exports and form choices call it.
Anything sorted in Python uses :func:`sort_key`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.backends.signals import connection_created
from django.db.models import F
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Collate

COLLATION = "vi_icu"

# The Vietnamese alphabet, with the Latin letters it does not use (f, j, w, z) where the Latin alphabet puts them.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER = {letter: index for index, letter in enumerate(ALPHABET)}
# Combining marks that make another letter of the alphabet (a + breve is ă), by base letter.
_LETTER_MARKS = {
    "\u0306": {"a": "ă"},  # breve
    "\u0302": {"a": "â", "e": "ê", "o": "ô"},  # circumflex
    "\u031b": {"o": "ơ", "u": "ư"},  # horn
}
# The five tones, in the order of Vietnamese dictionaries (huyền, hỏi, ngã, sắc, nặng); no tone comes first.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Letters that look like d with a stroke but are not đ: ICU sorts them as d with a secondary difference.
_D_LIKE = {"ð": "d", "Ð": "D"}

# Primary groups: what ICU's root order puts first (non-ignorable spaces and punctuation, then digits, then letters).
_SPACE, _PUNCTUATION, _DIGIT, _LETTER_GROUP, _OTHER = range(5)
_GROUP = 0x110000  # above every code point, so that one int holds the group and the value


def _primary(char: str) -> int:
    lower = char.lower()
    if lower in _LETTER:
        return _LETTER_GROUP * _GROUP + _LETTER[lower]
    if char.isspace():
        return _SPACE * _GROUP
    if char.isdigit():
        return _DIGIT * _GROUP + unicodedata.digit(char, 0)
    category = unicodedata.category(char)
    if category[0] in "PSZC":
        return _PUNCTUATION * _GROUP + ord(char)
    return _OTHER * _GROUP + ord(lower)


@lru_cache(maxsize=65536)
def sort_key(text: str) -> tuple:
    """The key that orders ``text`` as a Vietnamese reader does (and as ICU's ``vi`` collation does on PostgreSQL):
    compare the letters first, then the tones and other marks, then the case; equal keys fall back on the text."""
    primaries: list[int] = []
    secondaries: list[tuple[int, ...]] = []
    tertiaries: list[int] = []
    for char in unicodedata.normalize("NFD", text or ""):
        if unicodedata.combining(char) and primaries:
            base = ALPHABET[primaries[-1] - _LETTER_GROUP * _GROUP] if primaries[-1] // _GROUP == _LETTER_GROUP else ""
            made = _LETTER_MARKS.get(char, {}).get(base)
            if made is not None:
                primaries[-1] = _LETTER_GROUP * _GROUP + _LETTER[made]
            else:
                secondaries[-1] += (_TONES.get(char, 10 + ord(char)),)
            continue
        extra: tuple[int, ...] = ()
        if char in _D_LIKE:
            char, extra = _D_LIKE[char], (10 + ord(char),)
        primaries.append(_primary(char))
        secondaries.append(extra)
        tertiaries.append(1 if char != char.lower() else 0)
    return tuple(primaries), tuple(secondaries), tuple(tertiaries), text or ""


def compare(left: str, right: str) -> int:
    """-1, 0 or 1, as SQLite's collation callback answers."""
    left_key, right_key = sort_key(left), sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


def register(sender=None, connection=None, **kwargs) -> None:
    """Give a new SQLite connection the collation (PostgreSQL has it from the migration)."""
    if connection is not None and connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, compare)


connection_created.connect(register, dispatch_uid="core.collation.register")


def _collated_term(model, term, seen: frozenset) -> list:
    """``term`` of an ``order_by`` as collated terms: a text field by the collation, a foreign key by its model's
    own order (as Django expands it), anything else unchanged."""
    if not isinstance(term, str) or term == "?" or "." in term:
        return [term]
    descending = term.startswith("-")
    name = term.lstrip("-")
    parts = name.split(LOOKUP_SEP)
    opts, field = model._meta, None
    for index, part in enumerate(parts):
        try:
            field = opts.pk if part == "pk" else opts.get_field(part)
        except FieldDoesNotExist:
            return [term]  # an annotation or a transform: Django resolves it as written
        if field.is_relation and index < len(parts) - 1:
            if field.related_model is None:
                return [term]
            opts = field.related_model._meta
    if field.is_relation and (field.many_to_one or field.one_to_one) and field.attname != parts[-1]:
        related = field.related_model
        ordering = related._meta.ordering
        if not ordering or (related, name) in seen or not all(isinstance(item, str) for item in ordering):
            return [term]
        terms = []
        for item in ordering:
            inner_descending = item.startswith("-")
            inner = f"{'-' if inner_descending != descending else ''}{name}{LOOKUP_SEP}{item.lstrip('-')}"
            terms += _collated_term(model, inner, seen | {(related, name)})
        return terms
    if isinstance(field, models.CharField | models.TextField) and not field.choices:
        expression = Collate(F(name), COLLATION)
        return [expression.desc() if descending else expression.asc()]
    return [term]


def collated(queryset):
    """``queryset`` ordered as it was (its own order, else its model's), with every text field in Vietnamese
    alphabetical order. A sliced or combined queryset is returned as it is (it can no longer be reordered)."""
    query = queryset.query
    if query.is_sliced or query.combinator:
        return queryset
    terms = list(query.order_by) if query.order_by else []
    if not terms and query.default_ordering:
        terms = list(queryset.model._meta.ordering)
    if not terms:
        return queryset
    rewritten = []
    for term in terms:
        rewritten += _collated_term(queryset.model, term, frozenset())
    if rewritten == terms:
        return queryset
    return queryset.order_by(*rewritten)
