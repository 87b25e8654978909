"""Indicators computed from the partners registry (issue 3, item 6): relationships established in a
period, relationships in force and partners at its end, each split by country, field and status.

A unit's figures count its own relationships, those of the units below it and of its predecessors
(core.filtersets.unit_portfolio_q), as its portfolio does.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.indicators import Computed, define_indicator, portfolio_q, register_computation, run_periods, shared
from partners.choices import FORMAL_STATUSES, RelationshipStatus
from partners.models import Relationship, RelationshipStatusChange

NO_COUNTRY = "—"


def status_on(day) -> Subquery:
    """Each relationship's status on ``day`` (its latest step on or before it), as an expression."""
    steps = RelationshipStatusChange.objects.unrestricted("the steps of each row of a queryset already scoped")
    latest = steps.filter(relationship=OuterRef("pk"), on__lte=day).order_by("-on", "-pk")
    return Subquery(latest.values("status")[:1])


def with_status_on(queryset: QuerySet, day) -> QuerySet:
    """Annotate ``status_then``: each relationship's status on ``day`` (its latest step on or before it)."""
    return queryset.annotate(status_then=status_on(day))


def _established_steps(period) -> QuerySet:
    return RelationshipStatusChange.objects.unrestricted("matched against a queryset already scoped").filter(
        status=RelationshipStatus.ESTABLISHED, on__gte=period.start, on__lte=period.end
    )


def established_in(queryset: QuerySet, period) -> QuerySet:
    """Relationships that reached "established" within ``period``."""
    return queryset.filter(pk__in=_established_steps(period).values("relationship_id"))


def _records_url(unit, **filters) -> str:
    return f"{reverse('partners:relationship_list')}?{urlencode({'unit': unit.key, **filters})}"


def _breakdown(relationships: list[Relationship], statuses: list[str] | None = None) -> dict[str, dict[str, int]]:
    """Counts by country and field, and by status where ``statuses`` gives each relationship's."""
    countries = Counter(str(r.partner.country) if r.partner.country_id else str(NO_COUNTRY) for r in relationships)
    fields = Counter(str(field) for r in relationships for field in r.fields.all())
    result = {"by_country": dict(countries.most_common()), "by_field": dict(fields.most_common())}
    if statuses is not None:
        labels = dict(RelationshipStatus.choices)
        result["by_status"] = dict(Counter(str(labels.get(status, "")) for status in statuses).most_common())
    return result


def _portfolio(unit) -> QuerySet:
    return (
        Relationship.objects.unrestricted("a unit's portfolio, for a caller who checked the unit is within reach")
        .filter(portfolio_q(unit))
        .select_related("partner__country")
        .prefetch_related("fields")
    )


def _marked(unit, period) -> tuple[list[Relationship], int]:
    """The relationships of ``unit``'s portfolio, each with its status at the end of each period of the
    :func:`core.indicators.indicator_values` call (``status_<i>``) and whether it was established within it
    (``established_<i>``), in one query (and one for their fields) for every indicator and period; and the
    index of ``period``."""
    periods = run_periods(period)

    def load():
        marks = {}
        for index, each in enumerate(periods):
            marks[f"status_{index}"] = status_on(each.end)
            marks[f"established_{index}"] = Exists(_established_steps(each).filter(relationship=OuterRef("pk")))
        return list(_portfolio(unit).annotate(**marks))

    return shared(("relationships", unit.pk, periods), load), periods.index(period)


def relationships_established(*, unit, period) -> Computed:
    """Relationships of the unit's portfolio that reached "established" in the period."""
    rows, index = _marked(unit, period)
    rows = [r for r in rows if getattr(r, f"established_{index}")]
    return Computed(len(rows), _records_url(unit, established_in=period.label), _breakdown(rows))


def relationships_in_force(*, unit, period) -> Computed:
    """Relationships established or active at the end of the period."""
    rows, index = _marked(unit, period)
    rows = [r for r in rows if getattr(r, f"status_{index}") in FORMAL_STATUSES]
    return Computed(len(rows), _records_url(unit, in_force_at_end_of=period.label), _breakdown(rows))


def partners_with_relationships(*, unit, period) -> Computed:
    """Partners with which the unit had a relationship at the end of the period, at any stage but ended;
    split by country, field and the relationships' status."""
    rows, index = _marked(unit, period)
    statuses = [getattr(r, f"status_{index}") for r in rows]
    kept = [
        (r, status) for r, status in zip(rows, statuses, strict=True) if status and status != RelationshipStatus.ENDED
    ]
    partners = {r.partner_id for r, _status in kept}
    return Computed(
        len(partners),
        _records_url(unit, status_at_end_of=period.label),
        _breakdown([r for r, _status in kept], [status for _r, status in kept]),
    )


register_computation("relationships_established", relationships_established, app="partners")
define_indicator(
    "relationships_in_force",
    _("Relationships in force (established or active)"),
    _("relationships"),
    relationships_in_force,
    app="partners",
)
define_indicator(
    "partners_with_relationships",
    _("Foreign partners with a relationship"),
    _("partners"),
    partners_with_relationships,
    app="partners",
)
