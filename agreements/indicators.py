"""Indicators computed from the agreements registry (issue 4, item 5): agreements signed in a period (by kind,
signatory level and effect on the relationship), in force at its end, planned for it, expiring within it.

A unit's figures count its own agreements, those of the units below it and of its predecessors."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements.choices import SIGNED_STATUSES, AgreementKind, AgreementStatus, RelationshipEffect, SignatoryLevel
from agreements.models import Agreement
from core.filtersets import unit_portfolio_q
from core.indicators import Computed, define_indicator, register_computation


def _portfolio(unit) -> QuerySet:
    return Agreement.objects.filter(unit_portfolio_q(unit))


def signed_in(queryset: QuerySet, period) -> QuerySet:
    """Agreements signed within ``period`` (whatever happened to them after)."""
    return queryset.filter(status__in=SIGNED_STATUSES, signed_on__gte=period.start, signed_on__lte=period.end)


def in_force_at(queryset: QuerySet, day) -> QuerySet:
    """Agreements in force on ``day``: entered into force (or signed, when no date of entry is known) on or
    before it, and not ended by then."""
    # An agreement recorded as in force with no dates at all (Osan in the 2013 report) is taken as in force.
    started = (
        Q(in_force_on__lte=day)
        | Q(in_force_on__isnull=True, signed_on__lte=day)
        | Q(in_force_on__isnull=True, signed_on__isnull=True, status=AgreementStatus.IN_FORCE)
    )
    not_ended = (Q(terminated_on__isnull=True) | Q(terminated_on__gt=day)) & (
        Q(expires_on__isnull=True) | Q(expires_on__gt=day)
    )
    return queryset.filter(started & not_ended, status__in=SIGNED_STATUSES)


def planned_for(queryset: QuerySet, period) -> QuerySet:
    """Agreements planned for signing in the period's years and not signed or dropped."""
    return queryset.filter(
        planned_year__gte=period.start.year,
        planned_year__lte=period.end.year,
        status__in={
            AgreementStatus.DRAFT,
            AgreementStatus.CONSULTATION,
            AgreementStatus.SUBMITTED,
            AgreementStatus.APPROVED,
            AgreementStatus.POSTPONED,
        },
    )


def _records_url(unit, **filters) -> str:
    return f"{reverse('agreements:agreement_list')}?{urlencode({'unit': unit.key, **filters})}"


def _breakdown(rows) -> dict[str, dict[str, int]]:
    kinds, levels, effects = dict(AgreementKind.choices), dict(SignatoryLevel.choices), dict(RelationshipEffect.choices)
    return {
        "by_kind": dict(Counter(str(kinds[row.kind]) for row in rows).most_common()),
        "by_level": dict(Counter(str(levels[row.signatory_level]) for row in rows).most_common()),
        "by_effect": dict(Counter(str(effects[row.relationship_effect]) for row in rows).most_common()),
    }


def agreements_signed(*, unit, period) -> Computed:
    """Agreements signed in the period; split by kind, signatory level and whether each establishes a new
    relationship or continues one (a periodic high-level meeting's minutes), which is where documents that
    count "new" agreements differ."""
    rows = list(signed_in(_portfolio(unit), period))
    return Computed(len(rows), _records_url(unit, signed_in=period.label), _breakdown(rows))


def agreements_signed_new(*, unit, period) -> Computed:
    """Agreements signed in the period that establish a relationship (not the periodic minutes of one)."""
    rows = list(signed_in(_portfolio(unit), period).filter(relationship_effect=RelationshipEffect.ESTABLISHES))
    return Computed(
        len(rows), _records_url(unit, signed_in=period.label, effect=RelationshipEffect.ESTABLISHES), _breakdown(rows)
    )


def agreements_in_force(*, unit, period) -> Computed:
    """Agreements in force at the end of the period."""
    rows = list(in_force_at(_portfolio(unit), period.end))
    return Computed(len(rows), _records_url(unit, in_force_at_end_of=period.label), _breakdown(rows))


def agreements_planned(*, unit, period) -> Computed:
    """Agreements planned for signing in the period."""
    rows = list(planned_for(_portfolio(unit), period))
    return Computed(len(rows), _records_url(unit, planned_year=period.start.year), _breakdown(rows))


def agreements_expiring(*, unit, period) -> Computed:
    """Agreements in force whose term ends within the period."""
    rows = [
        row
        for row in in_force_at(_portfolio(unit), period.start)
        if row.ends_on is not None and period.start <= row.ends_on <= period.end
    ]
    return Computed(len(rows), _records_url(unit, expiring_in=period.label), _breakdown(rows))


register_computation("agreements_signed", agreements_signed, app="agreements")
register_computation("agreements_in_force", agreements_in_force, app="agreements")
define_indicator(
    "agreements_signed_new",
    _("International agreements signed that establish a relationship"),
    _("agreements"),
    agreements_signed_new,
    app="agreements",
)
define_indicator(
    "agreements_planned", _("International agreements planned"), _("agreements"), agreements_planned, app="agreements"
)
define_indicator(
    "agreements_expiring",
    _("International agreements expiring"),
    _("agreements"),
    agreements_expiring,
    app="agreements",
)
