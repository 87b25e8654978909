"""The choices a type-ahead offers as the person types (issue 18, item 7: "the implementation plan's unit list offers
all 4,128 units of the country").

A choice among many rows (the units of the country, the subdivisions of the world) is written in the page with only
its chosen row (core.widgets.TypeaheadSelect); static/js/typeahead.js asks :class:`OptionsView` for the rows that
match what is typed, as JSON. The rows are those the form would accept: ``core.forms.choices_for`` answers for both,
so the endpoint offers nothing the form would refuse and shows nothing the policy hides. The partner choices keep
their own resolver (partners.views.PartnerOptionsView), which finds a partner by any spelling.

A source is declared once here, by the model whose rows it offers; forms turn every select of that model into a
type-ahead (core.forms.use_typeahead).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, JsonResponse
from django.views import View

from core.models import ForeignSubdivision, Unit
from core.text import fold

# Rows in one answer, unless the script asks for more (up to MAX_LIMIT, to tell whether a list is short enough to be
# a plain select: core.widgets.TypeaheadSelect.list_limit + 1).
DEFAULT_LIMIT = 20
MAX_LIMIT = 51
MAX_QUERY = 100


@dataclass(frozen=True)
class OptionSource:
    """The rows of ``model`` that a type-ahead offers.

    ``filters`` are the other fields of the form that narrow the rows, by query parameter and lookup (a country's
    subdivisions: ``{"country": "country_id"}``); ``hint`` says more of a row than its name, to tell apart two rows
    of one name (two communes called Tân Lập in two provinces)."""

    model: type
    filters: dict[str, str] = field(default_factory=dict)
    related: tuple[str, ...] = ()
    hint: Callable | None = None


def _unit_hint(unit: Unit) -> str:
    parts = [str(unit.get_kind_display())]
    if unit.root_id and unit.root_id != unit.pk:
        parts.append(str(unit.root))
    return " · ".join(parts)


def _subdivision_hint(subdivision: ForeignSubdivision) -> str:
    return f"{subdivision.country} · {subdivision.code}"


SOURCES: dict[str, OptionSource] = {
    "units": OptionSource(model=Unit, related=("root",), hint=_unit_hint),
    "subdivisions": OptionSource(
        model=ForeignSubdivision, filters={"country": "country_id"}, related=("country",), hint=_subdivision_hint
    ),
}


def source_for(model) -> tuple[str, OptionSource] | None:
    """The name and declaration of the source that offers rows of ``model``; None when there is none."""
    return next(((name, source) for name, source in SOURCES.items() if source.model is model), None)


def options(source: OptionSource, user, params) -> tuple[list[dict], bool]:
    """The rows of ``source`` that ``user`` may choose and that match ``params`` (``q``: a few letters of the name,
    without diacritics or with; the source's filters; ``limit``), names that start with the letters first; and
    whether more rows match."""
    from core.forms import choices_for

    rows = choices_for(source.model._default_manager.all(), user)
    for param, lookup in source.filters.items():
        value = str(params.get(param, "")).strip()
        if value:
            rows = rows.filter(**{lookup: int(value)}) if value.isdigit() else rows.none()
    query = fold(str(params.get("q", ""))[:MAX_QUERY])
    if query:
        order = list(rows.query.order_by) or list(source.model._meta.ordering)
        starts = Case(When(search_text__startswith=query, then=Value(0)), default=Value(1), output_field=IntegerField())
        rows = rows.filter(search_text__contains=query).order_by(starts, *order)
    try:
        limit = min(max(int(params.get("limit", DEFAULT_LIMIT)), 1), MAX_LIMIT)
    except (TypeError, ValueError):
        limit = DEFAULT_LIMIT
    found = list(rows.select_related(*source.related)[: limit + 1])
    results = [
        {"value": str(row.pk), "label": str(row), "hint": source.hint(row) if source.hint else ""}
        for row in found[:limit]
    ]
    return results, len(found) > limit


class OptionsView(LoginRequiredMixin, View):
    """``GET /options/<source>/?q=…``: the rows a type-ahead offers, as JSON: ``{"results": [{"value", "label",
    "hint"}], "more": bool}``. Out of the person's reach, a row is neither offered nor counted."""

    def get(self, request, source: str):
        found = SOURCES.get(source)
        if found is None:
            raise Http404
        results, more = options(found, request.user, request.GET)
        response = JsonResponse({"results": results, "more": more})
        response["Cache-Control"] = "private, no-store"
        return response
