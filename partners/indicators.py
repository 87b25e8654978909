"""Indicators computed from the partners registry (issue 3, item 6): relationships established in a
period, relationships in force and partners at its end, each split by country, field and status.

A unit's figures count its own relationships, those of the units below it and of its predecessors
(core.filtersets.unit_portfolio_q), as its portfolio does.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.filtersets import unit_portfolio_q
from core.indicators import Computed, define_indicator, register_computation
from partners.choices import FORMAL_STATUSES, RelationshipStatus
from partners.models import Relationship, RelationshipStatusChange

NO_COUNTRY = "—"


def with_status_on(queryset: QuerySet, day) -> QuerySet:
    """Annotate ``status_then``: each relationship's status on ``day`` (its latest step on or before it)."""
    latest = RelationshipStatusChange.objects.filter(relationship=OuterRef("pk"), on__lte=day).order_by("-on", "-pk")
    return queryset.annotate(status_then=Subquery(latest.values("status")[:1]))


def established_in(queryset: QuerySet, period) -> QuerySet:
    """Relationships that reached "established" within ``period``."""
    steps = RelationshipStatusChange.objects.filter(
        status=RelationshipStatus.ESTABLISHED, on__gte=period.start, on__lte=period.end
    )
    return queryset.filter(pk__in=steps.values("relationship_id"))


def _records_url(unit, **filters) -> str:
    return f"{reverse('partners:relationship_list')}?{urlencode({'unit': unit.key, **filters})}"


def _breakdown(relationships: list[Relationship], *, by_status: bool = False) -> dict[str, dict[str, int]]:
    countries = Counter(str(r.partner.country) if r.partner.country_id else str(NO_COUNTRY) for r in relationships)
    fields = Counter(str(field) for r in relationships for field in r.fields.all())
    result = {"by_country": dict(countries.most_common()), "by_field": dict(fields.most_common())}
    if by_status:
        labels = dict(RelationshipStatus.choices)
        result["by_status"] = dict(Counter(str(labels.get(r.status_then, "")) for r in relationships).most_common())
    return result


def _portfolio(unit) -> QuerySet:
    return (
        Relationship.objects.filter(unit_portfolio_q(unit))
        .select_related("partner__country")
        .prefetch_related("fields")
    )


def relationships_established(*, unit, period) -> Computed:
    """Relationships of the unit's portfolio that reached "established" in the period."""
    rows = list(established_in(_portfolio(unit), period))
    return Computed(len(rows), _records_url(unit, established_in=period.label), _breakdown(rows))


def relationships_in_force(*, unit, period) -> Computed:
    """Relationships established or active at the end of the period."""
    rows = [r for r in with_status_on(_portfolio(unit), period.end) if r.status_then in FORMAL_STATUSES]
    return Computed(len(rows), _records_url(unit, in_force_at_end_of=period.label), _breakdown(rows))


def partners_with_relationships(*, unit, period) -> Computed:
    """Partners with which the unit had a relationship at the end of the period, at any stage but ended;
    split by country, field and the relationships' status."""
    rows = [
        r
        for r in with_status_on(_portfolio(unit), period.end)
        if r.status_then and r.status_then != RelationshipStatus.ENDED
    ]
    partners = {r.partner_id for r in rows}
    return Computed(len(partners), _records_url(unit, status_at_end_of=period.label), _breakdown(rows, by_status=True))


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
